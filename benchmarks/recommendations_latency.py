# ruff: noqa: E402  (Django must be configured before the project's modules are imported)
"""Recommendation latency benchmark: how fast personal recommendations are at a realistic scale.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/recommendations_latency.py [--articles 20000] [--readers 100000] \\
        [--favorites 1000000] [--sample 300] [--cold 100] [--requests 100] [--no-experiments] [--json] \\
        [--keep | --database NAME --reuse]

DATABASE_URL only says which PostgreSQL server to use. The script never touches the database it
names: it creates its own scratch database on that server, fills it with the code behind
`manage.py generate_scale_data`, measures and drops the scratch database again (unless --keep).

It measures `recommendations_for()` for personalised readers who saved articles (with and without
an article being read) and for cold-start readers with only a profile, then the article page for an
anonymous and a signed-in reader. When the target is missed it explains the candidate query of the
slowest reader and measures, on the scratch database only, what changes would do: session settings,
extra indexes, and rewrites of the candidate query applied through `connection.execute_wrapper`.
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field

from scratch import (  # benchmarks/scratch.py, beside this script
    ScratchDatabase,
    add_scale_arguments,
    add_scratch_arguments,
    generate_scale_data,
    log,
)

DEFAULT_SCRATCH_DATABASE = "newsroom_recommendations_scratch"
# Written on the scratch database so the script never drops one it did not make.
SCRATCH_MARKER = "Scratch database made by benchmarks/recommendations_latency.py"
TARGET_P95_MS = 30
TARGET_MAX_QUERIES = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_scale_arguments(parser)
    parser.add_argument("--sample", type=int, default=300, help="personalised readers with saves (default 300)")
    parser.add_argument("--cold", type=int, default=100, help="cold-start readers, only a profile (default 100)")
    parser.add_argument("--requests", type=int, default=100, help="article page requests per kind (default 100)")
    parser.add_argument(
        "--no-experiments", action="store_true", help="skip measuring possible fixes when the target is missed"
    )
    add_scratch_arguments(parser, DEFAULT_SCRATCH_DATABASE)
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of Markdown")
    return parser.parse_args()


ARGS = parse_args()  # Before Django is set up, so --help works without a database.
SCRATCH = ScratchDatabase(ARGS.database, SCRATCH_MARKER)
SCRATCH.configure_django()

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Favorite, Profile, User
from articles.models import Article
from recommendations import engine, services, sources

# --- Measurement -----------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    calls: int
    median_ms: float
    p95_ms: float
    max_ms: float
    queries_max: int
    slowest: object = field(default=None, repr=False)  # the argument of the slowest call
    same_as_now: float | None = None  # experiments: share of today's top 10 they still recommend

    def as_dict(self):
        return {key: value for key, value in asdict(self).items() if key != "slowest"}


def p95(values):
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def timed(call, argument, prepare):
    """Wall time in seconds and SQL query count of one call, after its untimed preparation."""
    prepare(argument)
    # The query log keeps at most 9000 queries; once full, CaptureQueriesContext would count none.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        call(argument)
        elapsed = time.perf_counter() - start
    return elapsed, len(queries)


def measure(name, call, arguments, prepare=lambda argument: None, warm_up=10):
    """Call `call` once per argument, after a few unrecorded calls to warm caches and connections."""
    for argument in arguments[:warm_up]:
        timed(call, argument, prepare)
    timings, query_counts = zip(*(timed(call, argument, prepare) for argument in arguments), strict=True)
    milliseconds = [seconds * 1000 for seconds in timings]
    return Result(
        name=name,
        calls=len(arguments),
        median_ms=round(statistics.median(milliseconds), 1),
        p95_ms=round(p95(milliseconds), 1),
        max_ms=round(max(milliseconds), 1),
        queries_max=max(query_counts),
        slowest=arguments[milliseconds.index(max(milliseconds))],
    )


def personalised_profiles():
    return Profile.objects.filter(personalisation=True)


def readers_with_saves(rng, count):
    ids = list(personalised_profiles().filter(user__favorites__isnull=False).values_list("user_id", flat=True))
    return sample_users(rng, sorted(set(ids)), count)


def cold_start_readers(rng, count):
    """Personalised readers who chose topics or sections but have saved nothing yet."""
    ids = (
        personalised_profiles()
        .filter(user__favorites__isnull=True)
        .exclude(sections__isnull=True, tags__isnull=True)
        .values_list("user_id", flat=True)
    )
    return sample_users(rng, sorted(set(ids)), count)


def sample_users(rng, ids, count):
    chosen = rng.sample(ids, min(count, len(ids)))
    users = User.objects.in_bulk(chosen)
    return [users[user_id] for user_id in chosen]


def recommendation_results(warm, cold, articles):
    context = dict(zip(warm, articles, strict=False))
    return [
        measure("recommendations_for, reader with saves", recommend, warm),
        measure(
            "recommendations_for with context_article",
            lambda user: services.recommendations_for(user, limit=10, context_article=context[user]),
            warm,
        ),
        measure("recommendations_for, cold start (profile only)", recommend, cold),
    ]


def recommend(user):
    return services.recommendations_for(user, limit=10)


def top_articles(users):
    return {user.pk: {item.article.pk for item in recommend(user)} for user in users}


def overlap(before, after):
    """The share of the earlier recommendations still made, over the readers in `after`."""
    shared = sum(len(before[user_id] & articles) for user_id, articles in after.items())
    total = sum(len(before[user_id]) for user_id in after)
    return round(shared / total, 2) if total else None


@dataclass
class Stage:
    name: str
    median_ms: float
    p95_ms: float


def stage_breakdown(warm):
    """Where one recommendations_for() call spends its time, stage by stage, and how many candidates
    the ranking gets (its cost grows with them)."""
    spent = {"load_reader": [], "load_candidates": [], "engine.rank": [], "with_articles_and_reasons": []}
    pool_sizes = []
    for user in warm:
        moments = [time.perf_counter()]
        reader = sources.load_reader(user.pk)
        moments.append(time.perf_counter())
        candidates = sources.load_candidates(reader)
        moments.append(time.perf_counter())
        ranked = engine.rank(reader, candidates, now=timezone.now(), limit=10)
        moments.append(time.perf_counter())
        services.with_articles_and_reasons(ranked)
        moments.append(time.perf_counter())
        for name, start, end in zip(spent, moments, moments[1:], strict=False):
            spent[name].append((end - start) * 1000)
        pool_sizes.append(len(candidates))
    stages = [Stage(name, round(statistics.median(ms), 1), round(p95(ms), 1)) for name, ms in spent.items()]
    return stages, {"median": statistics.median(pool_sizes), "max": max(pool_sizes)}


def article_page_results(rng, slugs, warm, requests):
    anonymous, signed_in = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    readers_and_slugs = [(rng.choice(warm), rng.choice(slugs)) for _ in range(requests)]
    return [
        measure("article page, anonymous", lambda slug: get_page(anonymous, slug), rng.sample(slugs, requests)),
        measure(
            "article page, signed-in personalised reader",
            lambda pair: get_page(signed_in, pair[1]),
            readers_and_slugs,
            # Signing in is not part of the page, so it happens before the timed request.
            prepare=lambda pair: signed_in.force_login(pair[0]),
        ),
    ]


def get_page(client, slug):
    response = client.get(f"/articles/{slug}/")
    if response.status_code != 200:
        raise RuntimeError(f"GET /articles/{slug}/ returned {response.status_code}, expected 200")


# --- Diagnosis -------------------------------------------------------------------------------


def candidate_query(user):
    """The SQL of `sources.load_candidates` for this reader, with its parameters filled in."""
    reader = sources.load_reader(user.pk)
    with CaptureQueriesContext(connection) as queries:
        sources.load_candidates(reader)
    return queries.captured_queries[-1]["sql"]


def explain(user):
    """EXPLAIN (ANALYZE, BUFFERS) of the reader's candidate query: the slowest plan nodes by the
    time spent in the node itself, JIT's share and the total."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + candidate_query(user))
        plan = cursor.fetchone()[0][0]
    nodes = sorted(plan_nodes(plan["Plan"], cte_totals(plan["Plan"])), key=lambda node: -node["self_ms"])
    return {
        "reader_saves": Favorite.objects.filter(user=user).count(),
        "execution_ms": round(plan["Execution Time"], 1),
        "planning_ms": round(plan["Planning Time"], 1),
        "jit_ms": round(plan.get("JIT", {}).get("Timing", {}).get("Total", 0.0), 1),
        "estimated_cost": plan["Plan"]["Total Cost"],
        "slowest_nodes": nodes[:8],
    }


