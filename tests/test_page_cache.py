"""The page cache for anonymous readers: shared bytes, headers a CDN can use, invalidation on every
content change and at the next scheduled publish time, and a cache that is down costing nothing but speed."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import HelpfulnessVote, NewsletterSubscription
from articles import services as article_services
from articles.models import Article
from newsroom.content_version import content_changed
from promotions import services as promotion_services
from promotions.models import Promotion, PromotionDailyCount

from .factories import ArticleFactory, GlossaryTermFactory, PromotionFactory, UserFactory
from .helpers import page

SITE = "http://testserver"
UNREACHABLE_CACHE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    # Nothing listens on port 1: every cache call fails at once.
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
}


@pytest.fixture
def article(db):
    article = ArticleFactory(title="Tamoxifen after surgery", slug="tamoxifen", tags=["hormone therapy"])
    PromotionFactory(headline="Join our newsletter", placement=Promotion.Placement.ARTICLE_SIDEBAR)
    return article


def test_two_anonymous_readers_get_the_same_bytes(article):
    first, second = Client(), Client()

    one = first.get(article.get_absolute_url())
    two = second.get(article.get_absolute_url())

    assert one.status_code == two.status_code == 200
    assert "Join our newsletter" in page(one)
    assert one.content == two.content
    assert "csrfmiddlewaretoken" not in page(one)
    assert not one.cookies and not two.cookies


def test_the_second_anonymous_reader_is_served_from_the_cache_in_at_most_one_query(client, article, settings):
    settings.PROMOTION_IMPRESSIONS_FLUSH_SECONDS = 3600  # Impressions are written in batches, not per view.
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"

    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())

    assert response["X-Page-Cache"] == "hit"
    assert len(queries) <= 1  # Redis: none; the PostgreSQL cache table: one.


def test_a_page_from_the_cache_carries_the_same_protective_headers_as_a_rendered_one(client, article):
    """The cache answers before most middleware runs: the headers every response needs are still added."""
    rendered = client.get(article.get_absolute_url())
    cached = client.get(article.get_absolute_url())
    assert (rendered["X-Page-Cache"], cached["X-Page-Cache"]) == ("miss", "hit")
    for header in ("X-Frame-Options", "Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options"):
        assert cached[header] == rendered[header], header
    assert cached["Vary"] == rendered["Vary"] and cached["Content-Type"] == rendered["Content-Type"]


def test_anonymous_pages_are_public_with_an_etag_that_answers_304(client, article):
    response = client.get(article.get_absolute_url())
    control = response["Cache-Control"]

    assert "public" in control and "max-age=60" in control and "s-maxage=" in control
    assert "stale-while-revalidate=" in control and "stale-if-error=" in control
    assert "Cookie" in response["Vary"]

    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    other = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH='"something-else"')

    assert again.status_code == 304 and again.content == b""
    assert other.status_code == 200


def test_a_signed_in_reader_gets_a_private_page_never_the_shared_one(client, article):
    Client().get(article.get_absolute_url())
    client.force_login(UserFactory(email="reader@example.org"))

    response = client.get(article.get_absolute_url())

    assert response["Cache-Control"] == "private, no-store"
    assert "X-Page-Cache" not in response
    assert "csrfmiddlewaretoken" in page(response)
    # And it is not stored for the anonymous readers after them.
    assert "Sign out" not in page(Client().get(article.get_absolute_url()))


def test_a_staff_preview_is_never_cached(client, editor):
    scheduled = ArticleFactory(scheduled=True, title="Not out yet")
    client.force_login(editor)

    assert "Not out yet" in page(client.get(scheduled.get_absolute_url()))
    assert Client().get(scheduled.get_absolute_url()).status_code == 404


def test_a_page_showing_a_message_is_neither_served_from_nor_stored_in_the_cache(article):
    reader = Client()
    reader.get(article.get_absolute_url())
    reader.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "yes"}, HTTP_ORIGIN=SITE)

    response = reader.get(article.get_absolute_url())

    assert "Thank you for your answer" in page(response)
    assert "private" in response["Cache-Control"]
    assert "Thank you for your answer" not in page(Client().get(article.get_absolute_url()))


def test_publishing_shows_at_once(client, editor):
    draft = ArticleFactory(approved=True, title="Fresh findings")
    assert "Fresh findings" not in page(client.get("/"))

    article_services.article_transition(article=draft, to_status=Article.Status.PUBLISHED, by=editor)

    assert "Fresh findings" in page(client.get("/"))


def test_an_edit_shows_at_once(client, article):
    client.get(article.get_absolute_url())

    article.title = "Tamoxifen after surgery, five years on"
    article.save()

    assert "five years on" in page(client.get(article.get_absolute_url()))


def test_archiving_takes_the_page_down_at_once(client, article, editor):
    assert client.get(article.get_absolute_url()).status_code == 200

    article_services.article_archive(articles=Article.objects.filter(pk=article.pk), by=editor)

    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_glossary_change_shows_at_once(client, db):
    GlossaryTermFactory(term="Mammogram")
    assert "Mammogram" in page(client.get(reverse("articles:glossary")))

    GlossaryTermFactory(term="Biopsy")

    assert "Biopsy" in page(client.get(reverse("articles:glossary")))


def test_a_promotion_change_shows_at_once(client, article):
    client.get(article.get_absolute_url())

    Promotion.objects.get().delete()

    assert "Join our newsletter" not in page(client.get(article.get_absolute_url()))


def test_a_scheduled_article_appears_at_its_publish_time_not_when_the_cache_expires(client, db):
    start = timezone.now()
    ArticleFactory(title="Due in one second", publish_at=start + timedelta(seconds=1))

    with mock.patch("django.utils.timezone.now", return_value=start):
        first = client.get("/")
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(milliseconds=500)):
        before = client.get("/")
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(seconds=1)):
        due = client.get("/")

    assert first["X-Page-Cache"] == "miss" and "Due in one second" not in page(first)
    assert before["X-Page-Cache"] == "hit" and "Due in one second" not in page(before)
    assert due["X-Page-Cache"] == "miss" and "Due in one second" in page(due)


def test_a_cached_page_still_counts_its_promotion_as_shown(client, article):
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    assert PromotionDailyCount.objects.aggregate(total=Sum("impressions"))["total"] == 2


def test_impressions_are_written_in_one_batch_not_per_view(client, article, settings):
    settings.PROMOTION_IMPRESSIONS_FLUSH_SECONDS = 3600
    promotion_services.promotion_impressions_flush()
    for _ in range(3):
        client.get(article.get_absolute_url())
    assert not PromotionDailyCount.objects.exists()

    promotion_services.promotion_impressions_flush()

    assert PromotionDailyCount.objects.get().impressions == 3


# --- The cache unreachable -------------------------------------------------------------------


def test_pages_are_rendered_when_the_cache_is_unreachable(client, article, settings):
    settings.CACHES = {"default": UNREACHABLE_CACHE}
    with pytest.raises(Exception):  # noqa: B017 - the precondition: the cache really is down
        cache.get("anything")

    response = client.get(article.get_absolute_url())
    article.title = "Changed while the cache is down"
    article.save()

    assert response.status_code == 200
    assert "Changed while the cache is down" in page(client.get(article.get_absolute_url()))


def test_an_archive_the_cache_missed_is_told_before_this_process_serves_a_cached_page(
    client, article, editor, settings, caplog, django_capture_on_commit_callbacks
):
    reachable = settings.CACHES
    assert client.get(article.get_absolute_url()).status_code == 200
    settings.CACHES = {"default": UNREACHABLE_CACHE}

    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_archive(articles=Article.objects.filter(pk=article.pk), by=editor)
    settings.CACHES = reachable

    assert client.get(article.get_absolute_url()).status_code == 404
    [error] = [record for record in caplog.records if record.levelname == "ERROR"]
    assert "could not be told of a content change" in error.getMessage()


class DroppedSets:
    """The cache failing its next `count` writes, as a cache that drops connections does."""

    def __init__(self, count):
        self.count = count

    def __enter__(self):
        backend = caches["default"]
        write = backend.set

        def dropping(*args, **kwargs):
            if self.count:
                self.count -= 1
                raise ConnectionError("connection dropped")
            return write(*args, **kwargs)

        self.patch = mock.patch.object(backend, "set", dropping)
        self.patch.start()
        return self

    def __exit__(self, *exc):
        self.patch.stop()


def test_a_content_change_the_cache_drops_once_on_commit_is_told_again_at_once(
    client, article, caplog, django_capture_on_commit_callbacks
):
    client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(title="Tamoxifen after surgery, corrected")

    # The change inside the transaction and the first telling after the commit both fail.
    with DroppedSets(2), django_capture_on_commit_callbacks(execute=True):
        content_changed()

    assert "corrected" in page(client.get(article.get_absolute_url()))
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


def test_sign_in_lockout_works_when_the_cache_is_unreachable(client, db, settings):
    settings.CACHES = {"default": UNREACHABLE_CACHE}
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(email="reader@example.org")
    url = reverse("accounts:sign_in")
    for _ in range(2):
        client.post(url, {"username": "reader@example.org", "password": "wrong"})

    response = client.post(url, {"username": "reader@example.org", "password": "a-long-test-password"})

    assert "_auth_user_id" not in client.session
    assert response.status_code in {403, 429}


# --- Anonymous forms without a token ---------------------------------------------------------


@pytest.mark.parametrize("proof", [{"HTTP_ORIGIN": SITE}, {"HTTP_SEC_FETCH_SITE": "same-origin"}])
def test_an_anonymous_form_posted_from_this_site_works_without_a_token(article, proof):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "yes"}, **proof)
    newsletter = client.post(reverse("accounts:newsletter"), {"email": "new@example.org"}, **proof)

    assert response.status_code == 302
    assert HelpfulnessVote.objects.filter(article=article, is_helpful=True).exists()
    assert newsletter.status_code == 302
    assert NewsletterSubscription.objects.filter(email="new@example.org").exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "same-origin"},
        {},
    ],
)
def test_a_forged_cross_site_post_without_a_token_is_still_refused(article, headers):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "yes"}, **headers)

    assert response.status_code == 403
    assert not HelpfulnessVote.objects.exists()


def test_a_form_not_marked_for_origin_checks_still_needs_its_token(reader):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("accounts:sign_in"), {"username": "reader@example.org", "password": "x"}, HTTP_ORIGIN=SITE
    )

    assert response.status_code == 403


def test_no_downstream_cache_keeps_a_page_past_the_next_scheduled_publish_time(client, db):
    ArticleFactory(title="Due in ten seconds", publish_at=timezone.now() + timedelta(seconds=10))

    control = client.get("/")["Cache-Control"]

    assert "s-maxage=300" not in control
    s_maxage = int(control.split("s-maxage=")[1].split(",")[0])
    assert 0 < s_maxage <= 10
