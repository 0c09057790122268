"""What every job of the task queue shares."""

from contextlib import contextmanager

from django.db import close_old_connections


@contextmanager
def fresh_connections():
    """Around a job: a worker thread keeps its database connection between jobs, and Django closes stale ones
    only around a request."""
    close_old_connections()
    try:
        yield
    finally:
        close_old_connections()
