# ruff: noqa: E402  (Django must be configured before the project's modules are imported)
"""Page latency benchmark: how fast the reader-facing pages are with a realistic number of articles.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        .venv/bin/python benchmarks/page_latency.py [--articles 10000] [--requests 200] [--keep] [--json]
        [--database NAME] [--reuse]

DATABASE_URL only says which PostgreSQL server to use. The script never touches the database it
names: it creates its own scratch database on that server, fills it, measures the pages through
Django's test client and drops the scratch database again (unless --keep). With --keep, a later run
with --reuse measures the same data again without generating it (100,000 articles take minutes).
Every page is measured uncached: the cache is cleared before each request.
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from urllib.parse import urlencode

from scratch import ScratchDatabase, add_scratch_arguments, log  # benchmarks/scratch.py, beside this script

DEFAULT_SCRATCH_DATABASE = "newsroom_benchmark_scratch"
# Written on the scratch database so the script never drops one it did not make.
SCRATCH_MARKER = "Scratch database made by benchmarks/page_latency.py"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="articles to generate (default 10000)")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page kind (default 200)")
    add_scratch_arguments(parser, DEFAULT_SCRATCH_DATABASE)
    parser.add_argument(
        "--search-rounds", type=int, default=60, help="queries for comparing search with before issue 10 (default 60)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of Markdown")
    return parser.parse_args()


ARGS = parse_args()  # Before Django is set up, so --help works without a database.
SCRATCH = ScratchDatabase(ARGS.database, SCRATCH_MARKER)
SCRATCH.configure_django()

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchRank
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles.models import Article, Byline, Person, Reference, Section, TitleMatch, search_query
from articles.sanitise import html_to_text, sanitise_html
from articles.services import search_page
from articles.sitemaps import article_page_numbers
from promotions.models import Promotion
from recommendations.scale_data import COMMON_WORDS, MEDICAL_WORDS  # one vocabulary for generated text

# --- Text ------------------------------------------------------------------------------------

# Pieces for medical-looking made-up words, so the vocabulary is large without being a word list.
PREFIXES = [
    "cardio", "neuro", "onco", "immuno", "hepato", "nephro", "derma", "endo", "myo", "osteo", "haemo", "lympho",
    "angio", "cyto", "gastro", "pneumo", "histo", "patho", "pharmaco", "radio", "thermo", "chromo",
]  # fmt: skip
ROOTS = [
    "gen", "lys", "troph", "plas", "stat", "cept", "graph", "kin", "mab", "tin", "zum", "path", "log", "scop",
    "tom", "morph",
]  # fmt: skip
SUFFIXES = ["ic", "al", "osis", "itis", "ine", "ase", "ide", "oma", "ema", "ary", "ous", "ity", "ist", "ia"]

SECTIONS = [
    "Treatment", "Screening and diagnosis", "Research News", "Living with cancer",
    "Prevention", "Genetics", "Survivorship", "Clinical trials",
]  # fmt: skip
FIRST_NAMES = [
    "Amelia", "Ben", "Chloe", "David", "Emma", "Farah", "Grace", "Hannah", "Isaac", "James", "Kavita", "Laura",
    "Mei", "Nadia", "Oliver", "Priya",
]  # fmt: skip
LAST_NAMES = [
    "Adams", "Bennett", "Chen", "Davies", "Evans", "Fischer", "Garcia", "Hughes", "Iqbal", "Jones", "Khan",
    "Lewis", "Morgan", "Novak", "Patel",
]  # fmt: skip
CREDENTIALS = ["MD", "MD, FRCP", "PhD", "RN", "Science writer", "Health journalist", "MBBS, FRCS", ""]
JOURNALS = ["Lancet Oncology", "JAMA Oncology", "N Engl J Med", "J Clin Oncol", "Breast Cancer Res", "BMJ"]


@dataclass
class Vocabulary:
    """Words with Zipf-like frequencies: a few very common words, many rare ones, as in real text."""

    words: list
    medical: list
    invented: list

    def __post_init__(self):
        self.cum_weights = list(_cumulative(1 / (rank + 1) for rank in range(len(self.words))))

    def sample(self, rng, count):
        return rng.choices(self.words, cum_weights=self.cum_weights, k=count)

    def sentence(self, rng, low, high):
        words = self.sample(rng, rng.randint(low, high))
        return " ".join([words[0].capitalize(), *words[1:]])

    def prose(self, rng, sentences, low=12, high=20):
        return " ".join(self.sentence(rng, low, high) + "." for _ in range(sentences))


def _cumulative(values):
    total = 0
    for value in values:
        total += value
        yield total


def build_vocabulary(rng, size=2000):
    invented = sorted({p + r + s for p in PREFIXES for r in ROOTS for s in SUFFIXES})
    rng.shuffle(invented)
    invented = invented[: size - len(COMMON_WORDS) - len(MEDICAL_WORDS)]
    return Vocabulary(words=COMMON_WORDS + MEDICAL_WORDS + invented, medical=MEDICAL_WORDS, invented=invented)


def article_body(vocabulary, rng):
    """About 400 words of HTML: paragraphs with a subheading part way through."""
    paragraphs = [f"<p>{vocabulary.prose(rng, rng.randint(4, 6))}</p>" for _ in range(rng.randint(4, 6))]
    paragraphs.insert(2, f"<h2>{vocabulary.sentence(rng, 3, 6)}</h2>")
    return "\n".join(paragraphs)


def citation(vocabulary, rng):
    authors = ", ".join(f"{rng.choice(LAST_NAMES)} {rng.choice('ABCDEFGHJKLMNP')}" for _ in range(rng.randint(1, 4)))
    year = rng.randint(2000, 2025)
    title = vocabulary.sentence(rng, 6, 14)
    return f"{authors}. {title}. {rng.choice(JOURNALS)}. {year};{rng.randint(1, 40)}:{rng.randint(1, 999)}."


# --- Data generation -------------------------------------------------------------------------


def create_sections():
    sections = [
        Section(name=name, slug=slugify(name), description=f"News about {name.lower()}.", order=position)
        for position, name in enumerate(SECTIONS)
    ]
    return Section.objects.bulk_create(sections)


def create_people(rng, count=40):
    names = rng.sample([f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES], count)
    people = [
        Person(name=name, slug=slugify(name), credentials=rng.choice(CREDENTIALS), bio=f"{name} writes for us.")
        for name in names
    ]
    return Person.objects.bulk_create(people)


def create_tags(vocabulary, rng, count=300):
    """Single medical words and two-word phrases, unique by name and by slug."""
    by_slug = {}
    while len(by_slug) < count:
        words = rng.sample(vocabulary.medical, rng.choice([1, 1, 2]))
        name = " ".join(words).lower()
        by_slug.setdefault(slugify(name), name)
    return Tag.objects.bulk_create(Tag(name=name, slug=slug) for slug, name in by_slug.items())


def create_promotions(rng, sections, tags, now, count=60):
    """Promotions in every placement: a third untargeted, the rest for a section or a few tags."""
    promotions = Promotion.objects.bulk_create(
        Promotion(
            headline=f"Promotion {number}",
            link="/accounts/newsletter/",
            call_to_action="Find out more",
            placement=Promotion.Placement.values[number % len(Promotion.Placement.values)],
            starts_at=now - timedelta(days=rng.randint(1, 60)),
            ends_at=now + timedelta(days=rng.randint(1, 60)) if number % 2 else None,
            weight=rng.randint(1, 10),
        )
        for number in range(count)
    )
    for number, promotion in enumerate(promotions):
        if promotion.placement == Promotion.Placement.HOME or number % 3 == 0:
            continue
        if number % 3 == 1:
            promotion.target_sections.add(rng.choice(sections))
        else:
            promotion.target_tags.add(*rng.sample(tags, 3))


def status_and_publish_at(rng, now):
    """Mostly published in the past five years; a few drafts, reviews, archived and scheduled ones."""
    roll = rng.random()
    past = now - timedelta(seconds=rng.uniform(0, 5 * 365 * 24 * 3600))
    if roll < 0.95:
        return Article.Status.PUBLISHED, past
    if roll < 0.97:
        return Article.Status.DRAFT, None
    if roll < 0.98:
        return Article.Status.IN_REVIEW, None
    if roll < 0.99:
        return Article.Status.ARCHIVED, past
    return Article.Status.PUBLISHED, now + timedelta(hours=rng.uniform(1, 60 * 24))


def new_article(number, vocabulary, rng, sections, people, now):
    title = vocabulary.sentence(rng, 6, 12)
    body = sanitise_html(article_body(vocabulary, rng))  # As Article.save() would.
    status, publish_at = status_and_publish_at(rng, now)
    reviewer = rng.choice(people) if rng.random() < 0.7 else None
    return Article(
        title=title,
        slug=f"{slugify(title)[:180]}-{number}",
        summary=vocabulary.prose(rng, 2, 18, 22),
        body=body,
        body_text=html_to_text(body),  # bulk_create skips Article.save(), which would set it.
        section=rng.choice(sections),
        medical_reviewer=reviewer,
        last_reviewed=(now - timedelta(days=rng.randint(0, 700))).date() if reviewer else None,
        source=f"{rng.randint(2015, 2025)} {rng.choice(JOURNALS)}" if rng.random() < 0.5 else "",
        status=status,
        publish_at=publish_at,
        is_featured=status == Article.Status.PUBLISHED and rng.random() < 0.02,
    )


def create_articles(count, vocabulary, rng, sections, people, batch_size=1000):
    now = timezone.now()
    ids = []
    for start in range(0, count, batch_size):
        batch = [
            new_article(number, vocabulary, rng, sections, people, now)
            for number in range(start, min(start + batch_size, count))
        ]
        ids += [article.pk for article in Article.objects.bulk_create(batch)]
    return ids


def attach_tags(article_ids, tags, rng):
    """2-5 distinct tags per article; earlier tags are more popular, so tag pages vary in size."""
    content_type = ContentType.objects.get_for_model(Article)
    cum_weights = list(_cumulative(1 / (rank + 1) ** 0.7 for rank in range(len(tags))))
    items = []
    for article_id in article_ids:
        chosen = set()
        wanted = rng.randint(2, 5)
        while len(chosen) < wanted:
            chosen.add(rng.choices(tags, cum_weights=cum_weights)[0].pk)
        items += [TaggedItem(content_type=content_type, object_id=article_id, tag_id=tag_id) for tag_id in chosen]
    TaggedItem.objects.bulk_create(items, batch_size=5000)


def add_bylines(article_ids, people, rng):
    bylines = [
        Byline(article_id=article_id, person=person, position=position)
        for article_id in article_ids
        for position, person in enumerate(rng.sample(people, rng.randint(1, 2)))
    ]
    Byline.objects.bulk_create(bylines, batch_size=5000)


def add_references(article_ids, vocabulary, rng):
    references = [
        Reference(
            article_id=article_id,
            citation=citation(vocabulary, rng),
            url=f"https://doi.org/10.1000/{rng.randint(10_000, 99_999)}" if rng.random() < 0.6 else "",
            position=position,
        )
        for article_id in article_ids
        for position in range(rng.randint(1, 3))
    ]
    Reference.objects.bulk_create(references, batch_size=5000)


def fill_search_vectors(article_ids, chunk=2000):
    for start in range(0, len(article_ids), chunk):
        Article.refresh_search_vectors(article_ids[start : start + chunk])


def vacuum_analyze():
    """Leave tables as autovacuum would in production: fresh statistics, no dead rows from the
    search-vector update, and the GIN index's pending list merged (it slows searches until then)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


