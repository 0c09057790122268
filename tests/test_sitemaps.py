"""The XML sitemaps: an index of paged article sitemaps, the reading pages, and the Google News sitemap."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from articles import services as article_services
from articles.models import Article
from articles.sitemaps import SITEMAP_PAGE_SIZE
from recommendations.scale_data import copy_rows, reserve_ids

from .factories import ArticleFactory, SectionFactory
from .helpers import count_queries, page, sitemap_locations

BASE = "http://testserver"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
GENERATED = 25_000
# Of every 10 generated articles, these are hidden from readers; the rest are visible.
HIDDEN_EVERY_TEN = {3: "draft", 5: "scheduled", 7: "archived", 9: "review"}


def index_entries(client):
    """(path, lastmod) of every sitemap the index names."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    return [
        (urlsplit(entry.findtext(f"{SITEMAP}loc")).path, entry.findtext(f"{SITEMAP}lastmod"))
        for entry in root.iter(f"{SITEMAP}sitemap")
    ]


def url_entries(client, path):
    """{location: lastmod} of a sitemap."""
    response = client.get(path)
    assert response.status_code == 200, path
    root = ET.fromstring(response.content)
    return {
        entry.findtext(f"{SITEMAP}loc"): entry.findtext(f"{SITEMAP}lastmod") for entry in root.iter(f"{SITEMAP}url")
    }


def w3c(moment):
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def generated_rows(ids, section_id, now):
    for number, article_id in enumerate(ids):
        kind = HIDDEN_EVERY_TEN.get(number % 10, "visible")
        status = {"draft": "draft", "review": "review", "archived": "archived"}.get(kind, "published")
        publish_at = now + timedelta(days=1) if kind == "scheduled" else now - timedelta(minutes=number + 1)
        written = now - timedelta(days=400)
        yield (
            article_id, f"Generated study {article_id}", f"generated-{article_id}", "Summary.", "<p>Body.</p>",
            "Body.", section_id, "", "", status, None if kind in ("draft", "review") else publish_at, False,
            written, written, written,
        )  # fmt: skip


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """25,000 articles written with COPY, as recommendations/scale_data.py does (the ORM would take
    minutes), in a transaction rolled back after the module. Returns the visible and hidden slugs."""
    fields = [
        "id", "title", "slug", "summary", "body", "body_text", "section", "source", "meta_description", "status",
        "publish_at", "is_featured", "created_at", "updated_at", "content_updated_at",
    ]  # fmt: skip
    with django_db_blocker.unblock(), transaction.atomic():
        section = SectionFactory(slug="treatment")
        ids = reserve_ids(Article, GENERATED).tolist()
        copy_rows(Article, fields, generated_rows(ids, section.pk, timezone.now()))
        generated = Article.objects.filter(pk__range=(ids[0], ids[-1]))
        visible = set(generated.visible().values_list("slug", flat=True))
        yield {"visible": visible, "hidden": set(generated.values_list("slug", flat=True)) - visible}
        transaction.set_rollback(True)


def slug_of(location):
    return urlsplit(location).path.removeprefix("/articles/").removesuffix("/")


# --- The index and the article pages, at 25,000 articles -------------------------------------------


def test_index_names_article_pages_that_list_every_visible_article_once(client, generated):
    article_pages = [path for path, _ in index_entries(client) if path.startswith("/sitemaps/articles-")]
    listed = [slug_of(location) for path in article_pages for location in url_entries(client, path)]

    assert len(article_pages) >= GENERATED // SITEMAP_PAGE_SIZE
    assert len(listed) == len(set(listed))
    assert set(listed) == generated["visible"]


def test_each_article_page_lists_at_most_ten_thousand_addresses(client, generated):
    article_pages = [path for path, _ in index_entries(client) if path.startswith("/sitemaps/articles-")]

    sizes = [len(url_entries(client, path)) for path in article_pages]

    assert SITEMAP_PAGE_SIZE == 10_000
    # Some page covers 10,000 generated ids, of which all but the hidden ones are listed.
    assert max(sizes) == SITEMAP_PAGE_SIZE * (10 - len(HIDDEN_EVERY_TEN)) // 10
    assert all(size <= SITEMAP_PAGE_SIZE for size in sizes)


def test_hidden_articles_are_never_listed(client, generated):
    listed = {slug_of(location) for location in sitemap_locations(client)}

    assert len(generated["hidden"]) == GENERATED * len(HIDDEN_EVERY_TEN) // 10
    assert not listed & generated["hidden"]


def test_index_gives_each_article_page_the_latest_change_on_it(client, generated):
    for path, lastmod in index_entries(client):
        if path.startswith("/sitemaps/articles-"):
            assert lastmod == max(url_entries(client, path).values()), path


def test_an_article_page_costs_the_same_queries_at_any_size(client, generated):
    """Guards against a query per article: one for the page, one for the cache's lifetime."""
    path = next(path for path, _ in index_entries(client) if path.startswith("/sitemaps/articles-"))
    cache.clear()

    assert count_queries(client, path) == 2


def test_a_second_request_is_answered_from_the_cache(client, generated):
    count_queries(client, "/sitemap.xml")

    assert count_queries(client, "/sitemap.xml") == 0


# --- Article pages, small -------------------------------------------------------------------------


def article_page_of(article):
    return f"/sitemaps/articles-{(article.pk - 1) // SITEMAP_PAGE_SIZE + 1}.xml"


def test_lastmod_is_the_last_content_change_not_the_last_save(client, db):
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=30))
    written = Article.objects.get(pk=article.pk).content_updated_at
    article.is_featured = True
    article.save()
    cache.clear()

    lastmod = url_entries(client, article_page_of(article))[BASE + article.get_absolute_url()]

    assert lastmod == w3c(written)


