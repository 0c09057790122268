"""Reader work the task queue does on a schedule (Procrastinate; see the README): alerts for followed topics."""

import logging
from datetime import UTC, datetime

from procrastinate.contrib.django import app

from newsroom.jobs import fresh_connections
from newsroom.weekly import weekly_moment_due

from . import services

logger = logging.getLogger(__name__)


# Every minute: a scheduled article alerts within a minute of its time. The queueing lock keeps at most one
# sweep waiting, so a worker back after a while runs one, not one per minute missed.
@app.periodic(cron="* * * * *", periodic_id="topic-alerts")
@app.task(queue="email", queueing_lock="send_topic_alerts")
def send_topic_alerts(timestamp):
    with fresh_connections():
        queued = services.topic_alerts_send()
        if queued:
            logger.info("Topic alerts queued: %s", queued)


# Hourly, acting on Mondays from 09:00 site time (newsroom/weekly.py): cron times are UTC, and a worker that
# was down at nine still sends the week's digests. Each covers the week before that Monday 09:00, under that
# week's send key, so later runs in the day send nothing more.
@app.periodic(cron="0 * * * *", periodic_id="weekly-topic-digests")
@app.task(queue="email", queueing_lock="send_weekly_digests")
def send_weekly_digests(timestamp):
    moment = weekly_moment_due(datetime.fromtimestamp(timestamp, tz=UTC))
    if moment is None:
        return
    with fresh_connections():
        queued = services.weekly_digests_send(now=moment)
        logger.info("Weekly topic digests queued: %s", queued)
