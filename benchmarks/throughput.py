# ruff: noqa: E402  (Django must be configured before the project's modules are imported)
"""Throughput benchmark: requests per second of the reader pages under gunicorn, as a ratio to a floor.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres CACHE_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python benchmarks/throughput.py [--articles 2000] [--rounds 3] [--seconds 10] \\
        [--connections 4] [--sample 100] [--load-generator auto|wrk|python] [--database NAME] [--keep] [--reuse] \\
        [--json]

DATABASE_URL only says which PostgreSQL server to use: the script makes its own scratch database
there, fills it with the demo content (research facts, references, hero images, glossary, promotions)
and `--articles` generated articles with readers and their saves (recommendations/scale_data.py), and
drops it afterwards (unless --keep; --reuse measures a kept one again). CACHE_URL names a Redis
database for this benchmark alone: it is emptied before and after the run, and the script refuses
one holding keys it did not put there.

Two gunicorn servers run the site with the repository's gunicorn.conf.py, production settings (DEBUG
off) and 2 workers on loopback: one with the page cache (PAGE_CACHE_SECONDS=3600, so that no page
expires between rounds) and one without it (PAGE_CACHE_SECONDS=0). Cached pages are checked to hit,
and stored again if they expired, before each of their runs; uncached ones to miss; each search is
asked once, so it misses the cache of search results. Worker recycling (max_requests) is off: a
worker restart costs about a second of CPU, which would land in some rounds and not others. Both
servers also serve the floor, a bare Django view returning a page of the article page's size through
the same middleware (benchmarks/throughput_urls.py, not an address of the site).

Load comes from wrk when it is installed (else from Python threads), with the same number of
connections for every case. Rounds interleave the floor and the cases (floor, case A, floor, case B,
...), each `--seconds` long, and a case's ratio is its rate over the rate of the floor run just before
it, on the same server. Worker CPU per request is read from /proc (the workers' utime + stime, and
the master's count of reaped workers). Query counts come from one request per page sent with an
X-Count-Queries header (benchmarks/throughput_wsgi.py), which the load never sends.
"""

import argparse
import functools
import http.client
import io
import itertools
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from scratch import REPO_ROOT, ScratchDatabase, add_scratch_arguments, log  # benchmarks/scratch.py, beside this script

