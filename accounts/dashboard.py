"""Readers' response on the editors' dashboard: the most saved articles, and the most and least helpful
ones by readers' answers, with their latest 'What could be better?' comments. One query per panel.

These panels show no totals, so they need no window count, which would make PostgreSQL work out the
per-row subqueries for every article rather than for the rows shown."""

from datetime import timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from articles.dashboard import EDITORIAL_PERMISSIONS, PANEL_ROWS, may_see
from articles.models import Article

from .models import ArticleHelpfulness, Favorite, HelpfulnessVote

SAVES_RECENT_DAYS = 30
# Below this many answers one or two readers decide the share of Yes, so an article is not ranked.
MIN_HELPFULNESS_VOTES = 5
COMMENTS_PER_ARTICLE = 2
# Rows link to the article's admin page and "see all" to the list each panel summarises.
SAVES_PERMISSIONS = (*EDITORIAL_PERMISSIONS, "accounts.view_favorite")
HELPFULNESS_PERMISSIONS = (*EDITORIAL_PERMISSIONS, "accounts.view_articlehelpfulness")
COMMENTS_PERMISSIONS = (*HELPFULNESS_PERMISSIONS, "accounts.view_helpfulnessvote")


def most_saved(*, since):
    """Articles saved since `since`, most saved first, with their saves of all time as well.
    Only recent saves are grouped; all-time saves are counted for the rows shown, from an index."""
    all_saves = Favorite.objects.filter(article=OuterRef("pk")).order_by().values("article").annotate(count=Count("*"))
    return list(
        Article.objects.only("title")
        .filter(favorites__created_at__gte=since)
        .annotate(recent_saves=Count("favorites"))
        .order_by("-recent_saves", "pk")
        .annotate(all_saves=Subquery(all_saves.values("count")))[:PANEL_ROWS]
    )


def ranked_by_helpfulness():
    return ArticleHelpfulness.objects.only("title").with_votes().filter(vote_count__gte=MIN_HELPFULNESS_VOTES)


def most_helpful():
    return list(ranked_by_helpfulness().order_by("-share_yes", "-vote_count", "pk")[:PANEL_ROWS])


def least_helpful():
    """Lowest share of Yes first, each with its newest comments (looked up for the rows shown only)."""
    newest_comments = (
        HelpfulnessVote.objects.filter(article=OuterRef("pk"))
        .exclude(comment="")
        .order_by("-updated_at", "-pk")
        .values("comment")[:COMMENTS_PER_ARTICLE]
    )
    return list(
        ranked_by_helpfulness()
        .order_by("share_yes", "-vote_count", "pk")
        .annotate(newest_comments=ArraySubquery(newest_comments))[:PANEL_ROWS]
    )


def reader_response_panels(*, user, now=None):
    """The readers' response panels `user` may see, by name."""
    now = now or timezone.now()
    panels = {}
    if may_see(user, SAVES_PERMISSIONS):
        panels["most_saved"] = most_saved(since=now - timedelta(days=SAVES_RECENT_DAYS))
    if may_see(user, HELPFULNESS_PERMISSIONS):
        panels["most_helpful"] = most_helpful()
    if may_see(user, COMMENTS_PERMISSIONS):
        panels["least_helpful"] = least_helpful()
    return panels
