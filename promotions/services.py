"""Choosing the promotions a page shows, and counting how often they are shown and followed.

What is shown where is decided by PromotionQuerySet.best_for_page(), whose docstring states the rule;
the README repeats it for editors.
"""

from collections import Counter

from django.conf import settings
from django.db import connection
from django.utils import timezone

from newsroom.buffers import WriteBuffer

from .models import Promotion, PromotionDailyCount


def promotions_for_page(*, placements, article=None, at=None):
    """{placement: promotion} for the page's placements, in one query. Nothing is counted here: a page
    served from the cache shows them without this running (see promotion_impressions_add)."""
    tag_ids = [tag.pk for tag in article.tag_list] if article is not None else ()
    chosen = list(
        Promotion.objects.best_for_page(
            placements=placements,
            section_id=article.section_id if article is not None else None,
            tag_ids=tag_ids,
            at=at,
        )
    )
    return {promotion.placement: promotion for promotion in chosen}


def write_impressions(promotion_ids):
    """Add the impressions of a flush, one per id, in as few upserts as there are distinct counts (usually
    every count differs, or there are few)."""
    by_count = {}
    for promotion_id, count in Counter(promotion_ids).items():
        by_count.setdefault(count, []).append(promotion_id)
    for count, ids in by_count.items():
        promotion_counts_add(promotion_ids=ids, impressions=count)


impressions = WriteBuffer(write_impressions, seconds=lambda: settings.PROMOTION_IMPRESSIONS_FLUSH_SECONDS)


def promotion_impressions_add(*, promotion_ids):
    impressions.add(promotion_ids)


def promotion_impressions_flush():
    """Write the impressions counted so far in this process (also done when the process exits)."""
    impressions.flush()


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


def promotion_page_parts(page):
    """{placement: promotion} for the page's slots; the chosen ones are noted on the request, to be counted
    as shown (promotions.middleware), also when the page is later served from the cache."""
    if not page.placements:
        return {}
    chosen = promotions_for_page(placements=page.placements, article=page.article)
    page.request.promotions_shown = [promotion.pk for promotion in chosen.values()]
    return {"promotions": chosen}
