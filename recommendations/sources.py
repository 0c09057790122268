"""Signals for the ranking, read from PostgreSQL as of a moment.

`as_of` is "now" on the live site. The offline evaluation passes earlier moments: every read here
then sees only favorites, dismissals and articles from before that moment, so no future data leaks
into a recommendation. Popularity is read from a snapshot (`rebuild_popularity`), which
`manage.py rebuild_recommendations` refreshes on the live site and the evaluation takes at moments
no later than the one it evaluates.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, connections, router
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import TaggedItem

from accounts.models import Favorite, Profile
from articles.models import Article, Section, visible_sql

from .engine import Candidate, Reader
from .models import ArticlePopularity, ContentNeighbour, Dismissal, PausedTopic

SEEDS_PER_READER = 50  # the reader's most recent saves used as seeds
# Co-saves are bounded so their cost does not grow with popular articles or heavy readers:
# the reader's most recent seeds, each seed's most recent other savers, and their most recent saves.
CO_SAVE_SEEDS = 20
SAVERS_PER_SEED = 30
SAVES_PER_SAVER = 30
CO_SAVED_CANDIDATES = 120
ALIKE_CANDIDATES = 120
PROFILE_CANDIDATES = 100
FRESH_CANDIDATES = 30
POPULAR_CANDIDATES = 40
TRENDING_HALF_LIFE_DAYS = 14
TRENDING_WINDOW_DAYS = 90

# Which sections suit a reader's situation, by section slug. A weak signal: it only adds to a
# profile's topics, and sections an editor renames simply stop matching.
SITUATION_SECTIONS = {
    Profile.Situation.NEWLY_DIAGNOSED: {"diagnosis", "treatment"},
    Profile.Situation.IN_TREATMENT: {"treatment", "living-well"},
    Profile.Situation.FINISHED_TREATMENT: {"living-well", "research-news"},
    Profile.Situation.METASTATIC: {"treatment", "research-news"},
    Profile.Situation.HIGH_RISK: {"prevention-and-risk", "diagnosis"},
    Profile.Situation.SUPPORTING: {"living-well"},
    Profile.Situation.PROFESSIONAL: {"research-news"},
}


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def article_content_type_id():
    return ContentType.objects.get_for_model(Article).pk


def load_reader(user_id, *, as_of=None, seed_weights=None):
    """The reader's signals in one query, or None when they have not opted in to personalisation."""
    as_of = as_of or timezone.now()
    profile_sections = Profile.sections.through
    profile_tags = Profile.tags.through
    sql = f"""
        SELECT p.situation,
            ARRAY(SELECT section_id FROM {table(profile_sections)} WHERE profile_id = p.id),
            ARRAY(SELECT tag_id FROM {table(profile_tags)} WHERE profile_id = p.id),
            ARRAY(SELECT article_id FROM {table(Favorite)}
                  WHERE user_id = %(user)s AND created_at < %(as_of)s
                  ORDER BY created_at DESC LIMIT {SEEDS_PER_READER}),
            ARRAY(SELECT article_id FROM {table(Dismissal)} WHERE user_id = %(user)s AND created_at < %(as_of)s),
            ARRAY(SELECT DISTINCT ti.tag_id FROM {table(Dismissal)} d
                  JOIN {table(TaggedItem)} ti ON ti.object_id = d.article_id AND ti.content_type_id = %(ct)s
                  WHERE d.user_id = %(user)s AND d.created_at < %(as_of)s),
            ARRAY(SELECT tag_id FROM {table(PausedTopic)} WHERE user_id = %(user)s AND created_at < %(as_of)s)
        FROM {table(Profile)} p
        WHERE p.user_id = %(user)s AND p.personalisation
    """
    # Read where the ORM would read (a replica for anonymous readers, when one is configured).
    with connections[router.db_for_read(Profile)].cursor() as cursor:
        cursor.execute(sql, {"user": user_id, "as_of": as_of, "ct": article_content_type_id()})
        row = cursor.fetchone()
    if row is None:
        return None
    situation, section_ids, tag_ids, saved_ids, dismissed, dismissed_tags, paused = row
    weights = seed_weights or {}
    return Reader(
        id=user_id,
        section_ids=frozenset(section_ids),
        tag_ids=frozenset(tag_ids),
        situation_section_slugs=frozenset(SITUATION_SECTIONS.get(situation, ())),
        saved={article_id: weights.get(article_id, 1.0) for article_id in saved_ids},
        dismissed=frozenset(dismissed),
        dismissed_tag_ids=frozenset(dismissed_tags),
        paused_tag_ids=frozenset(paused),
    )


