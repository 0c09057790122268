"""Email delivery on the task queue."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from newsroom.jobs import fresh_connections

from . import services

# A mail server that is down is tried again after 10 s, 100 s, about 17 minutes, about 3 hours and about 28
# hours; then the job is given up, and the email stays unsent, with its last error, in the admin.
RETRIES = RetryStrategy(max_attempts=6, exponential_wait=10, retry_exceptions={services.DeliveryFailed})


@app.task(queue="email", retry=RETRIES)
def deliver(email_id):
    with fresh_connections():
        services.deliver(email_id)