def node_total_ms(node):
    return node["Actual Total Time"] * node["Actual Loops"]


def cte_totals(node, totals=None):
    """The time each CTE's own plan took, by CTE name."""
    totals = {} if totals is None else totals
    if node.get("Subplan Name", "").startswith("CTE "):
        totals[node["Subplan Name"][4:]] = node_total_ms(node)
    for child in node.get("Plans", []):
        cte_totals(child, totals)
    return totals


def plan_nodes(node, ctes, inside=""):
    """Each node with its own time: its total over all loops minus its children's. A CTE is run by
    the CTE Scan that first reads it, so the CTE's own plan is taken off its scans too."""
    children = node.get("Plans", [])
    below = sum(node_total_ms(child) for child in children)
    if node["Node Type"] == "CTE Scan":
        below += ctes.get(node["CTE Name"], 0.0)
    inside = node.get("Subplan Name", inside)
    yield {
        "node": node_description(node, inside),
        "self_ms": round(max(0.0, node_total_ms(node) - below), 1),
        "rows": node["Actual Rows"],
        "loops": node["Actual Loops"],
        "shared_hit": node.get("Shared Hit Blocks", 0),
        "temp_written": node.get("Temp Written Blocks", 0),
    }
    for child in children:
        yield from plan_nodes(child, ctes, inside)


