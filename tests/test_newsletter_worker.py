"""Sending research news with real workers: a worker killed in the middle of an issue (SIGKILL, as when its
machine is lost) leaves the rest waiting, and the next worker sends to exactly those, so nobody is skipped and
nobody gets it twice."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from email import message_from_string
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail.backends import filebased
from django.db import connection
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from newsletter import services
from newsletter.models import Delivery, Issue, IssueArticle
from newsroom import tasks as upkeep

from .factories import ArticleFactory, NewsletterSubscriptionFactory, ResearchFactsFactory
from .test_task_queue import in_own_thread

BLOCKED_ADDRESS = "reader-03@example.org"
STARTUP_SECONDS = 60


class StallingBackend(filebased.EmailBackend):
    """Django's file backend, but the first message to BLOCKED_ADDRESS hangs, as a mail server that stopped
    answering would, after saying so in `<EMAIL_FILE_PATH>/stalled`, so the test can kill the worker there."""

    def send_messages(self, messages):
        stalled = Path(self.file_path) / "stalled"
        for message in messages:
            if BLOCKED_ADDRESS in message.to and not stalled.exists():
                stalled.write_text(message.to[0])
                time.sleep(3600)
        return super().send_messages(messages)


def worker(mail_dir, *extra):
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "EMAIL_BACKEND": f"{__name__}.StallingBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "NEWSLETTER_EMAILS_PER_MINUTE": "0",
        "NEWSLETTER_BATCH_SIZE": "100",
    }
    command = [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "newsletter,maintenance", *extra]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment, stderr=subprocess.DEVNULL)


def retry_stalled_jobs():
    """The upkeep job, run as a worker runs it: on its own event loop and connection pool."""

    async def run():
        async with app.open_async():
            await upkeep.retry_stalled_jobs(timestamp=0)

    with app.replace_connector(app.connector.get_worker_connector()):
        in_own_thread(lambda: asyncio.run(run()))


def recipients_written(mail_dir):
    """Every address an email was written to, one entry per email, from the file backend's files."""
    found = []
    for path in Path(mail_dir).glob("*.log"):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                found.append(message_from_string(chunk.strip())["To"])
    return sorted(found)


@pytest.mark.usefixtures("empty_queue")
def test_a_worker_killed_mid_issue_leaves_the_rest_to_the_next_without_skipping_or_repeating(tmp_path, monkeypatch):
    article = ArticleFactory()
    ResearchFactsFactory(article=article)
    issue = Issue.objects.create(subject="Research news, a restart")
    IssueArticle.objects.create(issue=issue, article=article, position=1)
    subscribers = [NewsletterSubscriptionFactory(email=f"reader-{n:02}@example.org") for n in range(1, 7)]
    services.schedule(issue, at=timezone.now())

    first = worker(tmp_path)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not (tmp_path / "stalled").exists():
            assert time.monotonic() < deadline, "the worker never reached the stalled address"
            assert first.poll() is None, "the worker stopped on its own"
            time.sleep(0.2)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()

    # Killed while the mail server held the third email: two went, and four wait, that one among them.
    before = recipients_written(tmp_path)
    assert before == ["reader-01@example.org", "reader-02@example.org"]
    waiting = issue.deliveries.filter(state=Delivery.State.WAITING)
    assert waiting.count() == 4
    assert ProcrastinateJob.objects.get(task_name="newsletter.tasks.send_issue_batch").status == "doing"

    # The upkeep job finds the dead worker's job and queues it again; the next worker finishes the issue.
    monkeypatch.setattr(upkeep, "STALLED_AFTER_SECONDS", 0)
    retry_stalled_jobs()
    second = worker(tmp_path, "--one-shot")
    assert second.wait(timeout=STARTUP_SECONDS) == 0

    assert recipients_written(tmp_path) == sorted(subscription.email for subscription in subscribers)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.deliveries.filter(state=Delivery.State.SENT).count() == 6
