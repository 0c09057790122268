"""Non-personal suggestions, ranked in advance for the home page and beside every visible article.

Readers without personal recommendations see them. They are ranked exactly as a reader with no
saves, topics or situation would be (engine.rank over the article's content neighbours, the freshest
and the most popular articles), but for every page at once, from signals read in a few queries, by
`manage.py rebuild_recommendations`; a page view then only reads its rows (services.suggestions).
"""

from dataclasses import replace

from django.db import connection, transaction
from django.utils import timezone

from articles.models import Section
from newsroom.content_version import content_changed

from . import engine, sources
from .models import Suggestion

# The most a page shows: the full list shows 8, the box beside an article 4. A page shows fewer only
# when suggested articles are taken down before the next rebuild.
SUGGESTIONS_KEPT = 8
NO_READER = engine.Reader(id=0)
INSERT_BATCH = 20_000


def rebuild_suggestions(now=None):
    """Rank and store the suggestions of the home page and of every article visible at `now` (default
    now), replacing all earlier ones at once. Returns how many suggestions were stored."""
    now = now or timezone.now()
    # The freshest and the most popular articles are candidates on every page: read once, by the same
    # query that finds them for one page.
    everywhere = sources.load_candidates(None, as_of=now)
    visible = sources.load_visible_articles(as_of=now)
    neighbours = sources.load_content_neighbours()
    section_names = dict(Section.objects.values_list("pk", "name"))
    rows = []
    for context_id in [None, *visible]:
        candidates = candidates_on_page(context_id, everywhere, visible, neighbours.get(context_id, ()))
        ranked = engine.rank(NO_READER, candidates.values(), now=now, limit=SUGGESTIONS_KEPT)
        rows.extend(
            # Ranked for no reader, a reason names at most the suggested article's section.
            (
                context_id,
                item.article_id,
                position,
                engine.REASONS[item.reason].format(section=section_names[candidates[item.article_id].section_id]),
            )
            for position, item in enumerate(ranked)
        )
    with transaction.atomic():
        replace_stored(rows, now)
        content_changed()
    tidy_up()
    return len(rows)


def candidates_on_page(context_id, everywhere, visible, neighbours):
    """The candidates sources.load_candidates(None, context_article_id=context_id) reads, by id, from
    signals read for all pages: those on every page, and the visible content neighbours of the article
    being read (none on the home page), marked with their similarity to it; never that article itself."""
    pool = {candidate.id: candidate for candidate in everywhere if candidate.id != context_id}
    for neighbour_id, similarity in neighbours:
        neighbour = pool.get(neighbour_id) or visible.get(neighbour_id)
        if neighbour is not None and neighbour_id != context_id:
            pool[neighbour_id] = replace(neighbour, context_similar=similarity)
    return pool


def replace_stored(rows, computed_at):
    """Store (context id, article id, position, reason) rows in place of all earlier ones. Each batch is
    one INSERT of four arrays: bulk_create, with its parameters per row, took 2.5 times as long."""
    table = sources.table(Suggestion)
    with connection.cursor() as cursor:
        # Rebuilds that overlap take turns rather than fail on the unique constraint; pages still read.
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")
        for start in range(0, len(rows), INSERT_BATCH):
            contexts, articles, positions, reasons = (
                list(column) for column in zip(*rows[start : start + INSERT_BATCH], strict=True)
            )
            cursor.execute(
                f"""
                INSERT INTO {table} (context_id, article_id, position, reason, computed_at)
                SELECT *, %s FROM unnest(%s::bigint[], %s::bigint[], %s::smallint[], %s::text[])
                """,
                [computed_at, contexts, articles, positions, reasons],
            )


def tidy_up():
    """Clear away the rows just replaced, and take fresh statistics. Until then PostgreSQL's planner
    reads through the dead rows at the ends of the indexes whenever a page reads its suggestions (30 ms
    of planning at 20,000 articles, for a query that runs in 0.5 ms). VACUUM cannot run inside a
    transaction (a caller's, or a test's): there, statistics only."""
    table = sources.table(Suggestion)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {table}")
