"""Make the development database ready for the demo site, doing only what is needed: migrations when some are
unapplied, and the demo content (articles, promotions, readers, recommendations) when it is missing or its
source has changed since it was loaded. A second `dev.py serve` so starts in seconds."""

import hashlib
import json
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from articles import demo
from articles.management.commands.load_demo_content import DEMO_EDITOR_DEFAULT_PASSWORD, DEMO_STAFF
from articles.models import Article

# What the demo content is made from: a change to any of them loads it again.
DEMO_SOURCES = [
    *(str(path.relative_to(settings.BASE_DIR)) for path in demo.source_files()),
    "articles/demo.py",
    "articles/demo_images.py",
    "articles/management/commands/load_demo_content.py",
    "promotions/demo_content.py",
    "promotions/management/commands/load_demo_promotions.py",
    "recommendations/management/commands/load_demo_readers.py",
]
LOADED_STAMPS = settings.BASE_DIR / ".data" / "demo-loaded.json"


def unapplied_migrations():
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def demo_fingerprint():
    digest = hashlib.sha256()
    for source in DEMO_SOURCES:
        digest.update((settings.BASE_DIR / source).read_bytes())
    return digest.hexdigest()


def database_key():
    database = settings.DATABASES[DEFAULT_DB_ALIAS]
    return f"{database['HOST']}:{database['PORT']}/{database['NAME']}"


def loaded_stamps():
    try:
        return json.loads(LOADED_STAMPS.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def demo_is_loaded(fingerprint):
    """Loaded from these sources into this database, and still there (a database emptied since needs it again)."""
    first_slug = demo.article_paths()[0].stem
    return loaded_stamps().get(database_key()) == fingerprint and Article.objects.filter(slug=first_slug).exists()


def remember_loaded(fingerprint):
    stamps = loaded_stamps()
    stamps[database_key()] = fingerprint
    LOADED_STAMPS.parent.mkdir(exist_ok=True)
    LOADED_STAMPS.write_text(json.dumps(stamps, indent=2))


class Command(BaseCommand):
    help = "Migrate if needed and load the demo content if it is missing or changed (what dev.py serve runs)."

    def handle(self, *args, **options):
        if unapplied_migrations():
            call_command("migrate", interactive=False)
        else:
            self.stdout.write("Migrations: all applied.")
        fingerprint = demo_fingerprint()
        if demo_is_loaded(fingerprint):
            self.stdout.write(
                "Demo content: loaded already, unchanged (delete .data/demo-loaded.json to load it again)."
            )
            password = os.environ.get("DEMO_EDITOR_PASSWORD") or DEMO_EDITOR_DEFAULT_PASSWORD
            for title, email, _ in DEMO_STAFF.values():
                self.stdout.write(f"{title} — email: {email}  password: {password}")
            return
        for command in ("load_demo_content", "load_demo_promotions", "load_demo_readers", "rebuild_recommendations"):
            call_command(command)
        remember_loaded(fingerprint)
