"""RSS and Atom feeds for the site, a section and a tag, and what the XML sitemaps list."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from .factories import ArticleFactory, SectionFactory
from .helpers import sitemap_locations

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://testserver"


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def absolute(article):
    return BASE + article.get_absolute_url()


def feed_entries(response, kind):
    """(link, title) of every item in an RSS or Atom response, in document order."""
    root = ET.fromstring(response.content)
    if kind == "rss":
        assert root.tag == "rss"
        return [(item.findtext("link"), item.findtext("title")) for item in root.find("channel").findall("item")]
    assert root.tag == f"{ATOM}feed"
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        link = next(link.get("href") for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate")
        entries.append((link, entry.findtext(f"{ATOM}title")))
    return entries


@pytest.fixture
def scoped(db):
    """Articles inside and outside the section 'screening' and the tag 'genomics', newest first."""
    screening = SectionFactory(name="Screening", slug="screening")
    other = SectionFactory(name="Treatment", slug="treatment")
    in_both = ArticleFactory(title="In section and tag", section=screening, tags=["genomics"], publish_at=days_ago(1))
    in_section = ArticleFactory(title="In section only", section=screening, publish_at=days_ago(2))
    in_tag = ArticleFactory(title="In tag only", section=other, tags=["genomics"], publish_at=days_ago(3))
    elsewhere = ArticleFactory(title="Elsewhere", section=other, tags=["surgery"], publish_at=days_ago(4))
    for kind in ("draft", "in_review", "archived", "scheduled"):
        ArticleFactory(**{kind: True}, title=f"Hidden {kind}", section=screening, tags=["genomics"])
    return {
        "site": [in_both, in_section, in_tag, elsewhere],
        "section": [in_both, in_section],
        "tag": [in_both, in_tag],
    }


FEEDS = [
    ("site", "rss", "/feeds/rss/"),
    ("site", "atom", "/feeds/atom/"),
    ("section", "rss", "/sections/screening/rss/"),
    ("section", "atom", "/sections/screening/atom/"),
    ("tag", "rss", "/tags/genomics/rss/"),
    ("tag", "atom", "/tags/genomics/atom/"),
]
FEED_IDS = [f"{scope} {kind}" for scope, kind, _ in FEEDS]


@pytest.mark.parametrize(("scope", "kind", "url"), FEEDS, ids=FEED_IDS)
def test_feed_answers_with_its_content_type(client, scoped, scope, kind, url):
    response = client.get(url)

    assert response.status_code == 200
    expected = "application/rss+xml" if kind == "rss" else "application/atom+xml"
    assert response["Content-Type"].startswith(expected)


@pytest.mark.parametrize(("scope", "kind", "url"), FEEDS, ids=FEED_IDS)
def test_feed_is_valid_xml(client, scoped, scope, kind, url):
    ET.fromstring(client.get(url).content)


@pytest.mark.parametrize(("scope", "kind", "url"), FEEDS, ids=FEED_IDS)
def test_feed_has_exactly_the_visible_articles_of_its_scope_newest_first(client, scoped, scope, kind, url):
    entries = feed_entries(client.get(url), kind)

    assert [link for link, _ in entries] == [absolute(article) for article in scoped[scope]]


@pytest.mark.parametrize(("scope", "kind", "url"), FEEDS, ids=FEED_IDS)
def test_feed_items_carry_the_article_titles(client, scoped, scope, kind, url):
    entries = feed_entries(client.get(url), kind)

    assert [title for _, title in entries] == [article.title for article in scoped[scope]]


@pytest.fixture
def many_articles(db):
    section = SectionFactory(slug="screening")
    return [
        ArticleFactory(section=section, tags=["genomics"], publish_at=days_ago(day + 1)) for day in range(22)
    ]  # newest first


@pytest.mark.parametrize(("scope", "kind", "url"), FEEDS, ids=FEED_IDS)
def test_feed_has_at_most_the_twenty_newest_articles(client, many_articles, scope, kind, url):
    entries = feed_entries(client.get(url), kind)

    assert [link for link, _ in entries] == [absolute(article) for article in many_articles[:20]]


@pytest.mark.parametrize(
    "url",
    ["/sections/no-such-section/rss/", "/sections/no-such-section/atom/", "/tags/no-such-tag/rss/",
     "/tags/no-such-tag/atom/"],
)  # fmt: skip
def test_feed_of_an_unknown_section_or_tag_is_404(client, db, url):
    assert client.get(url).status_code == 404


def test_feed_special_characters_in_titles_stay_well_formed(client, db):
    ArticleFactory(title="Risk < 5% & falling: “good” news")

    entries = feed_entries(client.get("/feeds/rss/"), "rss")

    assert entries[0][1] == "Risk < 5% & falling: “good” news"


# --- Sitemap ---------------------------------------------------------------------------------


def test_sitemap_lists_exactly_the_visible_articles_sections_and_pages(client, scoped):
    locations = sitemap_locations(client)

    articles = {absolute(article) for article in scoped["site"]}
    sections = {f"{BASE}/sections/screening/", f"{BASE}/sections/treatment/"}
    pages = {f"{BASE}/", f"{BASE}/articles/", f"{BASE}/glossary/", f"{BASE}/about/"}
    assert set(locations) == articles | sections | pages


def test_sitemap_lists_each_address_once(client, scoped):
    locations = sitemap_locations(client)

    assert len(locations) == len(set(locations))


def test_sitemap_leaves_out_articles_that_are_not_visible(client, scoped):
    locations = sitemap_locations(client)

    article_locations = {loc for loc in locations if loc.startswith(f"{BASE}/articles/") and loc != f"{BASE}/articles/"}
    assert article_locations == {absolute(article) for article in scoped["site"]}
