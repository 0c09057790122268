"""Settings refuse to start in production without a secret key, and refuse anything but PostgreSQL.

Each case starts a fresh Python process, because settings are read once per process. The repository's
`.env` file only fills variables that are not set, so every variable that matters is set explicitly.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


CACHE_BACKEND = (
    "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
)


def cache_backend(tmp_path, **variables):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": POSTGRES_URL,
        **PRODUCTION,
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", CACHE_BACKEND], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_cache_url_names_redis(tmp_path):
    result = cache_backend(tmp_path, CACHE_URL="redis://127.0.0.1:6379/3")

    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr


def test_without_cache_url_the_cache_is_a_table_every_process_shares(tmp_path):
    result = cache_backend(tmp_path, CACHE_URL="")

    assert result.stdout.strip() == "django.core.cache.backends.db.DatabaseCache", result.stderr


def test_a_cache_url_that_is_not_redis_is_refused_with_a_clear_message(tmp_path):
    result = cache_backend(tmp_path, CACHE_URL="memcached://127.0.0.1:11211")

    assert result.returncode != 0
    assert "CACHE_URL must start with redis://" in result.stderr
