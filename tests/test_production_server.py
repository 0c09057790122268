"""The production server as the README starts it: gunicorn with the project's gunicorn.conf.py."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url):
    port = free_port()
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "test-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
    }
    server = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "newsroom.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"gunicorn did not start: {server.stderr.read1().decode()}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom")


@pytest.fixture(scope="module")
def gunicorn_url():
    with gunicorn(DATABASE_URL) as url:
        yield url


@pytest.fixture(scope="module")
def gunicorn_without_database_url():
    """gunicorn whose database refuses every connection, as while PostgreSQL restarts."""
    with gunicorn(f"postgres://postgres@127.0.0.1:{free_port()}/newsroom") as url:
        yield url


def get(url):
    """Status, headers and body of a GET, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_responses_do_not_name_the_server_software(gunicorn_url):
    with urllib.request.urlopen(f"{gunicorn_url}/healthz", timeout=5) as response:
        server = response.headers.get("Server", "")

    assert response.status == 200
    assert "gunicorn" not in server.lower()
    assert not any(character.isdigit() for character in server)


def test_readers_get_the_503_page_while_the_database_refuses_connections(gunicorn_without_database_url):
    status, headers, body = get(f"{gunicorn_without_database_url}/")

    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "We'll be back shortly" in body
    assert "Traceback" not in body


def test_the_load_balancer_probes_tell_the_process_answers_but_is_not_ready(gunicorn_without_database_url):
    assert get(f"{gunicorn_without_database_url}/healthz")[0] == 200
    assert get(f"{gunicorn_without_database_url}/readyz")[0] == 503


def test_gunicorn_settings_come_from_the_environment():
    environment = {**os.environ, "GUNICORN_WORKERS": "7", "GUNICORN_MAX_REQUESTS": "500"}
    result = subprocess.run(
        [Path(sys.executable).parent / "gunicorn", "--print-config", "newsroom.wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    config = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    config = {name.strip(): value.strip() for name, value in config.items()}

    assert config["workers"] == "7"
    assert config["max_requests"] == "500"
    assert config["max_requests_jitter"] == "200"
    assert config["timeout"] == "30"


def test_after_the_database_drops_its_connections_the_next_request_gets_a_new_one(gunicorn_url):
    """As after a PostgreSQL restart: the worker's kept connection is dead, and it checks before reusing it.
    (The test client cannot show this: it keeps one connection for the test's transaction.)"""
    assert get(f"{gunicorn_url}/readyz")[0] == 200
    with psycopg.connect(DATABASE_URL) as database, database.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1
    database.close()

    assert get(f"{gunicorn_url}/readyz")[0:3:2] == (200, "ready\n")
