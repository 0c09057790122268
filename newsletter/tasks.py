"""Sending research news on the task queue: issues start at their time and go out in batches."""

import contextlib
import time
from datetime import UTC, datetime

from django.conf import settings
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.exceptions import AlreadyEnqueued

from newsroom.jobs import fresh_connections

from . import services

# A mail server that is down: the batch is tried again after 10 s, 100 s, about 17 minutes and about 3 hours;
# after that the minute's check starts a new batch job, for as long as the issue has anyone waiting.
RETRIES = RetryStrategy(max_attempts=5, exponential_wait=10, retry_exceptions={services.DeliveryFailed})


@app.task(queue="newsletter")
def start_issue(issue_id):
    with fresh_connections():
        if services.start(issue_id):
            defer_batch(issue_id)


@app.task(queue="newsletter", retry=RETRIES)
def send_issue_batch(issue_id):
    started = time.monotonic()
    with fresh_connections():
        batch = services.send_batch(issue_id)
        if not batch.finished:
            defer_batch(issue_id, after=services.pause_after_batch(batch.sent + batch.failed, started))


def defer_batch(issue_id, *, after=0):
    """Queue the issue's next batch; one waits at most (its queueing lock)."""
    with contextlib.suppress(AlreadyEnqueued):
        send_issue_batch.configure(queueing_lock=f"newsletter-issue-{issue_id}", schedule_in={"seconds": after}).defer(
            issue_id=issue_id
        )


def batch_queued_or_running(issue_id):
    return ProcrastinateJob.objects.filter(
        task_name=send_issue_batch.name, args__issue_id=issue_id, status__in=["todo", "doing"]
    ).exists()


@app.periodic(cron="* * * * *", periodic_id="newsletter_due")
@app.task(queue="newsletter", queueing_lock="newsletter_due")
def send_due_issues(timestamp):
    """Every minute: start scheduled issues whose time has come, and keep sending any issue with subscribers
    waiting and no batch queued (its last batch gave up while the mail server was down)."""
    with fresh_connections():
        scheduled, sending = services.due_issues()
        started = [issue_id for issue_id in scheduled if services.start(issue_id)]
        for issue_id in started + [issue_id for issue_id in sending if not batch_queued_or_running(issue_id)]:
            defer_batch(issue_id)


# Hourly, acting on Mondays from 09:00 site time (newsroom/weekly.py): cron times are UTC, and a worker that
# was down at nine still sends the week's digest.
@app.periodic(cron="0 * * * *", periodic_id="weekly_digest")
@app.task(queue="newsletter", queueing_lock="weekly_digest")
def weekly_digest(timestamp):
    """With NEWSLETTER_WEEKLY_DIGEST on: the research news since the last issue, if any, once a week."""
    if settings.NEWSLETTER_WEEKLY_DIGEST:
        with fresh_connections():
            services.create_weekly_digest(now=datetime.fromtimestamp(timestamp, tz=UTC))
