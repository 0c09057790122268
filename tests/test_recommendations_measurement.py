"""Measuring recommendations on the live site: what readers were shown and followed, and an A/B test."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from recommendations import config, engine, measurement, report
from recommendations.models import RecommendationFollowed, RecommendationShown

from .factories import ArticleFactory, FavoriteFactory, ProfileFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    """A reader's saved article, and articles others saved with it."""
    section = SectionFactory(name="Treatment", slug="treatment")
    saved = ArticleFactory(title="Tamoxifen after surgery", section=section)
    others = [ArticleFactory(title=f"Hormone therapy {n}", section=section) for n in range(5)]
    for user in UserFactory.create_batch(3):
        FavoriteFactory(user=user, article=saved)
        for article in others:
            FavoriteFactory(user=user, article=article)
    return saved, others


@pytest.fixture
def personal_client(client, reader, site):
    ProfileFactory(user=reader)
    FavoriteFactory(user=reader, article=site[0])
    client.force_login(reader)
    return client


def shown_rows():
    return list(
        RecommendationShown.objects.order_by("shown_at", "position").values_list(
            "surface", "position", "reason", "test", "arm"
        )
    )


def test_what_the_home_page_showed_a_reader_is_recorded_with_positions_and_reasons(personal_client, reader):
    response = personal_client.get("/")

    assert response.status_code == 200
    rows = shown_rows()
    assert [row[1] for row in rows] == list(range(1, len(rows) + 1)) and rows
    assert {row[0] for row in rows} == {"home"}
    assert {row[2] for row in rows} <= set(engine.REASONS)
    assert {(row[3], row[4]) for row in rows} == {("", "A")}
    assert set(RecommendationShown.objects.values_list("user", flat=True)) == {reader.pk}


def test_a_page_read_again_from_what_was_kept_is_recorded_again(personal_client):
    personal_client.get("/")
    first = len(shown_rows())

    personal_client.get("/")

    assert len(shown_rows()) == 2 * first


def test_beside_an_article_and_on_the_full_page_the_surface_is_recorded(personal_client, site):
    personal_client.get(site[1][0].get_absolute_url())
    personal_client.get(reverse("recommendations:list"))

    assert {row[0] for row in shown_rows()} == {"article", "page"}


def test_nothing_is_recorded_for_anonymous_readers_or_pages_that_failed(personal_client, site):
    Client().get("/")
    personal_client.get("/articles/no-such-article/")

    assert shown_rows() == []


def test_rows_noted_in_a_batch_wait_for_the_flush(personal_client, settings):
    settings.PROMOTION_IMPRESSIONS_FLUSH_SECONDS = 3600
    measurement.shown.flush()  # a batch starts now
    personal_client.get("/")
    personal_client.get("/")
    assert shown_rows() == []

    measurement.shown.flush()

    assert len(shown_rows()) > 0


def test_opening_a_recommendation_is_recorded_and_leads_to_the_article(personal_client, reader, site):
    article = site[1][2]

    response = personal_client.get(reverse("recommendations:open", args=[article.pk]) + "?from=article")

    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert list(RecommendationFollowed.objects.values_list("user", "article", "surface")) == [
        (reader.pk, article.pk, "article")
    ]


@pytest.mark.parametrize("surface", ["", "elsewhere", "<script>"])
def test_an_unknown_surface_is_counted_as_the_full_page(personal_client, site, surface):
    personal_client.get(reverse("recommendations:open", args=[site[1][0].pk]), {"from": surface})

    assert list(RecommendationFollowed.objects.values_list("surface", flat=True)) == ["page"]


def test_an_anonymous_reader_is_sent_on_without_a_record_and_a_hidden_article_is_not_found(client, site):
    hidden = ArticleFactory(draft=True)

    assert client.get(reverse("recommendations:open", args=[site[1][0].pk])).status_code == 302
    assert client.get(reverse("recommendations:open", args=[hidden.pk])).status_code == 404
    assert not RecommendationFollowed.objects.exists()


def test_rows_past_keeping_are_deleted_by_the_rebuild(personal_client, site, reader):
    personal_client.get("/")
    personal_client.get(reverse("recommendations:open", args=[site[1][0].pk]))
    long_ago = timezone.now() - timedelta(days=settings.RECOMMENDATION_EVENTS_KEEP_DAYS + 1)
    RecommendationShown.objects.filter(position=1).update(shown_at=long_ago)
    RecommendationFollowed.objects.update(followed_at=long_ago)
    kept = RecommendationShown.objects.exclude(position=1).count()

    call_command("rebuild_recommendations", stdout=None)

    assert RecommendationShown.objects.count() == kept
    assert not RecommendationFollowed.objects.exists()


def test_the_reader_downloads_what_they_were_shown_and_opened_and_deleting_the_account_deletes_it(
    personal_client, reader, site
):
    personal_client.get("/")
    personal_client.get(reverse("recommendations:open", args=[site[1][0].pk]) + "?from=home")

    data = personal_client.get(reverse("accounts:download_data")).json()

    assert data["recommendations_shown"] and data["recommendations_shown"][0]["where"] == "Home page"
    assert data["recommendations_opened"][0]["article"] == site[1][0].title
    reader.delete()
    assert not RecommendationShown.objects.exists() and not RecommendationFollowed.objects.exists()


