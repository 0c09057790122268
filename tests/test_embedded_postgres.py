"""The embedded PostgreSQL that a machine without DATABASE_URL uses."""

import subprocess
import sys

import psycopg
import pytest
from django.conf import settings

from newsroom.embedded_postgres import DATABASE_NAME, embedded_database_url, stop_embedded


@pytest.fixture
def embedded_url(tmp_path):
    import pgserver

    data_dir = tmp_path / "pg"
    yield embedded_database_url(data_dir)
    # The site keeps its server running between commands; a test's server is stopped.
    server = pgserver.get_server(data_dir)
    server.cleanup_mode = "stop"
    server.cleanup()


def test_embedded_server_starts_and_serves_the_newsroom_database(embedded_url):
    with psycopg.connect(embedded_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), 1 + 1")
        assert cursor.fetchone() == (DATABASE_NAME, 2)


def test_embedded_server_is_reused_on_the_next_start(embedded_url, tmp_path):
    assert embedded_database_url(tmp_path / "pg") == embedded_url


@pytest.mark.parametrize("left_behind", ["", "[12", "not json"])
def test_a_pid_list_left_empty_or_broken_by_a_stop_is_recovered_from(embedded_url, tmp_path, left_behind):
    """A stop by SIGTERM once left .handle_pids.json empty, and the next start died with a JSONDecodeError."""
    (tmp_path / "pg" / ".handle_pids.json").write_text(left_behind)
    start = "from pathlib import Path; from newsroom.embedded_postgres import embedded_database_url as url; "
    start += f"print(url(Path({str(tmp_path / 'pg')!r})))"

    started = subprocess.run(
        [sys.executable, "-c", start], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == embedded_url


def test_stopping_the_embedded_server_stops_it_whatever_processes_it_remembers(embedded_url, tmp_path):
    (tmp_path / "pg" / ".handle_pids.json").write_text("[999999, 999998]")  # processes long gone

    stop_embedded(tmp_path / "pg")

    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(embedded_url, connect_timeout=5)
