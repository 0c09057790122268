"""Editors keep the glossary; writers and medical reviewers may look it up in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Editors": ["add_glossaryterm", "change_glossaryterm", "delete_glossaryterm", "view_glossaryterm"],
    "Writers": ["view_glossaryterm"],
    "Medical reviewers": ["view_glossaryterm"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create the glossary's now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    glossary_permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__endswith="_glossaryterm"
    )
    for group in Group.objects.filter(name__in=GROUP_PERMISSIONS):
        group.permissions.remove(*glossary_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_glossary"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
