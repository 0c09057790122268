"""Query budgets: guards against N+1 queries.

Each public page is measured on a small site, then again after adding many more articles, tags,
bylines, references and promotions; the number of database queries must stay exactly the same,
because a page that runs a query per article, per tag or per author gets slower with every article
published.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from promotions.models import Promotion

from .factories import (
    ArticleFactory,
    BylineFactory,
    FavoriteFactory,
    FollowFactory,
    ImageFactory,
    PersonFactory,
    ProfileFactory,
    PromotionFactory,
    ReferenceFactory,
    ResearchFactsFactory,
    SectionFactory,
    StudyDrugFactory,
)
from .helpers import page

# Queries per page for an anonymous reader, rendered (not from the page cache; the article page built, not
# read from its kept parts), measured once on the small site below.
BUDGETS = {
    # Home and article pages include choosing their promotions (one query; impressions are written in batches)
    # and reading their precomputed suggestions (one query).
    "home": ("/", 5),
    "article list": ("/articles/", 3),
    "section": ("/sections/screening/", 4),
    "tag": ("/tags/genomics/", 4),
    # Search: ranking, the page's cards, and when the next scheduled article is due (how long to cache).
    "search": ("/search/?q=tamoxifen", 4),
    # Article: the article with its credits, references, topics and drugs; related articles; suggestions;
    # promotions; the section menu; when the next scheduled change is due (how long to keep it).
    "article": ("/articles/main-article/", 6),
    "rss": ("/feeds/rss/", 3),
    "atom": ("/feeds/atom/", 3),
    "section rss": ("/sections/screening/rss/", 4),
    "tag atom": ("/tags/genomics/atom/", 4),
    # Sitemaps: building them, plus finding when the next scheduled article is due (how long to cache).
    "sitemap": ("/sitemap.xml", 2),
    "sitemap pages": ("/sitemaps/pages.xml", 2),
    "news sitemap": ("/sitemaps/news.xml", 2),
    "glossary": ("/glossary/", 2),
}
# The ceiling for building the article page, whatever the data.
ARTICLE_PAGE_MAX_QUERIES = 8
# The session, with the reader signed in on it (accounts/sessions.py).
SIGNED_IN_ARTICLE_QUERIES = 1
# A signed-in reader's first look at an article kept for everyone: the session; their recommendations (the
# engine's two queries and their articles); when the next scheduled change is due, for the recommendations and
# for the reader's parts of the page (how long to keep each). Their saves, answers, follows and whether to
# offer the survey are kept per reader, not read again for each article.
SIGNED_IN_NEW_ARTICLE_QUERIES = 6


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    """The budgets are for rendering a page: no page cache, and impressions written in batches later."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.PROMOTION_IMPRESSIONS_FLUSH_SECONDS = 3600


def add_article(section, *, number, featured=False, hero=None):
    article = ArticleFactory(
        hero=hero,
        title=f"Tamoxifen study {number}",
        section=section,
        is_featured=featured,
        medical_reviewer=PersonFactory(),
        publish_at=timezone.now() - timedelta(hours=number + 1),
        tags=["genomics", f"topic {number}", f"theme {number}"],
    )
    for position in range(2):
        BylineFactory(article=article, position=position)
    for position in range(3):
        ReferenceFactory(article=article, position=position)
    return article


@pytest.fixture
def small_site(db):
    section = SectionFactory(name="Screening", slug="screening")
    # Hero images on cards and the article page, so the budgets include their renditions.
    main = add_article(section, number=0, featured=True, hero=ImageFactory())
    main.slug = "main-article"
    main.save()
    # A second article, so lists, related articles and suggestions are not empty from the start.
    add_article(section, number=99)
    # Promotions in every slot, so the budgets include choosing them and counting them as shown.
    PromotionFactory(placement=Promotion.Placement.HOME)
    PromotionFactory(placement=Promotion.Placement.ARTICLE_SIDEBAR, target_tags=["genomics"])
    PromotionFactory(placement=Promotion.Placement.BELOW_ARTICLE)
    # Suggestions ranked, as the hourly rebuild leaves a site.
    call_command("rebuild_recommendations", stdout=StringIO())
    return section


def grow(section):
    """Many more articles, each with its own tags, bylines and references, more sections, and many
    promotions in every placement, targeted and not."""
    other_sections = [SectionFactory() for _ in range(3)]
    heroes = [ImageFactory(), ImageFactory(), None]
    for number in range(1, 25):
        add_article(
            section if number % 2 else other_sections[number % 3],
            number=number,
            featured=number < 4,
            hero=heroes[number % 3],
        )
    main = Article.objects.get(slug="main-article")
    main.tags.add(*(f"extra tag {n}" for n in range(8)))
    for position in range(2, 8):
        BylineFactory(article=main, position=position)
        ReferenceFactory(article=main, position=position)
    placements = Promotion.Placement.values
    for number in range(30):
        PromotionFactory(
            placement=placements[number % len(placements)],
            weight=number % 5 + 1,
            target_sections=[section] if number % 3 == 0 else [],
            target_tags=[f"topic {number}", "genomics", f"extra tag {number % 8}"] if number % 2 else [],
        )


