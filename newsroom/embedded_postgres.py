"""An embedded PostgreSQL server for machines without one (DATABASE_URL unset).

pgserver ships PostgreSQL binaries inside its wheel, so a fresh machine needs only
Python. The server keeps running between commands (it is shared by runserver's
reloader, manage.py and the tests) and keeps its data in a git-ignored folder.
"""

import warnings
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "newsroom"


def embedded_database_url(data_dir: Path) -> str:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, as in CI and containers; harmless here.
        warnings.simplefilter("ignore")
        import pgserver

        data_dir.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(data_dir, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = quote(server.get_uri().split("host=", 1)[1], safe="")
    return f"postgres://postgres@{socket_dir}/{DATABASE_NAME}"
