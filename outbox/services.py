"""Email out of the request: queued in the transaction of the change that caused it, delivered by a worker."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Email, new_key

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """The mail server did not take an email; the task queue tries again later."""


def queue_email(*, to, subject, body, html_body="", headers=None, key=None):
    """Queue one email in the caller's transaction: it leaves only if that commits. An email already queued
    under `key` is not queued again."""
    from .tasks import deliver  # the task module imports this one

    with transaction.atomic():
        email, created = Email.objects.get_or_create(
            key=key or new_key(),
            defaults={"to": to, "subject": subject, "body": body, "html_body": html_body, "headers": headers or {}},
        )
        if created:
            deliver.defer(email_id=email.pk)
    return email


def queue_templated_email(*, to, subject, template, context, key=None):
    body = render_to_string(template, {"site_name": settings.SITE_NAME, **context})
    return queue_email(to=to, subject=subject, body=body, key=key)


def email_message(email):
    message = EmailMultiAlternatives(
        email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to], headers=email.headers
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    return message


def deliver(email_id):
    """Send the email unless it was sent already; True if this call sent it. The row stays locked while the
    mail server answers, so two deliveries of one email cannot both send it. A failure is recorded on the
    email and raised as DeliveryFailed, for the task queue to try again."""
    with transaction.atomic():
        email = Email.objects.select_for_update().filter(pk=email_id, sent_at=None).first()
        if email is None:
            return False
        try:
            email_message(email).send()
        except Exception as error:  # the mail server down, slow or refusing the address: recorded, tried again
            failure = f"{type(error).__name__}: {error}"
        else:
            Email.objects.filter(pk=email.pk).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
            return True
    Email.objects.filter(pk=email_id).update(attempts=F("attempts") + 1, last_error=failure[:2000])
    logger.warning("Email %s to %s not delivered; it will be tried again: %s", email_id, email.to, failure)
    raise DeliveryFailed(failure)


def deliver_waiting():
    """Deliver every email still waiting, here and now, in the order queued: what a worker does with them."""
    for email_id in Email.objects.filter(sent_at=None).order_by("pk").values_list("pk", flat=True):
        deliver(email_id)
