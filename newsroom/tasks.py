"""The site's upkeep on the task queue: jobs left by a worker that died, expired sessions, old rate-limit windows."""

import logging

from procrastinate.contrib.django import app

from accounts import ratelimit
from accounts.sessions import SessionStore
from newsroom.jobs import fresh_connections

logger = logging.getLogger(__name__)

# A job whose worker has sent no heartbeat for this long died with it (killed, or its machine lost): run it
# again. Workers beat every 10 seconds.
STALLED_AFTER_SECONDS = 120


@app.periodic(cron="*/5 * * * *", periodic_id="stalled_jobs")
@app.task(queue="maintenance", queueing_lock="retry_stalled_jobs")
async def retry_stalled_jobs(timestamp):
    for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_SECONDS):
        logger.warning("Job %s (%s) was left by a worker that stopped; it runs again.", job.id, job.task_name)
        await app.job_manager.retry_job(job)


@app.periodic(cron="30 * * * *", periodic_id="hourly_cleanup")
@app.task(queue="maintenance", queueing_lock="clean_up")
def clean_up(timestamp):
    with fresh_connections():
        SessionStore.clear_expired()
        ratelimit.forget_old_windows()