@contextmanager
def step(description):
    start = time.perf_counter()
    yield
    log(f"  {description}: {time.perf_counter() - start:.1f} s")


def generate(article_count, vocabulary):
    rng = random.Random(42)
    with transaction.atomic():
        with step("sections, people, tags"):
            sections = create_sections()
            people = create_people(rng)
            tags = create_tags(vocabulary, rng)
        with step(f"{article_count} articles"):
            article_ids = create_articles(article_count, vocabulary, rng, sections, people)
        with step("tags, bylines, references"):
            attach_tags(article_ids, tags, rng)
            add_bylines(article_ids, people, rng)
            add_references(article_ids, vocabulary, rng)
        with step("search vectors"):
            fill_search_vectors(article_ids)
        with step("rendered bodies"):  # bulk_create skips Article.save(), which would render them.
            Article.objects.fill_rendered_bodies()

        with step("promotions"):
            create_promotions(rng, sections, tags, timezone.now())
    with step("VACUUM ANALYZE"):
        vacuum_analyze()


# --- Measurement -----------------------------------------------------------------------------


def search_queries(vocabulary, rng):
    """About 30 searches a reader might type: single words common and rare, several words,
    phrases in quotes (taken from real summaries, so they match), OR and an excluded word."""
    medical = vocabulary.medical
    queries = rng.sample(medical, 10) + rng.sample(vocabulary.invented[:300], 4)
    queries += [" ".join(rng.sample(medical, 2)) for _ in range(7)]
    queries += [" ".join(rng.sample(medical, 3)) for _ in range(3)]
    for summary in rng.sample(list(Article.objects.visible().values_list("summary", flat=True)[:500]), 3):
        words = summary.replace(".", "").split()
        start = rng.randrange(len(words) - 3)
        queries.append(f'"{" ".join(words[start : start + 3])}"')
    queries.append(f"{medical[0]} OR {rng.choice(medical)}")
    queries.append(f"{rng.choice(medical)} -{rng.choice(medical)}")
    return queries


