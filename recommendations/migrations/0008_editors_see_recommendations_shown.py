"""Let editors open the recommendations-shown report (click-through, save-through, the A/B test)."""

from django.db import migrations

from articles.group_permissions import grant_to_groups


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0007_recommendations_shown_and_followed")]

    operations = [grant_to_groups({"Editors": {"recommendations": ["view_recommendationshown"]}})]
