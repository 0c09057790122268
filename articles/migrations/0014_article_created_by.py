"""Who created each article, for "My work" on the editors' dashboard. Articles added before this was
recorded take the author of their first revision, the save that created them in the admin."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_from_first_revisions(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    first_author = ArticleRevision.objects.filter(article=models.OuterRef("pk"), number=1).values("author")[:1]
    Article.objects.filter(created_by__isnull=True).update(created_by=models.Subquery(first_author))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_pending_changes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="created_by",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(fill_from_first_revisions, migrations.RunPython.noop),
    ]