def test_lastmod_follows_an_edit_of_the_body(client, db):
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=30))
    article = Article.objects.get(pk=article.pk)
    article.body = "<p>A corrected body.</p>"
    article.save()

    lastmod = url_entries(client, article_page_of(article))[BASE + article.get_absolute_url()]

    assert lastmod == w3c(Article.objects.get(pk=article.pk).content_updated_at)


def test_lastmod_is_never_before_publication(client, db):
    publish_at = timezone.now() - timedelta(hours=2)
    article = ArticleFactory(scheduled=True)
    # Written days before it went live.
    Article.objects.filter(pk=article.pk).update(
        publish_at=publish_at, content_updated_at=publish_at - timedelta(days=3)
    )

    lastmod = url_entries(client, article_page_of(article))[BASE + article.get_absolute_url()]

    assert lastmod == w3c(publish_at)


def test_an_archived_article_leaves_the_cached_sitemap_at_once(client, editor):
    kept = ArticleFactory()
    withdrawn = ArticleFactory()
    assert BASE + withdrawn.get_absolute_url() in url_entries(client, article_page_of(withdrawn))

    article_services.article_archive(articles=Article.objects.filter(pk=withdrawn.pk), by=editor)

    listed = url_entries(client, article_page_of(withdrawn))
    assert BASE + withdrawn.get_absolute_url() not in listed
    assert BASE + kept.get_absolute_url() in listed


def test_a_published_article_joins_the_cached_sitemap_at_once(client, editor):
    ArticleFactory()
    draft = ArticleFactory(approved=True)
    assert BASE + draft.get_absolute_url() not in url_entries(client, article_page_of(draft))

    article_services.article_transition(article=draft, to_status=Article.Status.PUBLISHED, by=editor)

    assert BASE + draft.get_absolute_url() in url_entries(client, article_page_of(draft))


def test_a_scheduled_article_is_listed_at_its_publish_time_not_when_the_cache_expires(client, db):
    start = timezone.now()
    ArticleFactory()
    due = ArticleFactory(publish_at=start + timedelta(seconds=1))

    with mock.patch("django.utils.timezone.now", return_value=start):
        before = url_entries(client, article_page_of(due))
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(milliseconds=500)):
        cached = count_queries(client, article_page_of(due))
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(seconds=1)):
        on_time = url_entries(client, article_page_of(due))

    assert BASE + due.get_absolute_url() not in before
    assert cached == 0
    assert BASE + due.get_absolute_url() in on_time


@pytest.mark.parametrize("page_number", ["0", "999999"])
def test_an_article_page_without_articles_is_404(client, db, page_number):
    ArticleFactory()

    assert client.get(f"/sitemaps/articles-{page_number}.xml").status_code == 404


def test_an_unreachable_cache_still_gives_the_sitemap(client, db):
    article = ArticleFactory()
    closed_port = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }

    with override_settings(CACHES=closed_port):
        locations = sitemap_locations(client)

    assert BASE + article.get_absolute_url() in locations


def test_reading_pages_and_sections_are_listed(client, db):
    SectionFactory(slug="screening")

    assert set(url_entries(client, "/sitemaps/pages.xml")) == {
        f"{BASE}/", f"{BASE}/articles/", f"{BASE}/glossary/", f"{BASE}/about/", f"{BASE}/sections/screening/"
    }  # fmt: skip


def test_robots_txt_names_the_sitemap_index(client, db):
    assert "Sitemap: http://testserver/sitemap.xml" in page(client.get("/robots.txt")).splitlines()
    assert "/sitemaps/news.xml" in [path for path, _ in index_entries(client)]


# --- Google News ----------------------------------------------------------------------------------


def news_entries(client):
    response = client.get("/sitemaps/news.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        urlsplit(entry.findtext(f"{SITEMAP}loc")).path: entry.find(f"{NEWS}news")
        for entry in root.iter(f"{SITEMAP}url")
    }


@pytest.fixture
def research_news(db):
    return SectionFactory(name="Research News", slug="research-news")


def test_news_sitemap_lists_research_news_of_the_last_two_days(client, research_news):
    now = timezone.now()
    recent = ArticleFactory(section=research_news, publish_at=now - timedelta(hours=47))
    ArticleFactory(section=research_news, publish_at=now - timedelta(hours=49))
    ArticleFactory(section=SectionFactory(slug="treatment"), publish_at=now - timedelta(hours=1))
    for kind in ("draft", "scheduled", "archived"):
        ArticleFactory(section=research_news, **{kind: True})

    assert list(news_entries(client)) == [recent.get_absolute_url()]


def test_news_sitemap_gives_publication_date_and_title(client, research_news, settings):
    settings.SITE_NAME = "Breast Cancer News"
    published = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    article = ArticleFactory(section=research_news, publish_at=published, title="Risk < 5% & “good” news")

    news = news_entries(client)[article.get_absolute_url()]

    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Breast Cancer News"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert datetime.fromisoformat(news.findtext(f"{NEWS}publication_date")) == published
    assert news.findtext(f"{NEWS}title") == "Risk < 5% & “good” news"


def test_news_sitemap_lists_newest_first(client, research_news):
    older = ArticleFactory(section=research_news, publish_at=timezone.now() - timedelta(hours=5))
    newer = ArticleFactory(section=research_news, publish_at=timezone.now() - timedelta(hours=1))

    assert list(news_entries(client)) == [newer.get_absolute_url(), older.get_absolute_url()]