def popularity_sql():
    """Saves and recency-weighted saves per article, as of %(as_of)s."""
    return f"""
        SELECT article_id, count(*) AS saves,
            sum(CASE WHEN created_at > %(as_of)s - interval '{TRENDING_WINDOW_DAYS} days'
                THEN power(0.5, extract(epoch FROM %(as_of)s - created_at)::float8 / 86400 / {TRENDING_HALF_LIFE_DAYS})
                ELSE 0 END) AS trending
        FROM {table(Favorite)} WHERE created_at < %(as_of)s
        GROUP BY article_id
    """


def load_candidates(reader, *, as_of=None, context_article_id=None, limit_popular=POPULAR_CANDIDATES):
    """Articles worth ranking for `reader` (None: anyone), with their signals, in one query.

    Candidates come from co-saves and content neighbours of the reader's saves, the reader's
    topics, the newest articles and the most popular ones; only articles visible at `as_of`.
    """
    as_of = as_of or timezone.now()
    seeds = list(reader.saved) if reader else []
    weights = [reader.saved[seed] for seed in seeds] if reader else []
    sql = f"""
        WITH seeds AS (
            SELECT unnest(%(seeds)s::bigint[]) AS article_id, unnest(%(weights)s::float8[]) AS weight
        ),
        already_saved AS (
            SELECT article_id FROM {table(Favorite)} WHERE user_id = %(reader)s AND created_at < %(as_of)s
        ),
        savers AS (
            SELECT s.article_id AS seed, s.weight, f.user_id
            FROM (SELECT * FROM seeds LIMIT {CO_SAVE_SEEDS}) s CROSS JOIN LATERAL (
                SELECT user_id FROM {table(Favorite)} f
                WHERE f.article_id = s.article_id AND f.created_at < %(as_of)s AND f.user_id <> %(reader)s
                ORDER BY f.created_at DESC LIMIT {SAVERS_PER_SEED}
            ) f
        ),
        co AS (
            SELECT f.article_id, v.seed, sum(v.weight) AS together
            FROM savers v CROSS JOIN LATERAL (
                SELECT article_id FROM {table(Favorite)} f
                WHERE f.user_id = v.user_id AND f.created_at < %(as_of)s
                ORDER BY f.created_at DESC LIMIT {SAVES_PER_SAVER}
            ) f
            WHERE NOT EXISTS (SELECT 1 FROM already_saved s WHERE s.article_id = f.article_id)
            GROUP BY f.article_id, v.seed
        ),
        co_total AS (
            SELECT article_id, sum(together) AS together FROM co
            GROUP BY article_id ORDER BY 2 DESC LIMIT {CO_SAVED_CANDIDATES}
        ),
        co_via AS (
            SELECT DISTINCT ON (article_id) article_id, seed FROM co ORDER BY article_id, together DESC, seed
        ),
        alike AS (
            SELECT * FROM (
                SELECT DISTINCT ON (n.neighbour_id) n.neighbour_id AS article_id, n.article_id AS via, n.similarity
                FROM {table(ContentNeighbour)} n WHERE n.article_id = ANY(%(seeds)s::bigint[])
                ORDER BY n.neighbour_id, n.similarity DESC
            ) best ORDER BY similarity DESC LIMIT {ALIKE_CANDIDATES}
        ),
        reading AS (
            SELECT neighbour_id AS article_id, similarity FROM {table(ContentNeighbour)}
            WHERE article_id = %(context)s
        ),
        visible AS NOT MATERIALIZED (
            SELECT id, section_id, publish_at FROM {table(Article)} a
            WHERE {visible_sql("a", "as_of")}
        ),
        profile AS (
            SELECT id FROM visible
            WHERE cardinality(%(sections)s::bigint[]) + cardinality(%(tags)s::bigint[]) > 0
            AND (section_id = ANY(%(sections)s::bigint[]) OR id IN (
                SELECT object_id FROM {table(TaggedItem)}
                WHERE content_type_id = %(ct)s AND tag_id = ANY(%(tags)s::bigint[])
            ))
            ORDER BY publish_at DESC LIMIT {PROFILE_CANDIDATES}
        ),
        fresh AS (SELECT id FROM visible ORDER BY publish_at DESC LIMIT {FRESH_CANDIDATES}),
        popular AS (
            SELECT article_id FROM {table(ArticlePopularity)}
            ORDER BY trending DESC, saves DESC LIMIT %(limit_popular)s
        ),
        pool AS (
            SELECT article_id FROM co_total UNION SELECT article_id FROM alike
            UNION SELECT article_id FROM reading UNION SELECT id FROM profile
            UNION SELECT id FROM fresh UNION SELECT article_id FROM popular
        )
        SELECT v.id, v.section_id, s.slug, v.publish_at,
            ARRAY(SELECT tag_id FROM {table(TaggedItem)} WHERE content_type_id = %(ct)s AND object_id = v.id),
            coalesce(alike.similarity, 0), alike.via,
            coalesce(co_total.together / sqrt(greatest(popularity.saves, 1)), 0), co_via.seed,
            coalesce(popularity.trending, 0), coalesce(reading.similarity, 0)
        FROM pool
        JOIN {table(Article)} v ON v.id = pool.article_id AND {visible_sql("v", "as_of")}
        JOIN {table(Section)} s ON s.id = v.section_id
        LEFT JOIN alike ON alike.article_id = v.id
        LEFT JOIN co_total ON co_total.article_id = v.id
        LEFT JOIN co_via ON co_via.article_id = v.id
        LEFT JOIN {table(ArticlePopularity)} popularity ON popularity.article_id = v.id
        LEFT JOIN reading ON reading.article_id = v.id
        WHERE v.id <> %(context)s
            -- Only the most recent saves are seeds, but no save of the reader's is ever recommended.
            AND NOT EXISTS (SELECT 1 FROM already_saved s WHERE s.article_id = v.id)
    """
    params = {
        "seeds": seeds,
        "weights": weights,
        "reader": reader.id if reader else 0,
        "as_of": as_of,
        "context": context_article_id or 0,
        "sections": list(reader.section_ids) if reader else [],
        "tags": list(reader.tag_ids) if reader else [],
        "ct": article_content_type_id(),
        "limit_popular": limit_popular,
    }
    with connections[router.db_for_read(Article)].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        Candidate(
            id=row[0],
            section_id=row[1],
            section_slug=row[2],
            published_at=row[3],
            tag_ids=frozenset(row[4]),
            similar=row[5],
            similar_via=row[6],
            co_saved=row[7],
            co_saved_via=row[8],
            popularity=row[9],
            context_similar=row[10],
        )
        for row in rows
    ]


