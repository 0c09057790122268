"""Staff notifications: who hears of a move in the workflow, or of an overdue medical review, on their desk in the
admin and by email unless they turned email off. Made in the transaction of the change that caused them, so a
change rolled back tells no one, and keyed by event and person, so telling twice makes one of each."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from newsroom.links import site_url
from outbox.services import queue_templated_email

from . import workflow
from .models import Article, ArticleTransition, StaffNotification, StaffNotificationPreference

Status = Article.Status
Kind = StaffNotification.Kind

# The moves staff hear of, and what each is to them; the workflow's other moves tell no one.
KIND_OF_MOVE = {
    (Status.DRAFT, Status.IN_REVIEW): Kind.SUBMITTED,
    (Status.IN_REVIEW, Status.APPROVED): Kind.APPROVED,
    (Status.IN_REVIEW, Status.DRAFT): Kind.RETURNED,
    (Status.APPROVED, Status.DRAFT): Kind.RETURNED,
    (Status.APPROVED, Status.IN_REVIEW): Kind.RETURNED,
}
SUBJECTS = {
    Kind.SUBMITTED: "For medical review: {title}",
    Kind.APPROVED: "Approved: {title}",
    Kind.RETURNED: "Returned to you: {title}",
    Kind.REVIEW_OVERDUE: "Medical review overdue: {title}",
}
EMAIL_TEMPLATE = "articles/email/staff_notification.txt"
NO_LONGER_STAFF = "Someone no longer on the staff"


def staff_with_permission(permission):
    """Active staff given `permission` ("app_label.codename") through a group or to themselves. A superuser
    passes every check without being a reviewer or an editor, so is told only when given it too."""
    app_label, codename = permission.split(".")
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = get_user_model().objects
    holders = users.filter(Q(groups__permissions__in=granted) | Q(user_permissions__in=granted)).values("pk")
    return users.filter(is_active=True, is_staff=True, pk__in=holders)


def latest_approver():
    """The staff member who last approved the outer article, for an annotation: its medical reviewer among the
    staff (the article names its reviewer as a Person, who need not have an account)."""
    approvals = ArticleTransition.objects.filter(article=OuterRef("pk"), to_status=Status.APPROVED)
    return Subquery(approvals.order_by("-created_at", "-pk").values("actor")[:1])


def staff_name(user):
    return (user.get_full_name() or user.email) if user else NO_LONGER_STAFF


def title_of(article):
    return f"{article.title} (changes awaiting review)" if article.is_pending_changes else article.title


def move_message(kind, move, *, title):
    actor = staff_name(move.actor)
    comment = f" Their comment: “{move.comment}”" if move.comment else ""
    if kind == Kind.SUBMITTED:
        return f"{actor} submitted “{title}” for medical review.{comment}"
    if kind == Kind.APPROVED:
        return f"{actor} approved the medical content of “{title}”.{comment}"
    where = "draft" if move.to_status == Status.DRAFT else "review"
    return f"{actor} sent “{title}” back to {where}.{comment}"


def move_notify(*, article, move):
    """Tell those who should hear of `move`, just recorded for `article`: reviewers of a submission, the writer
    (who created the article) of an approval or a return. Never the person who made the move."""
    kind = KIND_OF_MOVE.get((move.from_status, move.to_status))
    if kind is None:
        return []
    if kind == Kind.SUBMITTED:
        recipients = staff_with_permission(workflow.APPROVE_PERMISSION)
    else:
        recipients = get_user_model().objects.filter(pk=article.created_by_id, is_active=True, is_staff=True)
    title = title_of(article)
    return notify(
        recipients=recipients.exclude(pk=move.actor_id),
        article=article,
        kind=kind,
        message=move_message(kind, move, title=title),
        key=f"move:{move.pk}",
        details={
            "title": title,
            "move": f"{move.get_from_status_display()} → {move.get_to_status_display()}",
            "actor": staff_name(move.actor),
            "comment": move.comment,
        },
    )


def review_overdue_notify(*, article, reviewer_id, today):
    """Tell the medical reviewer who last approved `article` (if still an active reviewer) and the editors that
    its review, due on article.review_due, is overdue: once per person in the ISO week of `today`."""
    year, week, _ = today.isocalendar()
    reviewer = staff_with_permission(workflow.APPROVE_PERMISSION).filter(pk=reviewer_id).values("pk")
    editors = staff_with_permission(workflow.PUBLISH_PERMISSION).values("pk")
    title = title_of(article)
    due = date_format(article.review_due, "j F Y")
    return notify(
        recipients=get_user_model().objects.filter(Q(pk__in=reviewer) | Q(pk__in=editors)),
        article=article,
        kind=Kind.REVIEW_OVERDUE,
        message=f"The medical review of “{title}” is overdue: it was due on {due}.",
        key=f"review-overdue:{article.pk}:{year}-W{week:02d}",
        details={"title": title, "due": due},
    )


def notify(*, recipients, article, kind, message, key, details):
    """One notification per person of `recipients` for the event `key`, and its email unless they turned email
    off; someone already told of this event is not told again. Returns the notifications made."""
    email_off = StaffNotificationPreference.objects.filter(user=OuterRef("pk"), email=False)
    link = site_url(reverse("admin:articles_article_change", args=[article.pk]))
    made = []
    for user in recipients.annotate(email_off=Exists(email_off)).only("pk", "email").order_by("pk"):
        notification, created = StaffNotification.objects.get_or_create(
            key=f"{key}:user:{user.pk}",
            defaults={"recipient": user, "article": article, "kind": kind, "message": message},
        )
        if not created:
            continue
        made.append(notification)
        if user.email and not user.email_off:
            queue_templated_email(
                to=user.email,
                # A header cannot hold a line break: one in a title would make the email undeliverable.
                subject=" ".join(SUBJECTS[kind].format(title=details["title"]).split()),
                template=EMAIL_TEMPLATE,
                context={
                    **details,
                    "message": message,
                    "link": link,
                    "settings_link": site_url(reverse("admin:notifications_email")),
                },
                key=f"staff-notification:{notification.key}",
            )
    return made


def unread_for(user):
    """`user`'s unread notifications, newest first, as the desk lists them."""
    return (
        StaffNotification.objects.filter(recipient=user, read_at=None)
        .only("message", "kind", "article_id", "created_at")
        .order_by("-created_at", "-pk")
    )


def mark_read(*, user, notification_ids=(), up_to=None):
    """Mark `user`'s own unread notifications read: those in `notification_ids`, or every one up to the id
    `up_to` (the newest they were shown, so one arriving meanwhile stays unread). Returns how many."""
    chosen = Q(pk__in=notification_ids) if up_to is None else Q(pk__lte=up_to)
    return StaffNotification.objects.filter(chosen, recipient=user, read_at=None).update(read_at=timezone.now())
