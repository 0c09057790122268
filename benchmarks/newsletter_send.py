# ruff: noqa: E402  (Django must be configured before the project's modules are imported)
"""Newsletter benchmark: one research-news issue sent to 100,000 generated subscribers, through Django's file
mail backend (every email rendered and written as it would go to a mail server), in batches as the worker
sends them. Reports the time and the process's peak memory after each quarter of the list, so a list four
times longer can be seen to need no more memory.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/newsletter_send.py [--subscribers 100000] [--personalised 1000] \\
        [--batch 500] [--keep] [--database NAME] [--json]

DATABASE_URL only says which PostgreSQL server to use: the script makes its own scratch database there and
drops it afterwards (unless --keep). `--personalised` subscribers are readers with an account who turned
personalisation on: their emails carry a "Recommended for you" block from the engine. Target (issue 11):
under 5 minutes for 100,000, memory flat as the list grows.
"""

import argparse
import json
import os
import resource
import shutil
import tempfile
import time

from scratch import ScratchDatabase, add_scratch_arguments, log  # benchmarks/scratch.py, beside this script

DEFAULT_SCRATCH_DATABASE = "newsroom_newsletter_scratch"
SCRATCH_MARKER = "Scratch database made by benchmarks/newsletter_send.py"
ARTICLES_IN_ISSUE = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=100_000, help="subscribers (default 100000)")
    parser.add_argument(
        "--personalised", type=int, default=1_000, help="of them, readers who opted in to recommendations (1000)"
    )
    parser.add_argument("--batch", type=int, default=500, help="emails per batch (default 500)")
    add_scratch_arguments(parser, DEFAULT_SCRATCH_DATABASE)
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of Markdown")
    return parser.parse_args()


ARGS = parse_args()
MAIL_DIR = tempfile.mkdtemp(prefix="newsletter-benchmark-")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
os.environ["EMAIL_FILE_PATH"] = MAIL_DIR
SCRATCH = ScratchDatabase(ARGS.database, SCRATCH_MARKER)
SCRATCH.configure_django()

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Favorite, NewsletterSubscription, Profile, User
from articles.models import Article, ResearchFacts, Section
from newsletter import services
from newsletter.models import Delivery, Issue, IssueArticle


def peak_memory_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def generate():
    """Articles (some in the issue, others for recommendations), subscribers in one statement, and readers
    who opted in, each with a few saves for the engine to go on."""
    now = timezone.now()
    section = Section.objects.create(name="Research News", slug="research-news")
    articles = Article.objects.bulk_create(
        Article(
            title=f"Study number {n}: what it found",
            slug=f"study-{n}",
            summary="A new study, what it found, and what it means for readers, in two sentences.",
            body="<p>The article.</p>",
            section=section,
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(hours=n + 1),
        )
        for n in range(60)
    )
    ResearchFacts.objects.bulk_create(
        ResearchFacts(article=article, study_type=ResearchFacts.StudyType.OBSERVATIONAL)
        for article in articles[:ARTICLES_IN_ISSUE]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {NewsletterSubscription._meta.db_table} (email, created_at, confirmed_at) "
            "SELECT 'subscriber' || n || '@example.org', now(), now() FROM generate_series(1, %s) AS n",
            [ARGS.subscribers - ARGS.personalised],
        )
    password = make_password(None)
    readers = User.objects.bulk_create(
        User(email=f"reader{n}@example.org", password=password) for n in range(ARGS.personalised)
    )
    Profile.objects.bulk_create(Profile(user=reader, personalisation=True) for reader in readers)
    Favorite.objects.bulk_create(
        Favorite(user=reader, article=articles[ARTICLES_IN_ISSUE + (n + step) % 50])
        for n, reader in enumerate(readers)
        for step in range(3)
    )
    NewsletterSubscription.objects.bulk_create(
        NewsletterSubscription(email=reader.email, user=reader, confirmed_at=now) for reader in readers
    )
    with transaction.atomic():
        issue = Issue.objects.create(subject=services.default_subject(), introduction="This month's research news.")
        IssueArticle.objects.bulk_create(
            IssueArticle(issue=issue, article=article, position=n) for n, article in enumerate(articles[:5], 1)
        )
    return issue


def send(issue):
    services.schedule(issue, at=timezone.now())
    started = time.perf_counter()
    services.start(issue.pk)
    start_seconds = time.perf_counter() - started
    log(f"Sending started: {issue.deliveries.count()} deliveries written in {start_seconds:.1f} s")
    quarters, total, next_quarter = [], ARGS.subscribers, ARGS.subscribers // 4
    done = 0
    while True:
        batch = services.send_batch(issue.pk, size=ARGS.batch)
        done += batch.sent + batch.failed + batch.skipped
        if done >= next_quarter or batch.finished:
            quarters.append({"sent": done, "seconds": round(time.perf_counter() - started, 1),
                             "peak_mb": round(peak_memory_mb(), 1)})  # fmt: skip
            log(f"  {done} sent, {quarters[-1]['seconds']} s, peak memory {quarters[-1]['peak_mb']} MB")
            next_quarter += total // 4
        if batch.finished:
            break
    return start_seconds, time.perf_counter() - started, quarters


def main():
    with SCRATCH.for_run(reuse=False, keep=ARGS.keep):
        log(f"Generating {ARGS.subscribers} subscribers ({ARGS.personalised} with recommendations)")
        issue = generate()
        memory_before = peak_memory_mb()
        start_seconds, seconds, quarters = send(issue)
        counted = Issue.objects.with_counts().get(pk=issue.pk)
        written = sum(entry.stat().st_size for entry in os.scandir(MAIL_DIR))
        personal = Delivery.objects.filter(issue=issue, subscription__user__isnull=False).count()
    shutil.rmtree(MAIL_DIR)
    result = {
        "subscribers": ARGS.subscribers,
        "with_recommendations": personal,
        "batch": ARGS.batch,
        "sent": counted.sent_count,
        "failed": counted.failed_count,
        "start_seconds": round(start_seconds, 1),
        "total_seconds": round(seconds, 1),
        "emails_per_second": round(counted.sent_count / seconds),
        "mail_written_mb": round(written / 2**20),
        "peak_mb_before_sending": round(memory_before, 1),
        "quarters": quarters,
    }
    if ARGS.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['sent']} of {ARGS.subscribers} sent ({personal} with recommendations, {result['failed']} failed) "
          f"in {result['total_seconds']} s ({result['emails_per_second']} a second; writing the deliveries took "
          f"{result['start_seconds']} s); {result['mail_written_mb']} MB of mail written.")  # fmt: skip
    print(f"Peak memory before sending: {result['peak_mb_before_sending']} MB.\n")
    print("| sent | seconds | peak memory (MB) |\n|---:|---:|---:|")
    for quarter in quarters:
        print(f"| {quarter['sent']} | {quarter['seconds']} | {quarter['peak_mb']} |")


if __name__ == "__main__":
    main()
