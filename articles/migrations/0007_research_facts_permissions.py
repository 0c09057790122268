"""Give the editorial groups their permissions on research facts and the drugs a study tested."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RESEARCH = ["researchfacts", "studydrug"]


def codenames(actions, models):
    return [f"{action}_{model}" for model in models for action in actions]


GROUP_PERMISSIONS = {
    "Editors": codenames(["add", "change", "delete", "view"], RESEARCH),
    "Writers": codenames(["add", "change", "view"], RESEARCH),
    "Medical reviewers": codenames(["change", "view"], RESEARCH),
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so groups can hold them.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = list(Permission.objects.filter(content_type__app_label="articles", codename__in=wanted))
        missing = set(wanted) - {permission.codename for permission in permissions}
        if missing:
            raise RuntimeError(f"Missing permissions for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUP_PERMISSIONS.items():
        permissions = Permission.objects.filter(content_type__app_label="articles", codename__in=wanted)
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_research_facts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
