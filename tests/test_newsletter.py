"""The research-news newsletter: an editor drafts an issue in the admin (pre-filled with the research news since
the last issue), previews it, sends a test, then sends it now or at a set time; batches go to every subscriber
once, with a personal unsubscribe link and the one-click unsubscribe headers."""

import re
import smtplib
import time
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import NewsletterSubscription
from newsletter import services, tasks
from newsletter.models import Delivery, Issue, IssueArticle
from newsroom.weekly import weekly_moment_due

from .factories import (
    ArticleFactory,
    FavoriteFactory,
    NewsletterSubscriptionFactory,
    ProfileFactory,
    ResearchFactsFactory,
    SectionFactory,
    UserFactory,
)
from .helpers import form_fields, page

ADD_URL = reverse("admin:newsletter_issue_add")
pytestmark = pytest.mark.django_db


def research_article(days_ago=1, **fields):
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=days_ago), **fields)
    ResearchFactsFactory(article=article)
    return article


def draft_issue(*articles, subject="Research news, December", introduction=""):
    issue = Issue.objects.create(subject=subject, introduction=introduction)
    IssueArticle.objects.bulk_create(
        IssueArticle(issue=issue, article=article, position=number) for number, article in enumerate(articles, 1)
    )
    return issue


def send_whole_issue(issue, *, size=1000):
    """What the queue does: start the issue at its time, then batches until nobody waits."""
    services.schedule(issue, at=timezone.now())
    assert services.start(issue.pk)
    while not services.send_batch(issue.pk, size=size).finished:
        pass
    issue.refresh_from_db()
    return issue


def to_whom(messages):
    return sorted(address for message in messages for address in message.to)


def html_of(message):
    [(content, kind)] = message.alternatives
    assert kind == "text/html"
    return content


def unsubscribe_url(message):
    return re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)


def submitted(markup, form_id="issue_form"):
    data, _ = form_fields(markup, form_id)
    return {name: values if len(values) > 1 else (values[0] if values else "") for name, values in data.items()}


# Drafting in the admin


def test_a_new_issue_is_prefilled_with_the_research_news_since_the_last_issue_newest_first(editor_client):
    before_last = research_article(days_ago=20, title="Reported in the last issue")
    last = draft_issue(before_last)
    Issue.objects.filter(pk=last.pk).update(status=Issue.Status.SENT, started_at=timezone.now() - timedelta(days=10))
    older = research_article(days_ago=5, title="Older study")
    newer = research_article(days_ago=2, title="Newer study")
    ArticleFactory(publish_at=timezone.now() - timedelta(days=1), title="Not about a study")
    hidden = ArticleFactory(draft=True, title="A draft study")
    ResearchFactsFactory(article=hidden)

    response = editor_client.get(ADD_URL)

    assert response.status_code == 200
    data = submitted(page(response))
    assert data["subject"] == services.default_subject()
    chosen = [(data[f"items-{n}-position"], data[f"items-{n}-article"]) for n in range(int(data["items-TOTAL_FORMS"]))]
    assert chosen == [("1", str(newer.pk)), ("2", str(older.pk))]


def test_the_editor_reorders_writes_an_introduction_and_saves_with_browser_line_endings(editor_client, editor):
    first, second = research_article(days_ago=3), research_article(days_ago=2)
    data = submitted(page(editor_client.get(ADD_URL)))
    data["introduction"] = "Welcome to this month's news.\r\n\r\nTwo studies stand out."
    data["items-0-position"], data["items-1-position"] = "2", "1"  # second, then first

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302
    issue = Issue.objects.get()
    assert (issue.status, issue.created_by) == (Issue.Status.DRAFT, editor)
    assert list(issue.items.values_list("article", flat=True)) == [first.pk, second.pk]
    content = services.issue_content(issue)
    assert [article.pk for article in content.articles] == [first.pk, second.pk]
    assert "<p" in content.html and "Two studies stand out." in content.html
    assert "Welcome to this month's news.\n\nTwo studies stand out." in content.text


def test_an_article_not_published_is_refused_with_a_clear_message(editor_client):
    research_article()
    unapproved = ArticleFactory(in_review=True, title="Still in review")
    data = submitted(page(editor_client.get(ADD_URL)))
    data["items-0-article"] = str(unapproved.pk)

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "“Still in review” is not published" in page(response)
    assert not Issue.objects.exists()


# Preview and test


