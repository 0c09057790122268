import django.contrib.postgres.fields
from django.db import migrations, models

# How much a signal counts after `age`, halving every `half_life_hours`: the one definition, used by every query
# that weighs saves by their age. The exponent is capped because PostgreSQL's power() raises an error on underflow.
DECAY = """
CREATE FUNCTION recommendations_decay(age interval, half_life_hours float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT power(0.5, least(greatest(extract(epoch FROM age)::float8, 0) / 3600 / half_life_hours, 1000)) $$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0004_suggestions"),
    ]

    operations = [
        migrations.RunSQL(DECAY, "DROP FUNCTION recommendations_decay(interval, float8)"),
        migrations.CreateModel(
            name="PopularitySnapshot",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                ("taken_at", models.DateTimeField()),
                ("full_at", models.DateTimeField(help_text="When every article was last counted afresh.")),
                ("trending_half_life_hours", models.JSONField(help_text="The half-lives the counts were made with.")),
                (
                    "trending_ids",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.BigIntegerField(),
                        default=list,
                        help_text="The most trending articles at taken_at, most first.",
                        size=None,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="popularity_snapshot_one_row")
                ]
            },
        ),
        migrations.RemoveIndex(model_name="articlepopularity", name="popularity_trending_idx"),
        # The counts are rebuilt by the next `manage.py rebuild_recommendations`, with half-lives.
        migrations.RunSQL("DELETE FROM recommendations_articlepopularity", migrations.RunSQL.noop),
        migrations.AddField(
            model_name="articlepopularity",
            name="half_life_hours",
            field=models.FloatField(default=24, help_text="The trending half-life of the article's section."),
            preserve_default=False,
        ),
    ]
