"""Offline evaluation of recommendations: does the production engine recommend what readers went on to read?

Articles and readers' interactions come from two CSV files. Each reader's distinct articles are put
in the order they first opened them; the last 20% (at least one) are held out, and the reader is
evaluated as of the moment T they first opened a held-out article. The production code then runs as
it would have at T — `sources.load_reader`, `sources.load_candidates` and `engine.rank` — reading
only what happened strictly before T, by anyone. The simple baselines (recommendations/baselines.py: the
most read articles of all time and of the last hour, 3 hours, 24 hours and 7 days before T, and item-kNN
over co-reads, plain and weighted by recency) run on the same split, from the same events before T.

Everything is loaded into a scratch PostgreSQL schema, the only schema on the search path while the
evaluation runs and dropped afterwards, so the site's own tables are never read or written. Each
(reader, article) pair becomes one favorite, saved when the reader first interacted with the article.
The popularity snapshot is moved forward (incrementally, as on the site) to the start of T's time bucket,
and the engine adds the saves since, as it does on the site; nothing from T on is counted.
"""

import csv
import html
import io
import itertools
import math
import multiprocessing
import os
import secrets
import statistics
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from accounts.models import Favorite, Profile, User
from articles.models import Article, Section

from . import config as engine_config
from . import engine, sources
from .baselines import CO_READ_METHODS, POPULARITY_WINDOWS, CoReads, Event, FirstRead, RecentPopularity
from .models import ArticlePopularity, ContentNeighbour, CoSave, PopularitySnapshot
from .similarity import rebuild_content_neighbours

HELD_OUT_PERCENT = 20
MIN_ARTICLES_PER_USER = 3
SUMMARY_LENGTH = 300
DEFAULT_SECTION = "General"
BATCH_SIZE = 2000
PROGRESS_EVERY = 1000  # users, in each worker
MAX_WORKERS = 32
ARTICLE_COLUMNS = ("id", "title", "text")  # tags, section and published_at may be left out
INTERACTION_COLUMNS = ("user_id", "article_id", "timestamp")  # event may be left out
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
METHODS = ("engine", *POPULARITY_WINDOWS, *CO_READ_METHODS)


class InputError(ValueError):
    """A problem with the input, described for the person who prepared it."""


# Reading the files


@dataclass(frozen=True)
class SourceArticle:
    id: str
    title: str
    text: str
    tags: tuple
    section: str
    published_at: datetime | None


@dataclass
class Interactions:
    events: list  # (user id, article id, time, weight), only events with a weight above 0
    rows: int
    unknown_articles: int  # rows naming an article that is not in the articles file


def parse_weights(text):
    """'like=2,bookmark=3' → {'like': 2.0, 'bookmark': 3.0}; events not named weigh 1."""
    weights = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        event, _, value = item.partition("=")
        try:
            weight = float(value)
        except ValueError:
            weight = -1.0
        if not event.strip() or not math.isfinite(weight) or weight < 0:
            raise InputError(f"--weights: cannot read {item!r}; write event=weight, e.g. like=2,bookmark=3,view=0.")
        weights[event.strip().lower()] = weight
    return weights


def parse_timestamp(value):
    """ISO 8601 (UTC when it has no offset) or Unix seconds, as an aware datetime; ValueError otherwise."""
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError) as error:
        raise ValueError(value) from error


def csv_rows(path, required):
    """(line number, row) for each row of a CSV file whose header names the required columns.

    Column names are matched without regard to case or surrounding spaces; a cell missing from a
    short row is None."""
    line = 0
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            header = [name.strip().lower() for name in reader.fieldnames or []]
            missing = [name for name in required if name not in header]
            if missing:
                raise InputError(
                    f"{path}: missing required column(s) {', '.join(missing)}; "
                    f"the header is {', '.join(header) or '(empty)'}."
                )
            reader.fieldnames = header
            for row in reader:
                line = reader.line_num
                yield line, row
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror or error}).") from error
    except (csv.Error, UnicodeDecodeError) as error:
        raise InputError(f"{path}, line {line + 1}: not readable as UTF-8 CSV ({error}).") from error


