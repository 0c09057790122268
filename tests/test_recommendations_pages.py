"""Recommendations on pages: the 'Recommended for you' box, the full list and 'How does this work?'."""

import html
import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from accounts.forms import ProfileForm
from accounts.models import Favorite
from articles.models import Article
from recommendations import similarity, sources, suggestions

from .factories import ArticleFactory, FavoriteFactory, ProfileFactory, SectionFactory, UserFactory
from .helpers import element, hrefs, page, text_of

HOME_URL = reverse("articles:home")
LIST_URL = reverse("recommendations:list")
HOW_URL = reverse("recommendations:how")
PROFILE_URL = reverse("accounts:profile")
SIGN_IN_URL = reverse("accounts:sign_in")
PRIVACY_URL = reverse("articles:privacy")
CO_SAVED_REASON = "Readers who saved “Tamoxifen after surgery” also saved this"
RELATED_REASON = "Related to the article you are reading"


def rebuild():
    """What `manage.py rebuild_recommendations` does on a schedule."""
    similarity.rebuild_content_neighbours()
    sources.rebuild_popularity()
    suggestions.rebuild_suggestions()


def opened(article, surface):
    """The link a personal recommendation of `article` has: through the page that notes it was followed."""
    return f"{reverse('recommendations:open', args=[article.pk])}?from={surface}"


def box(response):
    """The 'Recommended for you' box of a page."""
    assert response.status_code == 200
    return element(page(response), '<section class="box box--recommended"', "</section>")


def box_items(markup):
    """(address, title, reason) of each article listed in the box, in order."""
    return [
        tuple(html.unescape(part) for part in match)
        for match in re.findall(r'<li><a href="([^"]*)">(.*?)</a><span class="rec-reason">(.*?)</span></li>', markup)
    ]


def cards(content):
    """The <li> of each recommendation on the full page."""
    items, start = [], 0
    while (start := content.find('<li class="rec-card" data-recommendation>', start)) != -1:
        end = content.index("</li>", start)
        items.append(content[start:end])
        start = end
    return items


@pytest.fixture
def site(db):
    """An article saved with another by the same readers, and a few more articles, all precomputed."""
    saved = ArticleFactory(title="Tamoxifen after surgery", slug="tamoxifen-after-surgery", tags=["tamoxifen"])
    co_saved = ArticleFactory(title="Hot flushes on hormone therapy", slug="hot-flushes", tags=["hot flushes"])
    others = [ArticleFactory(title=f"Other article {n}", section=SectionFactory()) for n in range(5)]
    savers = UserFactory.create_batch(3)
    for saver in savers:
        FavoriteFactory(user=saver, article=saved)
        FavoriteFactory(user=saver, article=co_saved)
    # Saved together a few days ago: a co-save, no longer trending.
    Favorite.objects.filter(user__in=savers).update(created_at=timezone.now() - timedelta(days=3))
    rebuild()
    return {"saved": saved, "co_saved": co_saved, "others": others}


@pytest.fixture
def personal_client(client, reader, site):
    """A signed-in reader who turned personalisation on and saved the tamoxifen article."""
    ProfileFactory(user=reader)
    FavoriteFactory(user=reader, article=site["saved"])
    client.force_login(reader)
    return client


@pytest.fixture
def opted_out_client(client, reader, site):
    """A signed-in reader with personalisation off, who saved the tamoxifen article."""
    ProfileFactory(user=reader, personalisation=False)
    FavoriteFactory(user=reader, article=site["saved"])
    client.force_login(reader)
    return client


# --- The box for a reader who opted in --------------------------------------------------------


def test_home_page_shows_recommendations_with_reasons_to_a_reader_who_opted_in(personal_client, site):
    markup = box(personal_client.get(HOME_URL))

    assert "Recommended for you" in markup
    assert (opened(site["co_saved"], "home"), "Hot flushes on hormone therapy", CO_SAVED_REASON) in box_items(markup)


def test_article_page_shows_recommendations_with_reasons_to_a_reader_who_opted_in(personal_client, site):
    markup = box(personal_client.get(site["others"][0].get_absolute_url()))

    assert "Recommended for you" in markup
    assert (opened(site["co_saved"], "article"), "Hot flushes on hormone therapy", CO_SAVED_REASON) in box_items(markup)


def test_box_links_to_all_recommendations_and_how_it_works_for_a_reader_who_opted_in(personal_client):
    links = hrefs(box(personal_client.get(HOME_URL)))

    assert LIST_URL in links
    assert HOW_URL in links


# --- The box for anonymous readers ------------------------------------------------------------


def test_box_asks_anonymous_readers_to_sign_in_and_return_to_the_page(client, site):
    markup = box(client.get(HOME_URL))

    assert "Sign in to receive recommendations" in text_of(markup)
    assert f"{SIGN_IN_URL}?next=/" in hrefs(markup)


