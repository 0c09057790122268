"""Recommendation work the task queue does in the background (Procrastinate; see the README)."""

import logging

from procrastinate.contrib.django import app

from newsroom.jobs import fresh_connections

from .services import rebuild_precomputed

logger = logging.getLogger(__name__)


# Hourly, at the hour. The queueing lock keeps at most one waiting: a worker that was down for a day runs
# one rebuild when it is back, not twenty-four.
@app.periodic(cron="0 * * * *", periodic_id="hourly")
@app.task(queue="maintenance", queueing_lock="rebuild_recommendations")
def rebuild_recommendations(timestamp):
    with fresh_connections():
        rebuilt = rebuild_precomputed()
        logger.info("Recommendations rebuilt for the hour starting at %s: %s", timestamp, rebuilt)
