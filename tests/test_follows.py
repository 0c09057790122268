"""Follow a topic: readers follow a section, a tag or a drug from its page, manage their follows in their
profile, and are emailed once about each new article on them, at once or in a weekly digest."""

import html
import json
import re
from datetime import UTC, timedelta

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts import services, tasks
from accounts.models import AlertedArticle, Follow
from articles import services as article_services
from articles.models import Article
from outbox.models import Email

from .factories import (
    ArticleFactory,
    FollowFactory,
    ResearchFactsFactory,
    SectionFactory,
    StudyDrugFactory,
    UserFactory,
)
from .helpers import count_queries, page, text_of
from .test_query_budgets import SIGNED_IN_ARTICLE_QUERIES
from .test_task_queue import run_worker_until_idle

SITE = "http://testserver"  # this site's Origin, which a browser sends with its posts
FOLLOW_URL = reverse("accounts:follow")
PROFILE_URL = reverse("accounts:profile")
SIGN_IN_URL = reverse("accounts:sign_in")
PASSWORD = "a-long-test-password"  # as set by UserFactory
SITE_URL = "https://news.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def screening(db):
    return SectionFactory(name="Screening", slug="screening")


@pytest.fixture
def tamoxifen_study(screening):
    """A visible research article whose study tested tamoxifen, tagged 'hormone therapy'."""
    article = ArticleFactory(title="Tamoxifen for five more years", section=screening, tags=["hormone therapy"])
    StudyDrugFactory(facts=ResearchFactsFactory(article=article), generic_name="Tamoxifen", brand_names="Nolvadex")
    return article