def required_cell(path, line, row, column):
    value = row.get(column)
    if value is None:
        raise InputError(f"{path}, line {line}, column '{column}': missing (the row has fewer cells than the header).")
    if not value.strip():
        raise InputError(f"{path}, line {line}, column '{column}': empty.")
    return value.strip()


def time_cell(path, line, column, value):
    try:
        return parse_timestamp(value)
    except ValueError:
        raise InputError(
            f"{path}, line {line}, column '{column}': cannot read {value!r} as a time; "
            "use ISO 8601 (e.g. 2025-03-01T12:00:00Z) or Unix seconds."
        ) from None


def option_time(option, value):
    """A time given on the command line, read as parse_timestamp() reads it."""
    try:
        return parse_timestamp(value)
    except ValueError:
        raise InputError(
            f"{option}: cannot read {value!r} as a time; use ISO 8601 (e.g. 2025-03-01T12:00:00Z) or Unix seconds."
        ) from None


def read_articles(path):
    articles, seen = [], {}
    tag_length = Tag._meta.get_field("name").max_length
    section_length = Section._meta.get_field("name").max_length
    for line, row in csv_rows(path, ARTICLE_COLUMNS):
        article_id = required_cell(path, line, row, "id")
        if article_id in seen:
            raise InputError(f"{path}, line {line}, column 'id': {article_id!r} is also on line {seen[article_id]}.")
        seen[article_id] = line
        tags = [name.strip()[:tag_length] for name in (row.get("tags") or "").split("|") if name.strip()]
        published = (row.get("published_at") or "").strip()
        articles.append(
            SourceArticle(
                id=article_id,
                title=(row.get("title") or "").strip(),
                text=(row.get("text") or "").strip(),
                tags=tuple(first_spellings(tags)),
                section=(row.get("section") or "").strip()[:section_length] or DEFAULT_SECTION,
                published_at=time_cell(path, line, "published_at", published) if published else None,
            )
        )
    return articles


def first_spellings(names):
    """Names without case-insensitive repeats, each as first written: tags on the site ignore case."""
    spellings = {}
    for name in names:
        spellings.setdefault(name.lower(), name)
    return list(spellings.values())


def read_interactions(path, article_ids, weights):
    """Interactions with known articles and a weight above 0; unknown articles are counted, not kept."""
    events, rows, unknown = [], 0, 0
    for line, row in csv_rows(path, INTERACTION_COLUMNS):
        rows += 1
        user_id = required_cell(path, line, row, "user_id")
        article_id = required_cell(path, line, row, "article_id")
        moment = time_cell(path, line, "timestamp", required_cell(path, line, row, "timestamp"))
        if article_id not in article_ids:
            unknown += 1
            continue
        weight = weights.get((row.get("event") or "").strip().lower(), 1.0)
        if weight > 0:
            events.append((user_id, article_id, moment, weight))
    return Interactions(events=events, rows=rows, unknown_articles=unknown)


# Splitting each reader's history by time


@dataclass(frozen=True)
class Case:
    """One reader to evaluate: what they read before the cutoff, and what they read from it on."""

    user_id: str
    cutoff: datetime
    training: dict  # article id → summed weight of the reader's events on it before the cutoff
    held_out: frozenset


def histories_by_user(events):
    """user id → article id → [(time, weight), ...]."""
    histories = defaultdict(lambda: defaultdict(list))
    for user_id, article_id, moment, weight in events:
        histories[user_id][article_id].append((moment, weight))
    return histories


def first_time(events):
    """When a reader first interacted with an article, from their (time, weight) events on it."""
    return min(moment for moment, _ in events)


