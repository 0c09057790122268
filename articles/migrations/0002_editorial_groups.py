"""Create the editorial groups. A writer can create and edit but cannot publish."""

from django.db import migrations

from articles.group_permissions import permissions_by_group

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
    for group, permissions in permissions_by_group(apps, GROUP_PERMISSIONS):
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
