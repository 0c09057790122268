"""Set up Newsroom on this machine, then serve the demo site or run every check and test.

    python3.11 dev.py serve [--port 8000]  # http://127.0.0.1:8000 with demo content, and a task-queue worker
    python3.11 dev.py test                 # lint, Django checks, migrations check, the whole test suite
    python3.11 dev.py stop-db              # stop the embedded PostgreSQL

Needs only Python 3.11: it creates .venv, installs requirements.txt into it (again only
when that file changes), writes a development .env, and migrates the database
(an embedded PostgreSQL in .data/ unless DATABASE_URL is set).
"""

import argparse
import hashlib
import os
import secrets
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
REQUIREMENTS = ROOT / "requirements.txt"
REQUIREMENTS_STAMP = VENV / ".requirements-installed"
ENV_FILE = ROOT / ".env"


def run(*args, **kwargs):
    print("→", " ".join(str(arg) for arg in args), flush=True)
    subprocess.run([str(arg) for arg in args], cwd=ROOT, check=True, **kwargs)


def ensure_python():
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Newsroom needs Python 3.11; this is {sys.version.split()[0]}. Run it with python3.11.")


def ensure_virtualenv():
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV.name}/", flush=True)
        venv.create(VENV, with_pip=True)
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if REQUIREMENTS_STAMP.exists() and REQUIREMENTS_STAMP.read_text() == wanted:
        return
    run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "--quiet", "-r", REQUIREMENTS)
    REQUIREMENTS_STAMP.write_text(wanted)


def ensure_env_file():
    """A development .env: DEBUG on and a random secret key. Production sets real variables instead."""
    if ENV_FILE.exists():
        return
    ENV_FILE.write_text(f"DEBUG=true\nSECRET_KEY={secrets.token_urlsafe(50)}\n")
    print("Wrote a development .env (DEBUG=true, a random SECRET_KEY).", flush=True)


def env_file_values():
    values = {}
    for line in ENV_FILE.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.lstrip().startswith("#"):
            values[name.strip()] = value.strip()
    return values


def remember_in_env_file(name, value):
    """Keep a choice made on the command line (DATABASE_URL, the port) in .env, so later commands, a bare
    `manage.py` among them, use it too, instead of quietly starting a second, empty embedded database."""
    if env_file_values().get(name) == value:
        return
    lines = [line for line in ENV_FILE.read_text().splitlines() if line.partition("=")[0].strip() != name]
    ENV_FILE.write_text("\n".join([*lines, f"{name}={value}"]) + "\n")
    print(f"Wrote {name} into .env.", flush=True)


def manage(*args):
    run(PYTHON, "manage.py", *args)


def serve(port):
    if os.environ.get("DATABASE_URL"):
        remember_in_env_file("DATABASE_URL", os.environ["DATABASE_URL"])
    if port is not None:
        remember_in_env_file("PORT", port)
    port = port or env_file_values().get("PORT", "8000")
    # Migrations only when some are unapplied, demo content only when missing or changed.
    manage("prepare_demo")
    # A task-queue worker beside the web server: it runs the hourly rebuild and what pages queue.
    print("→ manage.py procrastinate worker (in the background)", flush=True)
    worker = subprocess.Popen([str(PYTHON), "manage.py", "procrastinate", "worker"], cwd=ROOT)
    try:
        print(f"\nNewsroom is at http://127.0.0.1:{port}/ and the editors' admin at http://127.0.0.1:{port}/admin/\n")
        manage("runserver", f"127.0.0.1:{port}")
    finally:
        worker.terminate()  # it finishes the job it is running, then stops
        worker.wait()


def stop_database():
    """Stop the embedded PostgreSQL, which keeps running between commands so that each starts quickly."""
    stop = (
        "from pathlib import Path; from newsroom.embedded_postgres import stop_embedded as s; s(Path('.data/postgres'))"
    )
    run(PYTHON, "-c", stop)
    print("The embedded PostgreSQL is stopped; the next command starts it again.", flush=True)


def test(pytest_args):
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON, "-m", "ruff", "format", "--check", ".")
    manage("check", "--fail-level", "WARNING")
    manage("makemigrations", "--check", "--dry-run")
    run(PYTHON, "-m", "pytest", *pytest_args)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="set up, load demo content and serve the site")
    serve_parser.add_argument(
        "--port", default=os.environ.get("PORT"), help="the port to serve on (default 8000; kept in .env once given)"
    )
    commands.add_parser("test", help="set up and run every check and test; extra arguments go to pytest")
    commands.add_parser("stop-db", help="stop the embedded PostgreSQL (it keeps running between commands)")
    # Unknown arguments (e.g. -k search -x) are pytest's: argparse cannot pass on options itself.
    options, extra = parser.parse_known_args()
    if extra and options.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")

    ensure_python()
    ensure_virtualenv()
    ensure_env_file()
    try:
        if options.command == "serve":
            serve(options.port)
        elif options.command == "stop-db":
            stop_database()
        else:
            test(extra)
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