def split_by_time(histories):
    """Cases in order of cutoff, and the number of readers skipped for having too few articles.

    Articles first opened exactly at the cutoff are held out too, since nothing at the cutoff is
    visible to the engine; a reader left with no article before the cutoff is skipped as well."""
    cases, skipped = [], 0
    for user_id, articles in histories.items():
        firsts = sorted((first_time(events), article_id) for article_id, events in articles.items())
        if len(firsts) < MIN_ARTICLES_PER_USER:
            skipped += 1
            continue
        held_out_count = max(1, math.ceil(len(firsts) * HELD_OUT_PERCENT / 100))
        cutoff = firsts[-held_out_count][0]
        training = {
            article_id: sum(weight for moment, weight in articles[article_id] if moment < cutoff)
            for first, article_id in firsts
            if first < cutoff
        }
        if not training:
            skipped += 1
            continue
        held_out = frozenset(article_id for first, article_id in firsts if first >= cutoff)
        cases.append(Case(user_id, cutoff, training, held_out))
    cases.sort(key=lambda case: (case.cutoff, case.user_id))
    return cases, skipped


# The scratch schema and loading


@contextmanager
def scratch_schema():
    """A new schema with the app's tables, alone on the search path until it is dropped on the way out."""
    name = f"eval_{secrets.token_hex(8)}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        previous = cursor.fetchone()[0]
        cursor.execute(f"CREATE SCHEMA {name}")
    try:
        with connection.cursor() as cursor:
            # Only the scratch schema: with public on the path, migrate would find the site's tables.
            cursor.execute(f"SET search_path TO {name}")
        ContentType.objects.clear_cache()  # its ids belong to the schema they were read from
        call_command("migrate", verbosity=0)
        ContentType.objects.clear_cache()
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('search_path', %s, false)", [previous])
            cursor.execute(f"DROP SCHEMA {name} CASCADE")
        ContentType.objects.clear_cache()


@dataclass
class Catalogue:
    article_ids: dict  # external id → Article pk
    user_ids: dict  # external id → User pk
    favorites: int


def load(articles, histories):
    """Sections, articles, tags, readers and favorites in bulk; returns the external → internal ids."""
    with transaction.atomic():
        section_ids = create_sections(articles)
        article_ids = create_articles(articles, section_ids, publish_times(articles, histories))
        create_tags(articles, article_ids)
        user_ids = create_readers(histories)
        favorites = copy_favorites(histories, article_ids, user_ids)
    analyze(Section, Article, Tag, TaggedItem, User, Profile, Favorite)
    return Catalogue(article_ids=article_ids, user_ids=user_ids, favorites=favorites)


def unique_slugs(names, max_length, fallback):
    """A distinct slug for each name, numbered when two names slugify alike."""
    taken, slugs = set(), []
    for name in names:
        base = slugify(name, allow_unicode=True)[: max_length - 8].strip("-") or fallback
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def create_sections(articles):
    names = list(dict.fromkeys(article.section for article in articles))
    slugs = unique_slugs(names, Section._meta.get_field("slug").max_length, "section")
    sections = Section.objects.bulk_create(
        [Section(name=name, slug=slug) for name, slug in zip(names, slugs, strict=True)], batch_size=BATCH_SIZE
    )
    return {section.name: section.pk for section in sections}


def publish_times(articles, histories):
    """The publication time given, or else the article's first interaction, or else the first of all."""
    first_seen = {}
    for user_articles in histories.values():
        for article_id, events in user_articles.items():
            moment = first_time(events)
            if article_id not in first_seen or moment < first_seen[article_id]:
                first_seen[article_id] = moment
    earliest = min(first_seen.values(), default=timezone.now())
    return {article.id: article.published_at or first_seen.get(article.id, earliest) for article in articles}


