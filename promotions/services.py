"""Choosing the promotions a page shows, and counting how often they are shown and followed.

What is shown where is decided by PromotionQuerySet.best_for_page(), whose docstring states the rule;
the README repeats it for editors.
"""

from django.db import connection
from django.utils import timezone

from .models import Promotion, PromotionDailyCount


def promotions_for_page(*, placements, article=None, at=None):
    """{placement: promotion} for the page's placements, each counted as shown once: one query to
    choose for every placement, and one more to count the impressions when anything was chosen."""
    tag_ids = [tag.pk for tag in article.tags.all()] if article is not None else ()
    chosen = list(
        Promotion.objects.best_for_page(
            placements=placements,
            section_id=article.section_id if article is not None else None,
            tag_ids=tag_ids,
            at=at,
        )
    )
    promotion_counts_add(promotion_ids=[promotion.pk for promotion in chosen], impressions=1)
    return {promotion.placement: promotion for promotion in chosen}


def promotion_click_record(*, promotion):
    promotion_counts_add(promotion_ids=[promotion.pk], clicks=1)


def promotion_counts_add(*, promotion_ids, impressions=0, clicks=0, on=None):
    """Add to today's counts of these promotions in one upsert, however many there are; a promotion
    deleted meanwhile is skipped rather than failing the page."""
    if not promotion_ids:
        return
    counts = PromotionDailyCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {counts} AS counted (promotion_id, date, impressions, clicks)
            SELECT id, %(date)s, %(impressions)s, %(clicks)s FROM {Promotion._meta.db_table} WHERE id = ANY(%(ids)s)
            ON CONFLICT (promotion_id, date) DO UPDATE SET
                impressions = counted.impressions + EXCLUDED.impressions,
                clicks = counted.clicks + EXCLUDED.clicks
            """,
            {
                "date": on or timezone.localdate(),
                "impressions": impressions,
                "clicks": clicks,
                "ids": list(promotion_ids),
            },
        )