DEFAULT_SCRATCH_DATABASE = "newsroom_throughput_scratch"
# Written on the scratch database so the script never drops one it did not make.
SCRATCH_MARKER = "Scratch database made by benchmarks/throughput.py"
# Kept in the benchmark's Redis database while it is in use, so the script never empties one it did not fill.
CACHE_MARKER_KEY = "benchmarks/throughput.py"
WSGI_APPLICATION = "benchmarks.throughput_wsgi:application"  # the site, plus the floor page
HOST = "localhost"  # One host name for every request: the page cache keys pages by their whole address.
# PAGE_CACHE_SECONDS of the server with the page cache: longer than the default 300, so that a page stored
# when first checked is not let go between rounds (a cached row measures the page cache's hits).
CACHED_SECONDS = 3600
WARM_UP_SECONDS = 3
# wrk's one thread builds each request in Lua: the next address from a list, from a given position on,
# so search can ask each query once. done() prints the figures as one JSON line.
WRK_SCRIPT = """
local paths, position = {}, 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  position = tonumber(args[2])
end
function request()
  position = position + 1
  return wrk.format("GET", paths[(position - 1) % #paths + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-RESULT {"requests": %d, "seconds": %.6f, "errors": %d, "p95_ms": %.3f}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(95) / 1000))
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000, help="articles to generate (default 2000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every case (default 3)")
    parser.add_argument("--seconds", type=int, default=10, help="length of each measured run (default 10)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (default 4)")
    parser.add_argument(
        "--sample", type=int, default=100, help="article pages requested, demo ones included (default 100)"
    )
    parser.add_argument(
        "--load-generator",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="wrk, Python threads, or wrk when installed (default auto)",
    )
    add_scratch_arguments(parser, DEFAULT_SCRATCH_DATABASE, kept="the scratch database (and its images)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of Markdown")
    return parser.parse_args()


ARGS = parse_args()  # Before Django is set up, so --help works without a database.
CACHE_URL = os.environ.get("CACHE_URL", "")
if urlsplit(CACHE_URL).scheme not in {"redis", "rediss"}:
    sys.exit("Set CACHE_URL to a Redis database of the benchmark's own, e.g. redis://127.0.0.1:6379/12")
# Uploaded images (the demo's hero images) go beside the scratch database, never into the site's media.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"{ARGS.database}-media"
os.environ["MEDIA_ROOT"] = str(MEDIA_ROOT)
# load_demo_content refuses to make its staff accounts with DEBUG off unless given their password.
os.environ.setdefault("DEMO_EDITOR_PASSWORD", "benchmark-only-password")
SCRATCH = ScratchDatabase(ARGS.database, SCRATCH_MARKER)
SCRATCH.configure_django()

import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client

from accounts.models import Profile
from articles.demo import article_paths as demo_article_paths
from articles.models import Article
from articles.sitemaps import article_page_numbers
from recommendations import scale_data

# --- Data ------------------------------------------------------------------------------------


def generate(article_count):
    """The demo content, then generated articles, readers (one per article) and ten saves per article."""
    started = time.perf_counter()
    for command in ("load_demo_content", "load_demo_promotions"):
        call_command(command, stdout=io.StringIO())
    log(f"  demo content and promotions: {time.perf_counter() - started:.1f} s")
    scale_data.generate(
        articles=article_count, readers=article_count, favorites=10 * article_count, report=lambda m: log(f"  {m}")
    )
    return time.perf_counter() - started


def article_paths(size, rng):
    """Every visible demo article (they have research facts, references and images, which generated
    ones lack), and generated ones to make up `size`, in random order."""
    visible = Article.objects.visible()
    demo_slugs = {path.stem for path in demo_article_paths()}
    demo = list(visible.filter(slug__in=demo_slugs).values_list("slug", flat=True))
    generated = list(visible.exclude(slug__in=demo_slugs).order_by("pk").values_list("slug", flat=True))
    slugs = demo[:size] + rng.sample(generated, min(len(generated), max(0, size - len(demo))))
    rng.shuffle(slugs)
    return [f"/articles/{slug}/" for slug in slugs]


def search_paths(count, rng):
    """`count` different searches of two medical words (three once the pairs run out), so that every
    search the load makes misses the cache of search results."""
    words = scale_data.MEDICAL_WORDS
    queries = []
    for size in (2, 3):
        combinations = list(itertools.combinations(words, size))
        rng.shuffle(combinations)
        queries += [" ".join(combination) for combination in combinations[: count - len(queries)]]
    return ["/search/?" + urlencode({"q": query}) for query in queries]


def signed_in_reader_cookie():
    """The session cookie of a reader who opted into recommendations and saved the median number of
    articles among such readers, so the signed-in page runs the recommendation engine on real saves."""
    readers = (
        Profile.objects.filter(personalisation=True)
        .annotate(saves=Count("user__favorites"))
        .filter(saves__gt=0)
        .order_by("saves", "user_id")
    )
    profile = readers[readers.count() // 2]
    client = Client()
    client.force_login(profile.user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}", profile.saves


@contextmanager
def benchmark_cache():
    """The Redis database CACHE_URL names, empty at the start (no page or search result of an earlier
    run is served) and emptied again at the end."""
    client = redis.Redis.from_url(CACHE_URL)
    if client.dbsize() and not client.exists(CACHE_MARKER_KEY):
        sys.exit(f"{CACHE_URL} holds keys this benchmark did not write: give it an empty Redis database.")
    client.flushdb()
    client.set(CACHE_MARKER_KEY, "in use")
    try:
        yield
    finally:
        client.flushdb()


# --- Servers ---------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path

    def worker_cpu_seconds(self):
        """CPU seconds of the workers so far: the live ones' own, and the master's count of the
        workers it has reaped (a worker that died and was replaced still counts)."""
        ticks = 0
        for stat_path in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError):
                fields = proc_stat_fields(stat_path)
                if int(fields[1]) == self.process.pid:
                    ticks += int(fields[11]) + int(fields[12])  # utime, stime
        master = proc_stat_fields(Path(f"/proc/{self.process.pid}/stat"))
        ticks += int(master[13]) + int(master[14])  # cutime, cstime
        return ticks / os.sysconf("SC_CLK_TCK")


def proc_stat_fields(stat_path):
    """The fields of /proc/PID/stat after the command name (which may hold spaces): state is [0], ppid [1]."""
    text = stat_path.read_text()
    return text[text.rindex(")") + 2 :].split()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(name, page_cache_seconds, log_dir):
    port = free_port()
    environment = {
        **os.environ,
        "CACHE_URL": CACHE_URL,
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    log_path = Path(log_dir) / f"gunicorn-{port}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [Path(sys.executable).parent / "gunicorn", "-c", "gunicorn.conf.py", WSGI_APPLICATION],
            cwd=REPO_ROOT,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the script, which then stops the server itself.
        )
    server = Server(name=name, port=port, process=process, log_path=log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        with suppress(OSError):
            if get(server, "/healthz").status == 200:
                return server
        time.sleep(0.2)
    stop_server(server)
    sys.exit(f"gunicorn ({name}) did not start:\n{log_path.read_text()}")


def stop_server(server):
    if server.process.poll() is None:
        server.process.terminate()  # Graceful: idle workers quit at once.
        try:
            server.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def queries(self):
        return int(self.headers["X-Query-Count"])


def get(server, path, cookie=None, count_queries=False):
    headers = {"Host": HOST}
    if cookie:
        headers["Cookie"] = cookie
    if count_queries:
        headers["X-Count-Queries"] = "1"
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


# --- Cases -----------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    server: Server
    paths: list
    check: object  # check_...(case): the replies of the requests that showed the pages answer as the case requires
    cookie: str | None = None
    target_ratio: float | None = None
    unique_paths: bool = False  # every path is requested once at most (search, to miss its cache)
    # Its pages come from a cache that may have let them go since: checked again (storing them again)
    # before every run.
    check_before_each_run: bool = False
    position: int = 0  # where the next load run starts in `paths`
    queries: tuple = ()
    bytes: int = 0
    rounds: list = field(default_factory=list)


class CheckFailed(Exception):
    """A page did not answer as its case requires (a cached page that missed, a signed-in page
    without personal recommendations...): measuring it would measure something else."""


def probe(case, path, cookie_from_reply=False):
    reply = get(case.server, path, case.cookie, count_queries=True)
    if reply.status != 200:
        raise CheckFailed(f"{case.name}: GET {path} answered {reply.status}")
    if cookie_from_reply and reply.headers.get_all("Set-Cookie"):
        # Keep what a browser would keep (the CSRF cookie of the page's forms) and send it back.
        cookies = SimpleCookie()
        for header in reply.headers.get_all("Set-Cookie"):
            cookies.load(header)
        case.cookie = "; ".join([case.cookie, *(f"{name}={morsel.value}" for name, morsel in cookies.items())])
    return reply


def expect_page_cache(case, reply, path, expected):
    found = reply.headers.get("X-Page-Cache")
    if found != expected:
        raise CheckFailed(f"{case.name}: GET {path} had X-Page-Cache {found!r}, expected {expected!r}")


def check_floor(case, size):
    replies = [probe(case, path) for path in case.paths]
    if any(reply.queries or len(reply.body) != size for reply in replies):
        raise CheckFailed(f"floor: the bare view made SQL queries, or its page was not {size} bytes")
    return replies


def check_cached(case):
    """Each page is stored by a first request, and the next one must be a page cache hit."""
    replies = []
    for path in case.paths:
        probe(case, path)
        replies.append(reply := probe(case, path))
        expect_page_cache(case, reply, path, "hit")
    return replies


def check_uncached(case):
    replies = []
    for path in case.paths:
        replies.append(reply := probe(case, path))
        expect_page_cache(case, reply, path, "miss")
    return replies


def check_signed_in(case):
    probe(case, case.paths[0], cookie_from_reply=True)
    replies = []
    for path in case.paths:
        replies.append(reply := probe(case, path))
        if "X-Page-Cache" in reply.headers or b"All your recommendations" not in reply.body:
            raise CheckFailed(f"{case.name}: GET {path} was not a signed-in page with personal recommendations")
    return replies


def check_public_cache(case):
    """Sitemaps are kept in the cache of public data (and the index in the page cache too): measured
    as crawlers get them, from the cache, which costs no query."""
    replies = []
    for path in case.paths:
        probe(case, path)
        replies.append(reply := probe(case, path))
        if reply.queries:
            raise CheckFailed(f"{case.name}: GET {path} made {reply.queries} queries from a warm cache")
    return replies


def check_search(case):
    """A search asked for the first time misses the cache of search results; asked again, it costs
    fewer queries. The load then asks each query once, from where the checks stopped."""
    first = probe(case, case.paths[0])
    again = probe(case, case.paths[0])
    if again.queries >= first.queries:
        raise CheckFailed(f"{case.name}: a repeated search made {again.queries} queries, the first {first.queries}")
    replies = [first, *(probe(case, path) for path in case.paths[1:20])]
    case.position = 20
    return replies


def check(case):
    replies = case.check(case)
    case.queries = (min(r.queries for r in replies), max(r.queries for r in replies))
    case.bytes = round(statistics.median(len(r.body) for r in replies))


# --- Load ------------------------------------------------------------------------------------


@dataclass
class Run:
    requests: int
    seconds: float
    p95_ms: float | None
    cpu_ms_per_request: float

    @property
    def per_second(self):
        return self.requests / self.seconds


def wrk_load(case, seconds, connections, work_dir):
    paths_file = Path(work_dir) / "paths.txt"
    paths_file.write_text("\n".join(case.paths) + "\n")
    script = Path(work_dir) / "load.lua"
    script.write_text(WRK_SCRIPT)
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-H", f"Host: {HOST}"]
    if case.cookie:
        command += ["-H", f"Cookie: {case.cookie}"]
    command += ["-s", str(script), f"http://127.0.0.1:{case.server.port}", "--", str(paths_file), str(case.position)]
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode:
        raise RuntimeError(f"wrk failed: {finished.stderr or finished.stdout}")
    line = next(line for line in finished.stdout.splitlines() if line.startswith("WRK-RESULT "))
    return json.loads(line.removeprefix("WRK-RESULT "))


def python_load(case, seconds, connections, work_dir):
    """As wrk does it: `connections` clients, each sending its next request as soon as the last is answered."""
    headers = {"Host": HOST, **({"Cookie": case.cookie} if case.cookie else {})}
    positions = itertools.count(case.position)  # next() on it is atomic under the GIL
    latencies, errors = [], []
    started = time.perf_counter()
    deadline = started + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", case.server.port, timeout=10)
        while (sent := time.perf_counter()) < deadline:
            path = case.paths[next(positions) % len(case.paths)]
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()  # A "Connection: close" answer closes it; the next request reconnects.
                failed = response.status >= 400
            except (OSError, http.client.HTTPException):
                conn.close()
                failed = True
            latencies.append(time.perf_counter() - sent)
            errors.append(failed)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    p95 = statistics.quantiles(latencies, n=20, method="inclusive")[-1] * 1000 if len(latencies) > 1 else None
    return {
        "requests": len(latencies),
        "seconds": time.perf_counter() - started,
        "errors": sum(errors),
        "p95_ms": p95,
    }


def load_run(case, seconds, args, work_dir):
    generator = wrk_load if args.load_generator == "wrk" else python_load
    cpu_before = case.server.worker_cpu_seconds()
    figures = generator(case, seconds, args.connections, work_dir)
    cpu = case.server.worker_cpu_seconds() - cpu_before
    # Requests still on their way when the run stopped were sent too: skip past them.
    case.position += figures["requests"] + args.connections
    if case.unique_paths and case.position > len(case.paths):
        raise CheckFailed(f"{case.name}: ran out of different queries; the rest would be cache hits")
    if figures["errors"]:
        raise CheckFailed(f"{case.name}: {figures['errors']} of {figures['requests']} requests failed")
    requests = max(1, figures["requests"])
    return Run(figures["requests"], figures["seconds"], figures["p95_ms"], 1000 * cpu / requests)


# --- Report ----------------------------------------------------------------------------------

TARGET_CPU_MS = {"article, uncached, anonymous": 5}


def median(values, digits=2):
    values = [value for value in values if value is not None]
    return round(statistics.median(values), digits) if values else None


def summarise(case, floor_runs):
    """The case's figures over its rounds; a ratio compares each run with the floor run just before it."""
    ratios = [run.per_second / floor.per_second for run, floor in zip(case.rounds, floor_runs, strict=True)]
    return {
        "case": case.name,
        "server": case.server.name,
        "requests_per_second": median([run.per_second for run in case.rounds]),
        "ratio_to_floor": median(ratios, digits=3),
        "ratios": [round(ratio, 3) for ratio in ratios],
        "target_ratio": case.target_ratio,
        "p95_ms": median([run.p95_ms for run in case.rounds]),
        "worker_cpu_ms_per_request": median([run.cpu_ms_per_request for run in case.rounds]),
        "target_cpu_ms": TARGET_CPU_MS.get(case.name),
        "queries": list(case.queries),
        "bytes": case.bytes,
        "rounds": [asdict(run) for run in case.rounds],
    }


