"""'My work' on the editors' dashboard: the member of staff's unread notifications (articles.notifications); the
articles they created (Article.created_by), where each stands, and what reviewers and editors did with them; and,
for editors, every draft.
Like the other panels, each list is one query however much there is (articles.dashboard.panel)."""

from datetime import timedelta

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from . import notifications
from .dashboard import EDITORIAL_PERMISSIONS, may_see, panel
from .models import Article, ArticleTransition

Status = Article.Status

APPROVED_RECENT_DAYS = 14
# Moves that hand an article back to its writer: a reviewer or editor asks for changes.
RETURNED_FROM = (Status.IN_REVIEW, Status.APPROVED)
ADD_PERMISSION = "articles.add_article"
ALL_DRAFTS_PERMISSIONS = (*EDITORIAL_PERMISSIONS, "articles.publish_article")
STAFF_FIELDS = ("first_name", "last_name", "email")


def latest_step(article, **conditions):
    """The primary key of `article`'s latest timeline step (matching `conditions`), as a subquery."""
    steps = ArticleTransition.objects.filter(article=article, **conditions).order_by("-created_at", "-pk")
    return Subquery(steps.values("pk")[:1])


def returned_steps(user):
    """The moves back to draft that are the latest step of a draft `user` created, newest first."""
    return (
        ArticleTransition.objects.filter(
            article__created_by=user,
            article__status=Status.DRAFT,
            to_status=Status.DRAFT,
            from_status__in=RETURNED_FROM,
            pk=latest_step(OuterRef("article")),
        )
        .select_related("article", "actor")
        .only("created_at", "comment", "article__title", *(f"actor__{name}" for name in STAFF_FIELDS))
        .order_by("-created_at", "-pk")
    )


def my_drafts(user):
    """Drafts `user` created that are not waiting on them because they were sent back (see returned)."""
    returned = returned_steps(user).values("article")
    return panel(
        Article.objects.filter(Q(created_by=user, status=Status.DRAFT) & ~Q(pk__in=returned))
        .select_related("section")
        .only("title", "updated_at", "changes_for", "section__name")
        .order_by("-updated_at", "-pk")
    )


def approved_recently(user, *, now):
    """The latest approval of each article `user` created, in the last APPROVED_RECENT_DAYS days."""
    return panel(
        ArticleTransition.objects.filter(
            article__created_by=user,
            to_status=Status.APPROVED,
            created_at__gte=now - timedelta(days=APPROVED_RECENT_DAYS),
            pk=latest_step(OuterRef("article"), to_status=Status.APPROVED),
        )
        .exclude(article__status=Status.ARCHIVED)
        .select_related("article", "actor")
        .only(
            "created_at",
            "article__title",
            "article__status",
            "article__publish_at",
            *(f"actor__{name}" for name in STAFF_FIELDS),
        )
        .order_by("-created_at", "-pk")
    )


def my_scheduled(user, *, now):
    return panel(
        Article.objects.scheduled(at=now)
        .filter(created_by=user)
        .only("title", "publish_at")
        .order_by("publish_at", "pk")
    )


def all_drafts():
    return panel(
        Article.objects.filter(status=Status.DRAFT)
        .select_related("created_by")
        .only("title", "updated_at", "changes_for", *(f"created_by__{name}" for name in STAFF_FIELDS))
        .order_by("-updated_at", "-pk")
    )


def my_work_panels(*, user, now=None):
    """The 'My work' lists and links `user` may see, by name; empty for staff who cannot open articles."""
    if not may_see(user, EDITORIAL_PERMISSIONS):
        return {}
    now = now or timezone.now()
    panels = {
        "notifications": panel(notifications.unread_for(user)),
        "may_add": user.has_perm(ADD_PERMISSION),
        "drafts": my_drafts(user),
        "returned": panel(returned_steps(user)),
        "approved": approved_recently(user, now=now),
        "scheduled": my_scheduled(user, now=now),
        "approved_days": APPROVED_RECENT_DAYS,
    }
    if may_see(user, ALL_DRAFTS_PERMISSIONS):
        panels["all_drafts"] = all_drafts()
    return panels