def node_description(node, inside):
    details = [
        node.get("Relation Name", ""),
        f"using {node['Index Name']}" if "Index Name" in node else "",
        f"of {node['CTE Name']}" if "CTE Name" in node else "",
        node.get("Sort Method", ""),
        f"in {inside}" if inside else "",
    ]
    return " ".join([node["Node Type"], *(detail for detail in details if detail)])


# --- Experiments: possible fixes, tried on the scratch database only ----------------------


class NotApplicable(Exception):
    """The candidate query no longer has the shape an experiment rewrites."""


@dataclass
class Rewrite:
    why: str
    pattern: str
    replacement: str

    def apply(self, query):
        rewritten, count = re.subn(self.pattern, self.replacement, query, flags=re.DOTALL)
        if not count:
            raise NotApplicable(f"no longer applies: {self.why}")
        return rewritten


NOT_MATERIALIZED = Rewrite(
    "visible/popularity CTEs are used twice, so PostgreSQL materialises every visible article and every "
    "popularity row on each call; NOT MATERIALIZED lets it use the indexes",
    r"\b(visible|popularity) AS \(",
    r"\1 AS NOT MATERIALIZED (",
)
PROFILE_GUARD = Rewrite(
    "a reader without chosen sections or topics makes the profile branch walk every visible article",
    r"(profile AS (?:NOT MATERIALIZED )?\(\s*SELECT id FROM visible\s*WHERE )(.*?)(\s*ORDER BY publish_at DESC LIMIT)",
    r"\1cardinality(%(sections)s::bigint[]) + cardinality(%(tags)s::bigint[]) > 0 AND (\2)\3",
)
BOUNDED_SAVER_HISTORY = Rewrite(
    "each saver of a seed contributes at most their 30 most recent saves",
    r'FROM savers v JOIN ("accounts_favorite") f ON f\.user_id = v\.user_id AND f\.created_at < %\(as_of\)s',
    r"FROM savers v CROSS JOIN LATERAL (SELECT article_id FROM \1 h WHERE h.user_id = v.user_id "
    r"AND h.created_at < %(as_of)s ORDER BY h.created_at DESC LIMIT 30) f",
)
PRECOMPUTED_CO_SAVES = Rewrite(
    "co-saves read from a table rebuilt offline (top 50 per article) instead of computed per request",
    r"savers AS \(.*?\),\s*co AS \(.*?GROUP BY f\.article_id, v\.seed\s*\),",
    "co AS (SELECT n.neighbour_id AS article_id, s.article_id AS seed, sum(s.weight * n.together) AS together "
    "FROM seeds s JOIN bench_co_saved n ON n.article_id = s.article_id "
    "WHERE n.article_id = ANY(%(seeds)s::bigint[]) AND NOT n.neighbour_id = ANY(%(seeds)s::bigint[]) "
    "GROUP BY 1, 2),",
)
CAPPED_ALIKE = Rewrite(
    "at most 200 content-neighbour candidates (50 seeds × 20 neighbours can give 1000)",
    r"\balike AS \((.*?ORDER BY n\.neighbour_id, n\.similarity DESC\s*)\),",
    r"alike_all AS (\1), alike AS (SELECT * FROM alike_all ORDER BY similarity DESC LIMIT 200),",
)