def floor_summary(floor_runs, floor_case):
    runs = [run for runs in floor_runs.values() for run in runs]
    return {
        "case": "floor",
        "server": "both",
        "requests_per_second": median([run.per_second for run in runs]),
        "ratio_to_floor": 1.0,
        "p95_ms": median([run.p95_ms for run in runs]),
        "worker_cpu_ms_per_request": median([run.cpu_ms_per_request for run in runs]),
        "queries": list(floor_case.queries),
        "bytes": floor_case.bytes,
        "rounds": [asdict(run) for run in runs],
    }


def target_lines(rows):
    lines = []
    for row in rows:
        if row.get("target_ratio") is not None:
            met = row["ratio_to_floor"] >= row["target_ratio"]
            lines.append(
                f"- {row['case']}: {row['ratio_to_floor']}x the floor (target ≥ {row['target_ratio']}x) — "
                + ("met" if met else "MISSED")
            )
        if row.get("target_cpu_ms") is not None:
            met = row["worker_cpu_ms_per_request"] <= row["target_cpu_ms"]
            lines.append(
                f"- {row['case']}: {row['worker_cpu_ms_per_request']} worker CPU ms per request "
                f"(target ≤ {row['target_cpu_ms']} ms) — " + ("met" if met else "MISSED")
            )
    return lines