# --- The A/B test ---------------------------------------------------------------------------------------


def test_readers_are_split_by_a_stable_hash_near_the_share():
    in_b = [config.in_treatment("trending-6h", 0.3, user_id) for user_id in range(1, 20001)]

    assert 0.28 < sum(in_b) / len(in_b) < 0.32
    assert in_b == [config.in_treatment("trending-6h", 0.3, user_id) for user_id in range(1, 20001)]
    assert in_b != [config.in_treatment("another test", 0.3, user_id) for user_id in range(1, 20001)]


def b_settings(**weights):
    block = {**settings.RECOMMENDATIONS, "weights": {**settings.RECOMMENDATIONS["weights"], **weights}}
    return {"name": "more freshness", "share": 1.0, "settings": block}


def test_a_reader_in_b_gets_bs_configuration_and_it_is_recorded(personal_client, reader):
    with override_settings(RECOMMENDATIONS_AB_TEST=b_settings(fresh=5.0)):
        arm = config.arm_for(reader.pk)
        personal_client.get("/")

    assert (arm.name, arm.test, arm.config.weights["fresh"]) == ("B", "more freshness", 5.0)
    assert {(row[3], row[4]) for row in shown_rows()} == {("more freshness", "B")}


def test_with_no_share_every_reader_stays_in_a():
    with override_settings(RECOMMENDATIONS_AB_TEST={**b_settings(), "share": 0}):
        assert {config.arm_for(user_id).name for user_id in range(1, 500)} == {"A"}


@pytest.mark.parametrize(
    "test",
    [
        {"name": "x", "share": 0.5},
        {"name": "", "share": 0.5, "settings": settings.RECOMMENDATIONS},
        {"name": "x", "share": 2, "settings": settings.RECOMMENDATIONS},
        {
            "name": "x",
            "share": 0.5,
            "settings": {**settings.RECOMMENDATIONS, "trending_half_life_hours": {"default": 1}},
        },
    ],
    ids=["no settings", "no name", "a share above 1", "other trending half-lives"],
)
def test_an_ab_test_that_cannot_run_is_refused(test):
    """B counting trending with half-lives of its own would need a popularity snapshot of its own."""
    with override_settings(RECOMMENDATIONS_AB_TEST=test), pytest.raises(config.ConfigError, match="AB_TEST"):
        config.arm_for(1)


# --- The report -----------------------------------------------------------------------------------------


def show(reader, article, *, surface="home", reason="trending", test="", arm="A", hours_ago=2):
    return RecommendationShown.objects.create(
        user=reader, article=article, surface=surface, position=1, reason=reason, test=test, arm=arm,
        shown_at=timezone.now() - timedelta(hours=hours_ago),
    )  # fmt: skip


def follow(reader, article, *, surface="home", hours_ago=1):
    RecommendationFollowed.objects.create(
        user=reader, article=article, surface=surface, followed_at=timezone.now() - timedelta(hours=hours_ago)
    )


def test_click_and_save_through_count_what_followed_the_showing_where_it_was_shown(site):
    readers = UserFactory.create_batch(4)
    article = site[1][0]
    for reader in readers:
        show(reader, article)
    follow(readers[0], article)
    follow(readers[1], article, surface="article")  # opened from elsewhere: not this showing's click
    follow(readers[2], article, hours_ago=3)  # before it was shown
    FavoriteFactory(user=readers[3], article=article)

    [row] = report.by_week()

    assert (row.surface, row.reason, row.shown, row.opened, row.saved) == ("home", "trending", 4, 1, 1)
    assert (row.click_through, row.save_through) == (0.25, 0.25)


def test_the_arms_of_an_ab_test_are_compared_reader_by_reader_with_an_interval(site):
    article = site[1][0]
    for arm, opened in (("A", 2), ("B", 8)):
        for number in range(10):
            reader = UserFactory()
            show(reader, article, test="fresh", arm=arm)
            if number < opened:
                follow(reader, article)

    arm_rows, [comparison] = report.arms()

    assert [(row.arm, row.readers, row.opened) for row in arm_rows] == [("A", 10, 2), ("B", 10, 8)]
    assert comparison.difference == pytest.approx(0.6)
    assert 0 < comparison.low < 0.6 < comparison.high
    assert comparison.verdict == "B opened more often"


def test_editors_see_the_report_in_the_admin(client, editor, site):
    reader = UserFactory()
    show(reader, site[1][0], test="fresh", arm="A")
    show(UserFactory(), site[1][0], test="fresh", arm="B")
    client.force_login(editor)

    response = client.get(reverse("admin:recommendations_recommendationshown_changelist"))

    assert response.status_code == 200
    text = response.content.decode()
    assert "By week, where shown and why" in text and "Home page" in text and "A/B test" in text


def test_the_privacy_page_says_what_is_kept_and_for_how_long(client):
    text = client.get(reverse("articles:privacy")).content.decode()

    days = settings.RECOMMENDATION_EVENTS_KEEP_DAYS
    assert f"which ones we showed you, where, and which you opened, for {days} days" in text
