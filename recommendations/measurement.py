"""Measuring recommendations on the live site: what each reader was shown (where, at which position, why,
from which configuration) and which of those they followed, so editors can see what works, and an A/B
test can be judged (recommendations/report.py).

Pages only note what they showed on the request; the middleware records it once the page reached the
reader, through a buffer written at most every PROMOTION_IMPRESSIONS_FLUSH_SECONDS, so a page view writes
nothing. Both kinds of row are deleted after RECOMMENDATION_EVENTS_KEEP_DAYS, go with the reader's account,
and are in their data download.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from articles.models import Article
from newsroom.buffers import WriteBuffer

from .models import RecommendationFollowed, RecommendationShown, Surface


@dataclass(frozen=True)
class Shown:
    user_id: int
    article_id: int
    surface: str
    position: int
    reason: str
    test: str
    arm: str
    shown_at: datetime


def note_shown(request, recommended, surface):
    """Note on the request the personal recommendations (services.Recommended, in the order shown) a page
    shows at `surface`; the middleware records them if the page reaches the reader."""
    now = timezone.now()
    request.recommendations_shown = [
        Shown(request.user.pk, item.article.pk, surface, position, item.reason_key, item.test, item.arm, now)
        for position, item in enumerate(recommended, start=1)
    ]


def write_shown(rows):
    """Insert the rows of a flush in one statement; a reader or an article deleted meanwhile is skipped."""
    columns = ("user_id", "article_id", "surface", "position", "reason", "test", "arm", "shown_at")
    types = ("bigint", "bigint", "text", "smallint", "text", "text", "text", "timestamptz")
    table, articles, users = (
        connection.ops.quote_name(model._meta.db_table) for model in (RecommendationShown, Article, get_user_model())
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} ({", ".join(columns)})
            SELECT * FROM unnest({", ".join(f"%s::{kind}[]" for kind in types)}) AS r({", ".join(columns)})
            WHERE EXISTS (SELECT 1 FROM {articles} a WHERE a.id = r.article_id)
                AND EXISTS (SELECT 1 FROM {users} u WHERE u.id = r.user_id)
            """,
            [[getattr(row, column) for row in rows] for column in columns],
        )


shown = WriteBuffer(write_shown, seconds=lambda: settings.PROMOTION_IMPRESSIONS_FLUSH_SECONDS)


def record_shown(request):
    """Record what the request's page noted it showed (the middleware calls this for a page the reader got)."""
    rows = getattr(request, "recommendations_shown", ())
    if rows:
        shown.add(rows)


def followed(*, reader, article, surface):
    """The reader opened a recommended article from `surface`."""
    surface = surface if surface in Surface.values else Surface.PAGE
    RecommendationFollowed.objects.create(user=reader, article=article, surface=surface, followed_at=timezone.now())


def forget_old(*, now=None):
    """Delete what is older than RECOMMENDATION_EVENTS_KEEP_DAYS; returns how many rows went."""
    before = (now or timezone.now()) - timedelta(days=settings.RECOMMENDATION_EVENTS_KEEP_DAYS)
    shown_deleted, _ = RecommendationShown.objects.filter(shown_at__lt=before).delete()
    followed_deleted, _ = RecommendationFollowed.objects.filter(followed_at__lt=before).delete()
    return shown_deleted + followed_deleted


def reader_data(user):
    """This part of 'Download my data'."""
    return {
        "recommendations_shown": [
            {"article": title, "where": Surface(surface).label, "position": position, "shown": at}
            for title, surface, position, at in RecommendationShown.objects.filter(user=user)
            .order_by("-shown_at", "position")
            .values_list("article__title", "surface", "position", "shown_at")
        ],
        "recommendations_opened": [
            {"article": title, "where": Surface(surface).label, "opened": at}
            for title, surface, at in RecommendationFollowed.objects.filter(user=user)
            .order_by("-followed_at")
            .values_list("article__title", "surface", "followed_at")
        ],
    }
