"""Editors write, preview, test and send research news issues."""

from django.db import migrations

from articles.group_permissions import grant_to_groups

GROUP_PERMISSIONS = {
    "Editors": {
        "newsletter": [
            "view_issue", "add_issue", "change_issue", "delete_issue", "send_issue",
            "view_issuearticle", "add_issuearticle", "change_issuearticle", "delete_issuearticle",
            "view_delivery",
        ],
    },
}  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_issues"),
        ("articles", "0022_recommendable_articles_index"),
    ]

    operations = [grant_to_groups(GROUP_PERMISSIONS)]
