"""Recommendations: the ranking (pure Python over signals) and the signals read from PostgreSQL."""

import io
import random
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from accounts import services as accounts_services
from accounts.models import Favorite
from articles.models import Article
from recommendations import engine, services, similarity, sources, suggestions

from .factories import ArticleFactory, FavoriteFactory, ProfileFactory, SectionFactory, UserFactory

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def candidate(pk, *, section=1, tags=(), days_old=30, **signals):
    """A candidate with no signals unless given, published `days_old` days before NOW."""
    return engine.Candidate(
        id=pk,
        section_id=section,
        section_slug=f"section-{section}",
        tag_ids=frozenset(tags),
        published_at=NOW - timedelta(days=days_old),
        **signals,
    )


def ranked_ids(reader, candidates, **kwargs):
    return [item.article_id for item in engine.rank(reader, candidates, now=NOW, **kwargs)]


def no_one(**fields):
    return engine.Reader(id=1, **fields)


# --- The ranking, without a database ----------------------------------------------------------


def test_saved_articles_are_never_recommended():
    reader = no_one(saved={1: 1.0})

    assert ranked_ids(reader, [candidate(1, trending=50.0), candidate(2)]) == [2]


def test_dismissed_articles_are_never_recommended():
    reader = no_one(dismissed=frozenset({1}))

    assert ranked_ids(reader, [candidate(1, trending=50.0), candidate(2)]) == [2]


def test_articles_with_a_paused_topic_are_never_recommended():
    reader = no_one(paused_tag_ids=frozenset({7}))

    assert ranked_ids(reader, [candidate(1, tags={3, 7}, trending=50.0), candidate(2, tags={3})]) == [2]


def test_nothing_to_rank_gives_no_recommendations():
    assert ranked_ids(no_one(saved={1: 1.0}), [candidate(1)]) == []


def test_no_more_than_the_limit_is_returned():
    candidates = [candidate(pk, section=pk) for pk in range(1, 21)]

    assert len(ranked_ids(no_one(), candidates, limit=7)) == 7


def test_diversity_mixes_in_a_second_section_among_equally_good_articles_of_one_section():
    section_a = [candidate(pk, section=1, similar=0.5, similar_via=99) for pk in range(1, 11)]
    section_b = [candidate(pk, section=2, similar=0.48, similar_via=99) for pk in range(11, 14)]

    top_five = ranked_ids(no_one(saved={99: 1.0}), section_a + section_b, limit=5)

    assert set(top_five) & {11, 12, 13}


def test_an_article_tagged_like_a_dismissed_one_ranks_below_an_otherwise_identical_one():
    reader = no_one(dismissed=frozenset({50}), dismissed_tag_ids=frozenset({7}))
    # The article with the dismissed topic has the higher id, which would win a tie.
    like_dismissed = candidate(2, section=1, tags={7}, trending=3.0)
    unlike = candidate(1, section=2, tags={8}, trending=3.0)

    assert ranked_ids(reader, [like_dismissed, unlike]) == [1, 2]


def test_cold_start_reader_with_only_topics_gets_articles_from_those_topics_first():
    reader = no_one(section_ids=frozenset({1}), tag_ids=frozenset({7}))
    in_section = [candidate(1, section=1, trending=4.0), candidate(2, section=1, trending=4.0)]
    with_tag = [candidate(3, section=5, tags={7}, trending=4.0)]
    others = [candidate(pk, section=pk, tags={pk}, trending=4.0) for pk in range(10, 16)]

    top_three = ranked_ids(reader, others + in_section + with_tag, limit=3)

    assert set(top_three) == {1, 2, 3}


def test_same_input_gives_the_same_recommendations():
    rng = random.Random(4)
    candidates = [
        candidate(
            pk,
            section=pk % 4,
            tags={pk % 5, pk % 7},
            days_old=rng.randint(1, 60),
            similar=rng.choice([0.0, 0.3]),
            similar_via=1,
            trending=rng.choice([0.0, 2.0, 5.0]),
        )
        for pk in range(2, 40)
    ]
    reader = no_one(saved={1: 1.0}, tag_ids=frozenset({3}))

    assert engine.rank(reader, candidates, now=NOW) == engine.rank(reader, candidates, now=NOW)


