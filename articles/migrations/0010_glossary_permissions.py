"""Editors keep the glossary; writers and medical reviewers may look it up in the admin."""

from django.db import migrations

from articles.group_permissions import grant_to_groups

GROUP_PERMISSIONS = {
    "Editors": {"articles": ["add_glossaryterm", "change_glossaryterm", "delete_glossaryterm", "view_glossaryterm"]},
    "Writers": {"articles": ["view_glossaryterm"]},
    "Medical reviewers": {"articles": ["view_glossaryterm"]},
}


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_glossary"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [grant_to_groups(GROUP_PERMISSIONS)]
