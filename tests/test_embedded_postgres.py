"""The embedded PostgreSQL that a machine without DATABASE_URL uses."""

import psycopg
import pytest

from newsroom.embedded_postgres import DATABASE_NAME, embedded_database_url


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