def load_visible_articles(*, as_of):
    """Every article visible at `as_of` as a candidate with the signals of its own (section, topics,
    publication and popularity; none about a reader), by id, in one query."""
    tagged = TaggedItem.objects.filter(content_type_id=article_content_type_id(), object_id=OuterRef("pk"))
    popularity = ArticlePopularity.objects.filter(article=OuterRef("pk")).values("trending")
    rows = (
        Article.objects.visible(as_of)
        .annotate(tag_ids=ArraySubquery(tagged.values("tag_id")), popularity=Coalesce(Subquery(popularity), 0.0))
        .values_list("pk", "section_id", "section__slug", "publish_at", "tag_ids", "popularity")
    )
    return {
        pk: Candidate(
            id=pk,
            section_id=section_id,
            section_slug=section_slug,
            published_at=published_at,
            tag_ids=frozenset(tag_ids),
            popularity=popularity,
        )
        for pk, section_id, section_slug, published_at, tag_ids, popularity in rows
    }


def load_content_neighbours():
    """Each article's content neighbours: {article id: [(neighbour id, similarity), ...]}."""
    neighbours = defaultdict(list)
    for article_id, neighbour_id, similarity in ContentNeighbour.objects.values_list(
        "article_id", "neighbour_id", "similarity"
    ):
        neighbours[article_id].append((neighbour_id, similarity))
    return neighbours


def rebuild_popularity(*, as_of=None):
    """Snapshot every article's popularity as of `as_of` (default now), counting only earlier saves."""
    as_of = as_of or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table(ArticlePopularity)}")
        cursor.execute(
            f"""
            INSERT INTO {table(ArticlePopularity)} (article_id, saves, trending, computed_at)
            SELECT article_id, saves, trending, %(as_of)s FROM ({popularity_sql()}) counts
            """,
            {"as_of": as_of},
        )
        count = cursor.rowcount
        # Fresh statistics at once: with stale ones the planner misjudges the candidate query badly.
        cursor.execute(f"ANALYZE {table(ArticlePopularity)}")
    return count