def create_articles(articles, section_ids, published):
    slugs = unique_slugs([article.id for article in articles], Article._meta.get_field("slug").max_length, "article")
    title_length = Article._meta.get_field("title").max_length
    created = Article.objects.bulk_create(
        [
            Article(
                title=(article.title or article.id)[:title_length],
                slug=slug,
                summary=article.text[:SUMMARY_LENGTH],
                body=f"<p>{html.escape(article.text)}</p>",
                body_text=article.text,
                section_id=section_ids[article.section],
                status=Article.Status.PUBLISHED,
                publish_at=published[article.id],
            )
            for article, slug in zip(articles, slugs, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    return {article.id: row.pk for article, row in zip(articles, created, strict=True)}


def create_tags(articles, article_ids):
    names = first_spellings(name for article in articles for name in article.tags)
    slugs = unique_slugs(names, Tag._meta.get_field("slug").max_length, "tag")
    tags = Tag.objects.bulk_create(
        [Tag(name=name, slug=slug) for name, slug in zip(names, slugs, strict=True)], batch_size=BATCH_SIZE
    )
    tag_ids = {tag.name.lower(): tag.pk for tag in tags}
    content_type = ContentType.objects.get_for_model(Article)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(tag_id=tag_ids[name.lower()], content_type=content_type, object_id=article_ids[article.id])
            for article in articles
            for name in article.tags
        ],
        batch_size=BATCH_SIZE,
    )


def create_readers(histories):
    """One reader per user id, opted in to personalisation, with no topics chosen and no password."""
    users = User.objects.bulk_create(
        [
            User(email=f"user{number}@evaluation.invalid", password=make_password(None))
            for number in range(1, len(histories) + 1)
        ],
        batch_size=BATCH_SIZE,
    )
    Profile.objects.bulk_create([Profile(user=user, personalisation=True) for user in users], batch_size=BATCH_SIZE)
    return {user_id: user.pk for user_id, user in zip(histories, users, strict=True)}


def copy_favorites(histories, article_ids, user_ids):
    """One favorite per (reader, article), saved at the reader's first interaction with it.

    COPY rather than bulk_create: it is faster, and bulk_create would stamp created_at with now."""
    buffer = io.StringIO()
    count = 0
    for user_id, user_articles in histories.items():
        for article_id, events in user_articles.items():
            buffer.write(f"{user_ids[user_id]}\t{article_ids[article_id]}\t{first_time(events).isoformat()}\n")
            count += 1
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {sources.table(Favorite)} (user_id, article_id, created_at) FROM STDIN") as copy,
    ):
        copy.write(buffer.getvalue())
    return count


