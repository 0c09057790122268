"""The production server as the README starts it: gunicorn with the project's gunicorn.conf.py."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn_url():
    port = free_port()
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "test-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom"),
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
                urllib.request.urlopen(f"{url}/robots.txt", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"gunicorn did not start: {server.stderr.read1().decode()}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_responses_do_not_name_the_server_software(gunicorn_url):
    with urllib.request.urlopen(f"{gunicorn_url}/robots.txt", timeout=5) as response:
        server = response.headers.get("Server", "")

    assert response.status == 200
    assert "gunicorn" not in server.lower()
    assert not any(character.isdigit() for character in server)
