"""Email out of the request: queued in the transaction of the change that caused it, delivered by a worker,
retried with backoff while the mail server is down, and never sent twice."""

import socket
import time

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from outbox import services
from outbox.models import Email

from .test_task_queue import run_worker_until_idle

# A mail server that is down: nothing listens on port 1, so every connection is refused at once.
MAIL_SERVER_DOWN = override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=1, EMAIL_TIMEOUT=2
)
JOIN = {"email": "new.reader@example.org", "password": "Purple-giraffe-42"}


@pytest.mark.django_db
def test_joining_queues_the_confirmation_and_sends_nothing_while_the_reader_waits(client):
    mail.outbox.clear()
    with MAIL_SERVER_DOWN:
        response = client.post(reverse("accounts:join"), JOIN)

    assert response.status_code in (200, 302)
    email = Email.objects.get()
    assert (email.to, email.sent_at) == ("new.reader@example.org", None)
    assert "Confirm your email address" in email.subject
    assert ProcrastinateJob.objects.filter(task_name="outbox.tasks.deliver", args={"email_id": email.pk}).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_email_queued_in_a_change_rolled_back_is_never_queued():
    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        services.queue_email(to="reader@example.org", subject="Hello", body="Body")
        raise Undone
    assert not Email.objects.exists()
    assert not ProcrastinateJob.objects.exists()


@pytest.mark.django_db
def test_one_send_key_queues_one_email():
    first = services.queue_email(to="reader@example.org", subject="Issue 12", body="Body", key="issue:12:reader:3")
    again = services.queue_email(to="reader@example.org", subject="Issue 12", body="Body", key="issue:12:reader:3")
    assert first.pk == again.pk
    assert ProcrastinateJob.objects.filter(task_name="outbox.tasks.deliver").count() == 1


@pytest.mark.django_db
def test_a_delivery_run_twice_sends_once():
    email = services.queue_email(to="reader@example.org", subject="Hello", body="Body")
    assert services.deliver(email.pk) is True
    assert services.deliver(email.pk) is False
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1


@pytest.mark.usefixtures("empty_queue")
def test_a_worker_delivers_what_was_queued():
    mail.outbox.clear()
    services.queue_email(to="reader@example.org", subject="Hello", body="Body")
    run_worker_until_idle()

    assert [(message.to, message.subject) for message in mail.outbox] == [(["reader@example.org"], "Hello")]
    assert Email.objects.get().sent_at is not None
    assert ProcrastinateJob.objects.get(task_name="outbox.tasks.deliver").status == "succeeded"


@pytest.mark.usefixtures("empty_queue")
def test_while_the_mail_server_is_down_the_email_waits_to_be_tried_again_and_is_then_sent_once():
    mail.outbox.clear()
    email = services.queue_email(to="reader@example.org", subject="Hello", body="Body")
    with MAIL_SERVER_DOWN:
        run_worker_until_idle()

    email.refresh_from_db()
    job = ProcrastinateJob.objects.get(task_name="outbox.tasks.deliver")
    assert (email.sent_at, email.attempts, job.status, job.attempts) == (None, 1, "todo", 1)
    assert "refused" in email.last_error.lower()
    assert job.scheduled_at > timezone.now()  # backed off, not lost

    # The retry, once the mail server is back, sends it; a late duplicate run sends nothing.
    assert services.deliver(email.pk) is True
    assert services.deliver(email.pk) is False
    assert len(mail.outbox) == 1


@pytest.fixture
def silent_mail_server():
    """A mail server that takes the connection and never answers, as an overloaded one does."""
    listener = socket.create_server(("127.0.0.1", 0))
    yield listener.getsockname()[1]
    listener.close()


@pytest.mark.django_db
def test_a_mail_server_that_never_answers_is_given_up_on_after_the_timeout_and_tried_again(
    silent_mail_server, settings
):
    assert settings.EMAIL_TIMEOUT == 30  # the default: never wait for ever
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", silent_mail_server, 1
    email = services.queue_email(to="reader@example.org", subject="Hello", body="Body")

    started = time.monotonic()
    with pytest.raises(services.DeliveryFailed):
        services.deliver(email.pk)

    assert time.monotonic() - started < 10
    email.refresh_from_db()
    assert (email.sent_at, email.attempts) == (None, 1)
    assert "timed out" in email.last_error.lower()
