from django.db import migrations

# A topic's articles, the last added first (recommendations/sources.py, the profile candidates). On taggit's
# table, so written as SQL; built without locking out tagging while it builds.
CREATE = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS recommendations_tagged_latest_idx
ON taggit_taggeditem (tag_id, content_type_id, object_id DESC)
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("recommendations", "0009_co_saves"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunSQL(CREATE, "DROP INDEX CONCURRENTLY IF EXISTS recommendations_tagged_latest_idx"),
    ]