def analyze(*models):
    """Fresh planner statistics, so the engine's queries are planned for the data just loaded, and the
    tables' visibility maps set, so that their indexes alone can answer (as on a site long vacuumed)."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {sources.table(model)}")


# Evaluating


@dataclass
class MethodResult:
    """What one method recommended to each reader, scored against what the reader went on to read."""

    recall: list = field(default_factory=list)
    ndcg: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    recommended: set = field(default_factory=set)

    def add(self, recommended, held_out, *, k, seconds):
        gains = [1.0 if article_id in held_out else 0.0 for article_id in recommended[:k]]
        ideal = sum(1 / math.log2(rank + 2) for rank in range(min(k, len(held_out))))
        self.recall.append(sum(gains) / len(held_out))
        self.ndcg.append(sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains)) / ideal)
        self.seconds.append(seconds)
        self.recommended.update(recommended[:k])

    @classmethod
    def joined(cls, parts):
        """The results of parts that took consecutive runs of the cases, in order, as one."""
        return cls(
            recall=[value for part in parts for value in part.recall],
            ndcg=[value for part in parts for value in part.ndcg],
            seconds=[value for part in parts for value in part.seconds],
            recommended=set().union(*(part.recommended for part in parts)),
        )

    def summary(self, catalogue_size):
        milliseconds = np.array(self.seconds) * 1000
        return {
            "recall_at_k": mean_or_none(self.recall),
            "recall_at_k_se": standard_error(self.recall),
            "ndcg_at_k": mean_or_none(self.ndcg),
            "ndcg_at_k_se": standard_error(self.ndcg),
            "coverage": len(self.recommended) / catalogue_size if catalogue_size else None,
            "ms_per_user_median": float(np.median(milliseconds)) if len(milliseconds) else None,
            "ms_per_user_p95": float(np.percentile(milliseconds, 95)) if len(milliseconds) else None,
        }


def mean_or_none(values):
    return statistics.fmean(values) if values else None


def standard_error(values):
    """Of the mean, over readers."""
    return statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else None


def bucket_start(moment, hours):
    """The start of the `hours`-long period (counted from the Unix epoch) that `moment` falls in."""
    step = timedelta(hours=hours)
    return EPOCH + ((moment - EPOCH) // step) * step


def evaluate(prepared, cases, *, methods, config, k, popularity_every_hours, workers, log):
    """The results of `methods` for each of `cases` (some of prepared.cases, in order of cutoff), and the
    seconds spent moving popularity snapshots forward.

    `workers` processes share the cases, each an equal run of consecutive ones (so each moves the snapshot
    through its own stretch of time only); each has its own copy of the engine's popularity snapshot (in a
    schema of its own, ahead of the scratch `schema` on its search path) and of the baselines' counts, and
    moves them forward through the cases it is given."""
    schema = prepared.schema
    worker_schemas = [f"{schema}_w{number}" for number in range(workers)]
    with connection.cursor() as cursor:
        for name in worker_schemas:
            cursor.execute(f"CREATE SCHEMA {name}")
            for model in (ArticlePopularity, CoSave, PopularitySnapshot):
                # Unlogged: rewritten every hour of the log and dropped at the end, they need no write-ahead log.
                cursor.execute(
                    f"CREATE UNLOGGED TABLE {name}.{sources.table(model)} "
                    f"(LIKE {schema}.{sources.table(model)} INCLUDING ALL)"
                )
    started = time.perf_counter()

    def elapsed():
        return f"{time.perf_counter() - started:.0f} s"

    counts = baselines(prepared.catalogue, prepared.events, prepared.histories, methods)
    # A forked worker must not share its parent's connection: each opens its own.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    processes, pipes = [], []
    runs = runs_of(cases, workers)
    try:
        for number, name in enumerate(worker_schemas):
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(
                target=evaluate_share,
                args=(sending, runs[number], prepared.catalogue, counts),
                kwargs={
                    "methods": methods,
                    "config": config,
                    "k": k,
                    "popularity_every_hours": popularity_every_hours,
                    "search_path": [name, schema],
                    # The first worker reports progress for all: they move at the same pace.
                    "log": (lambda done: log(f"  about {done * workers} of {len(cases)} users evaluated ({elapsed()})"))
                    if number == 0
                    else None,
                },
            )
            process.start()
            sending.close()
            processes.append(process)
            pipes.append(receiving)
        shares = [received(pipe, process) for pipe, process in zip(pipes, processes, strict=True)]
    finally:
        for process in processes:
            process.terminate()
            process.join()
        with connection.cursor() as cursor:
            cursor.execute(f"SET search_path TO {schema}")
            for name in worker_schemas:
                cursor.execute(f"DROP SCHEMA {name} CASCADE")
    results = {method: MethodResult.joined([share[method] for share, _ in shares]) for method in methods}
    return results, sum(seconds for _, seconds in shares) / workers


def runs_of(cases, workers):
    """`cases` cut into `workers` runs of consecutive cases, as equal in length as can be."""
    bounds = [len(cases) * number // workers for number in range(workers + 1)]
    return [cases[start:end] for start, end in itertools.pairwise(bounds)]


def received(pipe, process):
    """What a worker sent; the exception it sent is raised here."""
    try:
        outcome = pipe.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"An evaluation worker stopped with exit code {process.exitcode}.") from None
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def evaluate_share(pipe, cases, catalogue, counts, *, search_path, **options):
    """In a worker process: send through `pipe` what evaluate_cases() returns for `cases`, or the exception
    that stopped it."""
    forget_inherited_connections()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET search_path TO {', '.join(search_path)}")
            # Scratch tables, dropped at the end: a commit need not wait for the disk.
            cursor.execute("SET synchronous_commit TO off")
        outcome = evaluate_cases(cases, catalogue, counts, **options)
    except Exception as error:  # The parent raises it.
        outcome = error
    pipe.send(outcome)
    pipe.close()
    connection.close()


# Connections a forked worker inherited open, kept until it exits (see forget_inherited_connections).
INHERITED_CONNECTIONS = []


def forget_inherited_connections():
    """In a forked worker: set aside every connection it inherited open, so that its first query opens
    its own. The parent closes its connections before forking, but Django keeps them per thread, and per
    context when an event loop looks to be running (as after Playwright drove a browser in the same
    process), so a connection the parent cannot see may still be open: two workers sharing its socket
    break it. Those set aside are kept until the worker exits (multiprocessing ends it with os._exit,
    which frees nothing): freeing one would tell the server that the parent's session is over."""
    for wrapper in connections.all(initialized_only=True):
        if wrapper.connection is not None:
            INHERITED_CONNECTIONS.append(wrapper.connection)
            wrapper.connection = None