def test_the_preview_is_the_email_with_inline_styles_and_a_policy_that_allows_only_them(editor_client):
    article = research_article(title="Exercise after treatment")
    issue = draft_issue(article, introduction="Hello readers.")

    response = editor_client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk]))

    html = page(response)
    assert "<style" not in html  # inlined: mail programs drop style sheets
    assert 'style="' in html and "max-width: 600px" in html
    assert "Exercise after treatment" in html and "Hello readers." in html
    policy = response["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "script-src" not in policy and "default-src 'none'" in policy

    text = editor_client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk]), {"format": "text"})
    assert text["Content-Type"].startswith("text/plain")
    assert "Exercise after treatment" in page(text) and article.get_absolute_url() in page(text)


def test_a_test_send_goes_to_the_editor_only_with_html_text_and_unsubscribe_headers(editor_client, mailoutbox):
    issue = draft_issue(research_article(title="A new trial"))
    NewsletterSubscriptionFactory()

    response = editor_client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]), {"action": "test"})

    assert response.status_code == 302
    [message] = mailoutbox
    assert message.to == ["editor@example.org"]
    assert message.subject == f"[Test] {issue.subject}"
    assert "A new trial" in message.body and "A new trial" in html_of(message)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_an_issue_whose_articles_were_taken_down_cannot_be_sent_and_says_why(editor_client, mailoutbox):
    article = research_article()
    issue = draft_issue(article)
    article.status = article.Status.DRAFT
    article.save()
    send_page = reverse("admin:newsletter_issue_send", args=[issue.pk])

    response = editor_client.post(send_page, {"action": "now"}, follow=True)

    assert "no article that readers can see now" in page(response)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    assert len(mailoutbox) == 0


def test_writers_and_reviewers_cannot_send(writer_client, reviewer, client):
    issue = draft_issue(research_article())
    send_page = reverse("admin:newsletter_issue_send", args=[issue.pk])
    assert writer_client.post(send_page, {"action": "now"}).status_code == 403
    client.force_login(reviewer)
    assert client.post(send_page, {"action": "now"}).status_code == 403
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


# Sending


