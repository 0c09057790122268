"""The research-news newsletter: drafting an issue, previewing it, and sending it to every subscriber.

Sending starts by writing one delivery row per subscriber, in one statement; from then on batches send to the
waiting rows in order, one worker at a time per issue, each row marked (committed) as soon as the mail server
took its email. A worker stopped mid-issue leaves only rows still waiting: the next batch sends exactly those.
The one email that can go twice is one the mail server took in the instant before the worker died, before its
row was marked: no sender can close that gap, and it is one, not a batch.
"""

import logging
import smtplib
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from accounts.models import NewsletterSubscription
from accounts.services import newsletter_unsubscribe_link
from articles.models import Article
from newsroom import links
from newsroom.weekly import weekly_moment_due
from outbox.services import queue_email
from recommendations.services import recommendations_for

from .models import Delivery, Issue, IssueArticle

logger = logging.getLogger(__name__)

# The first issue covers the research news of the past month; later ones, what came since the last.
FIRST_ISSUE_COVERS = timedelta(days=30)
RECOMMENDED_IN_ISSUE = 3
SENDING_LOCK = 8058  # the advisory lock space of issues being sent (an RFC's number, to be recognisable)
# Where the personal parts go in an issue rendered once for everyone.
UNSUBSCRIBE_MARK = "newsletter-unsubscribe-link-0f3c"
RECOMMENDED_MARK = "newsletter-recommended-block-0f3c"

_inliner = css_inline.CSSInliner(load_remote_stylesheets=False)


class CannotSend(Exception):
    """Why an issue cannot be sent or scheduled now, in words for the editor."""


class DeliveryFailed(Exception):
    """The mail server did not answer; the batch is tried again later, from the same subscriber."""


# Drafting


def research_news(*, since):
    """What an issue reports: articles about a study, visible to readers, published after `since`."""
    return Article.objects.visible().filter(research_facts__isnull=False, publish_at__gt=since).newest_first()


def news_since():
    """Where a new issue's news starts: when the last issue went out."""
    last = Issue.objects.exclude(started_at=None).order_by("-started_at").values_list("started_at", flat=True)
    return last.first() or timezone.now() - FIRST_ISSUE_COVERS


def default_subject(now=None, *, title="Research news"):
    return f"{title}, {date_format(timezone.localtime(now or timezone.now()), 'j F Y')}"


def create_weekly_digest(now=None):
    """The weekly digest, when this week's is due and not yet made: an issue of the research news since the
    last issue, sent at once; None when it is not due, was made already, or there is no news to report."""
    now = now or timezone.now()
    moment = weekly_moment_due(now)
    if moment is None or Issue.objects.filter(is_weekly_digest=True, created_at__gte=moment).exists():
        return None
    articles = list(research_news(since=news_since()).values_list("pk", flat=True))
    if not articles:
        return None
    with transaction.atomic():
        subject = default_subject(now, title="This week in research news")
        issue = Issue.objects.create(subject=subject, is_weekly_digest=True)
        IssueArticle.objects.bulk_create(
            IssueArticle(issue=issue, article_id=pk, position=number) for number, pk in enumerate(articles, 1)
        )
        return schedule(issue, at=now)


# Rendering: once per issue, then only the personal parts per subscriber


@dataclass
class IssueContent:
    issue: Issue
    articles: list
    html: str
    text: str

    def message_for(self, subscription, *, recommended=None):
        unsubscribe = unsubscribe_link(subscription)
        block_html, block_text = recommended_block(recommended) if recommended else ("", "")
        html = self.html.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(RECOMMENDED_MARK, block_html)
        text = self.text.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(RECOMMENDED_MARK, block_text)
        message = EmailMultiAlternatives(
            self.issue.subject,
            text,
            settings.DEFAULT_FROM_EMAIL,
            [subscription.email],
            headers=unsubscribe_headers(unsubscribe),
        )
        message.attach_alternative(html, "text/html")
        return message


def unsubscribe_link(subscription):
    return newsletter_unsubscribe_link(subscription=subscription, base_url=settings.SITE_URL)


