"""Tags are site-wide: only Editors may add, rename, merge or delete them. Writers keep choosing
existing tags for their articles (the article form refuses a new name from them) and may still
browse the list of tags; Medical reviewers never had more than that."""

from django.db import migrations

from articles.group_permissions import permissions_by_group

TAKEN = {
    "Writers": {"taggit": ["add_tag", "change_tag", "delete_tag"]},
    "Medical reviewers": {"taggit": ["add_tag", "change_tag", "delete_tag"]},
}
# What 0002_editorial_groups gave, so going back restores exactly that.
GIVEN_BEFORE = {"Writers": {"taggit": ["add_tag", "change_tag"]}}


def take(apps, schema_editor):
    for group, permissions in permissions_by_group(apps, TAKEN):
        group.permissions.remove(*permissions)


def give_back(apps, schema_editor):
    for group, permissions in permissions_by_group(apps, GIVEN_BEFORE):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_article_created_by"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(take, give_back)]
