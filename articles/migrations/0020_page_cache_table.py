from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The page cache's table when no CACHE_URL is set (see CACHES in settings); nothing with Redis."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_sitemap_index")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
