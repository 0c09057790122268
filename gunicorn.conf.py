"""gunicorn's settings for Newsroom; gunicorn reads this file from the directory it is started in.

Every setting can be changed by an environment variable (GUNICORN_WORKERS and so on, listed in the
README), read like Django's settings: from the environment, then from `.env`; command-line options still
win over this file.

gunicorn names itself in a `Server` header on every response and has no setting to change that. Naming the
server software and its version only helps an attacker pick an exploit, so the header names nothing.
"""

import multiprocessing
import os
from pathlib import Path

import gunicorn.http.wsgi
from dotenv import load_dotenv

load_dotenv(Path(__file__).resolve().parent / ".env", override=False)


def setting(name, default):
    """The variable's value, or `default` when it is unset or empty."""
    return os.environ.get(name, "").strip() or default


gunicorn.http.wsgi.SERVER = "web"

bind = setting("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a request is CPU and short database queries; the usual 2 × cores + 1.
workers = int(setting("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A request still running after this long is killed and its worker replaced, so a stuck request
# (a slow query, a hung connection) cannot hold a worker for ever.
timeout = int(setting("GUNICORN_TIMEOUT", "30"))
# On a graceful reload (SIGHUP) or stop (SIGTERM), requests in progress get this long to finish.
graceful_timeout = int(setting("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Behind a proxy that reuses connections; a little longer than nothing, shorter than the proxy's.
keepalive = int(setting("GUNICORN_KEEPALIVE", "5"))
# Each worker is replaced after about this many requests, so a slow leak cannot grow for ever; the
# jitter staggers the restarts so the workers do not all restart at once.
max_requests = int(setting("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(setting("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# The application is loaded in each worker, not in the master: a SIGHUP then reloads new code
# with no dropped request (old workers finish, new ones start).
preload_app = False
# No access log unless asked for ("-" is standard output): the proxy in front usually keeps one.
accesslog = setting("GUNICORN_ACCESS_LOG", None)
errorlog = "-"
# The proxy in front sets X-Forwarded-For and X-Forwarded-Proto; only trust it when it is local.
forwarded_allow_ips = setting("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
