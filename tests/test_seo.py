"""What search engines and link previews read: canonical links, Open Graph and JSON-LD."""

import json
import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from .factories import ArticleFactory, BylineFactory, PersonFactory, SectionFactory
from .helpers import meta_content, page

XSS_TITLE = "Study </script><script>alert(1)</script> results"


def detail_url(article):
    return reverse("articles:detail", kwargs={"slug": article.slug})


def canonical(markup):
    links = re.findall(r'<link rel="canonical" href="([^"]*)">', markup)
    assert len(links) == 1, "exactly one canonical link"
    return links[0]


def json_ld(markup):
    """The parsed JSON-LD of a page; there must be exactly one such script."""
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', markup, flags=re.DOTALL)
    assert len(scripts) == 1, "exactly one JSON-LD script"
    return json.loads(scripts[0])


@pytest.fixture
def article(db):
    article = ArticleFactory(
        title="Exercise during chemotherapy",
        slug="exercise-during-chemotherapy",
        section=SectionFactory(name="Living with cancer", slug="living-with-cancer"),
        medical_reviewer=PersonFactory(name="Dr Ada Reviewer", credentials="MD"),
        last_reviewed=date(2024, 3, 5),
        publish_at=datetime(2024, 3, 3, 12, 30, tzinfo=UTC),
        tags=["exercise"],
    )
    BylineFactory(article=article, person=PersonFactory(name="First Writer"), position=1)
    BylineFactory(article=article, person=PersonFactory(name="Second Writer"), position=2)
    return article


@pytest.fixture
def article_page(client, article):
    response = client.get(detail_url(article))
    assert response.status_code == 200
    return page(response)


# --- Canonical links -------------------------------------------------------------------------


def test_article_page_has_an_absolute_canonical_link(article_page):
    assert canonical(article_page) == "http://testserver/articles/exercise-during-chemotherapy/"


def test_article_page_canonical_link_ignores_query_strings(client, article):
    content = page(client.get(detail_url(article), {"utm_source": "newsletter"}))

    assert canonical(content) == "http://testserver/articles/exercise-during-chemotherapy/"


def test_section_page_has_an_absolute_canonical_link(client, article):
    content = page(client.get("/sections/living-with-cancer/"))

    assert canonical(content) == "http://testserver/sections/living-with-cancer/"


def test_second_page_of_a_section_has_its_own_canonical_link(client, db):
    section = SectionFactory(slug="paged")
    ArticleFactory.create_batch(13, section=section)

    content = page(client.get("/sections/paged/", {"page": 2}))

    assert canonical(content) == "http://testserver/sections/paged/?page=2"


# --- Open Graph ------------------------------------------------------------------------------


def test_article_page_has_og_title(article_page):
    assert meta_content(article_page, "og:title") == "Exercise during chemotherapy"


def test_article_page_has_og_type_article(article_page):
    assert meta_content(article_page, "og:type") == "article"
    assert article_page.count('property="og:type"') == 1


def test_article_page_has_article_published_time(article_page, article):
    published = meta_content(article_page, "article:published_time")

    assert published is not None
    assert datetime.fromisoformat(published) == article.publish_at


def test_article_page_has_og_url_matching_the_canonical_link(article_page):
    assert meta_content(article_page, "og:url") == canonical(article_page)


# --- JSON-LD ---------------------------------------------------------------------------------


def test_article_json_ld_is_a_medical_web_page(article_page):
    data = json_ld(article_page)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"


def test_article_json_ld_names_the_authors_in_byline_order(article_page):
    data = json_ld(article_page)

    assert [author["name"] for author in data["author"]] == ["First Writer", "Second Writer"]


def test_article_json_ld_names_the_medical_reviewer(article_page):
    data = json_ld(article_page)

    assert data["reviewedBy"]["name"] == "Dr Ada Reviewer"


def test_article_json_ld_has_the_last_reviewed_date(article_page):
    data = json_ld(article_page)

    assert data["lastReviewed"] == "2024-03-05"


def test_article_json_ld_has_the_publication_date(article_page, article):
    data = json_ld(article_page)

    assert datetime.fromisoformat(data["datePublished"]) == article.publish_at


def test_article_json_ld_has_the_absolute_url(article_page):
    data = json_ld(article_page)

    assert data["url"] == "http://testserver/articles/exercise-during-chemotherapy/"


def test_article_without_reviewer_has_no_reviewed_by(client, db):
    article = ArticleFactory()

    data = json_ld(page(client.get(detail_url(article))))

    assert "reviewedBy" not in data
    assert "lastReviewed" not in data


# --- A hostile title -------------------------------------------------------------------------


def test_title_cannot_break_out_of_the_json_ld_script(client, db):
    article = ArticleFactory(title=XSS_TITLE)

    content = page(client.get(detail_url(article)))

    assert "</script><script>" not in content
    assert "<script>alert(1)" not in content


def test_title_with_script_tags_survives_intact_inside_the_json_ld(client, db):
    article = ArticleFactory(title=XSS_TITLE)

    data = json_ld(page(client.get(detail_url(article))))

    assert data["headline"] == XSS_TITLE


def test_title_with_script_tags_is_escaped_in_the_page_head(client, db):
    article = ArticleFactory(title=XSS_TITLE)

    content = page(client.get(detail_url(article)))

    assert meta_content(content, "og:title") == XSS_TITLE
    assert "<title>Study &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; results" in content
