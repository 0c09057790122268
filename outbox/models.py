"""Every email the site sends: queued with the change that caused it, delivered by the task queue."""

import uuid

from django.db import models


def new_key():
    return uuid.uuid4().hex


class Email(models.Model):
    """One email to one address. Its key is the send key: one row per key, and a delivery retried after a
    failure, or run twice, finds the email sent and sends nothing."""

    key = models.CharField(max_length=200, unique=True, default=new_key, editable=False)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text="The plain text.")
    html_body = models.TextField(blank=True, help_text="The same in HTML, for mail programs that show it.")
    headers = models.JSONField(default=dict, blank=True, help_text="Extra headers, e.g. List-Unsubscribe.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Deliveries tried, the last one included.")
    last_error = models.TextField(blank=True, help_text="Why the last delivery failed.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {self.to}"
