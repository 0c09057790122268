"""The editors' dashboard on the admin index: what waits for a medical reviewer or an editor, what goes
live this week and what is due for medical review. Every panel is one query, however much content there is.

Other apps add their own panels (accounts: readers' response, recommendations: the survey), so this app
keeps knowing nothing of readers."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Article, ArticleTransition

PANEL_ROWS = 8
SCHEDULE_DAYS = 7
REVIEW_DUE_WITHIN_DAYS = 30
# Every admin list a panel below links to: a user who may not open it does not see the panel.
EDITORIAL_PERMISSIONS = ("articles.view_article",)
DUE_FOR_REVIEW_PERMISSIONS = ("articles.view_article", "articles.view_dueforreview")


@dataclass(frozen=True)
class Panel:
    rows: list
    total: int

    @property
    def more(self):
        return self.total > len(self.rows)


def panel(queryset, *, rows=PANEL_ROWS):
    """The first `rows` of `queryset` and how many there are in all, in one query (a window count)."""
    found = list(queryset.annotate(panel_total=Window(Count("*")))[:rows])
    return Panel(found, found[0].panel_total if found else 0)


def waiting_in(status):
    """Articles with `status`, longest waiting first: since the workflow moved them into it (the
    timeline), or their last change for articles that came there without the workflow."""
    moved_in = ArticleTransition.objects.filter(article=OuterRef("pk"), to_status=status).order_by("-created_at")
    return panel(
        Article.objects.filter(status=status)
        .select_related("section")
        .only("title", "updated_at", "changes_for", "section__name")
        .annotate(waiting_since=Coalesce(Subquery(moved_in.values("created_at")[:1]), "updated_at"))
        .order_by("waiting_since", "pk")
    )


def scheduled_within(*, days, now):
    return panel(
        Article.objects.scheduled(at=now)
        .filter(publish_at__lte=now + timedelta(days=days))
        .select_related("section")
        .only("title", "publish_at", "section__name")
        .order_by("publish_at", "pk")
    )


def due_for_review(*, today):
    """Overdue first; `overdue` counts every overdue article, not only the rows shown."""
    due = panel(
        Article.objects.due_for_review(within_days=REVIEW_DUE_WITHIN_DAYS, today=today)
        .select_related("section", "medical_reviewer")
        .only("title", "last_reviewed", "section__name", "medical_reviewer__name")
        .annotate(overdue_total=Window(Count("pk", filter=Q(review_overdue=True))))
    )
    return {"panel": due, "overdue": due.rows[0].overdue_total if due.rows else 0}


def may_see(user, permissions):
    return all(user.has_perm(permission) for permission in permissions)


def editorial_panels(*, user, now=None):
    """The editorial panels `user` may see, by name; empty for staff who cannot open the article list."""
    now = now or timezone.now()
    panels = {}
    if may_see(user, EDITORIAL_PERMISSIONS):
        panels["waiting_for_review"] = waiting_in(Article.Status.IN_REVIEW)
        panels["waiting_to_publish"] = waiting_in(Article.Status.APPROVED)
        panels["scheduled"] = scheduled_within(days=SCHEDULE_DAYS, now=now)
    if may_see(user, DUE_FOR_REVIEW_PERMISSIONS):
        panels["due_for_review"] = due_for_review(today=timezone.localdate(now))
    return panels