def test_the_order_candidates_arrive_in_does_not_change_the_recommendations():
    candidates = [candidate(pk, section=pk % 3, tags={pk % 4}, trending=2.0) for pk in range(1, 30)]
    shuffled = candidates[:]
    random.Random(1).shuffle(shuffled)

    assert ranked_ids(no_one(), candidates) == ranked_ids(no_one(), shuffled)


# --- Reasons in words (the engine's reasons, worded with the articles from the database) ----------


def db_candidate(article, *, days_old=60, **signals):
    """A candidate for a stored article, published `days_old` days ago (old: no 'New in' reason)."""
    return engine.Candidate(
        id=article.pk,
        section_id=article.section_id,
        section_slug=article.section.slug,
        tag_ids=frozenset(article.tags.values_list("pk", flat=True)),
        published_at=timezone.now() - timedelta(days=days_old),
        **signals,
    )


def reason_for(reader, candidate_):
    ranked = engine.rank(reader, [candidate_], now=timezone.now())
    [item] = services.with_articles_and_reasons(ranked)
    return item.reason


@pytest.mark.django_db
def test_reason_for_similar_content_names_the_saved_article():
    saved = ArticleFactory(title="Tamoxifen after surgery")
    article = ArticleFactory()

    reason = reason_for(no_one(saved={saved.pk: 1.0}), db_candidate(article, similar=0.8, similar_via=saved.pk))

    assert reason == "Because you saved “Tamoxifen after surgery”"


@pytest.mark.django_db
def test_reason_for_co_saves_names_the_saved_article():
    saved = ArticleFactory(title="Tamoxifen after surgery")
    article = ArticleFactory()

    reason = reason_for(no_one(saved={saved.pk: 1.0}), db_candidate(article, co_saved=2.0, co_saved_via=saved.pk))

    assert reason == "Readers who saved “Tamoxifen after surgery” also saved this"


@pytest.mark.django_db
def test_reason_for_a_profile_topic_names_the_topic():
    article = ArticleFactory(tags=["lymphoedema", "exercise"])
    tag = Tag.objects.get(name="lymphoedema")

    reason = reason_for(no_one(tag_ids=frozenset({tag.pk})), db_candidate(article))

    assert reason == "Because you follow lymphoedema"


@pytest.mark.django_db
def test_reason_for_a_profile_section_names_the_section():
    article = ArticleFactory(section=SectionFactory(name="Living well", slug="living-well"))

    reason = reason_for(no_one(section_ids=frozenset({article.section_id})), db_candidate(article))

    assert reason == "Matches your interest in Living well"


@pytest.mark.django_db
def test_reason_for_the_readers_situation():
    article = ArticleFactory(section=SectionFactory(name="Treatment", slug="treatment"))

    reason = reason_for(no_one(situation_section_slugs=frozenset({"treatment"})), db_candidate(article))

    assert reason == "Chosen for readers in your situation"


@pytest.mark.django_db
def test_reason_for_a_new_article_names_its_section():
    article = ArticleFactory(section=SectionFactory(name="Research news", slug="research-news"))

    reason = reason_for(no_one(), db_candidate(article, days_old=2))

    assert reason == "New in Research news"


# --- Through the database ---------------------------------------------------------------------


def rebuild():
    """What `manage.py rebuild_recommendations` does on a schedule."""
    similarity.rebuild_content_neighbours()
    sources.rebuild_popularity()
    suggestions.rebuild_suggestions()


@pytest.mark.parametrize(
    "documents",
    [["", ""], ["the and", "of the"], ["Research_news"] * 60],
    ids=["empty", "only stop words", "only what every article shares"],
)
def test_articles_without_words_to_compare_have_no_content_neighbours(documents):
    assert similarity.nearest_neighbours(documents) == []


