"""Settings refuse to start in production without a secret key, and refuse anything but PostgreSQL.

Each case starts a fresh Python process, because settings are read once per process. The repository's
`.env` file only fills variables that are not set, so every variable that matters is set explicitly.
"""

import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from newsroom.cache import KeptClientRedisCache

REPO_ROOT = Path(__file__).resolve().parent.parent
LOAD_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
)
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/newsroom_settings_check"
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "news.example.org"}


def start_django(tmp_path, **variables):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": POSTGRES_URL,
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", LOAD_SETTINGS], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_settings_with_a_secret_key_load(tmp_path):
    result = start_django(tmp_path, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = start_django(tmp_path, **{**PRODUCTION, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_development_without_secret_key_starts(tmp_path):
    result = start_django(tmp_path, DEBUG="true", SECRET_KEY="")

    assert result.returncode == 0, result.stderr


def test_production_without_allowed_hosts_refuses_to_start(tmp_path):
    result = start_django(tmp_path, **{**PRODUCTION, "ALLOWED_HOSTS": ""})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize("debug", ["true", "false"])
def test_sqlite_database_url_is_refused(tmp_path, debug):
    result = start_django(tmp_path, **{**PRODUCTION, "DEBUG": debug, "DATABASE_URL": "sqlite:///x.db"})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "PostgreSQL only" in result.stderr


def django_settings(tmp_path, code, **variables):
    """Start Django in production with `variables` and return what `code` evaluates to (it may use
    `settings` and `default_storage`)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": POSTGRES_URL,
        **PRODUCTION,
        **variables,
    }
    program = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"from django.core.files.storage import default_storage; print(json.dumps({code}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_without_a_replica_url_there_is_one_database_and_no_router(tmp_path):
    found = django_settings(tmp_path, "[sorted(settings.DATABASES), settings.DATABASE_ROUTERS]")

    assert found == [["default"], []]


def test_a_replica_url_adds_the_replica_and_its_router(tmp_path):
    replica = django_settings(
        tmp_path,
        "[settings.DATABASES['replica'], settings.DATABASE_ROUTERS]",
        DATABASE_REPLICA_URL="postgres://reader:secret@replica.example.org:5433/newsroom",
    )

    database, routers = replica
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("replica.example.org", 5433, "newsroom")
    assert (database["USER"], database["PASSWORD"]) == ("reader", "secret")
    assert database["TEST"]["MIRROR"] == "default"
    assert database["OPTIONS"] == {"options": "-c jit=off"}
    assert routers == ["newsroom.replica.ReplicaRouter"]


def test_a_replica_that_is_not_postgresql_is_refused(tmp_path):
    result = start_django(tmp_path, **PRODUCTION, DATABASE_REPLICA_URL="mysql://reader@replica/newsroom")

    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL must be postgres://" in result.stderr


MEDIA_STORAGE = "[settings.STORAGES['default']['BACKEND'], default_storage.url('images/2026/12/scan.jpg')]"


def test_without_a_bucket_media_is_stored_in_media_root(tmp_path):
    backend, url = django_settings(tmp_path, MEDIA_STORAGE, MEDIA_S3_BUCKET="")

    assert backend == "django.core.files.storage.FileSystemStorage"
    assert url == "/media/images/2026/12/scan.jpg"


def test_a_bucket_puts_media_on_s3_compatible_storage_with_plain_urls(tmp_path):
    backend, url = django_settings(
        tmp_path,
        MEDIA_STORAGE,
        MEDIA_S3_BUCKET="newsroom-media",
        MEDIA_S3_ENDPOINT_URL="https://objects.example.net",
        MEDIA_S3_REGION="eu-west-2",
        MEDIA_S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        MEDIA_S3_SECRET_ACCESS_KEY="secret-example",
    )

    assert backend == "storages.backends.s3.S3Storage"
    # The same address for every reader: no signature or expiry in a query string.
    assert url == "https://objects.example.net/newsroom-media/images/2026/12/scan.jpg"


def test_a_custom_domain_serves_media_from_the_cdn(tmp_path):
    options, url = django_settings(
        tmp_path,
        "[settings.STORAGES['default']['OPTIONS'], default_storage.url('images/2026/12/scan.jpg')]",
        MEDIA_S3_BUCKET="newsroom-media",
        MEDIA_S3_CUSTOM_DOMAIN="media.news.example.org",
    )

    assert url == "https://media.news.example.org/images/2026/12/scan.jpg"
    assert options["bucket_name"] == "newsroom-media"
    assert options["file_overwrite"] is False
    assert options["access_key"] is None


def test_app_servers_keep_no_state_of_their_own(tmp_path):
    """Any app server can serve any request: sessions are in the database (also with a cache: Django's
    cached_db sessions fail to sign anyone in while the cache is down), messages in a cookie or the session."""
    session_engine, message_storage = django_settings(
        tmp_path, "[settings.SESSION_ENGINE, settings.MESSAGE_STORAGE]", CACHE_URL="redis://127.0.0.1:6379/5"
    )

    assert session_engine == "accounts.sessions"
    assert message_storage == "django.contrib.messages.storage.fallback.FallbackStorage"


def readme_production_environment():
    """The variables .env.example documents for production, with a real secret key as the README asks."""
    lines = (REPO_ROOT / ".env.example").read_text().splitlines()
    variables = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    return {**variables, "SECRET_KEY": secrets.token_urlsafe(64), "DATABASE_URL": POSTGRES_URL}


def run_manage(tmp_path, *arguments, **variables):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), **variables}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deployment_check_passes_with_the_readme_production_environment(tmp_path):
    environment = readme_production_environment()
    assert environment["DEBUG"] == "false"

    result = run_manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **environment)

    assert result.returncode == 0, result.stderr


def test_deployment_check_warns_about_hsts_without_the_https_settings(tmp_path):
    """The check above can fail: without the README's HTTPS variables it warns, and fails."""
    environment = {**readme_production_environment(), "SECURE_SSL_REDIRECT": "false"}
    del environment["SECURE_HSTS_SECONDS"]

    result = run_manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **environment)

    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_hsts_is_on_for_a_year_by_default_with_the_https_redirect(tmp_path):
    environment = readme_production_environment()
    del environment["SECURE_HSTS_SECONDS"]

    result = run_manage(tmp_path, "diffsettings", "--all", **environment)

    assert "SECURE_HSTS_SECONDS = 31536000" in result.stdout, result.stderr


def test_the_csp_report_uri_comes_from_the_environment(tmp_path):
    environment = {**readme_production_environment(), "CSP_REPORT_URI": "https://reports.example.org/csp"}

    result = run_manage(tmp_path, "diffsettings", "--all", **environment)

    assert "'report-uri': 'https://reports.example.org/csp'" in result.stdout, result.stderr


def test_cache_url_names_redis(tmp_path):
    backend = django_settings(tmp_path, "settings.CACHES['default']['BACKEND']", CACHE_URL="redis://127.0.0.1:6379/3")

    assert backend == "newsroom.cache.KeptClientRedisCache"


def test_without_cache_url_the_cache_is_a_table_every_process_shares(tmp_path):
    backend = django_settings(tmp_path, "settings.CACHES['default']['BACKEND']", CACHE_URL="")

    assert backend == "django.core.cache.backends.db.DatabaseCache"


def test_a_cache_url_that_is_not_redis_is_refused_with_a_clear_message(tmp_path):
    result = start_django(tmp_path, **PRODUCTION, CACHE_URL="memcached://127.0.0.1:11211")

    assert result.returncode != 0
    assert "CACHE_URL must start with redis://" in result.stderr


def test_the_redis_cache_keeps_one_client_per_connection_pool():
    """The machine's Redis (CI and every machine of the project run one), under a prefix of this test's own."""
    cache = KeptClientRedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": uuid.uuid4().hex})
    cache.set("kept-client", "yes")
    assert cache.get("kept-client") == "yes"
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client("any key", write=True)