def test_box_on_an_article_asks_anonymous_readers_to_sign_in_and_return_to_the_article(client, site):
    article = site["others"][0]

    markup = box(client.get(article.get_absolute_url()))

    assert f"{SIGN_IN_URL}?next={article.get_absolute_url()}" in hrefs(markup)


def test_box_links_anonymous_readers_to_how_it_works(client, site):
    markup = box(client.get(HOME_URL))

    assert "How does this work? Learn more" in text_of(markup)
    assert HOW_URL in hrefs(markup)


def test_box_shows_anonymous_readers_suggestions_that_use_no_personal_data(client, site):
    items = box_items(box(client.get(HOME_URL)))

    assert items
    assert all(not reason.startswith(("Because you saved", "Matches your interest")) for _url, _title, reason in items)


# --- The box for a signed-in reader with personalisation off ----------------------------------


def test_box_tells_a_reader_with_personalisation_off_how_to_turn_it_on(opted_out_client, site):
    markup = box(opted_out_client.get(HOME_URL))

    assert "Turn them on in your profile" in text_of(markup)
    assert PROFILE_URL in hrefs(markup)
    assert "Sign in to receive recommendations" not in text_of(markup)


def test_box_shows_a_reader_with_personalisation_off_suggestions(opted_out_client, site):
    assert box_items(box(opted_out_client.get(HOME_URL)))


def test_favorites_of_a_reader_with_personalisation_off_do_not_change_their_suggestions(client, opted_out_client, site):
    theirs = box_items(box(opted_out_client.get(HOME_URL)))
    opted_out_client.logout()
    anonymous = box_items(box(client.get(HOME_URL)))

    assert theirs == anonymous
    assert all(reason != CO_SAVED_REASON for _url, _title, reason in theirs)


# --- The box on an article page ---------------------------------------------------------------


@pytest.fixture
def reading(db):
    """An article, one much like it, and articles on other subjects, all precomputed."""
    article = ArticleFactory(
        title="Tamoxifen side effects: hot flushes and joint pain",
        slug="tamoxifen-side-effects",
        summary="Hot flushes and joint pain are common side effects of tamoxifen.",
        body="<p>Tamoxifen is a hormone therapy. Its side effects include hot flushes and joint pain.</p>",
        tags=["tamoxifen", "hormone therapy"],
    )
    alike = ArticleFactory(
        title="Coping with hot flushes on tamoxifen",
        slug="coping-with-hot-flushes",
        summary="Practical ways to cope with hot flushes and joint pain while taking tamoxifen.",
        body="<p>Many readers taking tamoxifen hormone therapy have hot flushes and joint pain.</p>",
        tags=["tamoxifen", "hormone therapy"],
    )
    for subject in ["walking and exercise", "mammography screening", "eating well", "radiotherapy planning"]:
        ArticleFactory(title=f"A guide to {subject}", summary=f"All about {subject}.", tags=[subject])
    # The article being read is the most saved, so it would be suggested anywhere else.
    for saver in UserFactory.create_batch(4):
        FavoriteFactory(user=saver, article=article)
    rebuild()
    return article, alike


def test_box_never_recommends_the_article_being_read_to_anonymous_readers(client, reading):
    article, _alike = reading

    urls = [url for url, _title, _reason in box_items(box(client.get(article.get_absolute_url())))]

    assert urls
    assert article.get_absolute_url() not in urls


def test_box_never_recommends_the_article_being_read_to_a_reader_who_opted_in(client, reader, reading):
    article, _alike = reading
    ProfileFactory(user=reader)
    client.force_login(reader)

    urls = [url for url, _title, _reason in box_items(box(client.get(article.get_absolute_url())))]

    assert urls
    assert article.get_absolute_url() not in urls


def test_box_suggests_an_article_related_to_the_one_being_read_and_says_so(client, reading):
    article, alike = reading

    items = box_items(box(client.get(article.get_absolute_url())))

    assert (alike.get_absolute_url(), alike.title, RELATED_REASON) in items


# --- The full page ----------------------------------------------------------------------------


@pytest.fixture
def many_articles(db):
    """Thirty articles in six sections, each with two topics."""
    sections = [SectionFactory() for _ in range(6)]
    return [
        ArticleFactory(title=f"Article about topic {n}", section=sections[n % 6], tags=[f"topic {n}", f"theme {n % 5}"])
        for n in range(30)
    ]


@pytest.fixture
def full_page(client, reader, many_articles):
    ProfileFactory(user=reader)
    client.force_login(reader)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    return page(response)


def test_full_page_lists_twenty_recommendations(full_page):
    assert len(cards(full_page)) == 20


def test_full_page_gives_a_reason_for_each_recommendation(full_page):
    reasons = [text_of(element(card, '<p class="rec-reason">', "</p>")) for card in cards(full_page)]

    assert all(reasons)