def markdown_report(machine, rows):
    lines = [
        f"{machine['cpus']} CPUs, load average {machine['load_before']} before and {machine['load_after']} after · "
        f"Python {machine['python']} · gunicorn {machine['gunicorn']} (2 sync workers) · {machine['postgresql']}",
        f"{machine['articles']} articles ({machine['visible_articles']} visible, generated in "
        f"{machine['generation_seconds']} s), {machine['article_pages']} article pages requested · "
        f"{machine['load_generator']}, {machine['connections']} connections · "
        f"{machine['rounds']} rounds of {machine['seconds']} s per case",
        "",
        "| page | server | requests/s | × floor | each round | p95 ms | worker CPU ms/request | queries | bytes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        low, high = row["queries"]
        queries = str(low) if low == high else f"{low}–{high}"
        each_round = ", ".join(f"{ratio:.3f}" for ratio in row.get("ratios", [])) or "–"
        lines.append(
            f"| {row['case']} | {row['server']} | {row['requests_per_second']:.1f} | {row['ratio_to_floor']:.3f} | "
            f"{each_round} | {row['p95_ms']} | {row['worker_cpu_ms_per_request']:.2f} | {queries} | {row['bytes']:,} |"
        )
    return "\n".join([*lines, "", "Targets:", *target_lines(rows)])


def machine_info(args, generation_seconds, load_before, pages):
    import gunicorn

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = f"PostgreSQL {cursor.fetchone()[0]}"
    generator = "wrk " + wrk_version() if args.load_generator == "wrk" else "Python threads (http.client)"
    return {
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": round(os.getloadavg()[0], 2),
        "python": sys.version.split()[0],
        "gunicorn": gunicorn.__version__,
        "postgresql": postgres,
        "articles": Article.objects.count(),
        "visible_articles": Article.objects.visible().count(),
        "article_pages": pages,
        "generation_seconds": round(generation_seconds, 1),
        "load_generator": generator,
        "connections": args.connections,
        "rounds": args.rounds,
        "seconds": args.seconds,
    }


def wrk_version():
    output = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return (output.stdout + output.stderr).split()[1]


# --- The run ---------------------------------------------------------------------------------


def build_cases(cached, uncached, article_pages, search_count, cookie, rng):
    sitemap_pages = [f"/sitemaps/articles-{number}.xml" for number, _ in article_page_numbers()]
    return [
        Case("home, cached", cached, ["/"], check_cached, target_ratio=0.7, check_before_each_run=True),
        Case("article, cached", cached, article_pages, check_cached, target_ratio=0.7, check_before_each_run=True),
        Case("article, uncached, anonymous", uncached, article_pages, check_uncached, target_ratio=0.2),
        Case(
            "article, signed-in, recommendations",
            cached,
            article_pages,
            check_signed_in,
            cookie=cookie,
            target_ratio=0.15,
        ),
        Case("sitemap index", cached, ["/sitemap.xml"], check_public_cache, check_before_each_run=True),
        Case("sitemap page", cached, sitemap_pages, check_public_cache, check_before_each_run=True),
        Case("search, uncached", cached, search_paths(search_count, rng), check_search, unique_paths=True),
    ]


def measure(args, servers, work_dir):
    rng = random.Random(42)
    article_pages = article_paths(args.sample, rng)
    cookie, saves = signed_in_reader_cookie()
    log(f"Signed-in reader: {saves} saved articles, personalisation on")
    # Enough different searches for 300 a second throughout, more than two workers can answer.
    search_count = int(300 * (WARM_UP_SECONDS + args.seconds * args.rounds)) + 100
    cases = build_cases(servers["page cache on"], servers["page cache off"], article_pages, search_count, cookie, rng)
    for case in cases:
        log(f"Checking {case.name}: {len(case.paths)} addresses")
        check(case)
    article_bytes = next(case.bytes for case in cases if case.name == "article, uncached, anonymous")
    check_floor_size = functools.partial(check_floor, size=article_bytes)
    floors = {
        name: Case("floor", server, [f"/benchmark-floor/{article_bytes}"], check_floor_size)
        for name, server in servers.items()
    }
    for floor in floors.values():
        check(floor)
    log("Warming up")
    for case in [*floors.values(), *cases]:
        load_run(case, WARM_UP_SECONDS, args, work_dir)
    floor_runs = {case.name: [] for case in cases}
    for number in range(1, args.rounds + 1):
        for case in cases:
            log(f"Round {number}/{args.rounds}: floor, then {case.name}")
            if case.check_before_each_run:
                check(case)
            floor_runs[case.name].append(load_run(floors[case.server.name], args.seconds, args, work_dir))
            case.rounds.append(load_run(case, args.seconds, args, work_dir))
    rows = [floor_summary(floor_runs, floors["page cache on"])]
    rows += [summarise(case, floor_runs[case.name]) for case in cases]
    return rows, len(article_pages)


@contextmanager
def gunicorn_servers(work_dir):
    """The two servers, by name, stopped however the run ends."""
    servers = {}
    try:
        for name, seconds in (("page cache on", CACHED_SECONDS), ("page cache off", 0)):
            log(f"Starting gunicorn, {name}")
            servers[name] = start_server(name, seconds, work_dir)
        yield servers
    finally:
        for server in servers.values():
            stop_server(server)


def main(args):
    if args.load_generator == "auto":
        args.load_generator = "wrk" if shutil.which("wrk") else "python"
    load_before = round(os.getloadavg()[0], 2)
    # SIGTERM ends the run as Ctrl-C does: servers stopped, scratch database dropped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        with (
            SCRATCH.for_run(reuse=args.reuse, keep=args.keep),
            scratch_images(kept=args.keep or args.reuse),
            tempfile.TemporaryDirectory() as work_dir,
            benchmark_cache(),
        ):
            generation_seconds = 0.0
            if not args.reuse:
                log(f"Generating demo content and {args.articles} articles")
                generation_seconds = generate(args.articles)
            with gunicorn_servers(work_dir) as servers:
                rows, pages = measure(args, servers, work_dir)
            machine = machine_info(args, generation_seconds, load_before, pages)
        report = {"machine": machine, "cases": rows}
        print(json.dumps(report, indent=2) if args.json else markdown_report(machine, rows))
    except CheckFailed as error:
        sys.exit(f"Stopped: {error}")
    except KeyboardInterrupt:
        sys.exit("Interrupted.")


@contextmanager
def scratch_images(*, kept):
    """The images the demo content uploads go with the scratch database: removed unless it is kept."""
    try:
        yield
    finally:
        if kept:
            log(f"Images kept in {MEDIA_ROOT}")
        else:
            shutil.rmtree(MEDIA_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main(ARGS)
