"""Let editors open what the dashboard on the admin index summarises: the 'Due for medical review' list
(medical reviewers too, it is their work list) and readers' saves, helpfulness answers and comments, and
survey answers. Here because this app may depend on all three apps whose permissions it grants."""

from django.db import migrations

from articles.group_permissions import grant_to_groups

GROUP_PERMISSIONS = {
    "Editors": {
        "articles": ["view_dueforreview"],
        "accounts": ["view_favorite", "view_articlehelpfulness", "view_helpfulnessvote"],
        "recommendations": ["view_surveyresponse"],
    },
    "Medical reviewers": {"articles": ["view_dueforreview"]},
}


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_covering_favorite_indexes"),
        ("articles", "0005_review_due_and_embargo"),
        ("recommendations", "0002_most_dismissed"),
    ]

    operations = [grant_to_groups(GROUP_PERMISSIONS)]
