"""Editors manage promotions and may read (never edit) their daily counts, which only the site writes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "add_promotion",
    "change_promotion",
    "delete_promotion",
    "view_promotion",
    "view_promotiondailycount",
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the group can hold them.
    app_config = apps.get_app_config("promotions")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None

    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="promotions", codename__in=EDITOR_PERMISSIONS))
    missing = set(EDITOR_PERMISSIONS) - {permission.codename for permission in permissions}
    if missing:
        raise RuntimeError(f"Missing promotion permissions: {sorted(missing)}")
    apps.get_model("auth", "Group").objects.get(name="Editors").permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    editors = apps.get_model("auth", "Group").objects.get(name="Editors")
    editors.permissions.remove(
        *Permission.objects.filter(content_type__app_label="promotions", codename__in=EDITOR_PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("promotions", "0001_initial"),
        ("articles", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