def page_url_makers(vocabulary, rng):
    """For each page kind, a function giving the address of the next page to request."""
    visible = Article.objects.visible()
    slugs = list(visible.values_list("slug", flat=True))
    section_pages = [
        (section.slug, math.ceil(visible.in_section(section).count() / settings.ARTICLES_PER_PAGE))
        for section in Section.objects.all()
    ]
    section_pages = [(slug, pages) for slug, pages in section_pages if pages]
    tag_slugs = list(Tag.objects.filter(pk__in=TaggedItem.objects.values("tag_id")).values_list("slug", flat=True))
    tag_slugs = [slug for slug in tag_slugs if visible.filter(tags__slug=slug).exists()]
    queries = search_queries(vocabulary, rng)
    sitemap_pages = [number for number, _ in article_page_numbers()]

    def section_url():
        slug, pages = rng.choice(section_pages)
        page = rng.randint(1, min(5, pages))
        return f"/sections/{slug}/" + (f"?page={page}" if page > 1 else "")

    return {
        "home": lambda: "/",
        "article": lambda: f"/articles/{rng.choice(slugs)}/",
        "section": section_url,
        "tag": lambda: f"/tags/{rng.choice(tag_slugs)}/",
        "search": lambda: "/search/?" + urlencode({"q": rng.choice(queries)}),
        "sitemap index": lambda: "/sitemap.xml",
        "sitemap page": lambda: f"/sitemaps/articles-{rng.choice(sitemap_pages)}.xml",
        "news sitemap": lambda: "/sitemaps/news.xml",
    }


