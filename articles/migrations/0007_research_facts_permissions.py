"""Give the editorial groups their permissions on research facts and the drugs a study tested."""

from django.db import migrations

from articles.group_permissions import grant_to_groups

RESEARCH = ["researchfacts", "studydrug"]


def codenames(actions, models):
    return [f"{action}_{model}" for model in models for action in actions]


GROUP_PERMISSIONS = {
    "Editors": {"articles": codenames(["add", "change", "delete", "view"], RESEARCH)},
    "Writers": {"articles": codenames(["add", "change", "view"], RESEARCH)},
    "Medical reviewers": {"articles": codenames(["change", "view"], RESEARCH)},
}


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_research_facts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [grant_to_groups(GROUP_PERMISSIONS)]
