"""Editors, writers and medical reviewers upload and choose library images; only editors delete them."""

from django.db import migrations

from articles.group_permissions import grant_to_groups

UPLOAD_AND_CHOOSE = ["add_image", "change_image", "view_image"]
GROUP_PERMISSIONS = {
    "Editors": {"images": [*UPLOAD_AND_CHOOSE, "delete_image"]},
    "Writers": {"images": UPLOAD_AND_CHOOSE},
    "Medical reviewers": {"images": UPLOAD_AND_CHOOSE},
}


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0001_initial"),
        ("articles", "0002_editorial_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [grant_to_groups(GROUP_PERMISSIONS)]
