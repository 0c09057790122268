"""Suggestions for readers without personal recommendations: ranked in advance for every page by
`manage.py rebuild_recommendations`, read by a page view in one query."""

import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from recommendations import engine, services, similarity, sources
from recommendations.models import Suggestion
from recommendations.suggestions import SUGGESTIONS_KEPT, rebuild_suggestions

from .factories import ArticleFactory, FavoriteFactory, SectionFactory, UserFactory
from .helpers import page

SUBJECTS = ["tamoxifen", "screening", "exercise", "radiotherapy", "fatigue", "genetics"]
PERSONAL_REASONS = (
    "Because you saved",
    "Readers who saved",
    "Because you follow",
    "Matches your interest",
    "Chosen for",
)


def rebuild(now=None):
    similarity.rebuild_content_neighbours()
    sources.rebuild_popularity(as_of=now)
    return rebuild_suggestions(now)


def stored(context):
    """(article id, reason) of the suggestions stored for a page (None: the home page), in order."""
    return list(Suggestion.objects.filter(context=context).order_by("position").values_list("article_id", "reason"))


def suggested(context_article=None, limit=SUGGESTIONS_KEPT):
    return [
        (item.article.pk, item.reason) for item in services.suggestions(limit=limit, context_article=context_article)
    ]


def ranked_live(context_id, now):
    """What suggestions() ranked on every page view before they were precomputed."""
    candidates = sources.load_candidates(None, as_of=now, context_article_id=context_id)
    ranked = engine.rank(engine.Reader(id=0), candidates, now=now, limit=SUGGESTIONS_KEPT)
    return [(item.article.pk, item.reason) for item in services.with_articles_and_reasons(ranked)]


@pytest.fixture
def site(db):
    """Forty visible articles in four sections, on overlapping subjects, published over two months (more
    than the freshest candidates), some saved often; and articles readers cannot see."""
    rng = random.Random(7)
    sections = [SectionFactory(name=f"Section {n}") for n in range(4)]
    now = timezone.now()
    articles = []
    for number in range(40):
        subjects = rng.sample(SUBJECTS, 2)
        articles.append(
            ArticleFactory(
                title=f"On {subjects[0]} and {subjects[1]}, part {number}",
                summary=f"What is known about {subjects[0]}.",
                body=f"<p>{subjects[0]} {subjects[1]} {subjects[0]}: a study of {number} women.</p>",
                section=sections[number % 4],
                tags=subjects,
                publish_at=now - timedelta(days=rng.uniform(0.5, 60)),
            )
        )
    savers = UserFactory.create_batch(6)
    for number, article in enumerate(articles[:12]):
        for saver in savers[: number % 6 + 1]:
            FavoriteFactory(user=saver, article=article)
    hidden = [
        ArticleFactory(title="A draft on tamoxifen", tags=["tamoxifen"], draft=True),
        ArticleFactory(title="Archived: tamoxifen", tags=["tamoxifen"], archived=True),
        ArticleFactory(title="Scheduled: tamoxifen and screening", tags=["tamoxifen", "screening"], scheduled=True),
    ]
    for saver in savers:
        FavoriteFactory(user=saver, article=hidden[1])
    return articles, hidden


def test_stored_suggestions_are_what_the_live_ranking_gives_at_the_same_moment(site):
    articles, _hidden = site
    now = timezone.now()

    rebuild(now)

    assert stored(None) == ranked_live(None, now)
    for article in articles:
        assert stored(article) == ranked_live(article.pk, now), article.title
    assert len(stored(None)) == SUGGESTIONS_KEPT


def test_the_rebuild_stores_suggestions_for_the_home_page_and_every_visible_article_only(site):
    articles, hidden = site

    count = rebuild()

    contexts = set(Suggestion.objects.values_list("context_id", flat=True).distinct())
    assert contexts == {None, *(article.pk for article in articles)}
    assert count == Suggestion.objects.count() == SUGGESTIONS_KEPT * (len(articles) + 1)
    assert not Suggestion.objects.filter(article__in=hidden).exists()


def test_stored_reasons_never_speak_of_a_reader(site):
    rebuild()

    reasons = set(Suggestion.objects.values_list("reason", flat=True))
    assert reasons
    assert not [reason for reason in reasons if reason.startswith(PERSONAL_REASONS)]


def test_articles_related_to_the_one_being_read_are_suggested_beside_it_only(site):
    rebuild()

    related = Suggestion.objects.filter(reason=engine.REASONS["related"])

    assert related.exists()
    for row in related:
        assert row.context_id is not None


def test_rebuilding_again_gives_the_same_suggestions(site):
    articles, _hidden = site
    now = timezone.now()
    rebuild(now)
    first = list(
        Suggestion.objects.order_by("context_id", "position").values_list("context_id", "article_id", "reason")
    )

    count = rebuild_suggestions(now)

    again = list(
        Suggestion.objects.order_by("context_id", "position").values_list("context_id", "article_id", "reason")
    )
    assert again == first
    assert count == len(first)


def test_suggestions_are_read_from_what_the_rebuild_stored(site):
    articles, _hidden = site
    rebuild()

    assert suggested() == stored(None)
    assert suggested(articles[3], limit=4) == stored(articles[3])[:4]


