"""Signals for the ranking, read from PostgreSQL as of a moment.

`as_of` is "now" on the live site. The offline evaluation passes earlier moments: every read here
then sees only favorites, dismissals and articles from before that moment, so no future data leaks
into a recommendation. Trending is the popularity snapshot (`rebuild_popularity`, which
`manage.py rebuild_recommendations` moves forward, hourly) plus the saves made since it was taken, so
it is current to the moment asked; a snapshot taken after that moment is not used.
"""

import hashlib
import weakref
from collections import defaultdict
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, connections, router, transaction
from django.db.models import F, FloatField, Func, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from psycopg.types.json import Jsonb
from taggit.models import Tag, TaggedItem

from accounts.models import Favorite, Profile
from articles.models import Article, Section, visible_sql

from . import config as engine_config
from .engine import Candidate, Reader
from .models import ArticlePopularity, ContentNeighbour, CoSave, Dismissal, PausedTopic, PopularitySnapshot

SEEDS_PER_READER = 50  # the reader's most recent saves used as seeds
# Co-saves are bounded so their cost does not grow with popular articles or heavy readers: a save pairs
# with the saves its reader made just before it; each seed keeps its strongest co-saves (CoSave); a reader's
# most recent seeds are asked for theirs.
SAVES_PER_SAVER = 20
CO_SAVES_KEPT = 100
CO_SAVE_SEEDS = 20
CO_SAVED_PER_SEED = 50
CO_SAVED_CANDIDATES = 120
# The saves since the snapshot paired live: the most recent ones.
RECENT_CO_SAVES = 500
ALIKE_CANDIDATES = 120
PROFILE_CANDIDATES_PER_TOPIC = 10  # the newest articles of each topic the reader chose
# ...among the topic's articles created last (an index gives them at once; checking every article of a
# popular topic for visibility took most of the candidate query). An article published long after it was
# created still comes in with the newest articles of all.
TOPIC_LATEST_ADDED = 60
FRESH_CANDIDATES = 30
POPULAR_CANDIDATES = 40
# The saves since the snapshot that count towards trending: the most recent ones, so a snapshot that was
# not moved forward for a long time costs no more than this.
RECENT_SAVES = 2000
# The snapshot keeps this many of the most trending articles as candidates for everyone.
TRENDING_KEPT = 100
# rebuild_popularity counts every save afresh this often: a save removed since it was counted, or committed
# after a snapshot that its time falls before, is right again within a day.
RECOUNT_EVERY = timedelta(hours=24)

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
# Topics (tag slugs) not recommended to readers in a situation unless they chose them: screening is for
# people without a diagnosis.
SITUATION_UNSUITED_TAGS = {
    Profile.Situation.NEWLY_DIAGNOSED: {"screening"},
    Profile.Situation.IN_TREATMENT: {"screening"},
    Profile.Situation.METASTATIC: {"screening"},
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
            ARRAY(SELECT tag_id FROM {table(PausedTopic)} WHERE user_id = %(user)s AND created_at < %(as_of)s),
            ARRAY(SELECT t.id FROM {table(Tag)} t
                  JOIN unnest(%(unsuited_situations)s::text[], %(unsuited_slugs)s::text[]) u(situation, slug)
                  ON u.slug = t.slug AND u.situation = p.situation
                  WHERE t.id NOT IN (SELECT tag_id FROM {table(profile_tags)} WHERE profile_id = p.id))
        FROM {table(Profile)} p
        WHERE p.user_id = %(user)s AND p.personalisation
    """
    # Read where the ORM would read (a replica for anonymous readers, when one is configured).
    with connections[router.db_for_read(Profile)].cursor() as cursor:
        unsuited = [(situation, slug) for situation, slugs in SITUATION_UNSUITED_TAGS.items() for slug in slugs]
        params = {
            "user": user_id,
            "as_of": as_of,
            "ct": article_content_type_id(),
            "unsuited_situations": [situation for situation, _ in unsuited],
            "unsuited_slugs": [slug for _, slug in unsuited],
        }
        rows = run_prepared(cursor, sql, params, READER_PARAMETER_TYPES)
    if not rows:
        return None
    situation, section_ids, tag_ids, saved_ids, dismissed, dismissed_tags, paused, unsuited_tags = rows[0]
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
        unsuited_tag_ids=frozenset(unsuited_tags),
    )


def half_life_params(config):
    """The configuration's trending half-lives as query parameters, for half_lives_sql()."""
    named = {slug: hours for slug, hours in config.trending_half_life_hours.items() if slug != "default"}
    return {
        "half_life_slugs": list(named),
        "half_life_hours": [float(hours) for hours in named.values()],
        "half_life_default": config.trending_half_life_hours["default"],
    }


def half_lives_sql():
    """Each section's trending half-life in hours, as rows (section_id, hours)."""
    return f"""
        SELECT s.id AS section_id, coalesce(c.hours, %(half_life_default)s) AS hours
        FROM {table(Section)} s
        LEFT JOIN unnest(%(half_life_slugs)s::text[], %(half_life_hours)s::float8[]) c(slug, hours) ON c.slug = s.slug
    """


def saves_since_sql(source, since):
    """Saves and trending per article from the saves (rows of `source`) in [`since`, %(as_of)s), with the
    `half_lives` CTE."""
    return f"""
        SELECT f.article_id, count(*) AS saves,
            sum(recommendations_decay(%(as_of)s - f.created_at, h.hours)) AS trending, min(h.hours) AS hours
        FROM {source} f
        JOIN {table(Article)} a ON a.id = f.article_id
        JOIN half_lives h ON h.section_id = a.section_id
        WHERE f.created_at >= {since} AND f.created_at < %(as_of)s
        GROUP BY f.article_id
    """


def co_save_pairs_sql(source, moment):
    """Rows (seed_id, article_id, weight): each save in `source` (rows of Favorite) paired, both ways, with
    each of the SAVES_PER_SAVER saves its reader made before it; weight is the decay of the save of
    article_id at `moment`, by the co-save half-life (%(co_save_half_life)s)."""
    return f"""
        SELECT pair.seed_id, pair.article_id,
            recommendations_decay({moment} - pair.saved_at, %(co_save_half_life)s) AS weight
        FROM {source} later CROSS JOIN LATERAL (
            SELECT article_id, created_at FROM {table(Favorite)} f
            WHERE f.user_id = later.user_id AND (f.created_at, f.article_id) < (later.created_at, later.article_id)
            ORDER BY f.created_at DESC, f.article_id DESC LIMIT {SAVES_PER_SAVER}
        ) earlier CROSS JOIN LATERAL (
            VALUES (later.article_id, earlier.article_id, earlier.created_at),
                (earlier.article_id, later.article_id, later.created_at)
        ) pair(seed_id, article_id, saved_at)
    """


def load_candidates(reader, *, as_of=None, context_article_id=None, limit_popular=POPULAR_CANDIDATES, config=None):
    """Articles worth ranking for `reader` (None: anyone), with their signals, in one query.

    Candidates come from co-saves and content neighbours of the reader's saves, the newest articles of
    each topic the reader chose, the newest articles and the trending ones; only articles visible at
    `as_of`. Co-saves are weighted by the age of the co-reader's save and divided by the square root of
    the article's saves at `as_of`; they and trending are the snapshot's, carried forward to `as_of`,
    plus the saves since the snapshot.
    """
    as_of = as_of or timezone.now()
    config = config or engine_config.current()
    seeds = list(reader.saved) if reader else []
    weights = [float(reader.saved[seed]) for seed in seeds] if reader else []
    sql = f"""
        WITH seeds AS (
            SELECT unnest(%(seeds)s::bigint[]) AS article_id, unnest(%(weights)s::float8[]) AS weight
        ),
        already_saved AS (
            SELECT article_id FROM {table(Favorite)} WHERE user_id = %(reader)s AND created_at < %(as_of)s
        ),
        half_lives AS ({half_lives_sql()}),
        -- A snapshot taken after as_of holds later saves: then only the saves before as_of are counted.
        snapshot AS (
            SELECT coalesce(max(taken_at) FILTER (WHERE taken_at <= %(as_of)s), '-infinity') AS taken_at,
                coalesce(max(trending_ids) FILTER (WHERE taken_at <= %(as_of)s), '{{}}') AS trending_ids,
                -- Co-saves counted with another half-life are not comparable: none until the next rebuild.
                coalesce(bool_or(co_save_half_life_hours = %(co_save_half_life)s) FILTER (WHERE taken_at <= %(as_of)s),
                    false) AS co_saves_counted
            FROM {table(PopularitySnapshot)}
        ),
        recent_saves AS (
            -- The bounds are index conditions only as a value, not as a join.
            SELECT * FROM {table(Favorite)}
            WHERE created_at >= (SELECT taken_at FROM snapshot) AND created_at < %(as_of)s
            ORDER BY created_at DESC LIMIT {RECENT_SAVES}
        ),
        co_seeds AS (SELECT * FROM seeds LIMIT {CO_SAVE_SEEDS}),
        co_pairs AS (
            -- As of the snapshot, carried forward to as_of...
            SELECT c.article_id, s.article_id AS seed,
                s.weight * exp(c.strength - recommendations_lift(%(as_of)s, %(co_save_half_life)s)) AS together
            FROM co_seeds s CROSS JOIN LATERAL (
                SELECT article_id, strength FROM {table(CoSave)} c WHERE c.seed_id = s.article_id
                ORDER BY c.strength DESC LIMIT {CO_SAVED_PER_SEED}
            ) c
            WHERE (SELECT co_saves_counted FROM snapshot)
            UNION ALL
            -- ...and from the saves since.
            SELECT p.article_id, s.article_id, s.weight * p.weight
            FROM ({co_save_pairs_sql(f"(SELECT * FROM recent_saves LIMIT {RECENT_CO_SAVES})", "%(as_of)s")}) p
            JOIN co_seeds s ON s.article_id = p.seed_id
        ),
        co AS (
            SELECT article_id, seed, sum(together) AS together FROM co_pairs c
            WHERE NOT EXISTS (SELECT 1 FROM already_saved s WHERE s.article_id = c.article_id)
            GROUP BY article_id, seed
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
            SELECT newest.id FROM unnest(%(sections)s::bigint[]) chosen(section_id) CROSS JOIN LATERAL (
                SELECT id FROM visible WHERE section_id = chosen.section_id
                ORDER BY publish_at DESC LIMIT {PROFILE_CANDIDATES_PER_TOPIC}
            ) newest
            UNION
            SELECT newest.id FROM unnest(%(tags)s::bigint[]) chosen(tag_id) CROSS JOIN LATERAL (
                SELECT v.id FROM (
                    SELECT object_id FROM {table(TaggedItem)}
                    WHERE tag_id = chosen.tag_id AND content_type_id = %(ct)s
                    ORDER BY object_id DESC LIMIT {TOPIC_LATEST_ADDED}
                ) t JOIN visible v ON v.id = t.object_id
                ORDER BY v.publish_at DESC LIMIT {PROFILE_CANDIDATES_PER_TOPIC}
            ) newest
        ),
        fresh AS (SELECT id FROM visible ORDER BY publish_at DESC LIMIT {FRESH_CANDIDATES}),
        recent AS ({saves_since_sql("recent_saves", "'-infinity'")}),
        counted AS (
            SELECT p.article_id, p.saves, p.trending, p.half_life_hours, p.computed_at
            FROM {table(ArticlePopularity)} p, snapshot WHERE snapshot.taken_at > '-infinity'
        ),
        popular AS (
            (SELECT unnest(trending_ids[1:%(limit_popular)s]) AS article_id FROM snapshot)
            UNION (SELECT article_id FROM recent ORDER BY trending DESC LIMIT %(limit_popular)s)
        ),
        pool AS (
            SELECT article_id FROM co_total UNION SELECT article_id FROM alike
            UNION SELECT article_id FROM reading UNION SELECT id FROM profile
            UNION SELECT id FROM fresh UNION SELECT article_id FROM popular
        )
        SELECT v.id, v.section_id, s.slug, v.publish_at,
            ARRAY(SELECT tag_id FROM {table(TaggedItem)} WHERE content_type_id = %(ct)s AND object_id = v.id),
            coalesce(alike.similarity, 0), alike.via,
            coalesce(co_total.together / sqrt(greatest(coalesce(counted.saves, 0) + coalesce(recent.saves, 0), 1)), 0),
            co_via.seed,
            coalesce(
                counted.trending * recommendations_decay(%(as_of)s - counted.computed_at, counted.half_life_hours), 0
            ) + coalesce(recent.trending, 0),
            coalesce(reading.similarity, 0)
        FROM pool
        JOIN {table(Article)} v ON v.id = pool.article_id AND {visible_sql("v", "as_of")}
        JOIN {table(Section)} s ON s.id = v.section_id
        LEFT JOIN alike ON alike.article_id = v.id
        LEFT JOIN co_total ON co_total.article_id = v.id
        LEFT JOIN co_via ON co_via.article_id = v.id
        LEFT JOIN counted ON counted.article_id = v.id
        LEFT JOIN recent ON recent.article_id = v.id
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
        "co_save_half_life": config.co_save_half_life_hours,
        **half_life_params(config),
    }
    with connections[router.db_for_read(Article)].cursor() as cursor:
        rows = run_prepared(cursor, sql, params, CANDIDATE_PARAMETER_TYPES)
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
            trending=row[9],
            context_similar=row[10],
        )
        for row in rows
    ]


READER_PARAMETER_TYPES = {
    "user": "bigint",
    "as_of": "timestamptz",
    "ct": "integer",
    "unsuited_situations": "text[]",
    "unsuited_slugs": "text[]",
}
CANDIDATE_PARAMETER_TYPES = {
    "seeds": "bigint[]",
    "weights": "float8[]",
    "reader": "bigint",
    "as_of": "timestamptz",
    "context": "bigint",
    "sections": "bigint[]",
    "tags": "bigint[]",
    "ct": "integer",
    "limit_popular": "bigint",
    "co_save_half_life": "float8",
    "half_life_slugs": "text[]",
    "half_life_hours": "float8[]",
    "half_life_default": "float8",
}
# The statements each connection has prepared: {connection: {statement name, ...}}.
PREPARED = weakref.WeakKeyDictionary()


def run_prepared(cursor, sql, params, types):
    """The rows of `sql` (with %(name)s parameters of the given SQL types), run as a statement the connection
    prepares once and plans once: planning the candidate query took 2–7 ms each time, about as long as
    running it. PostgreSQL would go on planning it for each reader's values, judging by estimates that one
    plan for all cannot be as good, so it is told to keep one. PostgreSQL re-plans a prepared statement by
    itself when a table it reads changes or the search path does (the offline evaluation's scratch schema)."""
    names = list(types)
    name = "recommendations_" + hashlib.sha1(sql.encode()).hexdigest()[:16]
    raw = cursor.cursor.connection
    prepared = PREPARED.setdefault(raw, set())
    if name not in prepared:
        positional = sql
        for number, parameter in enumerate(names, start=1):
            positional = positional.replace(f"%({parameter})s", f"${number}")
        cursor.execute(f"PREPARE {name} ({', '.join(types.values())}) AS {positional.replace('%%', '%')}")
        prepared.add(name)
    # Set with each run, in the same round trip: a setting made in a transaction that is rolled back is undone.
    cursor.execute(
        f"SET plan_cache_mode TO force_generic_plan; EXECUTE {name} ({', '.join(['%s'] * len(names))})",
        [params[parameter] for parameter in names],
    )
    cursor.nextset()  # past the SET's result, to the EXECUTE's rows
    return cursor.fetchall()


class Decay(Func):
    """recommendations_decay(age, half-life hours): the database function every trending count uses."""

    function = "recommendations_decay"
    output_field = FloatField()


def load_visible_articles(*, as_of):
    """Every article visible at `as_of` as a candidate with the signals of its own (section, topics,
    publication and trending as of the snapshot; none about a reader), by id, in one query."""
    tagged = TaggedItem.objects.filter(content_type_id=article_content_type_id(), object_id=OuterRef("pk"))
    trending = ArticlePopularity.objects.filter(article=OuterRef("pk"), computed_at__lte=as_of).values(
        now=F("trending") * Decay(as_of - F("computed_at"), F("half_life_hours"))
    )
    rows = (
        Article.objects.visible(as_of)
        .annotate(tag_ids=ArraySubquery(tagged.values("tag_id")), trending=Coalesce(Subquery(trending), 0.0))
        .values_list("pk", "section_id", "section__slug", "publish_at", "tag_ids", "trending")
    )
    return {
        pk: Candidate(
            id=pk,
            section_id=section_id,
            section_slug=section_slug,
            published_at=published_at,
            tag_ids=frozenset(tag_ids),
            trending=trending,
        )
        for pk, section_id, section_slug, published_at, tag_ids, trending in rows
    }


def load_content_neighbours():
    """Each article's content neighbours: {article id: [(neighbour id, similarity), ...]}."""
    neighbours = defaultdict(list)
    for article_id, neighbour_id, similarity in ContentNeighbour.objects.values_list(
        "article_id", "neighbour_id", "similarity"
    ):
        neighbours[article_id].append((neighbour_id, similarity))
    return neighbours


def rebuild_popularity(*, as_of=None, config=None, recount_every=RECOUNT_EVERY, prune_co_saves=True):
    """Move the popularity snapshot forward to `as_of` (default now), counting only earlier saves.

    Only the articles saved since the last snapshot are counted (seconds, hourly, at any size), unless
    the snapshot is later than `as_of`, was made with other half-lives, or was last counted afresh
    `recount_every` or more before (None: only then): then every save is counted afresh, and each seed
    keeps only its CO_SAVES_KEPT strongest co-saves unless `prune_co_saves` is false. Returns the articles
    counted."""
    as_of = as_of or timezone.now()
    config = config or engine_config.current()
    half_lives = config.trending_half_life_hours
    params = {"as_of": as_of, **half_life_params(config)}
    popularity = table(ArticlePopularity)
    with transaction.atomic(), connection.cursor() as cursor:
        # Rebuilds that overlap take turns; recommendations go on reading the last snapshot meanwhile.
        cursor.execute(f"LOCK TABLE {table(PopularitySnapshot)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            f"""SELECT taken_at, full_at,
                trending_half_life_hours = %s AND co_save_half_life_hours IS NOT DISTINCT FROM %s
            FROM {table(PopularitySnapshot)}""",
            [Jsonb(half_lives), config.co_save_half_life_hours],
        )
        snapshot = cursor.fetchone()
        taken_at, full_at, same_half_lives = snapshot or (None, None, False)
        afresh = (
            snapshot is None
            or taken_at > as_of
            or not same_half_lives
            or (recount_every is not None and as_of - full_at >= recount_every)
        )
        if afresh:
            cursor.execute(f"DELETE FROM {popularity}")
        cursor.execute(
            f"""
            WITH half_lives AS ({half_lives_sql()})
            INSERT INTO {popularity} AS p (article_id, saves, trending, half_life_hours, computed_at)
            SELECT article_id, saves, trending, hours, %(as_of)s
            FROM ({saves_since_sql(table(Favorite), "'-infinity'" if afresh else "%(since)s")}) counts
            ON CONFLICT (article_id) DO UPDATE SET
                saves = p.saves + excluded.saves,
                trending = p.trending * recommendations_decay(excluded.computed_at - p.computed_at, p.half_life_hours)
                    + excluded.trending,
                half_life_hours = excluded.half_life_hours,
                computed_at = excluded.computed_at
            """,
            {**params, "since": taken_at},
        )
        counted = cursor.rowcount
        count_co_saves(
            cursor,
            as_of=as_of,
            since=None if afresh else taken_at,
            half_life=config.co_save_half_life_hours,
            kept=CO_SAVES_KEPT if prune_co_saves else None,
        )
        cursor.execute(
            f"""
            INSERT INTO {table(PopularitySnapshot)} AS s
                (id, taken_at, full_at, trending_half_life_hours, trending_ids, co_save_half_life_hours)
            SELECT 1, %(as_of)s, %(full_at)s, %(half_lives)s, coalesce(array_agg(article_id), '{{}}'),
                %(co_save_half_life)s
            FROM (
                SELECT article_id FROM {popularity}
                ORDER BY trending * recommendations_decay(%(as_of)s - computed_at, half_life_hours) DESC,
                    saves DESC, article_id
                LIMIT {TRENDING_KEPT}
            ) top
            ON CONFLICT (id) DO UPDATE SET taken_at = excluded.taken_at, full_at = excluded.full_at,
                trending_half_life_hours = excluded.trending_half_life_hours, trending_ids = excluded.trending_ids,
                co_save_half_life_hours = excluded.co_save_half_life_hours
            """,
            {
                **params,
                "full_at": as_of if afresh else full_at,
                "half_lives": Jsonb(half_lives),
                "co_save_half_life": config.co_save_half_life_hours,
            },
        )
        if afresh:
            # Fresh statistics at once: with stale ones the planner misjudges the candidate query badly.
            cursor.execute(f"ANALYZE {popularity}")
            cursor.execute(f"ANALYZE {table(CoSave)}")
    return counted


def count_co_saves(cursor, *, as_of, since, half_life, kept):
    """Add to CoSave the pairs of saves whose later save falls in [`since`, `as_of`), or (`since` None)
    count every pair afresh and keep each seed's `kept` strongest (None: all). Pruning is left to the daily
    recount: hourly it would cost more than the counting. A pair already kept adds its new weight to the
    old: strengths share one clock (CoSave), so adding weights is adding their exponentials. A pair pruned
    and saved again starts from its new weight until the next recount."""
    co_saves = table(CoSave)
    params = {"as_of": as_of, "since": since, "co_save_half_life": half_life}
    saves = f"(SELECT * FROM {table(Favorite)} WHERE created_at < %(as_of)s"
    saves += " AND created_at >= %(since)s)" if since else ")"
    pairs = f"""
        SELECT seed_id, article_id, ln(sum(weight)) + recommendations_lift(%(as_of)s, %(co_save_half_life)s) AS strength
        FROM ({co_save_pairs_sql(saves, "%(as_of)s")}) p
        GROUP BY seed_id, article_id
    """
    if since is None:
        strongest = pairs
        if kept is not None:
            strongest = f"""
                SELECT seed_id, article_id, strength FROM (
                    SELECT *, row_number() OVER (PARTITION BY seed_id ORDER BY strength DESC, article_id) AS place
                    FROM ({pairs}) pairs
                ) ranked WHERE place <= {kept}
            """
        cursor.execute(f"DELETE FROM {co_saves}")
        cursor.execute(f"INSERT INTO {co_saves} (seed_id, article_id, strength) {strongest}", params)
        return
    cursor.execute(
        f"""
        INSERT INTO {co_saves} AS c (seed_id, article_id, strength)
        SELECT seed_id, article_id, strength FROM ({pairs}) pairs
        ON CONFLICT (seed_id, article_id) DO UPDATE SET
            strength = greatest(c.strength, excluded.strength) + ln(1 + exp(-abs(c.strength - excluded.strength)))
        """,
        params,
    )