@pytest.mark.parametrize(("url", "budget"), BUDGETS.values(), ids=BUDGETS.keys())
def test_page_query_count_matches_its_budget(client, small_site, django_assert_num_queries, url, budget):
    client.get(url)  # Fill per-process caches (content types) first.
    cache.clear()  # Measure building the page, not reading it from the cache.

    with django_assert_num_queries(budget):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize(("url", "budget"), BUDGETS.values(), ids=BUDGETS.keys())
def test_page_query_count_does_not_grow_with_content(client, small_site, django_assert_num_queries, url, budget):
    client.get(url)
    cache.clear()
    with django_assert_num_queries(budget):
        client.get(url)

    grow(small_site)
    cache.clear()

    with django_assert_num_queries(budget):
        response = client.get(url)

    assert response.status_code == 200


def test_grown_pages_really_list_many_articles(client, small_site):
    grow(small_site)

    content = client.get("/articles/").content.decode()

    assert content.count('class="card__title"') == 12
    assert "Page 1 of 3" in content


def test_grown_pages_really_show_hero_images(client, small_site):
    grow(small_site)

    assert page(client.get("/")).count('<img class="card__image"') >= 6
    assert page(client.get("/articles/main-article/")).count('<figure class="article__hero">') == 1


def test_grown_pages_really_show_promotions(client, small_site):
    grow(small_site)

    assert page(client.get("/articles/main-article/")).count('<section class="box promotion ') == 2
    assert page(client.get("/")).count('<section class="box promotion ') == 1


def test_article_page_stays_within_its_query_budget_for_an_anonymous_reader(
    client, small_site, django_assert_max_num_queries
):
    grow(small_site)

    with django_assert_max_num_queries(ARTICLE_PAGE_MAX_QUERIES):
        response = client.get("/articles/main-article/")

    assert response.status_code == 200


def test_a_kept_article_page_costs_no_query_for_a_reader_not_signed_in(client, small_site, django_assert_num_queries):
    """Once built, the page readers who are not signed in share is kept: a request only renders the live
    slots (account links, messages), which read nothing."""
    grow(small_site)
    client.get("/articles/main-article/")

    with django_assert_num_queries(0):
        response = client.get("/articles/main-article/")

    assert response.status_code == 200


def test_a_signed_in_readers_article_page_costs_a_fixed_number_of_queries(
    client, small_site, django_assert_num_queries
):
    """The session and the reader, in one query; the page's parts for them (their saves, their answer about
    this article, their recommendations) are kept until they or the content change."""
    reader = ProfileFactory(sections=[Section.objects.first()]).user
    FavoriteFactory.create_batch(3, user=reader)
    client.force_login(reader)
    client.get("/articles/main-article/")
    with django_assert_num_queries(SIGNED_IN_ARTICLE_QUERIES):
        client.get("/articles/main-article/")

    grow(small_site)
    client.get("/articles/main-article/")  # content changed: the page and the recommendations are built again

    with django_assert_num_queries(SIGNED_IN_ARTICLE_QUERIES):
        response = client.get("/articles/main-article/")

    assert 'id="recommended-heading"' in response.content.decode()

    main_article = Article.objects.get(slug="main-article")
    client.post(reverse("accounts:vote", args=[main_article.pk]), {"helpful": "yes"})
    client.get("/articles/main-article/")
    with django_assert_num_queries(SIGNED_IN_ARTICLE_QUERIES):
        response = client.get("/articles/main-article/")
    assert "You answered Yes." in response.content.decode()


def test_a_signed_in_reader_opening_another_article_costs_a_fixed_number_of_queries(
    client, small_site, django_assert_num_queries
):
    """What is kept per reader (saves, answers, follows, the survey offer) is read from the cache on every
    article they open; only the recommendations beside this article are new, whatever the content."""
    facts = ResearchFactsFactory(article=Article.objects.get(slug="main-article"))
    StudyDrugFactory(facts=facts, generic_name="Tamoxifen")
    reader = ProfileFactory(sections=[Section.objects.first()]).user
    FavoriteFactory.create_batch(3, user=reader)
    FollowFactory(user=reader, section=None, drug="tamoxifen")
    client.force_login(reader)
    other = Article.objects.exclude(slug="main-article").first()
    client.get(other.get_absolute_url())  # what is kept per reader
    Client().get("/articles/main-article/")  # the page every reader who is not signed in gets
    with django_assert_num_queries(SIGNED_IN_NEW_ARTICLE_QUERIES):
        response = client.get("/articles/main-article/")
    assert "You follow Tamoxifen." in response.content.decode()

    grow(small_site)
    client.get(other.get_absolute_url())
    Client().get("/articles/main-article/")
    with django_assert_num_queries(SIGNED_IN_NEW_ARTICLE_QUERIES):
        response = client.get("/articles/main-article/")
    assert 'id="recommended-heading"' in response.content.decode()
    assert "You follow Tamoxifen." in response.content.decode()