def unsubscribe_headers(link):
    """RFC 2369 and RFC 8058: mail programs offer an unsubscribe button that POSTs to the link."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def base_context():
    return {"site_name": settings.SITE_NAME, "tagline": settings.SITE_TAGLINE, "site_url": settings.SITE_URL}


def issue_content(issue):
    """The issue rendered for everyone (HTML with its CSS inlined, and plain text); only articles readers can
    see now are in it, whatever was chosen when it was drafted."""
    chosen = list(issue.items.values_list("article_id", flat=True))
    visible = Article.objects.visible().filter(pk__in=chosen).for_cards().in_bulk()
    articles = [visible[pk] for pk in chosen if pk in visible]
    context = {
        **base_context(),
        "issue": issue,
        "articles": articles,
        "introduction": paragraphs(issue.introduction),
        "unsubscribe_link": UNSUBSCRIBE_MARK,
        "recommended_block": RECOMMENDED_MARK,
    }
    html = _inliner.inline(render_to_string("newsletter/email/issue.html", context))
    text = render_to_string("newsletter/email/issue.txt", context)
    return IssueContent(issue=issue, articles=articles, html=html, text=text)


def paragraphs(text):
    """Paragraphs of text typed in a browser (CRLF line ends), split at blank lines."""
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def recommended_block(recommended):
    context = {**base_context(), "recommended": recommended, "profile_path": links.reverse("accounts:profile")}
    css = render_to_string("newsletter/email/style.css")
    html = _inliner.inline_fragment(render_to_string("newsletter/email/recommended.html", context), css)
    return mark_safe(html), render_to_string("newsletter/email/recommended.txt", context)


def recommended_for(subscription, content):
    """A few recommendations from the engine for a subscriber with an account who turned personalisation on
    (none for anyone else), leaving out the issue's own articles."""
    if subscription.user_id is None or not subscription.user.is_active:
        return None
    in_issue = {article.pk for article in content.articles}
    found = recommendations_for(subscription.user, limit=RECOMMENDED_IN_ISSUE + len(in_issue))
    if not found:
        return None
    return [item for item in found if item.article.pk not in in_issue][:RECOMMENDED_IN_ISSUE] or None


def message_for_reader(issue, *, reader, content):
    """The issue as `reader` would receive it (with their recommendations if they opted in), to see or test."""
    subscription = NewsletterSubscription(pk=0, email=reader.email, user=reader)
    return content.message_for(subscription, recommended=recommended_for(subscription, content))


def preview(issue, *, reader):
    """(HTML, text) of the issue as a subscriber sees it."""
    message = message_for_reader(issue, reader=reader, content=issue_content(issue))
    return message.alternatives[0].content, message.body


def send_test(issue, *, reader):
    """Queue the issue to an editor's own address, marked as a test, headers and all."""
    content = issue_content(issue)
    if not content.articles:
        raise CannotSend(NO_ARTICLES)
    message = message_for_reader(issue, reader=reader, content=content)
    queue_email(
        to=reader.email,
        subject=f"[Test] {issue.subject}",
        body=message.body,
        html_body=message.alternatives[0].content,
        headers=message.extra_headers,
    )


# Scheduling and starting

NO_ARTICLES = "The issue has no article that readers can see now: add one, or publish those it lists."


def schedule(issue, *, at):
    """Send the issue at `at` (now or later). Only a draft, with an article readers can see, can be scheduled."""
    from .tasks import start_issue

    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != Issue.Status.DRAFT:
            raise CannotSend(f"This issue is {issue.get_status_display().lower()} already.")
        if not issue_content(issue).articles:
            raise CannotSend(NO_ARTICLES)
        issue.status, issue.send_at = Issue.Status.SCHEDULED, at
        issue.save(update_fields=["status", "send_at"])
        start_issue.configure(schedule_at=at).defer(issue_id=issue.pk)
    return issue


def unschedule(issue):
    """A scheduled issue back to a draft, before it starts."""
    updated = Issue.objects.filter(pk=issue.pk, status=Issue.Status.SCHEDULED).update(
        status=Issue.Status.DRAFT, send_at=None
    )
    if not updated:
        raise CannotSend("Only a scheduled issue that has not started can go back to draft.")


def start(issue_id, now=None):
    """Start sending a scheduled issue whose time has come: one delivery row for every subscriber now, in one
    statement (the list is fixed here: who subscribes later gets the next issue). True if this call started it."""
    now = now or timezone.now()
    with transaction.atomic():
        issue = Issue.objects.select_for_update().filter(pk=issue_id, status=Issue.Status.SCHEDULED).first()
        if issue is None or issue.send_at > now:
            return False
        active = NewsletterSubscription.objects.active().order_by("pk").values("pk")
        subscribers, params = active.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Delivery._meta.db_table} (issue_id, subscription_id, state, error) "
                f"SELECT %s, subscriber.id, %s, '' FROM ({subscribers}) AS subscriber (id)",
                [issue.pk, Delivery.State.WAITING, *params],
            )
            recipients = cursor.rowcount
        issue.status, issue.started_at, issue.recipients = Issue.Status.SENDING, now, recipients
        issue.save(update_fields=["status", "started_at", "recipients"])
    return True