@dataclass
class Baselines:
    """The baselines' counts for `methods`, at the start of the log, each to be moved forward through the
    cases: built once, before the workers fork, so each starts from a copy and none counts the log again."""

    pks: list  # the articles' primary keys, in order of their index
    index_of: dict  # primary key → index
    popularity: RecentPopularity
    co_reads: dict  # method → CoReads


def baselines(catalogue, events, histories, methods):
    pks = sorted(catalogue.article_ids.values())
    index_of = {pk: index for index, pk in enumerate(pks)}
    popularity = RecentPopularity(
        [Event(moment.timestamp(), index_of[catalogue.article_ids[id_]], weight) for id_, moment, weight in events],
        len(pks),
        {name: span for name, span in POPULARITY_WINDOWS.items() if name in methods},
    )
    # Only when a co-read method is asked for: the tuning evaluates the engine alone, many times over.
    first_reads = (
        [
            FirstRead(first_time(article_events).timestamp(), user_id, index_of[catalogue.article_ids[article_id]])
            for user_id, articles in histories.items()
            for article_id, article_events in articles.items()
        ]
        if CO_READ_METHODS.keys() & set(methods)
        else []
    )
    co_reads = {
        method: CoReads(first_reads, len(pks), half_life)
        for method, half_life in CO_READ_METHODS.items()
        if method in methods
    }
    return Baselines(pks, index_of, popularity, co_reads)


def evaluate_cases(cases, catalogue, counts, *, methods, config, k, popularity_every_hours, log):
    """The results of `methods` for `cases` (in order of cutoff), moving the engine's popularity snapshot and
    the baselines' `counts` forward through them, and the seconds spent on the snapshots; `log(n)` every so
    often. The engine runs with `config` (recommendations/config.py)."""
    results = {method: MethodResult() for method in methods}
    pks, index_of, popularity, co_reads = counts.pks, counts.index_of, counts.popularity, counts.co_reads
    snapshot, snapshot_seconds = None, 0.0
    for number, case in enumerate(cases, start=1):
        bucket = bucket_start(case.cutoff, popularity_every_hours)
        if "engine" in methods and bucket != snapshot:
            clock = time.perf_counter()
            # No save in a log is ever removed, so the site's daily recount would change nothing but the pruning
            # of co-saves, which bounds the site's table; left out, each worker's first snapshot (counted afresh
            # wherever its share starts) is the one that moving forward from the log's start would give.
            sources.rebuild_popularity(as_of=bucket, config=config, recount_every=None, prune_co_saves=False)
            snapshot = bucket
            snapshot_seconds += time.perf_counter() - clock
        user_id = catalogue.user_ids[case.user_id]
        training = {catalogue.article_ids[article_id]: weight for article_id, weight in case.training.items()}
        held_out = {catalogue.article_ids[article_id] for article_id in case.held_out}

        if "engine" in methods:
            clock = time.perf_counter()
            reader = sources.load_reader(user_id, as_of=case.cutoff, seed_weights=training)
            candidates = sources.load_candidates(reader, as_of=case.cutoff, config=config)
            ranked = engine.rank(reader, candidates, now=case.cutoff, limit=k, config=config)
            engine_seconds = time.perf_counter() - clock
            results["engine"].add([item.article_id for item in ranked], held_out, k=k, seconds=engine_seconds)

        popularity.advance(case.cutoff.timestamp())
        read = {index_of[pk] for pk in training}
        for method in POPULARITY_WINDOWS.keys() & set(methods):
            clock = time.perf_counter()
            recommended = [pks[index] for index in popularity.top(method, read, k)]
            results[method].add(recommended, held_out, k=k, seconds=time.perf_counter() - clock)
        for method, similar in co_reads.items():
            similar.advance(case.cutoff.timestamp())
            clock = time.perf_counter()
            recommended = [pks[index] for index in similar.top(case.user_id, read, k)]
            results[method].add(recommended, held_out, k=k, seconds=time.perf_counter() - clock)
        if log and number % PROGRESS_EVERY == 0:
            log(number)
    return results, snapshot_seconds


