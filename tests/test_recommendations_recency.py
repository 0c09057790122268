"""Recommendations that know what time it is: trending by the hour, co-saves weighted by their age, the
popularity snapshot moved forward incrementally, and a cold start led by the reader's profile."""

import math
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from taggit.models import Tag

from accounts.models import Favorite, Profile
from recommendations import config, engine, services, sources
from recommendations.models import ArticlePopularity, CoSave, PopularitySnapshot

from .factories import ArticleFactory, FavoriteFactory, ProfileFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def save(user, article, *, hours_ago=0.0):
    favorite = FavoriteFactory(user=user, article=article)
    Favorite.objects.filter(pk=favorite.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))


def saved_by(count, article, *, hours_ago):
    for user in UserFactory.create_batch(count):
        save(user, article, hours_ago=hours_ago)


def trending(article_id, *, as_of=None):
    """The article's trending signal as the candidate query reads it for a reader with no saves."""
    candidates = {candidate.id: candidate for candidate in sources.load_candidates(None, as_of=as_of)}
    return candidates[article_id].trending


def recommended(user, **kwargs):
    """{article id: reason} in ranking order."""
    return {item.article.pk: item.reason for item in services.recommendations_for(user, **kwargs)}


# --- Trending ------------------------------------------------------------------------------------


def test_an_article_saved_in_the_last_hour_outranks_one_saved_as_often_last_month(reader):
    ProfileFactory(user=reader)
    last_month = ArticleFactory(title="Saved last month", publish_at=timezone.now() - timedelta(days=40))
    this_hour = ArticleFactory(title="Saved this hour", publish_at=timezone.now() - timedelta(days=40))
    saved_by(3, last_month, hours_ago=24 * 30)
    saved_by(3, this_hour, hours_ago=0.5)
    sources.rebuild_popularity()

    order = list(recommended(reader))

    assert order.index(this_hour.pk) < order.index(last_month.pk)


def test_saves_since_the_last_snapshot_count_at_once():
    article = ArticleFactory()
    sources.rebuild_popularity()
    assert trending(article.pk) == 0

    saved_by(2, article, hours_ago=0)

    assert trending(article.pk) == pytest.approx(2, rel=0.01)


def test_an_article_first_saved_since_the_snapshot_is_a_candidate_for_everyone():
    older = ArticleFactory.create_batch(35, publish_at=timezone.now() - timedelta(days=90))
    sources.rebuild_popularity()
    saved_by(2, older[0], hours_ago=0)

    assert older[0].pk in {candidate.id for candidate in sources.load_candidates(None)}


def test_each_section_has_its_own_trending_half_life():
    news = ArticleFactory(section=SectionFactory(slug="research-news"))
    explainer = ArticleFactory(section=SectionFactory(slug="living-well"))
    for article in (news, explainer):
        saved_by(1, article, hours_ago=24)
    # Whole and fractional hours side by side: the driver sends a list of one type only.
    half_lives = {"default": 48, "research-news": 24, "living-well": 168.0}

    with override_settings(RECOMMENDATIONS={**settings.RECOMMENDATIONS, "trending_half_life_hours": half_lives}):
        sources.rebuild_popularity()
        assert trending(news.pk) == pytest.approx(0.5, rel=0.01)
        assert trending(explainer.pk) == pytest.approx(0.5 ** (24 / 168), rel=0.01)


def test_a_snapshot_taken_after_the_moment_asked_is_not_used():
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=10))
    saved_by(3, article, hours_ago=1)
    sources.rebuild_popularity()

    assert trending(article.pk, as_of=timezone.now() - timedelta(hours=2)) == 0


def test_a_save_from_years_ago_weighs_nothing_and_breaks_nothing():
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=5000))
    saved_by(1, article, hours_ago=24 * 4000)

    sources.rebuild_popularity()

    assert ArticlePopularity.objects.get(article=article).trending == pytest.approx(0, abs=1e-300)


@pytest.mark.parametrize(
    "call",
    ["recommendations_decay(now() - moment, 7)", "recommendations_lift(moment, 7)"],
)
def test_the_decay_functions_are_inlined_into_the_queries_that_call_them(call):
    """A function PostgreSQL cannot inline is called row by row: carrying a reader's co-saves forward took a
    third of the candidate query's time that way."""
    with connection.cursor() as cursor:
        moments = "SELECT now() - g * interval '1 hour' AS moment FROM generate_series(1, 3) g"
        cursor.execute(f"EXPLAIN VERBOSE SELECT {call} FROM ({moments}) m")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "power(" in plan or "date_part(" in plan
    assert "recommendations_" not in plan