def browser(user=None):
    """A browser that checks CSRF as Django does for real requests, signed in as `user` if given."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def follow_forms(markup):
    """Each follow form on a page, as {topic: form markup}."""
    forms = re.findall(r'<form method="post" action="/accounts/follow/".*?</form>', markup, re.S)
    return {html.unescape(re.search(r'name="topic" value="([^"]*)"', form).group(1)): form for form in forms}


def submit(client, form, button, **changes):
    """Post `form` as a browser does when `button` (the action's value) is pressed: its hidden fields, its
    selects' chosen options (changed by `changes`), the button, and this site's Origin."""
    data = {
        name: html.unescape(value) for name, value in re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form)
    }
    for name, select in re.findall(r'<select name="(\w+)">(.*?)</select>', form, re.S):
        data[name] = (re.findall(r'value="(\w+)" selected', select) or re.findall(r'value="(\w+)"', select))[0]
    assert f'name="action" value="{button}"' in form
    return client.post(FOLLOW_URL, {**data, **changes, "action": button}, HTTP_ORIGIN=SITE)


def follows_of(user):
    return sorted(
        (follow.topic, follow.frequency) for follow in Follow.objects.filter(user=user).select_related("section", "tag")
    )


def publish(article, editor, publish_at=None):
    """An editor publishes an approved article, now or at `publish_at`, through the workflow."""
    article_services.article_transition(
        article=article, to_status=Article.Status.PUBLISHED, by=editor, publish_at=publish_at
    )


def approved_study(drug="tamoxifen", **fields):
    """An article approved by a medical reviewer, waiting for an editor to publish it, about `drug`."""
    article = ArticleFactory(approved=True, **fields)
    StudyDrugFactory(facts=ResearchFactsFactory(article=article), generic_name=drug)
    return article


# --- Following from a topic's page -------------------------------------------------------------


def test_a_reader_follows_a_section_with_the_form_on_its_page(reader, screening):
    client = browser(reader)
    form = follow_forms(page(client.get(screening.get_absolute_url())))["section:screening"]

    response = submit(client, form, "follow")

    assert response.status_code == 302
    assert response["Location"] == "/sections/screening/"
    assert follows_of(reader) == [("section:screening", "at_once")]
    shown = page(client.get(response["Location"]))
    assert "You follow Screening: we will email you as soon as there is a new article." in text_of(shown)
    assert "You follow Screening." in text_of(follow_forms(shown)["section:screening"])


def test_a_reader_follows_a_tag_with_a_weekly_digest(reader, tamoxifen_study):
    client = browser(reader)
    form = follow_forms(page(client.get("/tags/hormone-therapy/")))["tag:hormone-therapy"]

    submit(client, form, "follow", frequency="weekly")

    assert follows_of(reader) == [("tag:hormone-therapy", "weekly")]


def test_a_reader_follows_a_drug_from_the_research_facts_card(reader, tamoxifen_study):
    client = browser(reader)
    url = tamoxifen_study.get_absolute_url()
    form = follow_forms(page(client.get(url)))["drug:tamoxifen"]
    assert "Follow Tamoxifen" in text_of(form)

    submit(client, form, "follow")

    assert follows_of(reader) == [("drug:tamoxifen", "at_once")]
    followed = follow_forms(page(client.get(url)))["drug:tamoxifen"]
    assert "You follow Tamoxifen." in text_of(followed)
    # The reader's follow state is kept with their other parts of the page: no query of its own.
    client.get(url)
    with_follow = count_queries(client, url)
    assert with_follow == SIGNED_IN_ARTICLE_QUERIES


def test_a_post_from_another_site_or_without_proof_of_origin_follows_nothing(reader, screening):
    client = browser(reader)
    form = {"topic": "section:screening", "action": "follow"}

    forged = client.post(FOLLOW_URL, form, HTTP_ORIGIN="https://attacker.example")
    silent = client.post(FOLLOW_URL, form)

    assert forged.status_code == silent.status_code == 403
    assert not Follow.objects.exists()


def test_following_twice_keeps_one_follow_and_may_change_its_frequency(reader, screening):
    client = browser(reader)
    form = {"topic": "section:screening", "action": "follow"}

    client.post(FOLLOW_URL, form, HTTP_ORIGIN=SITE)
    client.post(FOLLOW_URL, form, HTTP_ORIGIN=SITE)
    assert follows_of(reader) == [("section:screening", "at_once")]

    client.post(FOLLOW_URL, {**form, "frequency": "weekly"}, HTTP_ORIGIN=SITE)
    assert follows_of(reader) == [("section:screening", "weekly")]


def test_stopping_from_the_topics_page(reader, screening):
    FollowFactory(user=reader, section=screening)
    client = browser(reader)
    form = follow_forms(page(client.get(screening.get_absolute_url())))["section:screening"]

    response = submit(client, form, "unfollow")

    assert follows_of(reader) == []
    assert "You no longer follow Screening." in text_of(page(client.get(response["Location"])))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"topic": "section:nowhere"}, "There is no such section."),
        ({"topic": "tag:secret-topic"}, "There are no articles on that topic."),
        ({"topic": "drug:snake oil"}, "We have no research news about a drug of that name."),
        ({"topic": "drug:" + "x" * 190}, "We have no research news about a drug of that name."),
        ({"topic": "drug:embargoed-inib"}, "We have no research news about a drug of that name."),
        ({"topic": "drug:"}, "Choose a section, a topic or a drug to follow."),
        ({"topic": "planet:mars"}, "Choose a section, a topic or a drug to follow."),
        ({"topic": "section:screening\x00"}, "Choose a section, a topic or a drug to follow."),
        ({"topic": "x" * 500}, "Choose a section, a topic or a drug to follow."),
        ({"topic": ""}, "Choose a section, a topic or a drug to follow."),
        ({"action": "explode"}, "Choose to follow or to stop following."),
        ({"frequency": "hourly"}, "Choose alerts at once or in a weekly digest."),
    ],
)
def test_bad_input_gets_a_clear_message_and_follows_nothing(reader, screening, fields, message):
    # A tag and a drug that only hidden articles carry stay unknown.
    hidden = ArticleFactory(scheduled=True, tags=["secret topic"])
    StudyDrugFactory(facts=ResearchFactsFactory(article=hidden), generic_name="embargoed-inib")
    client = browser(reader)

    response = client.post(
        FOLLOW_URL, {"topic": "section:screening", "action": "follow", **fields}, HTTP_ORIGIN=SITE, follow=True
    )

    assert response.status_code == 200
    assert message in text_of(page(response))
    assert not Follow.objects.exists()


def test_a_follow_of_a_tag_gone_from_the_site_can_still_be_stopped(reader):
    article = ArticleFactory(tags=["trials"])
    follow = FollowFactory(user=reader, tag=article.tags.get())
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    browser(reader).post(FOLLOW_URL, {"topic": follow.topic, "action": "unfollow"}, HTTP_ORIGIN=SITE)

    assert follows_of(reader) == []


def test_the_database_holds_one_topic_per_follow_and_each_once_per_reader(reader, screening):
    tag = ArticleFactory(tags=["trials"]).tags.get()
    for topics in ({}, {"section": screening, "tag": tag}, {"section": screening, "drug": "tamoxifen"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Follow.objects.create(user=reader, **topics)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=reader, drug="Tamoxifen")  # drugs are followed by their lower-case name
    FollowFactory(user=reader, section=screening)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowFactory(user=reader, section=screening)


# --- Readers not signed in ------------------------------------------------------------------------


def test_a_reader_not_signed_in_is_asked_to_sign_in_and_follows_on_signing_in(screening):
    reader = UserFactory()
    client = browser()
    form = follow_forms(page(client.get(screening.get_absolute_url())))["section:screening"]

    response = submit(client, form, "follow")

    assert response["Location"] == f"{SIGN_IN_URL}?next=/sections/screening/"
    assert not Follow.objects.exists()
    asked = text_of(page(client.get(response["Location"])))
    assert "Sign in or join to follow Screening. We will follow it for you as soon as you do." in asked

    # The sign-in page carries its CSRF token, as every form but the few on shared pages does.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page(client.get(response["Location"])))
    signed_in = client.post(
        SIGN_IN_URL,
        {
            "username": reader.email,
            "password": PASSWORD,
            "next": "/sections/screening/",
            "csrfmiddlewaretoken": token[1],
        },
    )

    assert signed_in["Location"] == "/sections/screening/"
    assert follows_of(reader) == [("section:screening", "at_once")]
    assert "You now follow Screening." in text_of(page(client.get(signed_in["Location"])))


def test_the_shared_page_of_a_topic_shows_no_readers_follow_state(reader, screening, settings):
    """A signed-in reader's page is their own and never kept; the page kept for readers who are not signed
    in offers the plain button to everyone."""
    settings.PAGE_CACHE_SECONDS = 300
    FollowFactory(user=reader, section=screening)
    mine = browser(reader).get(screening.get_absolute_url())
    assert "You follow Screening." in text_of(page(mine))
    assert "no-store" in mine["Cache-Control"]

    anonymous = Client()
    anonymous.get(screening.get_absolute_url())
    shared = anonymous.get(screening.get_absolute_url())

    assert shared["X-Page-Cache"] == "hit"
    assert "You follow" not in page(shared)
    assert "Follow Screening" in text_of(follow_forms(page(shared))["section:screening"])


def test_a_signed_in_readers_topic_page_costs_the_same_however_many_topics_they_follow(screening):
    few, many = UserFactory(), UserFactory()
    FollowFactory(user=few, section=screening)
    FollowFactory(user=many, section=screening)
    for number in range(20):
        FollowFactory(user=many, section=SectionFactory())
        FollowFactory(user=many, drug=f"drug {number}")
    counts = []
    for reader in (few, many):
        client = browser(reader)
        client.get(screening.get_absolute_url())
        cache.clear()  # measure building the reader's parts of the page, not reading them kept
        counts.append(count_queries(client, screening.get_absolute_url()))
    assert counts[0] == counts[1]


# --- The profile, data download and deletion ----------------------------------------------------


def test_the_profile_lists_follows_to_change_and_stop(reader, screening):
    FollowFactory(user=reader, section=screening)
    FollowFactory(user=reader, drug="tamoxifen", frequency="weekly")
    client = browser(reader)
    profile = page(client.get(PROFILE_URL))
    listed = text_of(profile[profile.index('id="follows"') :])
    assert "Screening (section)" in listed and "tamoxifen (drug)" in listed
    forms = follow_forms(profile)
    assert re.search(r'value="weekly" selected', forms["drug:tamoxifen"])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', forms["section:screening"])[1]

    # Posted with the profile's token, without the Origin header: the form carries its own proof.
    changed = client.post(
        FOLLOW_URL,
        {"topic": "section:screening", "action": "follow", "frequency": "weekly", "csrfmiddlewaretoken": token,
         "next": f"{PROFILE_URL}#follows"},
    )  # fmt: skip
    assert changed["Location"] == f"{PROFILE_URL}#follows"
    assert follows_of(reader) == [("drug:tamoxifen", "weekly"), ("section:screening", "weekly")]

    submit(client, forms["drug:tamoxifen"], "unfollow")
    assert follows_of(reader) == [("section:screening", "weekly")]


def test_the_data_download_lists_follows(reader, screening):
    FollowFactory(user=reader, section=screening, frequency="weekly")
    FollowFactory(user=reader, drug="tamoxifen")
    FollowFactory(user=UserFactory(), drug="someone else's drug")

    data = json.loads(browser(reader).get(reverse("accounts:download_data")).content)

    assert [(item["topic"], item["kind"], item["alerts"]) for item in data["follows"]] == [
        ("Screening", "section", "Weekly digest"),
        ("tamoxifen", "drug", "At once"),
    ]


def test_deleting_the_account_deletes_its_follows(reader, screening):
    FollowFactory(user=reader, section=screening)
    other = FollowFactory(user=UserFactory(), section=screening)
    client = Client()
    client.force_login(reader)

    client.post(reverse("accounts:delete_account"), {"password": PASSWORD})

    assert list(Follow.objects.all()) == [other]


# --- Alerts at once -------------------------------------------------------------------------------


def alerts(mailoutbox):
    return [(message.to[0], message.subject) for message in mailoutbox]


def test_a_reader_following_tamoxifen_gets_one_alert_when_a_tamoxifen_article_goes_live(reader, editor, mailoutbox):
    FollowFactory(user=reader, drug="tamoxifen")
    article = approved_study(title="Tamoxifen halves the risk of recurrence")
    assert services.topic_alerts_send() == 0  # approved, not published: nothing to say yet

    publish(article, editor)
    services.topic_alerts_send()

    assert alerts(mailoutbox) == [(reader.email, "New on Newsroom: Tamoxifen halves the risk of recurrence")]
    body = mailoutbox[0].body
    assert "You get this email because you follow tamoxifen (a drug)" in body
    assert f"Read it: {SITE_URL}{article.get_absolute_url()}" in body
    assert f"{SITE_URL}{PROFILE_URL}#follows" in body
    assert Email.objects.get().key == f"topic-alert:{article.pk}:{reader.pk}"


@pytest.mark.parametrize("state", ["draft", "in_review", "approved", "archived"])
def test_an_article_readers_cannot_see_never_alerts(reader, state, mailoutbox):
    FollowFactory(user=reader, drug="tamoxifen")
    article = approved_study()
    Article.objects.filter(pk=article.pk).update(status=state, publish_at=timezone.now() - timedelta(minutes=1))

    services.topic_alerts_send()

    assert len(mailoutbox) == 0
    assert not AlertedArticle.objects.exists()


def test_a_scheduled_article_alerts_when_its_time_comes_not_when_it_is_scheduled(reader, editor, mailoutbox):
    FollowFactory(user=reader, drug="tamoxifen")
    article = approved_study()
    goes_live = timezone.now() + timedelta(hours=3)
    publish(article, editor, publish_at=goes_live)
    # Someone who follows while it waits hears about it too.
    late_follower = FollowFactory(user=UserFactory(), drug="tamoxifen").user

    services.topic_alerts_send()
    services.topic_alerts_send(now=goes_live - timedelta(seconds=1))
    assert len(mailoutbox) == 0

    services.topic_alerts_send(now=goes_live + timedelta(minutes=1))
    assert sorted(to for to, _ in alerts(mailoutbox)) == sorted([reader.email, late_follower.email])


def test_a_sweep_run_twice_and_an_article_taken_down_and_put_back_alert_once(reader, editor, mailoutbox):
    FollowFactory(user=reader, drug="tamoxifen")
    article = approved_study()
    publish(article, editor)

    services.topic_alerts_send()
    services.topic_alerts_send()
    article_services.article_transition(article=article, to_status=Article.Status.DRAFT, by=editor)
    services.topic_alerts_send()
    # Back on the site after its review, published anew.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED, publish_at=timezone.now())
    services.topic_alerts_send()

    assert len(mailoutbox) == 1


def test_a_reader_following_the_section_and_a_tag_of_an_article_gets_one_alert(reader, editor, screening, mailoutbox):
    article = approved_study(section=screening, tags=["hormone therapy"])
    FollowFactory(user=reader, section=screening)
    FollowFactory(user=reader, tag=article.tags.get())
    FollowFactory(user=reader, drug="tamoxifen")
    publish(article, editor)

    services.topic_alerts_send()

    assert len(mailoutbox) == 1
    assert (
        "because you follow Screening (a section), hormone therapy (a topic) and tamoxifen (a drug)"
        in mailoutbox[0].body
    )


def test_old_news_never_alerts_on_the_first_sweep(reader, screening, mailoutbox):
    """The first sweep after this feature arrives: articles published before the reader followed, and
    articles older than the recent window, alert nobody."""
    ArticleFactory(section=screening, publish_at=timezone.now() - timedelta(days=3))
    before_following = ArticleFactory(section=screening, publish_at=timezone.now() - timedelta(hours=5))
    FollowFactory(user=reader, section=screening)
    Follow.objects.update(created_at=timezone.now() - timedelta(hours=1))
    FollowFactory(user=UserFactory(), section=screening, frequency="weekly")

    services.topic_alerts_send()
    assert len(mailoutbox) == 0
    assert list(AlertedArticle.objects.values_list("article_id", flat=True)) == [before_following.pk]

    new = ArticleFactory(section=screening, publish_at=timezone.now())
    services.topic_alerts_send()
    assert alerts(mailoutbox) == [(reader.email, f"New on Newsroom: {new.title}")]


def test_readers_who_follow_other_topics_or_left_get_nothing(reader, editor, screening, mailoutbox):
    FollowFactory(user=reader, drug="letrozole")
    FollowFactory(user=reader, section=SectionFactory())
    FollowFactory(user=UserFactory(is_active=False), drug="tamoxifen")
    publish(approved_study(section=screening), editor)

    services.topic_alerts_send()

    assert len(mailoutbox) == 0


# --- The weekly digest ----------------------------------------------------------------------------


def test_the_weekly_digest_lists_the_weeks_articles_on_a_readers_topics_once_a_week(reader, screening, mailoutbox):
    today = timezone.now().astimezone(UTC)
    monday = (today - timedelta(days=today.weekday())).replace(hour=9, minute=0, second=0, microsecond=0)
    FollowFactory(user=reader, section=screening, frequency="weekly")
    FollowFactory(user=reader, drug="tamoxifen", frequency="weekly")
    on_section = ArticleFactory(title="Screening at forty", section=screening, publish_at=monday - timedelta(days=2))
    on_drug = approved_study(title="Tamoxifen for longer")
    Article.objects.filter(pk=on_drug.pk).update(status="published", publish_at=monday - timedelta(days=1))
    ArticleFactory(title="Last month's screening news", section=screening, publish_at=monday - timedelta(days=8))
    ArticleFactory(title="Scheduled screening news", section=screening, publish_at=monday + timedelta(hours=1))
    ArticleFactory(title="Elsewhere", publish_at=monday - timedelta(days=1))
    at_once_reader = FollowFactory(user=UserFactory(), section=screening).user

    assert services.weekly_digests_send(now=monday) == 1
    services.weekly_digests_send(now=monday + timedelta(minutes=5))  # the same week again: nothing more

    assert alerts(mailoutbox) == [(reader.email, "Your weekly Newsroom digest: 2 new articles")]
    body = mailoutbox[0].body
    assert body.index(on_drug.title) < body.index(on_section.title)  # newest first
    assert f"{SITE_URL}{on_section.get_absolute_url()}" in body
    assert "About Screening (a section)." in body and "About tamoxifen (a drug)." in body
    assert "Last month" not in body and "Scheduled" not in body and "Elsewhere" not in body
    assert at_once_reader.email not in [to for to, _ in alerts(mailoutbox)]
    year, week, _ = timezone.localtime(monday).isocalendar()
    assert Email.objects.get().key == f"topic-digest:{year}-W{week:02d}:{reader.pk}"


def test_no_digest_when_nothing_is_new_on_a_readers_topics(reader, screening, mailoutbox):
    FollowFactory(user=reader, section=screening, frequency="weekly")
    ArticleFactory(publish_at=timezone.now() - timedelta(days=1))

    assert services.weekly_digests_send() == 0
    assert len(mailoutbox) == 0


def test_weekly_followers_get_no_alert_at_once(reader, editor, mailoutbox):
    FollowFactory(user=reader, drug="tamoxifen", frequency="weekly")
    publish(approved_study(), editor)

    services.topic_alerts_send()

    assert len(mailoutbox) == 0


# --- The periodic jobs ----------------------------------------------------------------------------


def test_alerts_are_swept_every_minute_and_digests_checked_hourly_for_monday_mornings():
    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["accounts.tasks.send_topic_alerts"] == "* * * * *"
    assert periodic["accounts.tasks.send_weekly_digests"] == "0 * * * *"
    assert tasks.send_topic_alerts.queueing_lock == "send_topic_alerts"


@pytest.mark.usefixtures("empty_queue")
def test_a_worker_running_the_sweep_queues_the_alert(mailoutbox):
    reader = UserFactory()
    FollowFactory(user=reader, drug="tamoxifen")
    article = ArticleFactory(title="Tamoxifen news", publish_at=timezone.now())
    StudyDrugFactory(facts=ResearchFactsFactory(article=article), generic_name="tamoxifen")

    tasks.send_topic_alerts.defer(timestamp=0)
    run_worker_until_idle()

    # (The worker's own clock may defer this minute's sweep as well: it finds nothing more to send.)
    job = ProcrastinateJob.objects.get(task_name="accounts.tasks.send_topic_alerts", args={"timestamp": 0})
    assert job.status == "succeeded"
    assert alerts(mailoutbox) == [(reader.email, "New on Newsroom: Tamoxifen news")]
