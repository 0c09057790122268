"""When PostgreSQL cannot be reached, readers get a 503 page that says to come back, with Retry-After and no
traceback, and the site serves normally again once the database is back. The database is made
unreachable the way it happens: the connection is closed and the next one goes to a port nobody listens on.
"""

import socket
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.urls import path

from .factories import ArticleFactory
from .helpers import page

handler500 = "newsroom.availability.server_error"


def broken_view(request):
    raise RuntimeError("a bug, not an outage")


urlpatterns = [path("broken/", broken_view)]


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_refusing_connections():
    """The database server goes away: the open connection is dropped and new ones are refused."""
    settings_dict = connection.settings_dict
    saved = settings_dict["HOST"], settings_dict["PORT"]
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", closed_port()
    try:
        yield
    finally:
        connection.close()
        settings_dict["HOST"], settings_dict["PORT"] = saved


@pytest.fixture
def browser():
    """A client that, like a browser, gets the error page instead of the server's exception."""
    return Client(raise_request_exception=False)


def test_a_reader_gets_a_503_page_while_the_database_is_unreachable_and_the_page_once_it_is_back(
    transactional_db, browser
):
    article = ArticleFactory()

    with database_refusing_connections():
        response = browser.get(article.get_absolute_url())

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "We'll be back shortly" in page(response)
    assert "Traceback" not in page(response)
    assert "OperationalError" not in page(response)

    response = browser.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.title in page(response)


def test_a_page_in_the_page_cache_keeps_being_served_while_the_database_is_unreachable(transactional_db, browser):
    article = ArticleFactory()
    assert browser.get(article.get_absolute_url()).status_code == 200

    with database_refusing_connections():
        response = browser.get(article.get_absolute_url())

    assert response.status_code == 200
    assert article.title in page(response)


def test_the_home_page_gets_the_503_page_too(transactional_db, browser):
    with database_refusing_connections():
        response = browser.get("/")

    assert response.status_code == 503
    assert "We'll be back shortly" in page(response)


def test_healthz_answers_without_the_database(transactional_db, browser):
    with database_refusing_connections():
        response = browser.get("/healthz")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_503_and_names_the_database_while_it_is_unreachable(transactional_db, browser):
    assert browser.get("/readyz").status_code == 200

    with database_refusing_connections():
        response = browser.get("/readyz")

    assert response.status_code == 503
    assert page(response) == "database unreachable\n"
    assert browser.get("/readyz").status_code == 200


def test_readyz_is_503_when_the_cache_is_unreachable(db, browser, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }

    response = browser.get("/readyz")

    assert response.status_code == 503
    assert page(response) == "cache unreachable\n"


@pytest.mark.urls("tests.test_availability")
def test_a_bug_still_gets_the_500_page_not_the_503(db, browser):
    response = browser.get("/broken/")

    assert response.status_code == 500
    assert "Something went wrong" in page(response)
    assert "Retry-After" not in response