def recall_ceiling(cases, published):
    """The share of each reader's held-out articles that existed at their moment (so that any method could
    have recommended them), averaged over readers; None with no reader."""
    shares = [
        sum(published[article] <= case.cutoff for article in case.held_out) / len(case.held_out) for case in cases
    ]
    return mean_or_none(shares)


# The whole run


@dataclass
class Prepared:
    """Interactions read and split, and loaded into a scratch schema, ready to evaluate."""

    articles: list
    interactions: Interactions
    histories: dict
    events: list  # (external article id, time, weight)
    cases: list
    skipped: int
    catalogue: Catalogue
    schema: str
    seconds: dict


@contextmanager
def prepared(articles_path, interactions_path, *, log, weights=None, until=None):
    """The files read, split by time and loaded into a scratch schema, which is dropped on the way out. With
    `until`, interactions from then on are left out, as if the log ended there."""
    seconds = {}
    clock = time.perf_counter()
    articles = read_articles(articles_path)
    interactions = read_interactions(interactions_path, {article.id for article in articles}, weights or {})
    if until is not None:
        interactions.events = [event for event in interactions.events if event[2] < until]
    histories = histories_by_user(interactions.events)
    cases, skipped = split_by_time(histories)
    if not cases:
        raise InputError(
            f"{interactions_path}: nothing to evaluate. {interactions.rows} interactions, "
            f"{interactions.unknown_articles} of them with articles not in {articles_path}; an evaluated reader "
            f"needs at least {MIN_ARTICLES_PER_USER} known articles, the first before the others"
            + (f", before {until.isoformat()}." if until else ".")
        )
    seconds["reading"] = time.perf_counter() - clock
    log(f"Read {len(articles)} articles and {interactions.rows} interactions; {len(cases)} users to evaluate.")
    with scratch_schema() as schema:
        clock = time.perf_counter()
        catalogue = load(articles, histories)
        seconds["loading"] = time.perf_counter() - clock
        log(f"Loaded into a scratch schema in {seconds['loading']:.1f} s.")

        clock = time.perf_counter()
        rebuild_content_neighbours()
        analyze(ContentNeighbour)
        seconds["content_neighbours"] = time.perf_counter() - clock
        log(f"Content neighbours built in {seconds['content_neighbours']:.1f} s.")
        events = [(article, moment, weight) for _, article, moment, weight in interactions.events]
        yield Prepared(articles, interactions, histories, events, cases, skipped, catalogue, schema, seconds)


def worker_count(workers):
    """`workers`, or one per core."""
    return max(1, min(workers or os.cpu_count() or 1, MAX_WORKERS))


