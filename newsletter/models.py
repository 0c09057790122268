"""The research-news newsletter: issues an editor writes and sends, and one delivery per subscriber."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q


class IssueQuerySet(models.QuerySet):
    def with_counts(self):
        """Deliveries sent, failed and waiting, and the recipients who unsubscribed since the issue went out."""
        deliveries = "deliveries__state"
        return self.annotate(
            sent_count=Count("deliveries", filter=Q(**{deliveries: Delivery.State.SENT})),
            failed_count=Count("deliveries", filter=Q(**{deliveries: Delivery.State.FAILED})),
            waiting_count=Count("deliveries", filter=Q(**{deliveries: Delivery.State.WAITING})),
            unsubscribed_count=Count(
                "deliveries",
                filter=Q(deliveries__subscription__unsubscribed_at__gte=models.F("started_at")),
            ),
        )


class Issue(models.Model):
    """One issue of research news: its articles in the editor's order, and an introduction."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    subject = models.CharField(max_length=150)
    introduction = models.TextField(
        blank=True, help_text="A few sentences above the articles. Blank lines separate paragraphs."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    send_at = models.DateTimeField(
        null=True, blank=True, help_text="When it goes out, if scheduled (the site's time zone)."
    )
    is_weekly_digest = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    recipients = models.PositiveIntegerField(
        default=0, editable=False, help_text="Subscribers when sending started: they, and only they, get it."
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("send_issue", "Can send and schedule research news issues")]
        indexes = [models.Index(fields=["status", "send_at"], name="issue_due_idx")]

    def __str__(self):
        return self.subject

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT


class IssueArticle(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["issue", "article"], name="issue_article_once")]
        verbose_name = "article"

    def __str__(self):
        return f"{self.position}. {self.article}"


class Delivery(models.Model):
    """An issue for one subscriber: one row per pair (the send key issue:{issue}:subscriber:{subscription}),
    written for every recipient when sending starts, so a worker that stops mid-issue leaves exactly the rows
    still waiting, and the next one sends those and no other."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"  # the mail server refused the address
        SKIPPED = "skipped", "Skipped"  # unsubscribed, or the subscription deleted, before their turn

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    # Deleting a subscriber's data keeps the count, not the address.
    subscription = models.ForeignKey(
        "accounts.NewsletterSubscription", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.WAITING)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "subscription"], name="delivery_once_per_subscriber")]
        indexes = [
            models.Index(fields=["issue", "id"], condition=Q(state="waiting"), name="delivery_waiting_idx"),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.key}: {self.state}"

    @property
    def key(self):
        return f"issue:{self.issue_id}:subscriber:{self.subscription_id}"
