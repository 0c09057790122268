"""With a read replica configured, anonymous readers' page reads go to it and everything else to the primary.

The replica here is a second connection to the test database under the alias `replica` (a test mirror, as
DATABASE_REPLICA_URL configures it), so the tests see which alias served each query. They run on the
transactional database: data must be committed for a second connection to see it, as on a real replica.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.sitemaps import SITEMAP_PAGE_SIZE
from newsroom.replica import PIN_COOKIE, REPLICA, ROUTER, ReplicaMiddleware

from .factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(autouse=True)
def replica_routing(settings):
    settings.DATABASE_ROUTERS = [ROUTER]


class Queries:
    """The SQL each alias ran inside the block."""

    def __enter__(self):
        self.captured = {alias: CaptureQueriesContext(connections[alias]) for alias in ("default", REPLICA)}
        for context in self.captured.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.captured.values():
            context.__exit__(*exc)

    def on(self, alias):
        return [query["sql"] for query in self.captured[alias].captured_queries]


@pytest.fixture
def article():
    return ArticleFactory(title="Exercise after surgery")


def test_an_anonymous_reader_reads_an_article_from_the_replica(client, article):
    with Queries() as queries:
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Exercise after surgery" in response.content.decode()
    assert queries.on(REPLICA)
    assert queries.on("default") == []


def test_anonymous_list_pages_read_from_the_replica(client, article):
    with Queries() as queries:
        assert client.get("/").status_code == 200
        assert client.get(article.section.get_absolute_url()).status_code == 200

    assert queries.on(REPLICA)
    assert queries.on("default") == []


def test_a_signed_in_reader_reads_from_the_primary(client, article):
    client.force_login(UserFactory())

    with Queries() as queries:
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert queries.on("default")
    assert queries.on(REPLICA) == []


def test_a_post_reads_and_writes_on_the_primary_and_pins_the_visitor_to_it(client, article):
    with Queries() as queries:
        response = client.post(f"/accounts/helpful/{article.pk}/", {"helpful": "yes"})

    assert response.status_code == 302
    assert queries.on(REPLICA) == []
    assert any(sql.startswith("INSERT") for sql in queries.on("default"))
    assert response.cookies[PIN_COOKIE]["max-age"] == 15
    assert response.cookies[PIN_COOKIE]["httponly"]


def test_after_writing_a_reader_reads_their_own_write_from_the_primary(client, article):
    client.post(f"/accounts/helpful/{article.pk}/", {"helpful": "yes"})

    with Queries() as queries:
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert queries.on("default")
    assert queries.on(REPLICA) == []


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(client):
    """The article page stores a body left unrendered (after a glossary change), then reads on."""
    article = ArticleFactory(title="Exercise after surgery")
    Article.objects.filter(pk=article.pk).update(body_rendered="")

    with Queries() as queries:
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    replica, primary = queries.on(REPLICA), queries.on("default")
    assert replica, "the article itself is read from the replica"
    assert primary[0].startswith('UPDATE "articles_article"')
    assert len(primary) > 1, "the reads after the write are on the primary"
    assert Article.objects.get(pk=article.pk).body_rendered


def test_reads_inside_a_transaction_go_to_the_primary(article):
    def view(request):
        with transaction.atomic():
            titles = list(Article.objects.values_list("title", flat=True))
        return HttpResponse(", ".join(titles) + f"; outside: {Article.objects.count()}")

    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with Queries() as queries:
        response = ReplicaMiddleware(view)(request)

    assert response.content == b"Exercise after surgery; outside: 1"
    assert any("articles_article" in sql for sql in queries.on("default"))
    assert [sql for sql in queries.on(REPLICA) if "COUNT(*)" in sql]
    assert not [sql for sql in queries.on(REPLICA) if '"title"' in sql]


def test_without_a_replica_configured_everything_uses_the_primary(client, article, settings):
    settings.DATABASE_ROUTERS = []

    with Queries() as queries:
        read = client.get(article.get_absolute_url())
        vote = client.post(f"/accounts/helpful/{article.pk}/", {"helpful": "yes"})

    assert read.status_code == 200
    assert vote.status_code == 302
    assert queries.on("default")
    assert queries.on(REPLICA) == []
    assert PIN_COOKIE not in vote.cookies


# --- Cached pages and sitemaps built from a replica that may lag ---------------------------------


def later(seconds):
    """The clock, `seconds` on: the time the replica may lag behind is not waited out for real."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(seconds=seconds))


def s_maxage(response):
    return int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])


def test_a_page_read_from_the_replica_just_after_a_change_is_kept_only_until_the_replica_has_it(client, article):
    """The article was just written: a lagging replica may not have it yet, whatever the version says."""
    first = client.get(article.get_absolute_url())
    with later(settings.DATABASE_REPLICA_PIN_SECONDS):
        again = client.get(article.get_absolute_url())

    assert first["X-Page-Cache"] == "miss"
    assert s_maxage(first) <= settings.DATABASE_REPLICA_PIN_SECONDS
    assert again["X-Page-Cache"] == "miss"


def test_a_page_read_from_the_replica_long_after_the_last_change_is_kept_the_whole_time(client, article):
    with later(settings.DATABASE_REPLICA_PIN_SECONDS + 1):
        first = client.get(article.get_absolute_url())
    with later(settings.DATABASE_REPLICA_PIN_SECONDS + 60):
        again = client.get(article.get_absolute_url())

    assert s_maxage(first) == settings.PAGE_CACHE_SECONDS
    assert again["X-Page-Cache"] == "hit"


def test_a_page_read_from_the_primary_just_after_a_change_is_kept_the_whole_time(client, article, settings):
    settings.DATABASE_ROUTERS = []

    client.get(article.get_absolute_url())
    with later(settings.DATABASE_REPLICA_PIN_SECONDS):
        again = client.get(article.get_absolute_url())

    assert again["X-Page-Cache"] == "hit"


def test_a_sitemap_read_from_the_replica_just_after_a_change_is_kept_only_until_the_replica_has_it(client, article):
    sitemap = f"/sitemaps/articles-{(article.pk - 1) // SITEMAP_PAGE_SIZE + 1}.xml"
    with Queries() as first:
        client.get(sitemap)
    with later(settings.DATABASE_REPLICA_PIN_SECONDS), Queries() as again:
        response = client.get(sitemap)

    assert response.status_code == 200
    assert len(first.on(REPLICA)) == 2  # the sitemap page and its lifetime
    assert len(again.on(REPLICA)) == 2, "built again from the replica, which has the change by now"
