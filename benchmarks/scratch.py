"""A scratch database for benchmarks: made on the server DATABASE_URL names, marked as ours, and
dropped afterwards, so a benchmark never touches the site's own database."""

import os
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent


def log(message):
    """Progress goes to stderr, so stdout holds only the report (and stays valid JSON with --json)."""
    print(message, file=sys.stderr, flush=True)


def add_scale_arguments(parser):
    """The size of generated reading data (recommendations/scale_data.py), as the benchmarks take it."""
    parser.add_argument("--articles", type=int, default=20_000, help="articles to generate (default 20000)")
    parser.add_argument("--readers", type=int, default=100_000, help="readers to generate (default 100000)")
    parser.add_argument("--favorites", type=int, default=1_000_000, help="favorites to generate (default 1000000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed for the data (default 42)")


def generate_scale_data(args):
    """Readers, articles and favorites of the size add_scale_arguments() asked for, in the scratch database."""
    from recommendations import scale_data  # after Django is configured for the scratch database

    log(f"Generating {args.articles} articles, {args.readers} readers, {args.favorites} favorites")
    return scale_data.generate(
        articles=args.articles,
        readers=args.readers,
        favorites=args.favorites,
        seed=args.seed,
        report=lambda line: log(f"  {line}"),
    )


def add_scratch_arguments(parser, default_database, *, kept="the scratch database"):
    """--database, --keep and --reuse, as every benchmark with a scratch database takes them."""
    parser.add_argument(
        "--database", default=default_database, help=f"name of the scratch database (default {default_database})"
    )
    parser.add_argument("--keep", action="store_true", help=f"keep {kept} afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the data a run with --keep left, instead of generating it"
    )


class ScratchDatabase:
    def __init__(self, name, marker):
        self.name = name
        self.marker = marker  # written on the database, so we never drop one we did not make

    def configure_django(self):
        """Point the settings at the scratch database, with production-like settings, and set Django up."""
        server_url = os.environ.get("DATABASE_URL", "")
        if urlsplit(server_url).scheme not in {"postgres", "postgresql"}:
            sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres")
        os.environ["DATABASE_URL"] = urlsplit(server_url)._replace(path=f"/{self.name}").geturl()
        os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
        os.environ.setdefault("SECRET_KEY", "benchmark-only-secret")
        os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
        # DEBUG off, as in production: no query log, no debug page. Set explicitly because the
        # development .env (loaded by the settings) turns DEBUG on. Plain static storage, though,
        # so no collectstatic is needed.
        os.environ["DEBUG"] = "false"
        os.environ.setdefault("STATIC_MANIFEST", "false")
        # WhiteNoise warns that STATIC_ROOT does not exist; static files are not part of the benchmark.
        warnings.filterwarnings("ignore", message="No directory at")
        sys.path.insert(0, str(REPO_ROOT))

        import django

        django.setup()

    @contextmanager
    def maintenance_cursor(self):
        """A cursor on the server's "postgres" database, where databases can be created and dropped."""
        import psycopg
        from django.conf import settings

        server = settings.DATABASES["default"]
        conn = psycopg.connect(
            dbname="postgres",
            user=server["USER"] or None,
            password=server["PASSWORD"] or None,
            host=server["HOST"] or None,
            port=server["PORT"] or None,
        )
        conn.autocommit = True  # CREATE/DROP DATABASE cannot run inside a transaction.
        try:
            with conn.cursor() as cursor:
                yield cursor
        finally:
            conn.close()

    def made_by_us(self, cursor):
        """None if there is no scratch database, else whether a benchmark made it."""
        cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [self.name])
        row = cursor.fetchone()
        return None if row is None else row[0] == self.marker

    def drop(self, cursor):
        from psycopg import sql

        if self.made_by_us(cursor) is False:
            sys.exit(f"Refusing to drop database {self.name!r}: it was not made by this script.")
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(self.name)))

    @contextmanager
    def for_run(self, *, reuse, keep):
        """The scratch database for one run: made, or with `reuse` taken as a kept run left it; dropped
        afterwards unless kept (or reused)."""
        if reuse:
            log(f"Reusing scratch database {self.name}")
            self.reuse()
        else:
            log(f"Creating scratch database {self.name}")
            self.create()
        try:
            yield
        finally:
            if keep or reuse:
                log(f"Kept database {self.name}")
            else:
                self.remove()

    def create(self):
        from django.core.management import call_command
        from psycopg import sql

        with self.maintenance_cursor() as cursor:
            self.drop(cursor)
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
            comment = sql.SQL("COMMENT ON DATABASE {} IS {}")
            cursor.execute(comment.format(sql.Identifier(self.name), sql.Literal(self.marker)))
        call_command("migrate", verbosity=0)

    def reuse(self):
        """Use the scratch database an earlier run kept, brought up to date with the migrations."""
        from django.core.management import call_command

        with self.maintenance_cursor() as cursor:
            if not self.made_by_us(cursor):
                sys.exit(f"No database {self.name!r} made by this script to reuse: run it with --keep first.")
        call_command("migrate", verbosity=0)

    def remove(self):
        from django.db import connections

        connections.close_all()  # The scratch database cannot be dropped while Django is connected to it.
        with self.maintenance_cursor() as cursor:
            self.drop(cursor)
