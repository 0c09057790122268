"""Who may see an article: one rule (published, and its publish time has come) on every public surface."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, SectionFactory
from .helpers import page, sitemap_locations

HIDDEN_KINDS = ["draft", "in_review", "archived", "scheduled"]


def detail_url(article):
    return reverse("articles:detail", kwargs={"slug": article.slug})


# --- The rule itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "publish_offset", "expected"),
    [
        (Article.Status.DRAFT, timedelta(days=-1), False),
        (Article.Status.DRAFT, None, False),
        (Article.Status.IN_REVIEW, timedelta(days=-1), False),
        (Article.Status.ARCHIVED, timedelta(days=-1), False),
        (Article.Status.PUBLISHED, timedelta(days=-1), True),
        (Article.Status.PUBLISHED, timedelta(days=1), False),
    ],
)
def test_visible_queryset_and_is_visible_agree(db, status, publish_offset, expected):
    publish_at = timezone.now() + publish_offset if publish_offset is not None else None
    article = ArticleFactory(status=status, publish_at=publish_at)

    in_queryset = Article.objects.visible().filter(pk=article.pk).exists()

    assert in_queryset is expected
    assert article.is_visible is expected


def test_published_article_without_publish_time_in_the_database_is_invisible_both_ways(db):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(publish_at=None)
    article.refresh_from_db()

    assert not Article.objects.visible().filter(pk=article.pk).exists()
    assert article.is_visible is False


@pytest.mark.parametrize("kind", ["draft", "in_review", "archived"])
def test_unpublished_statuses_are_never_visible_even_with_a_past_publish_time(db, kind):
    article = ArticleFactory(**{kind: True}, publish_at=timezone.now() - timedelta(days=30))

    assert not Article.objects.visible().filter(pk=article.pk).exists()
    assert not Article.objects.visible(at=timezone.now() + timedelta(days=3650)).filter(pk=article.pk).exists()
    assert article.is_visible is False


def test_scheduled_article_is_visible_exactly_at_its_publish_time(db):
    publish_at = (timezone.now() + timedelta(days=2)).replace(microsecond=500_000)
    article = ArticleFactory(publish_at=publish_at)

    assert Article.objects.visible(at=publish_at).filter(pk=article.pk).exists()


def test_scheduled_article_is_invisible_one_microsecond_before_its_publish_time(db):
    publish_at = (timezone.now() + timedelta(days=2)).replace(microsecond=500_000)
    article = ArticleFactory(publish_at=publish_at)

    assert not Article.objects.visible(at=publish_at - timedelta(microseconds=1)).filter(pk=article.pk).exists()


def test_scheduled_article_is_invisible_now(db):
    article = ArticleFactory(scheduled=True)

    assert not Article.objects.visible().filter(pk=article.pk).exists()
    assert article.is_visible is False
    assert article.is_scheduled is True


def test_is_visible_turns_true_exactly_at_publish_time(db):
    publish_at = (timezone.now() + timedelta(days=2)).replace(microsecond=500_000)
    article = ArticleFactory(publish_at=publish_at)

    with mock.patch("django.utils.timezone.now", return_value=publish_at - timedelta(microseconds=1)):
        assert article.is_visible is False
        assert not Article.objects.visible().filter(pk=article.pk).exists()
    with mock.patch("django.utils.timezone.now", return_value=publish_at):
        assert article.is_visible is True
        assert Article.objects.visible().filter(pk=article.pk).exists()


def test_published_article_without_publish_time_gets_the_current_time_on_save(db):
    before = timezone.now()
    article = ArticleFactory(publish_at=None)
    after = timezone.now()

    article.refresh_from_db()
    assert article.publish_at is not None
    assert before <= article.publish_at <= after
    assert article.is_visible


def test_draft_without_publish_time_keeps_none_on_save(db):
    article = ArticleFactory(draft=True)

    article.refresh_from_db()
    assert article.publish_at is None


def test_published_article_keeps_an_explicit_future_publish_time_on_save(db):
    publish_at = timezone.now() + timedelta(days=5)
    article = ArticleFactory(publish_at=publish_at)

    article.refresh_from_db()
    assert article.publish_at == publish_at


# --- Every public surface --------------------------------------------------------------------


@pytest.fixture
def mixed_articles(db):
    """One visible article and one of each hidden kind, all in one section, one tag, one search word."""
    section = SectionFactory(name="Screening", slug="screening")
    visible = ArticleFactory(
        title="Zebrafish study published", slug="shown-article", section=section, tags=["genomics"]
    )
    hidden = [
        ArticleFactory(
            **{kind: True},
            title=f"Zebrafish study {kind}",
            slug=f"hidden-{kind.replace('_', '-')}",
            section=section,
            tags=["genomics"],
        )
        for kind in HIDDEN_KINDS
    ]
    return visible, hidden


PUBLIC_SURFACES = {
    "home": "/",
    "list": "/articles/",
    "section": "/sections/screening/",
    "tag": "/tags/genomics/",
    "search": "/search/?q=zebrafish",
    "rss": "/feeds/rss/",
    "atom": "/feeds/atom/",
    "section rss": "/sections/screening/rss/",
    "section atom": "/sections/screening/atom/",
    "tag rss": "/tags/genomics/rss/",
    "tag atom": "/tags/genomics/atom/",
    "sitemap": "/sitemap.xml",
}


def surface_content(client, url):
    """The page at `url`, whatever its status; for the sitemap index, the addresses every sitemap it names lists."""
    if url == PUBLIC_SURFACES["sitemap"]:
        return "\n".join(sitemap_locations(client, url))
    return page(client.get(url))


@pytest.mark.parametrize("url", PUBLIC_SURFACES.values(), ids=PUBLIC_SURFACES.keys())
def test_public_surface_lists_the_visible_article_only(client, mixed_articles, url):
    visible, hidden = mixed_articles

    content = surface_content(client, url)

    assert detail_url(visible) in content
    for article in hidden:
        assert detail_url(article) not in content, article.status
        assert article.title not in content


@pytest.mark.parametrize("url", PUBLIC_SURFACES.values(), ids=PUBLIC_SURFACES.keys())
def test_public_surface_hides_unpublished_articles_from_staff_too(editor_client, mixed_articles, url):
    _, hidden = mixed_articles

    content = surface_content(editor_client, url)

    for article in hidden:
        assert detail_url(article) not in content


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_article_page_is_404_for_anonymous_reader_when_not_visible(client, db, kind):
    article = ArticleFactory(**{kind: True})

    response = client.get(detail_url(article))

    assert response.status_code == 404


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_article_page_is_404_for_signed_in_reader_when_not_visible(reader_client, db, kind):
    article = ArticleFactory(**{kind: True})

    response = reader_client.get(detail_url(article))

    assert response.status_code == 404


# --- Staff preview ---------------------------------------------------------------------------


def test_staff_editor_previews_a_draft_at_its_real_url(editor_client, db):
    article = ArticleFactory(draft=True, title="Draft about biopsies")

    response = editor_client.get(detail_url(article))

    assert response.status_code == 200
    assert "Draft about biopsies" in page(response)


def test_staff_preview_shows_a_preview_banner(editor_client, db):
    article = ArticleFactory(draft=True)

    content = page(editor_client.get(detail_url(article)))

    assert 'class="preview-banner"' in content
    assert "<strong>Preview.</strong> Readers cannot see this article: it is draft." in content


def test_staff_preview_of_a_scheduled_article_says_when_it_goes_live(editor_client, db):
    article = ArticleFactory(scheduled=True)

    content = page(editor_client.get(detail_url(article)))

    assert "Readers cannot see this article: it is scheduled for" in content


def test_staff_preview_is_not_indexed(editor_client, db):
    article = ArticleFactory(draft=True)

    response = editor_client.get(detail_url(article))

    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex, nofollow">' in page(response)


def test_staff_preview_is_not_cached(editor_client, db):
    article = ArticleFactory(draft=True)

    response = editor_client.get(detail_url(article))

    assert "no-store" in response["Cache-Control"]


def test_staff_viewing_a_visible_article_sees_no_preview_banner(editor_client, db):
    article = ArticleFactory()

    response = editor_client.get(detail_url(article))

    assert response.status_code == 200
    assert "preview-banner" not in page(response)
    assert not response.has_header("X-Robots-Tag")


def test_non_staff_reader_cannot_preview_a_draft(reader_client, db):
    article = ArticleFactory(draft=True, title="Secret draft")

    response = reader_client.get(detail_url(article))

    assert response.status_code == 404
    assert "Secret draft" not in page(response)


@pytest.mark.parametrize("url", PUBLIC_SURFACES.values(), ids=PUBLIC_SURFACES.keys())
def test_scheduled_article_reaches_every_public_surface_at_its_time_with_no_job(client, db, url):
    """Nothing runs at the publish time: each request applies the rule with the clock as it reads then."""
    section = SectionFactory(name="Screening", slug="screening")
    publish_at = (timezone.now() + timedelta(days=2)).replace(microsecond=500_000)
    article = ArticleFactory(
        title="Zebrafish study scheduled", section=section, tags=["genomics"], publish_at=publish_at
    )

    with mock.patch("django.utils.timezone.now", return_value=publish_at - timedelta(microseconds=1)):
        before = surface_content(client, url)
        article_before = client.get(detail_url(article)).status_code
    with mock.patch("django.utils.timezone.now", return_value=publish_at):
        at = surface_content(client, url)
        article_at = client.get(detail_url(article)).status_code

    assert detail_url(article) not in before
    assert article_before == 404
    assert detail_url(article) in at
    assert article_at == 200
