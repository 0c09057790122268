"""Sessions (accounts/sessions.py): in the database, each with the account signed in on it, read with that
account in one query; every check Django makes of a session still holds."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.middleware import get_user
from accounts.models import ReaderSession
from accounts.sessions import SessionStore

from .factories import UserFactory

PASSWORD = "a-long-test-password"


def signed_in(client):
    return client.get(reverse("accounts:profile")).status_code == 200


def sign_in(email, password=PASSWORD):
    client = Client()
    response = client.post(reverse("accounts:sign_in"), {"username": email, "password": password})
    assert response.status_code == 302, response.content.decode()
    return client


def who_is_reading(client):
    request = RequestFactory().get("/")
    request.session = SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return get_user(request)


@pytest.fixture
def reader(db):
    return UserFactory(email="reader@example.org")


def test_signing_in_records_the_account_on_the_session_and_signing_out_ends_it(reader):
    client = sign_in(reader.email)
    assert signed_in(client)
    session = ReaderSession.objects.get()
    assert session.user == reader and session.get_decoded()[SESSION_KEY] == str(reader.pk)

    client.get(reverse("accounts:profile"))  # a session saved again keeps its account
    assert ReaderSession.objects.get().user == reader

    client.post(reverse("accounts:sign_out"))
    assert not signed_in(client)
    assert not ReaderSession.objects.filter(user=reader).exists()


def test_one_query_reads_the_session_with_the_account(reader, django_assert_num_queries):
    client = sign_in(reader.email)
    with django_assert_num_queries(1):
        user = who_is_reading(client)
        assert user == reader and user.email == reader.email and user.is_authenticated


def test_deleting_an_account_signs_it_out_on_every_device(reader):
    laptop, phone = sign_in(reader.email), sign_in(reader.email)
    assert ReaderSession.objects.filter(user=reader).count() == 2

    laptop.post(reverse("accounts:delete_account"), {"password": PASSWORD})

    assert not ReaderSession.objects.filter(user_id=reader.pk).exists()
    assert not signed_in(phone) and not signed_in(laptop)


def test_a_password_changed_elsewhere_signs_out_other_devices(reader):
    """Django's session check (the password's hash) runs on the account read with the session."""
    phone = sign_in(reader.email)
    reader.set_password("another-long-password")
    reader.save()
    assert not who_is_reading(phone).is_authenticated
    assert not signed_in(phone)


def test_a_deactivated_account_is_signed_out(reader):
    client = sign_in(reader.email)
    reader.is_active = False
    reader.save()
    assert not who_is_reading(client).is_authenticated


def test_a_session_without_its_account_recorded_still_signs_in(reader, django_assert_num_queries):
    """A session whose row does not name the account (written before the column) falls back to Django's own
    lookup: one query more."""
    client = sign_in(reader.email)
    ReaderSession.objects.update(user=None)
    with django_assert_num_queries(2):
        assert who_is_reading(client) == reader


def test_sessions_from_before_move_with_their_accounts(reader):
    """The migration that made ReaderSession moves every live session from Django's table: readers stay
    signed in, and the backend a session names is the one that replaced ModelBackend."""
    migration = importlib.import_module("accounts.migrations.0006_reader_sessions")
    old = DjangoSessionStore()
    old.update(
        {
            SESSION_KEY: str(reader.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: reader.get_session_auth_hash(),
            "theme": "dark",
        }
    )
    old.create()
    Session.objects.create(
        session_key="x" * 32, session_data="not signed by this site", expire_date=old.get_expiry_date()
    )

    migration.move_sessions(apps, None)

    assert not Session.objects.exists()
    moved = ReaderSession.objects.get()
    assert moved.session_key == old.session_key and moved.user == reader
    assert moved.get_decoded()[BACKEND_SESSION_KEY] == "accounts.backends.SessionUserBackend"
    assert moved.get_decoded()["theme"] == "dark"
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = old.session_key
    assert signed_in(client)