@pytest.mark.django_db
def test_the_rebuild_refreshes_popularity_when_no_article_has_words_to_compare():
    """A catalogue of one section, no tags and no usable text (a log of ids imported as articles): the content
    step finds no neighbours, and the popularity (of the one saved article) and suggestions after it are
    still rebuilt."""
    section = SectionFactory()
    articles = [ArticleFactory(title="The", summary="", body="", section=section) for _ in range(3)]
    save(UserFactory(), articles[0])
    output = io.StringIO()

    call_command("rebuild_recommendations", stdout=output)

    assert "Content neighbours: 0 pairs for 3 articles; popularity for 1 articles" in output.getvalue()


def recommended(user, **kwargs):
    """{article id: reason} in ranking order."""
    return {item.article.pk: item.reason for item in services.recommendations_for(user, **kwargs)}


def save(user, article, *, days_ago=None):
    favorite = FavoriteFactory(user=user, article=article)
    if days_ago is not None:
        Favorite.objects.filter(pk=favorite.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return favorite


def warm_caches():
    ContentType.objects.get_for_model(Article)


@pytest.fixture
def personal(reader):
    """The reader, with personalisation turned on and no topics."""
    ProfileFactory(user=reader)
    return reader


@pytest.mark.django_db
def test_anonymous_reader_gets_no_personal_recommendations_and_no_query_runs(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert services.recommendations_for(AnonymousUser()) is None


def test_reader_without_a_profile_gets_no_personal_recommendations(reader):
    ArticleFactory()

    assert services.recommendations_for(reader) is None


def test_reader_with_personalisation_off_gets_none_and_only_the_profile_check_runs(reader):
    ProfileFactory(user=reader, personalisation=False, sections=[SectionFactory()])
    for _ in range(3):
        save(reader, ArticleFactory())
    warm_caches()

    with CaptureQueriesContext(connection) as queries:
        result = services.recommendations_for(reader)

    assert result is None
    assert len(queries) == 1


@pytest.fixture
def co_saves(personal):
    """Readers who saved A also saved B; everyone saved C, so C is popular but says little about A."""
    a = ArticleFactory(title="Tamoxifen after surgery")
    b = ArticleFactory(title="Hot flushes on hormone therapy")
    c = ArticleFactory(title="Ten questions for your first appointment")
    save(personal, a)
    savers_of_a = UserFactory.create_batch(4)
    # Saved together a few days ago: co-saves, no longer trending.
    for saver in savers_of_a:
        save(saver, a, days_ago=3)
        save(saver, c, days_ago=3)
    for saver in savers_of_a[:3]:
        save(saver, b, days_ago=3)
    # Saved by everyone, but not lately: C is popular, not trending (trending is tested on its own).
    for saver in UserFactory.create_batch(30):
        save(saver, c, days_ago=30)
    rebuild()
    return a, b, c


def test_article_saved_by_readers_who_saved_the_same_one_is_recommended_with_its_reason(personal, co_saves):
    a, b, _c = co_saves

    assert recommended(personal)[b.pk] == "Readers who saved “Tamoxifen after surgery” also saved this"


def test_co_saves_are_normalised_so_a_globally_popular_article_does_not_outrank_a_specific_one(personal, co_saves):
    _a, b, c = co_saves
    order = list(recommended(personal))

    assert order.index(b.pk) < order.index(c.pk)


@pytest.fixture
def alike_articles(db):
    """A saved article, a new one much like it that nobody saved, and articles on other subjects."""
    saved = ArticleFactory(
        title="Tamoxifen side effects: hot flushes and joint pain",
        summary="Hot flushes and joint pain are common side effects of tamoxifen.",
        body="<p>Tamoxifen is a hormone therapy. Its side effects include hot flushes and joint pain.</p>",
        tags=["tamoxifen", "hormone therapy"],
    )
    alike = ArticleFactory(
        title="Coping with hot flushes on tamoxifen",
        summary="Practical ways to cope with hot flushes and joint pain while taking tamoxifen.",
        body="<p>Many readers taking tamoxifen hormone therapy have hot flushes and joint pain.</p>",
        tags=["tamoxifen", "hormone therapy"],
    )
    subjects = ["walking and exercise", "mammography screening", "eating well", "radiotherapy planning", "sleep"]
    for subject in subjects:
        ArticleFactory(title=f"A guide to {subject}", summary=f"All about {subject}.", tags=[subject])
    return saved, alike


def test_new_article_alike_in_words_and_topics_is_recommended_because_of_the_saved_one(personal, alike_articles):
    saved, alike = alike_articles
    save(personal, saved)
    rebuild()

    assert recommended(personal)[alike.pk] == f"Because you saved “{saved.title}”"


@pytest.fixture
def plain_site(db):
    """Eight articles from yesterday, in eight sections."""
    return [ArticleFactory(title=f"Plain article {n}", section=SectionFactory()) for n in range(8)]


def test_saving_a_favorite_changes_the_next_recommendations(personal, plain_site):
    article = plain_site[0]
    assert article.pk in recommended(personal)

    accounts_services.favorite_add(reader=personal, article=article)

    assert article.pk not in recommended(personal)


def test_removing_a_favorite_changes_the_next_recommendations(personal, plain_site):
    article = plain_site[0]
    save(personal, article)
    assert article.pk not in recommended(personal)

    accounts_services.favorite_remove(reader=personal, article=article)

    assert article.pk in recommended(personal)


def test_not_interested_changes_the_next_recommendations(personal, plain_site):
    article = plain_site[0]
    assert article.pk in recommended(personal)

    services.dismiss(reader=personal, article=article)

    assert article.pk not in recommended(personal)


def test_pausing_a_topic_changes_the_next_recommendations(personal, plain_site):
    article = ArticleFactory(title="Recurrence: what to look for", tags=["recurrence"])
    assert article.pk in recommended(personal)

    services.topic_pause(reader=personal, tag=Tag.objects.get(name="recurrence"))

    assert article.pk not in recommended(personal)


def test_editing_the_profile_changes_the_next_recommendations(client, personal, plain_site):
    older = ArticleFactory(
        title="Lymphoedema after surgery", tags=["lymphoedema"], publish_at=timezone.now() - timedelta(days=40)
    )
    assert older.pk not in recommended(personal, limit=3)
    client.force_login(personal)

    response = client.post(
        reverse("accounts:profile"), {"personalisation": "on", "tags": [Tag.objects.get(name="lymphoedema").pk]}
    )

    assert response.status_code == 302
    assert recommended(personal, limit=3).get(older.pk) == "Because you follow lymphoedema"


def test_turning_personalisation_off_in_the_profile_stops_recommendations_at_once(client, personal, plain_site):
    client.force_login(personal)

    client.post(reverse("accounts:profile"), {"situation": ""})

    assert services.recommendations_for(personal) is None


HIDDEN_KINDS = ["draft", "in_review", "archived", "scheduled"]


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_articles_readers_cannot_see_are_never_recommended(reader, kind):
    section = SectionFactory(name="Treatment", slug="treatment")
    ProfileFactory(user=reader, sections=[section])
    seed = ArticleFactory(title="Tamoxifen after surgery", section=section, tags=["tamoxifen"])
    visible = ArticleFactory(title="Tamoxifen and hot flushes", section=section, tags=["tamoxifen"])
    hidden = ArticleFactory(title="Tamoxifen and joint pain", section=section, tags=["tamoxifen"], **{kind: True})
    reader.profile.tags.add(Tag.objects.get(name="tamoxifen"))
    save(reader, seed)
    for other in UserFactory.create_batch(3):
        save(other, seed)
        save(other, visible)
        save(other, hidden)
    rebuild()

    found = recommended(reader)

    assert visible.pk in found
    assert hidden.pk not in found


def test_saved_articles_are_never_recommended_however_many_the_reader_saved(personal):
    saved = [ArticleFactory(title=f"Saved article {n}", section=SectionFactory()) for n in range(60)]
    for days_ago, article in enumerate(saved):
        save(personal, article, days_ago=days_ago + 1)
    unsaved = [ArticleFactory(title=f"Unsaved article {n}") for n in range(3)]
    rebuild()

    found = recommended(personal, limit=63)

    assert set(found) & {article.pk for article in saved} == set()
    assert set(found) == {article.pk for article in unsaved}


def test_as_of_ignores_articles_published_after_it(personal):
    earlier = ArticleFactory(title="Published ten days ago", publish_at=timezone.now() - timedelta(days=10))
    later = ArticleFactory(title="Published two days ago", publish_at=timezone.now() - timedelta(days=2))
    as_of = timezone.now() - timedelta(days=5)
    sources.rebuild_popularity(as_of=as_of)

    found = recommended(personal, as_of=as_of)

    assert earlier.pk in found
    assert later.pk not in found


def test_as_of_ignores_the_readers_favorites_saved_after_it(personal):
    article = ArticleFactory(title="Saved yesterday", publish_at=timezone.now() - timedelta(days=10))
    save(personal, article, days_ago=1)
    as_of = timezone.now() - timedelta(days=5)
    sources.rebuild_popularity(as_of=as_of)

    assert article.pk in recommended(personal, as_of=as_of)


def test_as_of_ignores_other_readers_saves_after_it(personal):
    ten_days_ago = timezone.now() - timedelta(days=10)
    a = ArticleFactory(title="Tamoxifen after surgery", publish_at=ten_days_ago)
    b = ArticleFactory(title="Hot flushes on hormone therapy", publish_at=ten_days_ago)
    save(personal, a, days_ago=9)
    for other in UserFactory.create_batch(3):
        save(other, a, days_ago=3)
        save(other, b, days_ago=3)
    co_saved_reason = "Readers who saved “Tamoxifen after surgery” also saved this"
    sources.rebuild_popularity()
    assert recommended(personal)[b.pk] == co_saved_reason
    as_of = timezone.now() - timedelta(days=5)
    sources.rebuild_popularity(as_of=as_of)

    assert recommended(personal, as_of=as_of).get(b.pk) != co_saved_reason


def test_as_of_ignores_dismissals_after_it(personal):
    article = ArticleFactory(title="Dismissed yesterday", publish_at=timezone.now() - timedelta(days=10))
    services.dismiss(reader=personal, article=article)
    as_of = timezone.now() - timedelta(days=5)

    assert article.pk in recommended(personal, as_of=as_of)


# --- Query budget -----------------------------------------------------------------------------

MAX_QUERIES = 5


def reader_with_favorites(reader, count):
    """The reader (interested in one section) saved `count` articles, each also saved by others."""
    section = SectionFactory(name="Treatment", slug="treatment")
    ProfileFactory(user=reader, sections=[section], situation="in_treatment")
    others = UserFactory.create_batch(3)
    for number in range(count):
        article = ArticleFactory(title=f"Saved {number}", section=section if number % 2 else SectionFactory())
        save(reader, article)
        for other in others:
            save(other, article)
            save(other, ArticleFactory(title=f"Also saved {number}"))
    rebuild()
    return reader


def count_queries(user):
    warm_caches()
    with CaptureQueriesContext(connection) as queries:
        assert services.recommendations_for(user)
    return len(queries)


def test_recommendations_use_at_most_five_queries(reader, django_assert_max_num_queries):
    reader_with_favorites(reader, 3)
    warm_caches()

    with django_assert_max_num_queries(MAX_QUERIES):
        assert services.recommendations_for(reader)


def test_recommendations_use_as_many_queries_with_40_favorites_as_with_3(reader):
    few = count_queries(reader_with_favorites(reader, 3))
    many = count_queries(reader_with_favorites(UserFactory(), 40))

    assert many == few


def recommendation_query_plans():
    """(generic, custom) plans made so far for the recommendation queries prepared on this connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0) FROM pg_prepared_statements "
            "WHERE name LIKE 'recommendations_%%'"
        )
        return cursor.fetchone()


def test_the_recommendation_queries_are_planned_once_even_after_their_first_run_was_rolled_back(reader):
    """Planning it for each reader cost as much as running it."""
    ProfileFactory(user=reader, sections=[SectionFactory()])
    save(reader, ArticleFactory())
    generic_before, custom_before = recommendation_query_plans()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.recommendations_for(reader)
        raise RuntimeError("rolled back, and with it any setting made inside")

    for _ in range(6):  # PostgreSQL settles on one plan, if it will, after five
        services.recommendations_for(reader)

    generic, custom = recommendation_query_plans()
    assert custom == custom_before
    assert generic >= generic_before + 7
