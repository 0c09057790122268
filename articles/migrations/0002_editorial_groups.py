"""Create the editorial groups. A writer can create and edit but cannot publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = ["article", "section", "person", "byline", "reference"]


def codenames(actions, models):
    return [f"{action}_{model}" for model in models for action in actions]


GROUP_PERMISSIONS = {
    "Editors": {
        "articles": codenames(["add", "change", "delete", "view"], CONTENT) + ["publish_article"],
        "taggit": codenames(["add", "change", "delete", "view"], ["tag", "taggeditem"]),
    },
    "Writers": {
        "articles": codenames(["add", "change", "view"], ["article"])
        + codenames(["add", "change", "delete", "view"], ["byline", "reference"])
        + codenames(["view"], ["section", "person"]),
        "taggit": codenames(["add", "change", "view"], ["tag", "taggeditem"]) + ["delete_taggeditem"],
    },
    "Medical reviewers": {
        "articles": codenames(["change", "view"], ["article", "reference"])
        + codenames(["view"], ["section", "person", "byline"]),
        "taggit": codenames(["view"], ["tag", "taggeditem"]),
    },
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, wanted in by_app.items():
            permissions = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=wanted))
            missing = set(wanted) - {permission.codename for permission in permissions}
            if missing:
                raise RuntimeError(f"Missing permissions for {name}: {sorted(missing)}")
            group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
