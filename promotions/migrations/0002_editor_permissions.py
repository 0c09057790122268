"""Editors manage promotions and may read (never edit) their daily counts, which only the site writes."""

from django.db import migrations

from articles.group_permissions import grant_to_groups

GROUP_PERMISSIONS = {
    "Editors": {
        "promotions": [
            "add_promotion",
            "change_promotion",
            "delete_promotion",
            "view_promotion",
            "view_promotiondailycount",
        ]
    },
}


class Migration(migrations.Migration):
    dependencies = [
        ("promotions", "0001_initial"),
        ("articles", "0002_editorial_groups"),
    ]

    operations = [grant_to_groups(GROUP_PERMISSIONS)]
