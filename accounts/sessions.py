"""The session engine (settings.SESSION_ENGINE): Django's database sessions, kept in ReaderSession, which
also holds the signed-in account. Reading a session reads that account's row in the same query, and
SessionUserBackend (accounts/backends.py) takes it from there instead of asking the database again."""

import contextlib
import contextvars

from django.contrib import auth
from django.contrib.sessions.backends import db

# The session whose signed-in account auth.get_user() is looking up (accounts.middleware).
session_being_read = contextvars.ContextVar("session_being_read", default=None)


class SessionStore(db.SessionStore):
    # The account read together with the session: None until it is read, or when no one is signed in.
    user_read_with_it = None

    @classmethod
    def get_model_class(cls):
        from .models import ReaderSession

        return ReaderSession

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self.user_read_with_it = row.user if row else None
        return row

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        row.user_id = signed_in_id(data)
        return row


def signed_in_id(data):
    """The id of the account signed in on a session holding `data`, or None."""
    user_id = data.get(auth.SESSION_KEY)
    return None if user_id is None else auth.get_user_model()._meta.pk.to_python(user_id)


@contextlib.contextmanager
def reading_user_of(session):
    """While auth.get_user() looks up who is signed in on `session`."""
    token = session_being_read.set(session)
    try:
        yield
    finally:
        session_being_read.reset(token)