@contextmanager
def rewritten_candidate_query(*rewrites):
    """Apply `rewrites` to the candidate query only, as it is sent to PostgreSQL."""

    def wrapper(execute, query, params, many, context):
        if "co_total" in query and "pool" in query:
            for rewrite in rewrites:
                query = rewrite.apply(query)
        return execute(query, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


@contextmanager
def session_setting(name, value):
    with connection.cursor() as cursor:
        cursor.execute(f"SET {name} = {value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"RESET {name}")


COVERING_INDEXES = [
    # Savers of a seed, newest first, without visiting the table.
    "CREATE INDEX bench_favorite_article_cover ON accounts_favorite (article_id, created_at DESC) INCLUDE (user_id)",
    # A saver's saves, newest first, without visiting the table.
    "CREATE INDEX bench_favorite_user_cover ON accounts_favorite (user_id, created_at DESC) INCLUDE (article_id)",
]


@contextmanager
def covering_indexes():
    with connection.cursor() as cursor:
        for statement in COVERING_INDEXES:
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE accounts_favorite")  # Index-only scans need the visibility map.
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX bench_favorite_article_cover, bench_favorite_user_cover")


CO_SAVED_TABLE = """
    CREATE UNLOGGED TABLE bench_co_saved AS
    WITH recent AS (  -- each reader's 50 most recent saves, as for seeds
        SELECT user_id, article_id FROM (
            SELECT user_id, article_id, row_number() OVER (PARTITION BY user_id ORDER BY created_at DESC) AS n
            FROM accounts_favorite
        ) numbered WHERE n <= 50
    ),
    pairs AS (
        SELECT a.article_id, b.article_id AS neighbour_id, count(*) AS together
        FROM recent a JOIN recent b ON a.user_id = b.user_id AND a.article_id <> b.article_id
        GROUP BY 1, 2
    )
    SELECT article_id, neighbour_id, together FROM (
        SELECT *, row_number() OVER (PARTITION BY article_id ORDER BY together DESC, neighbour_id) AS n FROM pairs
    ) ranked WHERE n <= 50
"""


@contextmanager
def co_saved_table():
    """A co-saves table like the one a nightly job could keep (as ContentNeighbour is kept)."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute(CO_SAVED_TABLE)
        cursor.execute("RESET work_mem")
        cursor.execute("CREATE INDEX ON bench_co_saved (article_id) INCLUDE (neighbour_id, together)")
        cursor.execute("VACUUM ANALYZE bench_co_saved")
    log(f"  built the co-saves table in {time.perf_counter() - started:.1f} s")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_co_saved")


@contextmanager
def candidate_limits(seeds, savers):
    saved = sources.SEEDS_PER_READER, sources.SAVERS_PER_SEED
    sources.SEEDS_PER_READER, sources.SAVERS_PER_SEED = seeds, savers
    try:
        yield
    finally:
        sources.SEEDS_PER_READER, sources.SAVERS_PER_SEED = saved


def experiments():
    """(name, function making the context managers to measure under). All but the first build on
    JIT being off, the largest single effect; "= 3 + x" means experiment 3's changes and x."""
    jit_off = lambda: session_setting("jit", "off")  # noqa: E731
    query_shape = (NOT_MATERIALIZED, PROFILE_GUARD)
    return [
        ("1. JIT off", lambda: [jit_off()]),
        ("2. = 1 + covering favorite indexes", lambda: [jit_off(), covering_indexes()]),
        (
            "3. = 1 + CTEs not materialised + profile guard",
            lambda: [jit_off(), rewritten_candidate_query(*query_shape)],
        ),
        (
            "4. = 3 + live co-saves bounded (20 seeds, 30 savers, 30 saves each) + covering indexes",
            lambda: [
                jit_off(),
                covering_indexes(),
                candidate_limits(20, 30),
                rewritten_candidate_query(*query_shape, BOUNDED_SAVER_HISTORY),
            ],
        ),
        (
            "5. = 3 + precomputed co-saves instead of live ones",
            lambda: [jit_off(), co_saved_table(), rewritten_candidate_query(*query_shape, PRECOMPUTED_CO_SAVES)],
        ),
        (
            "6. = 5 + at most 200 content-neighbour candidates",
            lambda: [
                jit_off(),
                co_saved_table(),
                rewritten_candidate_query(*query_shape, PRECOMPUTED_CO_SAVES, CAPPED_ALIKE),
            ],
        ),
    ]


def run_experiments(warm, cold):
    """Each experiment measured on the same readers as the baseline: with saves, then cold start;
    and how much of what readers are recommended today it keeps (speed alone changes nothing)."""
    now = top_articles(warm + cold)
    results = []
    for name, managers in experiments():
        log(f"Experiment: {name}")
        try:
            with ExitStack() as stack:
                for manager in managers():
                    stack.enter_context(manager)
                results += [
                    measure(f"{name}: readers with saves", recommend, warm),
                    measure(f"{name}: cold start", recommend, cold),
                ]
                results[-2].same_as_now = overlap(now, top_articles(warm))
                results[-1].same_as_now = overlap(now, top_articles(cold))
        except NotApplicable as error:
            results.append(Result(name=f"{name}: {error}", calls=0, median_ms=0, p95_ms=0, max_ms=0, queries_max=0))
    return results


# --- Report ----------------------------------------------------------------------------------


def target_checks(results):
    """The targets: each recommendations_for() measurement under TARGET_P95_MS at p95, with at
    most TARGET_MAX_QUERIES queries."""
    checks = []
    for result in results:
        if not result.name.startswith("recommendations_for"):
            continue
        checks.append(
            (f"{result.name}: p95 {result.p95_ms} ms (target < {TARGET_P95_MS} ms)", result.p95_ms < TARGET_P95_MS)
        )
        checks.append(
            (
                f"{result.name}: max queries {result.queries_max} (target ≤ {TARGET_MAX_QUERIES})",
                result.queries_max <= TARGET_MAX_QUERIES,
            )
        )
    return checks


def machine_info(generation):
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    return {
        "python": sys.version.split()[0],
        "postgresql": postgres.split(" on ")[0],
        "jit": jit,
        "cpus": os.cpu_count(),
        "articles": Article.objects.count(),
        "readers": User.objects.count(),
        "favorites": Favorite.objects.count(),
        "generation_seconds": generation,
    }


def results_table(results):
    lines = ["| measurement | calls | median ms | p95 ms | max ms | max queries |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r.name} | {r.calls} | {r.median_ms} | {r.p95_ms} | {r.max_ms} | {r.queries_max} |" for r in results]
    return lines


def experiments_table(results):
    lines = [
        "| experiment | calls | median ms | p95 ms | max ms | max queries | same top 10 as now |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.name} | {r.calls} | {r.median_ms} | {r.p95_ms} | {r.max_ms} | {r.queries_max} | {r.same_as_now} |"
        for r in results
    ]
    return lines


def meets_target(result):
    return result.calls and result.p95_ms < TARGET_P95_MS and result.queries_max <= TARGET_MAX_QUERIES


def experiments_meeting_target(report):
    """The numbers of the experiments whose every measurement meets the target."""
    verdicts = {}
    for result in report["experiments"]:
        number = result.name.split(".")[0]
        verdicts[number] = verdicts.get(number, True) and bool(meets_target(result))
    return ", ".join(number for number, met in verdicts.items() if met) or "none"


def markdown_report(report):
    machine = report["machine"]
    lines = [
        f"Python {machine['python']} · {machine['postgresql']} (jit {machine['jit']}) · {machine['cpus']} CPUs · "
        f"{machine['articles']} articles, {machine['readers']} readers, {machine['favorites']} favorites",
        "",
        *(
            [
                "Generation:",
                "",
                "| phase | seconds |",
                "|---|---:|",
                *(f"| {phase} | {seconds} |" for phase, seconds in machine["generation_seconds"].items()),
                "",
            ]
            if machine["generation_seconds"]
            else []
        ),
        *results_table(report["results"]),
        "",
        "Targets:",
        *(f"- {check['check']} — {'met' if check['met'] else 'MISSED'}" for check in report["targets"]),
        "",
        f"Stages of one call (personalised readers; candidates per reader: median {report['pool']['median']}, "
        f"max {report['pool']['max']}):",
        "",
        "| stage | median ms | p95 ms |",
        "|---|---:|---:|",
        *(f"| {stage.name} | {stage.median_ms} | {stage.p95_ms} |" for stage in report["stages"]),
    ]
    if report.get("explain"):
        plan = report["explain"]
        lines += [
            "",
            f"EXPLAIN ANALYZE of the slowest reader's candidate query ({plan['reader_saves']} saves): "
            f"execution {plan['execution_ms']} ms, of which JIT {plan['jit_ms']} ms; "
            f"planning {plan['planning_ms']} ms; estimated cost {plan['estimated_cost']:.0f}. Slowest nodes by their "
            "own time (JIT compiles while nodes first run, so its time shows in theirs):",
            "",
            "| plan node | own ms | rows | loops | shared hits | temp blocks written |",
            "|---|---:|---:|---:|---:|---:|",
            *(
                f"| {n['node']} | {n['self_ms']} | {n['rows']} | {n['loops']} | {n['shared_hit']} | "
                f"{n['temp_written']} |"
                for n in plan["slowest_nodes"]
            ),
        ]
    if report.get("experiments"):
        lines += ["", "Experiments (recommendations_for on the same readers, scratch database only):", ""]
        lines += experiments_table(report["experiments"])
        lines += ["", f"Experiments meeting the target for every kind of reader: {experiments_meeting_target(report)}."]
    return "\n".join(lines)


def json_report(report):
    return json.dumps(
        {
            **report,
            "results": [r.as_dict() for r in report["results"]],
            "stages": [asdict(stage) for stage in report["stages"]],
            "experiments": [r.as_dict() for r in report.get("experiments", [])],
        },
        indent=2,
    )


def benchmark(args, generation):
    rng = random.Random(7)
    warm = readers_with_saves(rng, args.sample)
    cold = cold_start_readers(rng, args.cold)
    if not warm or not cold:
        sys.exit("The generated data has no personalised readers with saves or none without: generate more readers.")
    slugs = list(Article.objects.visible().values_list("slug", flat=True))
    articles = list(Article.objects.visible().only("pk").order_by("?")[: len(warm)])
    log(f"Measuring recommendations for {len(warm)} readers with saves and {len(cold)} cold-start readers")
    results = recommendation_results(warm, cold, articles)
    log("Measuring the article page")
    results += article_page_results(rng, slugs, warm, min(args.requests, len(slugs)))
    stages, pool = stage_breakdown(warm)
    checks = [{"check": text, "met": met} for text, met in target_checks(results)]
    report = {
        "machine": machine_info(generation),
        "results": results,
        "targets": checks,
        "stages": stages,
        "pool": pool,
    }
    if not all(check["met"] for check in checks):
        log("Target missed: explaining the slowest reader's candidate query")
        report["explain"] = explain(results[0].slowest)
        if not args.no_experiments:
            report["experiments"] = run_experiments(warm, cold)
    return report


def main(args):
    generation = None
    with SCRATCH.for_run(reuse=args.reuse, keep=args.keep):
        if not args.reuse:
            generation = generate_scale_data(args)
        report = benchmark(args, generation)
        print(json_report(report) if args.json else markdown_report(report))


if __name__ == "__main__":
    main(ARGS)
