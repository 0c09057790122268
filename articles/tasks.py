"""Editorial work the task queue does on a schedule (Procrastinate; see the README)."""

import logging
from datetime import UTC, datetime

from django.utils import timezone
from procrastinate.contrib.django import app

from newsroom.jobs import fresh_connections
from newsroom.weekly import weekly_moment_due

from .services import review_reminders_send

logger = logging.getLogger(__name__)


# Hourly, acting on Mondays from 09:00 site time for a day (newsroom/weekly.py), so a worker that was down at
# nine still sends the week's reminders. The week is that Monday's, so later runs send nothing already sent;
# the queueing lock keeps at most one waiting.
@app.periodic(cron="0 * * * *", periodic_id="review_reminders")
@app.task(queue="maintenance", queueing_lock="review_reminders")
def send_review_reminders(timestamp):
    moment = weekly_moment_due(datetime.fromtimestamp(timestamp, UTC))
    if moment is None:
        return
    with fresh_connections():
        today = timezone.localdate(moment)
        sent = review_reminders_send(today=today)
        logger.info("Overdue medical reviews for the week of %s: %s notifications", today, sent)
