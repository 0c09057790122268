# ruff: noqa: E402  (Django must be configured before the project's modules are imported)
"""Recommendation latency benchmark: how fast personal recommendations are at a realistic scale.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/recommendations_latency.py [--articles 20000] [--readers 100000] \\
        [--favorites 1000000] [--sample 300] [--cold 100] [--requests 100] [--json] \\
        [--keep | --database NAME --reuse]

DATABASE_URL only says which PostgreSQL server to use. The script never touches the database it
names: it creates its own scratch database on that server, fills it with the code behind
`manage.py generate_scale_data`, measures and drops the scratch database again (unless --keep).

It measures `recommendations_for()` for personalised readers who saved articles (with and without
an article being read) and for cold-start readers with only a profile, then the article page for an
anonymous and a signed-in reader. When the target is missed it explains the candidate query of the
slowest reader.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
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
TARGET_MAX_QUERIES = 4


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_scale_arguments(parser)
    parser.add_argument("--sample", type=int, default=300, help="personalised readers with saves (default 300)")
    parser.add_argument("--cold", type=int, default=100, help="cold-start readers, only a profile (default 100)")
    parser.add_argument("--requests", type=int, default=100, help="article page requests per kind (default 100)")
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
    # The same rounds' reference call (one primary-key query through the ORM), taking turns with this one:
    # the machine's speed at that moment, so runs on different or busy machines can be compared.
    reference_median_ms: float | None = None
    times_reference: float | None = None  # median ÷ the reference's median
    slowest: object = field(default=None, repr=False)  # the argument of the slowest call

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


def reference_call(user):
    """The reference: the cheapest call through the same ORM, connection and server."""
    return User.objects.filter(pk=user.pk).values_list("pk", flat=True).first()


def measure(name, call, arguments, prepare=lambda argument: None, warm_up=10, reference=None):
    """Call `call` once per argument, after a few unrecorded calls to warm caches and connections; with
    `reference`, call it too after each, on the same argument, and compare medians."""
    for argument in arguments[:warm_up]:
        timed(call, argument, prepare)
    rounds = []
    for argument in arguments:
        measured = timed(call, argument, prepare)
        rounds.append((measured, timed(reference, argument, prepare)[0] if reference else None))
    milliseconds = [seconds * 1000 for (seconds, _), _ in rounds]
    median_ms = statistics.median(milliseconds)
    reference_ms = statistics.median(seconds * 1000 for _, seconds in rounds) if reference else None
    return Result(
        name=name,
        calls=len(arguments),
        median_ms=round(median_ms, 1),
        p95_ms=round(p95(milliseconds), 1),
        max_ms=round(max(milliseconds), 1),
        queries_max=max(queries for (_, queries), _ in rounds),
        reference_median_ms=round(reference_ms, 2) if reference else None,
        times_reference=round(median_ms / reference_ms, 1) if reference else None,
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
        measure("recommendations_for, reader with saves", recommend, warm, reference=reference_call),
        measure(
            "recommendations_for with context_article",
            lambda user: services.recommendations_for(user, limit=10, context_article=context[user]),
            warm,
            reference=reference_call,
        ),
        measure("recommendations_for, cold start (profile only)", recommend, cold, reference=reference_call),
    ]


def recommend(user):
    return services.recommendations_for(user, limit=10)


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
    lines = [
        "| measurement | calls | median ms | p95 ms | max ms | max queries | reference median ms | × reference |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.name} | {r.calls} | {r.median_ms} | {r.p95_ms} | {r.max_ms} | {r.queries_max} | "
        f"{r.reference_median_ms or '–'} | {r.times_reference or '–'} |"
        for r in results
    ]
    return lines


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
    return "\n".join(lines)


def json_report(report):
    return json.dumps(
        {
            **report,
            "results": [r.as_dict() for r in report["results"]],
            "stages": [asdict(stage) for stage in report["stages"]],
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
