# ruff: noqa: E402  (Django must be configured before the project's modules are imported)
"""Suggestions benchmark: how long `manage.py rebuild_recommendations` takes to rank the suggestions of
every page, and how fast a page view reads its own, at a realistic scale.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/suggestions_latency.py [--articles 20000] [--readers 100000] \\
        [--favorites 1000000] [--reads 300] [--keep] [--database NAME] [--reuse] [--json]

DATABASE_URL only says which PostgreSQL server to use. The script creates its own scratch database on
that server, fills it with the code behind `manage.py generate_scale_data`, measures and drops it again
(unless --keep; a later run with --reuse measures the same data without generating it). It times each
step of the rebuild (the suggestions twice, each replacing all that was stored), then reads the
suggestions of the home page and of random articles as a page view does, taking turns with the ranking
every anonymous page view ran before issue 10, so both see the same load.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time

from scratch import (  # benchmarks/scratch.py, beside this script
    ScratchDatabase,
    add_scale_arguments,
    add_scratch_arguments,
    generate_scale_data,
    log,
)

DEFAULT_SCRATCH_DATABASE = "newsroom_suggestions_scratch"
# Written on the scratch database so the script never drops one it did not make.
SCRATCH_MARKER = "Scratch database made by benchmarks/suggestions_latency.py"
BOX_LIMIT = 4  # suggestions in the box beside an article


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_scale_arguments(parser)
    parser.add_argument("--reads", type=int, default=300, help="pages whose suggestions are read (default 300)")
    add_scratch_arguments(parser, DEFAULT_SCRATCH_DATABASE)
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of Markdown")
    return parser.parse_args()


ARGS = parse_args()  # Before Django is set up, so --help works without a database.
SCRATCH = ScratchDatabase(ARGS.database, SCRATCH_MARKER)
SCRATCH.configure_django()

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from recommendations import engine, services, similarity, sources, suggestions
from recommendations.models import Suggestion


def timed_step(name, function):
    """(name, wall seconds, seconds of this process's CPU, what the step returned)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return name, round(time.perf_counter() - wall, 1), round(time.process_time() - cpu, 1), result


def rebuild_steps():
    return [
        timed_step("content neighbours", similarity.rebuild_content_neighbours),
        timed_step("popularity", sources.rebuild_popularity),
        timed_step("suggestions", suggestions.rebuild_suggestions),
        timed_step("suggestions, again", suggestions.rebuild_suggestions),
    ]


def suggestions_before_issue_10(context_article):
    """What services.suggestions() did on every anonymous page view before they were precomputed."""
    context_id = context_article.pk if context_article else None
    candidates = sources.load_candidates(None, context_article_id=context_id)
    ranked = engine.rank(engine.Reader(id=0), candidates, now=timezone.now(), limit=BOX_LIMIT)
    return services.with_articles_and_reasons(ranked)


def suggestions_now(context_article):
    return services.suggestions(limit=BOX_LIMIT, context_article=context_article)


def compare_reads(count):
    """Milliseconds and queries of reading one page's suggestions, now and before issue 10, taking
    turns on the same pages: the home page and random visible articles."""
    articles = list(Article.objects.visible().only("pk").order_by("?")[: count - 1])
    pages = [None, *articles]
    random.Random(7).shuffle(pages)
    ways = {"read (now)": suggestions_now, "ranked per view (before issue 10)": suggestions_before_issue_10}
    for page in pages[:10]:  # warm caches and connections
        for read in ways.values():
            read(page)
    timings = {name: [] for name in ways}
    queries = {name: set() for name in ways}
    for page in pages:
        for name, read in ways.items():
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                read(page)
                timings[name].append((time.perf_counter() - start) * 1000)
            queries[name].add(len(captured))
    return {
        name: {
            "pages": len(pages),
            "median_ms": round(statistics.median(ms), 2),
            "p95_ms": round(statistics.quantiles(ms, n=20, method="inclusive")[-1], 2),
            "queries": sorted(queries[name]),
        }
        for name, ms in timings.items()
    }


def machine_info(generation):
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        postgres = cursor.fetchone()[0]
    return {
        "python": sys.version.split()[0],
        "postgresql": postgres.split(" on ")[0],
        "cpus": os.cpu_count(),
        "load_average": [round(load, 1) for load in os.getloadavg()],
        "visible_articles": Article.objects.visible().count(),
        "generation_seconds": generation,
    }


def markdown_report(report):
    machine = report["machine"]
    lines = [
        f"Python {machine['python']} · {machine['postgresql']} · {machine['cpus']} CPUs (load average "
        f"{', '.join(map(str, machine['load_average']))}) · {machine['visible_articles']} visible articles, "
        f"{report['suggestions']} suggestions stored",
        "",
        "| rebuild step | wall s | CPU s of this process |",
        "|---|---:|---:|",
        *(f"| {step['step']} | {step['wall_s']} | {step['cpu_s']} |" for step in report["rebuild"]),
        "",
        f"One page's suggestions ({BOX_LIMIT}, as in the box), the same pages taking turns:",
        "",
        "| way | pages | median ms | p95 ms | queries |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {name} | {r['pages']} | {r['median_ms']} | {r['p95_ms']} | {', '.join(map(str, r['queries']))} |"
            for name, r in report["reads"].items()
        ),
    ]
    return "\n".join(lines)


def main(args):
    generation = None
    with SCRATCH.for_run(reuse=args.reuse, keep=args.keep):
        if not args.reuse:
            generation = generate_scale_data(args)
        log("Rebuilding what recommendations precompute, step by step")
        steps = rebuild_steps()
        log("Reading suggestions, now and as before issue 10")
        report = {
            "machine": machine_info(generation),
            "rebuild": [{"step": name, "wall_s": wall, "cpu_s": cpu} for name, wall, cpu, _result in steps],
            "suggestions": Suggestion.objects.count(),
            "reads": compare_reads(args.reads),
        }
        print(json.dumps(report, indent=2) if args.json else markdown_report(report))


if __name__ == "__main__":
    main(ARGS)