def test_send_now_reaches_every_active_subscriber_once_with_a_personal_one_click_unsubscribe(editor_client, mailoutbox):
    issue = draft_issue(research_article(title="Tamoxifen for ten years"))
    active = [NewsletterSubscriptionFactory() for _ in range(3)]
    NewsletterSubscriptionFactory(pending=True)
    NewsletterSubscriptionFactory(unsubscribed=True)

    response = editor_client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]), {"action": "now"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED
    assert services.start(issue.pk)
    assert services.send_batch(issue.pk, size=10).finished

    assert to_whom(mailoutbox) == sorted(subscription.email for subscription in active)
    links = {unsubscribe_url(message) for message in mailoutbox}
    assert len(links) == 3  # one each
    for message in mailoutbox:
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe_url(message) in message.body and unsubscribe_url(message) in html_of(message)
        assert "Tamoxifen for ten years" in html_of(message)

    # A mail program's one-click unsubscribe: a POST with that body, no cookie, no CSRF token.
    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(
        unsubscribe_url(mailoutbox[0]), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert NewsletterSubscription.objects.get(email=mailoutbox[0].to[0]).unsubscribed_at is not None

    counted = Issue.objects.with_counts().get()
    assert (counted.status, counted.recipients, counted.sent_count, counted.failed_count) == ("sent", 3, 3, 0)
    assert counted.unsubscribed_count == 1


def test_opening_the_unsubscribe_link_only_asks_so_mail_scanners_unsubscribe_nobody(client, mailoutbox):
    issue = draft_issue(research_article())
    NewsletterSubscriptionFactory()
    send_whole_issue(issue)
    link = unsubscribe_url(mailoutbox[0])

    response = client.get(link)

    assert "Unsubscribe from research news?" in page(response)
    assert NewsletterSubscription.objects.get().is_active
    client.post(link)
    assert not NewsletterSubscription.objects.get().is_active


def test_readers_who_turned_personalisation_on_get_recommendations_others_none(mailoutbox):
    section = SectionFactory(name="Treatment")
    in_issue = research_article(title="In the issue", section=section)
    recommended = ArticleFactory(section=section, title="Hormone therapy side effects, explained")
    opted_in = UserFactory(email="opted-in@example.org")
    ProfileFactory(user=opted_in, sections=[section])
    FavoriteFactory(user=opted_in, article=ArticleFactory(section=section))
    not_opted = UserFactory(email="not-opted@example.org")
    ProfileFactory(user=not_opted, sections=[section], personalisation=False)
    for user in (opted_in, not_opted):
        NewsletterSubscriptionFactory(email=user.email, user=user)
    NewsletterSubscriptionFactory(email="no-account@example.org")

    send_whole_issue(draft_issue(in_issue))

    by_address = {message.to[0]: message for message in mailoutbox}
    personal = by_address["opted-in@example.org"]
    assert "Recommended for you" in html_of(personal) and "RECOMMENDED FOR YOU" in personal.body
    assert recommended.title in html_of(personal)
    block = html_of(personal).split("Recommended for you", 1)[1]
    assert "In the issue" not in block  # the issue's own articles are not recommended again
    assert 'style="' in block
    for address in ("not-opted@example.org", "no-account@example.org"):
        assert "Recommended for you" not in html_of(by_address[address])
        assert "RECOMMENDED FOR YOU" not in by_address[address].body


def test_an_article_taken_down_after_drafting_is_not_sent(mailoutbox):
    kept, withdrawn = research_article(title="Still live"), research_article(title="Withdrawn study")
    issue = draft_issue(kept, withdrawn)
    services.schedule(issue, at=timezone.now())
    withdrawn.status = withdrawn.Status.DRAFT
    withdrawn.save()
    NewsletterSubscriptionFactory()

    assert services.start(issue.pk)
    services.send_batch(issue.pk)

    [message] = mailoutbox
    assert "Still live" in message.body and "Withdrawn study" not in message.body
    assert "Withdrawn study" not in html_of(message)


def test_batches_stop_and_resume_without_skipping_or_repeating_anyone(mailoutbox):
    issue = draft_issue(research_article())
    subscribers = [NewsletterSubscriptionFactory() for _ in range(5)]
    services.schedule(issue, at=timezone.now())
    services.start(issue.pk)

    first = services.send_batch(issue.pk, size=2)
    # Someone who subscribes mid-issue gets the next issue, not this one; someone who leaves gets no more.
    NewsletterSubscriptionFactory(email="late@example.org")
    NewsletterSubscription.objects.filter(pk=subscribers[4].pk).update(unsubscribed_at=timezone.now())
    second = services.send_batch(issue.pk, size=2)
    third = services.send_batch(issue.pk, size=2)

    assert (first.sent, first.finished) == (2, False)
    assert (second.sent, second.finished) == (2, False)
    assert (third.sent, third.skipped, third.finished) == (0, 1, True)
    assert to_whom(mailoutbox) == sorted(subscription.email for subscription in subscribers[:4])
    assert services.send_batch(issue.pk).sent == 0  # the issue is sent: nothing more goes


def test_a_mail_server_that_is_down_leaves_everyone_waiting_and_loses_nobody(settings, mailoutbox):
    issue = draft_issue(research_article())
    subscribers = [NewsletterSubscriptionFactory() for _ in range(3)]
    services.schedule(issue, at=timezone.now())
    services.start(issue.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens there

    with pytest.raises(services.DeliveryFailed):
        services.send_batch(issue.pk)

    assert set(issue.deliveries.values_list("state", flat=True)) == {Delivery.State.WAITING}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_batch(issue.pk).finished
    assert to_whom(mailoutbox) == sorted(subscription.email for subscription in subscribers)


class RefusingBackend(locmem.EmailBackend):
    """A mail server that refuses one address, as a real one refuses a mailbox that does not exist."""

    def send_messages(self, messages):
        for message in messages:
            if "bounce" in message.to[0]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such mailbox")})
        return super().send_messages(messages)


def test_a_refused_address_fails_on_its_own_is_shown_and_the_rest_go(settings, editor_client, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    issue = draft_issue(research_article())
    NewsletterSubscriptionFactory(email="bounce@example.org")
    fine = NewsletterSubscriptionFactory()

    send_whole_issue(issue)

    assert to_whom(mail.outbox) == [fine.email]
    failed = Delivery.objects.get(state=Delivery.State.FAILED)
    assert "No such mailbox" in failed.error
    send_page = page(editor_client.get(reverse("admin:newsletter_issue_send", args=[issue.pk])))
    assert re.search(r"Failed</th><td><a [^>]*>1</a>", send_page)


def test_rate_limited_batches_wait_their_turn(settings):
    settings.NEWSLETTER_EMAILS_PER_MINUTE = 600  # ten a second
    started = time.monotonic()
    assert 9.5 < services.pause_after_batch(100, started) <= 10
    settings.NEWSLETTER_EMAILS_PER_MINUTE = 0
    assert services.pause_after_batch(100, started) == 0


# Scheduling


def test_a_scheduled_issue_starts_at_its_time_and_can_go_back_to_draft_before(editor_client):
    issue = draft_issue(research_article())
    NewsletterSubscriptionFactory()
    send_page = reverse("admin:newsletter_issue_send", args=[issue.pk])
    later = timezone.localtime() + timedelta(days=1)

    response = editor_client.post(
        send_page, {"action": "schedule", "send_at_0": f"{later:%Y-%m-%d}", "send_at_1": f"{later:%H:%M}"}
    )

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED
    assert services.due_issues() == ([], [])
    assert not services.start(issue.pk)  # too early
    assert services.due_issues(now=issue.send_at) == ([issue.pk], [])

    editor_client.post(send_page, {"action": "unschedule"})
    issue.refresh_from_db()
    assert (issue.status, issue.send_at) == (Issue.Status.DRAFT, None)
    assert not services.start(issue.pk)


def test_a_time_in_the_past_is_refused_with_a_clear_message(editor_client):
    issue = draft_issue(research_article())
    earlier = timezone.localtime() - timedelta(hours=1)

    response = editor_client.post(
        reverse("admin:newsletter_issue_send", args=[issue.pk]),
        {"action": "schedule", "send_at_0": f"{earlier:%Y-%m-%d}", "send_at_1": f"{earlier:%H:%M}"},
    )

    assert response.status_code == 200
    assert "Choose a time in the future" in page(response)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_a_sent_issue_cannot_be_edited_or_sent_again(editor_client, mailoutbox):
    issue = send_whole_issue(draft_issue(research_article()))
    change = reverse("admin:newsletter_issue_change", args=[issue.pk])

    assert editor_client.post(change, {"subject": "Changed"}).status_code == 403
    editor_client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]), {"action": "now"})
    with pytest.raises(services.CannotSend):
        services.schedule(issue, at=timezone.now())


# The weekly digest


def test_weekly_emails_are_due_on_monday_from_nine_site_time_for_a_day():
    monday_nine = timezone.make_aware(datetime(2026, 7, 6, 9, 0))  # London summer time: 08:00 UTC
    assert weekly_moment_due(monday_nine) == monday_nine
    assert weekly_moment_due(monday_nine + timedelta(hours=23)) == monday_nine  # a worker down at nine
    assert weekly_moment_due(monday_nine - timedelta(minutes=1)) is None
    assert weekly_moment_due(monday_nine + timedelta(days=1)) is None


def test_the_weekly_digest_is_made_once_a_week_and_only_with_news():
    monday_nine = weekly_moment_due(timezone.now()) or timezone.make_aware(datetime(2026, 7, 6, 9, 0))
    assert services.create_weekly_digest(now=monday_nine) is None  # no research news
    article = research_article()
    assert services.create_weekly_digest(now=monday_nine - timedelta(hours=1)) is None  # not due yet

    digest = services.create_weekly_digest(now=monday_nine + timedelta(hours=2))

    assert digest.is_weekly_digest and digest.status == Issue.Status.SCHEDULED
    assert list(digest.items.values_list("article", flat=True)) == [article.pk]
    assert digest.subject.startswith("This week in research news")
    assert services.create_weekly_digest(now=monday_nine + timedelta(hours=3)) is None  # made already


def test_send_page_query_budget_does_not_grow_with_articles_or_recipients(editor_client, django_assert_max_num_queries):
    issue = draft_issue(*[research_article() for _ in range(2)])
    url = reverse("admin:newsletter_issue_send", args=[issue.pk])
    with django_assert_max_num_queries(12) as few:
        editor_client.get(url)
    IssueArticle.objects.bulk_create(
        IssueArticle(issue=issue, article=research_article(), position=9) for _ in range(5)
    )
    for _ in range(5):
        NewsletterSubscriptionFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(url)


@pytest.mark.usefixtures("empty_queue")  # committed, as a worker's job is
def test_the_weekly_digest_job_acts_only_when_switched_on_and_due(settings):
    research_article()
    monday_nine = timezone.make_aware(datetime(2026, 7, 6, 9, 0))
    settings.NEWSLETTER_WEEKLY_DIGEST = False
    tasks.weekly_digest(timestamp=(monday_nine + timedelta(hours=1)).timestamp())
    assert not Issue.objects.exists()

    settings.NEWSLETTER_WEEKLY_DIGEST = True
    tasks.weekly_digest(timestamp=(monday_nine - timedelta(hours=1)).timestamp())
    assert not Issue.objects.exists()
    tasks.weekly_digest(timestamp=(monday_nine + timedelta(hours=1)).timestamp())
    assert Issue.objects.get().is_weekly_digest