def test_full_page_offers_not_interested_for_each_recommendation(full_page, many_articles):
    by_url = {opened(article, "page"): article for article in many_articles}
    for card in cards(full_page):
        article = by_url[next(url for url in hrefs(card) if url.startswith("/recommended/open/"))]
        assert f'action="{reverse("recommendations:not_interested", args=[article.pk])}"' in card
        assert f"Not interested: {article.title}" in text_of(card)


def test_full_page_offers_to_pause_each_topic_of_each_recommendation(full_page, many_articles):
    by_url = {opened(article, "page"): article for article in many_articles}
    for card in cards(full_page):
        article = by_url[next(url for url in hrefs(card) if url.startswith("/recommended/open/"))]
        assert "Pause a topic" in text_of(card)
        for tag in article.tags.all():
            assert f'action="{reverse("recommendations:pause_topic", args=[tag.pk])}"' in card
            assert f"Pause {tag.name}" in text_of(card)


def test_full_page_asks_anonymous_readers_to_sign_in_and_shows_suggestions(client, site):
    content = page(client.get(LIST_URL))

    assert f"{SIGN_IN_URL}?next={LIST_URL}" in hrefs(content)
    assert "Sign in to receive recommendations" in text_of(content)
    assert box_items(content)


def test_full_page_tells_a_reader_with_personalisation_off_how_to_turn_it_on(opted_out_client):
    content = page(opted_out_client.get(LIST_URL))

    assert "Turn them on in your profile" in text_of(content)
    assert not cards(content)


# --- How it works -----------------------------------------------------------------------------


@pytest.fixture
def how_it_works(client, db):
    response = client.get(HOW_URL)
    assert response.status_code == 200
    return page(response)


def test_how_it_works_explains_each_signal(how_it_works):
    text = text_of(how_it_works)

    for signal in ["Your profile", "The articles you saved", "What other readers saved", "What is new and popular"]:
        assert signal in text


def test_how_it_works_links_to_the_profile_and_to_privacy(how_it_works):
    assert PROFILE_URL in hrefs(how_it_works)
    assert PRIVACY_URL in hrefs(how_it_works)


def test_how_it_works_says_how_to_turn_personalisation_off_with_the_profiles_own_words(how_it_works):
    label = ProfileForm.base_fields["personalisation"].label

    assert f"turn personalisation off: untick “{label}”" in text_of(how_it_works)


# --- Query budgets ----------------------------------------------------------------------------


def count_queries(client, url):
    ContentType.objects.get_for_model(Article)
    client.get(url)  # Fill per-process caches first.
    with CaptureQueriesContext(connection) as queries:
        markup = box(client.get(url))
    assert box_items(markup)
    return len(queries)


def grow(reader, section):
    """Many more articles, 40 favorites, and other readers saving alongside the reader."""
    others = UserFactory.create_batch(4)
    for number in range(40):
        article = ArticleFactory(
            title=f"Grown article {number}",
            section=section if number % 3 else SectionFactory(),
            tags=[f"grown topic {number}", "tamoxifen"],
        )
        FavoriteFactory(user=reader, article=article)
        for other in others:
            FavoriteFactory(user=other, article=article)
            FavoriteFactory(user=other, article=ArticleFactory(title=f"Also saved {number}", section=section))
    rebuild()


@pytest.fixture
def small_personal_site(client, reader):
    section = SectionFactory(name="Treatment", slug="treatment")
    ProfileFactory(user=reader, sections=[section], situation="in_treatment")
    main = ArticleFactory(title="The article being read", slug="main-article", section=section, tags=["tamoxifen"])
    for number in range(3):
        FavoriteFactory(user=reader, article=ArticleFactory(title=f"Saved {number}", section=section))
    for number in range(3):
        ArticleFactory(title=f"Unsaved {number}", section=SectionFactory(), tags=["tamoxifen"])
    rebuild()
    client.force_login(reader)
    assert Tag.objects.filter(name="tamoxifen").exists()
    return section, main


def test_home_page_runs_as_many_queries_for_a_reader_with_40_more_favorites(client, reader, small_personal_site):
    section, _main = small_personal_site
    small = count_queries(client, HOME_URL)
    grow(reader, section)

    assert count_queries(client, HOME_URL) == small


def test_article_page_runs_as_many_queries_for_a_reader_with_40_more_favorites(client, reader, small_personal_site):
    section, main = small_personal_site
    small = count_queries(client, main.get_absolute_url())
    grow(reader, section)

    assert count_queries(client, main.get_absolute_url()) == small


def test_full_page_runs_as_many_queries_for_a_reader_with_40_more_favorites(client, reader, small_personal_site):
    section, _main = small_personal_site
    ContentType.objects.get_for_model(Article)
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as small:
        assert cards(page(client.get(LIST_URL)))
    grow(reader, section)

    with CaptureQueriesContext(connection) as grown:
        assert cards(page(client.get(LIST_URL)))

    assert len(grown) == len(small)