@pytest.mark.parametrize("context", ["home", "article", "article published since"])
def test_reading_suggestions_is_one_query_however_many_are_stored(site, django_assert_num_queries, context):
    articles, _hidden = site
    rebuild()
    article = {"home": None, "article": articles[0], "article published since": ArticleFactory()}[context]

    with django_assert_num_queries(1):
        few = services.suggestions(limit=2, context_article=article)
    with django_assert_num_queries(1):
        many = services.suggestions(limit=SUGGESTIONS_KEPT, context_article=article)

    assert len(few) == 2
    assert len(many) == SUGGESTIONS_KEPT


def test_an_article_archived_after_the_rebuild_is_never_suggested(site):
    articles, _hidden = site
    rebuild()
    [(first, _reason)] = suggested(limit=1)
    reading = next(article for article in articles if first in dict(stored(article)))

    Article.objects.filter(pk=first).update(status=Article.Status.ARCHIVED)

    assert first not in dict(suggested())
    assert first not in dict(suggested(reading))
    assert len(suggested(limit=4)) == 4


def test_an_article_rescheduled_after_the_rebuild_is_not_suggested_before_its_new_time(site):
    rebuild()
    [(first, _reason)] = suggested(limit=1)

    Article.objects.filter(pk=first).update(publish_at=timezone.now() + timedelta(days=2))

    assert first not in dict(suggested())


def test_hidden_articles_are_never_suggested(site):
    articles, hidden = site
    rebuild()

    shown = {pk for context in [None, *articles] for pk, _reason in suggested(context)}

    assert shown
    assert not shown & {article.pk for article in hidden}


def test_an_article_published_after_the_rebuild_gets_the_home_page_suggestions(site):
    rebuild()

    published_since = ArticleFactory(title="Published since the rebuild")

    assert suggested(published_since) == suggested()
    assert published_since.pk not in dict(suggested())


def test_the_article_being_read_is_never_suggested_beside_itself(site):
    articles, _hidden = site
    rebuild()

    for article in articles:
        assert article.pk not in dict(suggested(article))


def test_the_only_article_on_a_site_is_not_suggested_beside_itself(db):
    only = ArticleFactory()
    rebuild()

    assert dict(suggested()) == {only.pk: f"New in {only.section.name}"}
    assert suggested(only) == []


def test_before_any_rebuild_the_newest_articles_are_suggested_as_new(db, django_assert_num_queries):
    section = SectionFactory(name="Living well")
    older, newer, newest = (
        ArticleFactory(section=section, publish_at=timezone.now() - timedelta(days=days)) for days in (30, 20, 10)
    )
    ArticleFactory(scheduled=True)

    with django_assert_num_queries(2):
        home = suggested(limit=2)
    beside_newest = suggested(newest, limit=2)

    assert home == [(newest.pk, "New in Living well"), (newer.pk, "New in Living well")]
    assert beside_newest == [(newer.pk, "New in Living well"), (older.pk, "New in Living well")]


def test_when_every_article_suggested_on_a_page_was_taken_down_the_newest_are_suggested(site):
    articles, _hidden = site
    rebuild()
    reading = articles[0]
    Article.objects.filter(pk__in=[pk for pk, _reason in stored(reading)]).update(status=Article.Status.ARCHIVED)

    shown = suggested(reading, limit=3)

    newest = Article.objects.visible().exclude(pk=reading.pk).order_by("-publish_at")[:3]
    assert shown == [(article.pk, f"New in {article.section.name}") for article in newest]


def test_before_any_rebuild_pages_with_suggestions_still_open(client, db):
    article = ArticleFactory(title="Tamoxifen after surgery")
    ArticleFactory(title="Screening at fifty")

    for url in ["/", article.get_absolute_url(), reverse("recommendations:list")]:
        response = client.get(url)
        assert response.status_code == 200
        assert "New in " in page(response)


def test_an_empty_site_suggests_nothing(db):
    assert rebuild() == 0

    assert suggested() == []


def test_cached_pages_show_the_new_suggestions_after_a_rebuild(db):
    ArticleFactory()
    reader = Client()
    reader.get("/")
    assert reader.get("/")["X-Page-Cache"] == "hit"

    rebuild()

    assert reader.get("/")["X-Page-Cache"] == "miss"


def test_the_command_rebuilds_the_suggestions_and_says_how_many(site, capsys):
    call_command("rebuild_recommendations")

    assert f"; {Suggestion.objects.count()} suggestions" in capsys.readouterr().out
    assert Suggestion.objects.filter(context=None).count() == SUGGESTIONS_KEPT


@pytest.mark.django_db(transaction=True)
def test_the_command_leaves_no_replaced_rows_behind(capsys):
    """Outside a transaction, as the schedule runs it, the rebuild vacuums the rows it replaced: left
    there, they make PostgreSQL plan every page's read slowly until autovacuum comes by."""
    ArticleFactory.create_batch(3)
    call_command("rebuild_recommendations")

    call_command("rebuild_recommendations")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_live_tup, n_dead_tup, last_vacuum FROM pg_stat_user_tables WHERE relname = %s",
            [Suggestion._meta.db_table],
        )
        live, dead, vacuumed = cursor.fetchone()
    assert (live, dead) == (Suggestion.objects.count(), 0)
    assert vacuumed is not None