@dataclass
class PageResult:
    page: str
    requests: int
    median_ms: float
    p95_ms: float
    queries_min: int
    queries_max: int


def timed_get(client, url):
    """Wall time in seconds and SQL query count of one uncached request, which must succeed."""
    cache.clear()
    # The log CaptureQueriesContext reads keeps 9,000 queries; once full, it would count none.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} returned {response.status_code}, expected 200")
    return elapsed, len(queries)


def measure(client, page, next_url, requests, warm_up=10):
    for _ in range(warm_up):
        timed_get(client, next_url())
    timings, query_counts = zip(*(timed_get(client, next_url()) for _ in range(requests)), strict=True)
    milliseconds = [seconds * 1000 for seconds in timings]
    return PageResult(
        page=page,
        requests=requests,
        median_ms=round(statistics.median(milliseconds), 1),
        p95_ms=round(statistics.quantiles(milliseconds, n=20, method="inclusive")[-1], 1),
        queries_min=min(query_counts),
        queries_max=max(query_counts),
    )


def search_before_issue_10(text):
    """The first results page as search made it before issue 10, for reference: every match ranked
    and counted, snippets in the ranking query."""
    query = search_query(text)
    matches = (
        Article.objects.visible()
        .for_cards()
        .filter(search_vector=query)
        .annotate(title_match=TitleMatch("search_vector", query), rank=SearchRank(F("search_vector"), query))
        .order_by("-title_match", "-rank", "-publish_at", "-pk")
        .with_snippets(text)
    )
    return list(Paginator(matches, settings.ARTICLES_PER_PAGE).page(1).object_list)


def search_page_one(text):
    return search_page(text, 1, settings.ARTICLES_PER_PAGE)