def due_issues(now=None):
    """Scheduled issues whose time has come, and issues still sending: what the minute's check starts or
    keeps going (a worker that died mid-issue, or a mail server down longer than the retries lasted)."""
    now = now or timezone.now()
    scheduled = Issue.objects.filter(status=Issue.Status.SCHEDULED, send_at__lte=now)
    return list(scheduled.values_list("pk", flat=True)), list(
        Issue.objects.filter(status=Issue.Status.SENDING).values_list("pk", flat=True)
    )


# Sending


@dataclass(frozen=True)
class Batch:
    sent: int
    failed: int
    skipped: int
    finished: bool  # nobody is left waiting


def send_batch(issue_id, *, size=None):
    """Send the issue to up to `size` waiting subscribers over one connection to the mail server. A mail
    server that is down or fails raises DeliveryFailed: the subscriber it failed on stays waiting. One worker
    sends an issue at a time (an advisory lock, which PostgreSQL lets go the moment a worker's connection
    dies); another finds it busy and sends nothing."""
    size = size or settings.NEWSLETTER_BATCH_SIZE
    with sending_lock(issue_id) as locked:
        issue = Issue.objects.filter(pk=issue_id, status=Issue.Status.SENDING).first()
        if issue is None:
            return Batch(0, 0, 0, finished=True)
        if not locked:
            return Batch(0, 0, 0, finished=False)
        content = issue_content(issue)
        waiting = (
            Delivery.objects.filter(issue=issue, state=Delivery.State.WAITING)
            .select_related("subscription__user")
            .order_by("pk")[:size]
        )
        counts = dict.fromkeys(Delivery.State.values, 0)
        try:
            with get_connection() as mail:
                for delivery in waiting:
                    counts[send_one(delivery, content, mail)] += 1
        except DeliveryFailed:
            raise
        except (smtplib.SMTPException, OSError) as error:  # the connection could not be opened or closed
            raise DeliveryFailed(describe(error)) from error
        finished = finish_if_done(issue)
    return Batch(counts[Delivery.State.SENT], counts[Delivery.State.FAILED], counts[Delivery.State.SKIPPED], finished)


@contextmanager
def sending_lock(issue_id):
    """The issue's advisory lock, if no other worker holds it. While it is held, commits do not wait for the
    disk (synchronous_commit off, about a fifth faster): a worker that dies loses nothing by it; only a crash
    of PostgreSQL itself could forget the last fraction of a second of marks, and those few would go again."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [SENDING_LOCK, issue_id])
        (locked,) = cursor.fetchone()
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield locked
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
            if locked:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [SENDING_LOCK, issue_id])


def send_one(delivery, content, mail):
    """Send the issue to one subscriber and mark it at once (a commit of its own), so a worker that dies next
    leaves this one marked; their new state."""
    subscription = delivery.subscription
    if subscription is None or not subscription.is_active:
        return mark(delivery, Delivery.State.SKIPPED)
    message = content.message_for(subscription, recommended=recommended_for(subscription, content))
    try:
        mail.send_messages([message])
    except (smtplib.SMTPRecipientsRefused, ValueError) as error:
        # This address is refused (or is not one): it will not work next time either.
        logger.warning(
            "Issue %s not delivered to subscriber %s: %s", delivery.issue_id, subscription.pk, describe(error)
        )
        return mark(delivery, Delivery.State.FAILED, error=describe(error))
    except Exception as error:  # the mail server: down, slow or failing; tried again from this subscriber
        failure = describe(error)
        mark(delivery, Delivery.State.WAITING, error=failure)
        logger.warning("Issue %s paused at subscriber %s: %s", delivery.issue_id, subscription.pk, failure)
        raise DeliveryFailed(failure) from error
    return mark(delivery, Delivery.State.SENT)


def mark(delivery, state, *, error=""):
    # Plain SQL: once per email, where building the ORM's UPDATE took as long as running it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Delivery._meta.db_table} SET state = %s, error = %s, sent_at = %s WHERE id = %s",
            [state, error[:2000], timezone.now() if state == Delivery.State.SENT else None, delivery.pk],
        )
    return state


def describe(error):
    return f"{type(error).__name__}: {error}"


def finish_if_done(issue):
    if issue.deliveries.filter(state=Delivery.State.WAITING).exists():
        return False
    Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
        status=Issue.Status.SENT, finished_at=timezone.now()
    )
    return True


def pause_after_batch(sent, started):
    """Seconds to wait before the next batch, so sending keeps to NEWSLETTER_EMAILS_PER_MINUTE (0: no limit)."""
    rate = settings.NEWSLETTER_EMAILS_PER_MINUTE
    if not rate:
        return 0
    return max(0.0, sent * 60 / rate - (time.monotonic() - started))