def run(
    articles_path,
    interactions_path,
    *,
    log,
    k=10,
    weights=None,
    popularity_every_hours=1,
    workers=None,
    test_from=None,
    per_user=False,
):
    """Read, load into a scratch schema, evaluate every method in `workers` processes (default: one per
    core) and return the report (a dict). With `test_from`, only readers whose moment is no earlier are
    scored (the test period, after the validation period of `manage.py tune_recommendations`); with
    `per_user`, the report also has each reader's NDCG@k by method ({method: {user id: NDCG}})."""
    started = time.perf_counter()
    with prepared(articles_path, interactions_path, log=log, weights=weights) as data:
        cases = [case for case in data.cases if test_from is None or case.cutoff >= test_from]
        if not cases:
            raise InputError(f"No reader to evaluate from {test_from.isoformat()} on: the log ends before.")
        clock = time.perf_counter()
        results, snapshot_seconds = evaluate(
            data,
            cases,
            methods=METHODS,
            config=engine_config.current(),
            k=k,
            popularity_every_hours=popularity_every_hours,
            workers=worker_count(workers),
            log=log,
        )
        seconds = {
            **data.seconds,
            "popularity_snapshots": snapshot_seconds,
            "recommending": time.perf_counter() - clock - snapshot_seconds,
        }
    seconds["total"] = time.perf_counter() - started
    counts = {
        "users_evaluated": len(cases),
        "users_skipped_too_few": data.skipped,
        "unknown_article_interactions_skipped": data.interactions.unknown_articles,
    }
    report = {
        "k": k,
        "dataset": {
            "articles": len(data.articles),
            "interactions": data.interactions.rows,
            "users": len(data.histories),
            "favorites": data.catalogue.favorites,
            "recall_ceiling": recall_ceiling(cases, publish_times(data.articles, data.histories)),
            **counts,
        },
        "methods": {method: {**results[method].summary(len(data.articles)), **counts} for method in METHODS},
        "seconds": {name: round(value, 2) for name, value in seconds.items()},
    }
    if test_from is not None:
        report["dataset"]["test_from"] = test_from.isoformat()
    if per_user:
        users = [case.user_id for case in cases]
        report["per_user"] = {method: dict(zip(users, results[method].ndcg, strict=True)) for method in METHODS}
    return report


TABLE_COLUMNS = [
    ("Recall@{k}", "recall_at_k", "{:.4f}"),
    ("±SE", "recall_at_k_se", "{:.4f}"),
    ("NDCG@{k}", "ndcg_at_k", "{:.4f}"),
    ("±SE", "ndcg_at_k_se", "{:.4f}"),
    ("Coverage", "coverage", "{:.4f}"),
    ("Users", "users_evaluated", "{}"),
    ("Skipped (too few)", "users_skipped_too_few", "{}"),
    ("Unknown articles", "unknown_article_interactions_skipped", "{}"),
    ("ms/user median", "ms_per_user_median", "{:.1f}"),
    ("ms/user p95", "ms_per_user_p95", "{:.1f}"),
]


def format_report(report):
    """The report as a plain-text table with a line about the data and one about the time taken."""
    data, seconds = report["dataset"], report["seconds"]
    headers = ["Method"] + [title.format(k=report["k"]) for title, _, _ in TABLE_COLUMNS]
    rows = [
        [method] + ["-" if values[key] is None else style.format(values[key]) for _, key, style in TABLE_COLUMNS]
        for method, values in report["methods"].items()
    ]
    stages = ", ".join(f"{name.replace('_', ' ')} {value:.1f} s" for name, value in seconds.items() if name != "total")
    return "\n".join(
        [
            f"{data['articles']} articles, {data['users']} users, {data['interactions']} interactions "
            f"({data['favorites']} reader-article pairs); k = {report['k']}",
            "Recall ceiling (held-out articles that existed at the reader's moment): "
            + ("-" if data["recall_ceiling"] is None else f"{data['recall_ceiling']:.4f}"),
            "",
            *aligned([headers, *rows]),
            "",
            f"Time: {stages}; total {seconds['total']:.1f} s",
        ]
    )


def aligned(rows):
    """Rows of cells as lines: the first column left-aligned, numbers right-aligned."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  ".join(
            [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        )
        for row in rows
    ]
