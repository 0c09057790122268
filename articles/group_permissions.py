"""Permissions for the editorial groups, given by data migrations all in the same way."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def permissions_by_group(apps, wanted):
    """(group, permissions) pairs for `wanted`, {group name: {app label: [codename, ...]}}, creating the
    groups as needed. Fails loudly when a permission does not exist rather than granting less."""
    # Permissions are normally created after all migrations; create them now so groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in by_app.items():
            permissions = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
            missing = set(codenames) - {permission.codename for permission in permissions}
            if missing:
                raise RuntimeError(f"Missing permissions for {name}: {sorted(missing)}")
            yield group, permissions


def grant_to_groups(wanted):
    """A migration operation giving the groups the permissions in `wanted` (the shape above); reversed,
    it takes them away again."""

    def grant(apps, schema_editor):
        for group, permissions in permissions_by_group(apps, wanted):
            group.permissions.add(*permissions)

    def revoke(apps, schema_editor):
        for group, permissions in permissions_by_group(apps, wanted):
            group.permissions.remove(*permissions)

    return migrations.RunPython(grant, revoke)
