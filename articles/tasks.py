"""Editorial work the task queue does on a schedule (Procrastinate; see the README)."""

import logging
from datetime import UTC, datetime

from django.db import close_old_connections
from django.utils import timezone
from procrastinate.contrib.django import app

from .services import review_reminders_send

logger = logging.getLogger(__name__)


# Mondays at 08:00 UTC. The week is the tick's, so a run that waited for a worker still counts as that week's
# and sends nothing already sent; the queueing lock keeps at most one waiting.
@app.periodic(cron="0 8 * * 1", periodic_id="review_reminders")
@app.task(queue="maintenance", queueing_lock="review_reminders")
def send_review_reminders(timestamp):
    # A worker thread keeps its database connection between jobs: Django closes stale ones only around a
    # request, so do it around each job.
    close_old_connections()
    try:
        today = timezone.localdate(datetime.fromtimestamp(timestamp, UTC))
        sent = review_reminders_send(today=today)
        logger.info("Overdue medical reviews for the week of %s: %s notifications", today, sent)
    finally:
        close_old_connections()
