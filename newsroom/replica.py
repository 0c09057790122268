"""Reads for anonymous readers from a read replica, when DATABASE_REPLICA_URL names one.

A database router sees models, not requests, so the middleware marks the requests whose reads may go to
the replica: GET and HEAD from a visitor who is not signed in and has not just written (a replica may lag
behind the primary by a moment, and a reader must never miss their own vote or sign-up). Everything else
reads from the primary: signed-in readers and staff, every request that is not a GET or HEAD, reads
inside a transaction, and the rest of a request once it has written.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
ROUTER = "newsroom.replica.ReplicaRouter"
# Set on the response to a request that may have written: the visitor's next requests read from the
# primary until the replica has surely caught up.
PIN_COOKIE = "newsroom_primary"
READ_ONLY_METHODS = {"GET", "HEAD"}


class _Request:
    """What the router knows of the request being served."""

    def __init__(self):
        self.wrote = False
        self.read_replica = False


_replica_reads = ContextVar("replica_reads", default=None)


def replica_was_read():
    """Whether the request being served has read anything from the replica so far: what it built may
    hold rows from before the latest writes."""
    request = _replica_reads.get()
    return request is not None and request.read_replica


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        request = _replica_reads.get()
        if request is None or request.wrote or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        # A related object of a row read from one database is read from the same one.
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        request.read_replica = True
        return REPLICA

    def db_for_write(self, model, **hints):
        request = _replica_reads.get()
        if request is not None:
            request.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both hold the same data; anything else is left to Django's own rule.
        return True if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db, app_label, **hints):
        # The replica copies the primary; it is never migrated itself.
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Lets the router send an anonymous reader's GET and HEAD reads to the replica. Placed after the
    authentication middleware; the session and user are read from the primary before it runs."""

    def __init__(self, get_response):
        if ROUTER not in settings.DATABASE_ROUTERS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_ONLY_METHODS:
            response = self.get_response(request)
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
        if request.user.is_authenticated or PIN_COOKIE in request.COOKIES:
            return self.get_response(request)
        token = _replica_reads.set(_Request())
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)