def test_the_decay_functions_keep_their_values():
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT recommendations_decay(interval '14 hours', 7),
                recommendations_lift(timestamptz '1970-01-02 00:00:00+00', 24),
                recommendations_lift(timestamptz '2025-03-04 05:06:07.5+02', 7)"""
        )
        decay, one_day, later = cursor.fetchone()
    assert decay == pytest.approx(0.25)
    assert one_day == pytest.approx(math.log(2))
    moment = datetime(2025, 3, 4, 3, 6, 7, 500000, tzinfo=UTC).timestamp()
    assert later == pytest.approx(math.log(2) * moment / 3600 / 7, rel=1e-12)


def test_moving_the_snapshot_forward_hour_by_hour_counts_what_counting_afresh_does():
    articles = [ArticleFactory(section=SectionFactory(slug=slug)) for slug in ("research-news", "living-well", "x")]
    now = timezone.now()
    for hours_ago, article in [(50, 0), (30, 1), (29, 0), (12, 2), (11, 1), (3, 0), (2, 2), (0.5, 1)]:
        save(UserFactory(), articles[article], hours_ago=hours_ago)
    for hours_ago in range(60, -1, -1):
        sources.rebuild_popularity(as_of=now - timedelta(hours=hours_ago))
    moved = {row.article_id: (row.saves, row.trending, row.computed_at) for row in ArticlePopularity.objects.all()}
    assert PopularitySnapshot.objects.get().full_at == now - timedelta(hours=12)  # incremental since then

    PopularitySnapshot.objects.all().delete()
    sources.rebuild_popularity(as_of=now)
    afresh = {row.article_id: (row.saves, row.trending) for row in ArticlePopularity.objects.all()}

    assert set(moved) == set(afresh)
    for article_id, (saves, value, computed_at) in moved.items():
        half_life = ArticlePopularity.objects.get(article_id=article_id).half_life_hours
        carried = value * 0.5 ** ((now - computed_at).total_seconds() / 3600 / half_life)
        assert (saves, carried) == (afresh[article_id][0], pytest.approx(afresh[article_id][1], rel=1e-9))


def test_changed_half_lives_count_every_save_afresh():
    article = ArticleFactory(section=SectionFactory(slug="research-news"))
    saved_by(1, article, hours_ago=24)
    sources.rebuild_popularity()

    with override_settings(RECOMMENDATIONS={**settings.RECOMMENDATIONS, "trending_half_life_hours": {"default": 12}}):
        sources.rebuild_popularity()

    assert ArticlePopularity.objects.get(article=article).trending == pytest.approx(0.25, rel=0.01)


# --- Co-saves ------------------------------------------------------------------------------------


def test_a_co_save_of_the_last_hour_outranks_one_of_last_month(reader):
    ProfileFactory(user=reader)
    month_ago = timezone.now() - timedelta(days=40)
    seed = ArticleFactory(title="Tamoxifen after surgery", publish_at=month_ago)
    recent = ArticleFactory(title="Co-saved this hour", publish_at=month_ago)
    old = ArticleFactory(title="Co-saved last month", publish_at=month_ago)
    save(reader, seed, hours_ago=2)
    for hours_ago, article in [(24 * 30, old), (0.5, recent)]:
        co_reader = UserFactory()
        save(co_reader, seed, hours_ago=hours_ago)
        save(co_reader, article, hours_ago=hours_ago)
    sources.rebuild_popularity()
    found = recommended(reader)

    assert list(found).index(recent.pk) < list(found).index(old.pk)


def co_saved(reader_user, *, as_of):
    """{article id: co-saved signal} as the candidate query reads it for the reader at `as_of`."""
    reader = sources.load_reader(reader_user.pk, as_of=as_of)
    return {c.id: c.co_saved for c in sources.load_candidates(reader, as_of=as_of) if c.co_saved}


def test_co_saves_since_the_snapshot_count_at_once_as_they_will_once_it_moves(reader):
    """Live, from an old snapshot plus the saves since; from a snapshot moved hour by hour; counted afresh:
    the same co-saves."""
    ProfileFactory(user=reader)
    now = timezone.now()
    seeds = ArticleFactory.create_batch(2)
    others = ArticleFactory.create_batch(4)
    save(reader, seeds[0], hours_ago=30)
    save(reader, seeds[1], hours_ago=1)
    for hours_ago, pair in [(40, (0, 0)), (20, (0, 1)), (9, (1, 1)), (5, (0, 2)), (2.5, (1, 3)), (0.2, (0, 3))]:
        co_reader = UserFactory()
        save(co_reader, seeds[pair[0]], hours_ago=hours_ago + 0.1)
        save(co_reader, others[pair[1]], hours_ago=hours_ago)
    sources.rebuild_popularity(as_of=now - timedelta(hours=12))
    live = co_saved(reader, as_of=now)

    for hours_ago in range(11, -1, -1):
        sources.rebuild_popularity(as_of=now - timedelta(hours=hours_ago))
    moved = co_saved(reader, as_of=now)
    PopularitySnapshot.objects.all().delete()
    sources.rebuild_popularity(as_of=now)
    afresh = co_saved(reader, as_of=now)

    assert set(live) == {article.pk for article in others}
    for article_id, value in live.items():
        assert moved[article_id] == pytest.approx(value, rel=1e-9)
        assert afresh[article_id] == pytest.approx(value, rel=1e-9)


def test_the_daily_recount_keeps_each_seeds_strongest_co_saves(monkeypatch):
    monkeypatch.setattr(sources, "CO_SAVES_KEPT", 2)
    seed = ArticleFactory()
    others = ArticleFactory.create_batch(4)
    now = timezone.now()
    for hours_ago, article in zip([30, 20, 10, 1], others, strict=True):
        co_reader = UserFactory()
        save(co_reader, seed, hours_ago=hours_ago + 0.1)
        save(co_reader, article, hours_ago=hours_ago)

    def kept():
        return set(CoSave.objects.filter(seed=seed).values_list("article_id", flat=True))

    sources.rebuild_popularity(as_of=now - timedelta(hours=15))
    assert kept() == {others[0].pk, others[1].pk}
    sources.rebuild_popularity(as_of=now - timedelta(hours=1))  # hourly: counted, not pruned
    assert kept() == {other.pk for other in others[:3]}

    sources.rebuild_popularity(as_of=now, recount_every=timedelta(hours=1))

    assert kept() == {others[2].pk, others[3].pk}
    # As each evaluation worker starts: counted afresh wherever it starts, as moving forward would count.
    sources.rebuild_popularity(as_of=now, recount_every=timedelta(0), prune_co_saves=False)
    assert kept() == {other.pk for other in others}


def test_an_article_deleted_takes_its_co_saves_with_it_both_ways():
    co_reader = UserFactory()
    kept, deleted = ArticleFactory.create_batch(2)
    save(co_reader, kept, hours_ago=2)
    save(co_reader, deleted, hours_ago=1)
    sources.rebuild_popularity()
    assert CoSave.objects.count() == 2

    deleted.delete()

    assert CoSave.objects.count() == 0


def test_only_saves_close_together_in_a_readers_history_are_co_saves(monkeypatch):
    monkeypatch.setattr(sources, "SAVES_PER_SAVER", 2)
    co_reader = UserFactory()
    articles = ArticleFactory.create_batch(4)
    for hours_ago, article in zip([4, 3, 2, 1], articles, strict=True):
        save(co_reader, article, hours_ago=hours_ago)

    sources.rebuild_popularity()

    pairs = set(CoSave.objects.values_list("seed_id", "article_id"))
    ids = [article.pk for article in articles]
    close = {(ids[a], ids[b]) for a in range(4) for b in range(4) if a != b and abs(a - b) <= 2}
    assert pairs == close


def test_a_co_save_counted_with_another_half_life_is_not_read_until_counted_again(reader):
    ProfileFactory(user=reader)
    seed, other = ArticleFactory.create_batch(2)
    save(reader, seed, hours_ago=5)
    co_reader = UserFactory()
    save(co_reader, seed, hours_ago=4)
    save(co_reader, other, hours_ago=3)
    sources.rebuild_popularity()
    changed = {**settings.RECOMMENDATIONS, "co_save_half_life_hours": 1}

    with override_settings(RECOMMENDATIONS=changed):
        assert co_saved(reader, as_of=timezone.now()) == {}
        sources.rebuild_popularity()
        assert co_saved(reader, as_of=timezone.now())[other.pk] == pytest.approx(0.5**3, rel=0.01)


# --- The cold start ------------------------------------------------------------------------------


def test_every_topic_a_new_reader_chose_appears_in_the_first_twenty_picks(reader):
    treatment = SectionFactory(name="Treatment", slug="treatment")
    popular = [ArticleFactory(section=SectionFactory(), tags=[f"popular {n}"]) for n in range(30)]
    for article in popular:
        saved_by(3, article, hours_ago=1)
    chosen_tags = ["tamoxifen", "fatigue", "lymphoedema"]
    for name in chosen_tags:
        ArticleFactory(tags=[name], publish_at=timezone.now() - timedelta(days=400))
    ArticleFactory(section=treatment, publish_at=timezone.now() - timedelta(days=400))
    ProfileFactory(
        user=reader,
        sections=[treatment],
        tags=list(Tag.objects.filter(name__in=chosen_tags)),
        situation=Profile.Situation.IN_TREATMENT,
    )
    sources.rebuild_popularity()

    picks = services.recommendations_for(reader, limit=20)

    shown_tags = {tag.name for item in picks for tag in item.article.tags.all()}
    assert set(chosen_tags) <= shown_tags
    assert treatment.pk in {item.article.section_id for item in picks}


def test_a_reader_in_treatment_is_not_shown_screening_unless_they_chose_it(reader):
    screening = ArticleFactory(title="Screening mammograms read by software", tags=["screening"])
    other = ArticleFactory(title="Exercise during chemotherapy", tags=["exercise"])
    profile = ProfileFactory(user=reader, situation=Profile.Situation.IN_TREATMENT)
    saved_by(5, screening, hours_ago=1)
    sources.rebuild_popularity()

    assert list(recommended(reader)) == [other.pk]

    profile.tags.add(Tag.objects.get(name="screening"))
    assert screening.pk in recommended(reader)


def test_a_reader_at_high_risk_is_shown_screening(reader):
    screening = ArticleFactory(title="Screening mammograms read by software", tags=["screening"])
    ProfileFactory(user=reader, situation=Profile.Situation.HIGH_RISK)

    assert screening.pk in recommended(reader)


def test_the_chosen_topics_are_shown_even_when_other_articles_score_higher():
    now = timezone.now()
    reader = engine.Reader(id=1, tag_ids=frozenset({7, 8}))
    strong = [
        engine.Candidate(id=pk, section_id=pk, section_slug="s", tag_ids=frozenset(), published_at=now, trending=9.0)
        for pk in range(100, 130)
    ]
    long_ago = now - timedelta(days=900)
    weak = [
        engine.Candidate(id=pk, section_id=1, section_slug="s", tag_ids=frozenset({tag}), published_at=long_ago)
        for pk, tag in [(1, 7), (2, 8)]
    ]

    picks = [item.article_id for item in engine.rank(reader, strong + weak, now=now, limit=20)]

    assert {1, 2} <= set(picks)


# --- Reasons -------------------------------------------------------------------------------------


def test_a_trending_research_news_article_says_so(reader):
    ProfileFactory(user=reader)
    article = ArticleFactory(
        section=SectionFactory(name="Research News", slug="research-news"),
        publish_at=timezone.now() - timedelta(days=60),
    )
    saved_by(4, article, hours_ago=2)
    sources.rebuild_popularity()

    assert recommended(reader)[article.pk] == "Trending in Research News today"


# --- The settings block --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"weights": {"similar": 1}},
        {"weights": {**dict.fromkeys(config.SIGNALS, 1), "similar": -1}},
        {"trending_half_life_hours": {"research-news": 24}},
        {"co_save_half_life_hours": 0},
        {"fresh_hours": 3},
    ],
    ids=["a weight missing", "a negative weight", "no default half-life", "a zero half-life", "an unknown key"],
)
def test_a_setting_that_cannot_be_used_is_refused_with_its_name(change):
    with (
        override_settings(RECOMMENDATIONS={**settings.RECOMMENDATIONS, **change}),
        pytest.raises(config.ConfigError, match="RECOMMENDATIONS"),
    ):
        config.current()