def compare_search(vocabulary, rounds):
    """Milliseconds of the first results page's database work, search_page() (uncached) against
    search_before_issue_10(), taking turns on the same random queries, so both see the same load."""
    queries = search_queries(vocabulary, random.Random(11))
    rng = random.Random(13)
    timings = {"search now": [], "search before issue 10": []}
    for _ in range(rounds):
        text = rng.choice(queries)
        for name, run in (("search now", search_page_one), ("search before issue 10", search_before_issue_10)):
            cache.clear()
            start = time.perf_counter()
            run(text)
            timings[name].append((time.perf_counter() - start) * 1000)
    return {
        name: (round(statistics.median(ms), 1), round(statistics.quantiles(ms, n=20, method="inclusive")[-1], 1))
        for name, ms in timings.items()
    }


# --- Report ----------------------------------------------------------------------------------


@dataclass
class Target:
    page: str
    median_ms: float
    max_queries: int | None = None
    p95_ms: float | None = None

    def check(self, result):
        checks = [(f"median {result.median_ms} ms (target < {self.median_ms} ms)", result.median_ms < self.median_ms)]
        if self.p95_ms is not None:
            checks.append((f"p95 {result.p95_ms} ms (target < {self.p95_ms} ms)", result.p95_ms < self.p95_ms))
        if self.max_queries is not None:
            met = result.queries_max <= self.max_queries
            checks.append((f"max queries {result.queries_max} (target ≤ {self.max_queries})", met))
        return checks


TARGETS = [
    Target("article", median_ms=20, max_queries=10),
    Target("search", median_ms=50, p95_ms=50),
    Target("sitemap index", median_ms=200, p95_ms=200),
    Target("sitemap page", median_ms=200, p95_ms=200),
]


def machine_info(generation_seconds):
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        postgres = cursor.fetchone()[0]
    return {
        "python": sys.version.split()[0],
        "postgresql": postgres,
        "cpus": os.cpu_count(),
        "articles": Article.objects.count(),
        "visible_articles": Article.objects.visible().count(),
        "generation_seconds": round(generation_seconds, 1),
    }


def markdown_report(machine, results, comparison):
    lines = [
        f"Python {machine['python']} · {machine['postgresql']} · {machine['cpus']} CPUs · "
        f"{machine['articles']} articles ({machine['visible_articles']} visible), "
        f"generated in {machine['generation_seconds']} s",
        "",
        "| page | requests | median ms | p95 ms | queries (min–max) |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.page} | {r.requests} | {r.median_ms} | {r.p95_ms} | {r.queries_min}–{r.queries_max} |" for r in results
    ]
    lines += [
        "",
        "Search, the first results page's database work only, the same queries taking turns:",
        "",
        "| search | median ms | p95 ms |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {median} | {p95} |" for name, (median, p95) in comparison.items()]
    by_page = {result.page: result for result in results}
    lines += ["", "Targets:"]
    for target in TARGETS:
        for text, met in target.check(by_page[target.page]):
            lines.append(f"- {target.page}: {text} — {'met' if met else 'MISSED'}")
    return "\n".join(lines)


def json_report(machine, results, comparison):
    by_page = {result.page: result for result in results}
    targets = [
        {"page": target.page, "check": text, "met": met}
        for target in TARGETS
        for text, met in target.check(by_page[target.page])
    ]
    search = {name: {"median_ms": median, "p95_ms": p95} for name, (median, p95) in comparison.items()}
    report = {"machine": machine, "pages": [asdict(r) for r in results], "targets": targets, "search_sql": search}
    return json.dumps(report, indent=2)


def main(args):
    generation_seconds = 0.0
    with SCRATCH.for_run(reuse=args.reuse, keep=args.keep):
        vocabulary = build_vocabulary(random.Random(42))
        if not args.reuse:
            log(f"Generating {args.articles} articles")
            start = time.perf_counter()
            generate(args.articles, vocabulary)
            generation_seconds = time.perf_counter() - start
            log(f"Generation took {generation_seconds:.1f} s")

        client = Client(HTTP_HOST="localhost")
        results = []
        for page, next_url in page_url_makers(vocabulary, random.Random(7)).items():
            log(f"Measuring {page}")
            results.append(measure(client, page, next_url, args.requests))
        log("Comparing search with search before issue 10")
        comparison = compare_search(vocabulary, args.search_rounds)
        machine = machine_info(generation_seconds)
        if args.json:
            print(json_report(machine, results, comparison))
        else:
            print(markdown_report(machine, results, comparison))


if __name__ == "__main__":
    main(ARGS)
