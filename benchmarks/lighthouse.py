# ruff: noqa: E402  (Django must be configured before the project's modules are imported)
"""Lighthouse (mobile) on the home page and on a research article, served as in production.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/lighthouse.py \\
        [--runs 3] [--database NAME] [--keep] [--reuse] [--json] [--reports DIR]

It needs Node.js 18 or newer with npm, and Chromium (CHROME_PATH, default /usr/bin/chromium). The pinned
Lighthouse is installed into .data/node/ (git-ignored) the first time. DATABASE_URL only says which
PostgreSQL server to use: the script makes a scratch database there with the demo content and drops it
afterwards (unless --keep; --reuse measures a kept one again). The page cache is the scratch database's
table, whatever CACHE_URL says.

The site runs as in production: static files collected into STATIC_ROOT with their hashed names and
served by WhiteNoise, gunicorn with the repository's gunicorn.conf.py, DEBUG off; in front of it, as
Caddy is in production, a small proxy serves the uploaded images from MEDIA_ROOT and passes everything
else to gunicorn (plain HTTP on loopback, where production has HTTPS). Lighthouse runs `--runs` times
on each page, mobile (its default: a mid-range phone, simulated slow 4G), and the run with the median
performance score is reported: the four category scores, the performance metrics and every audit that
did not pass, with the elements it names.
"""

import argparse
import http.client
import io
import json
import mimetypes
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, suppress
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from scratch import REPO_ROOT, ScratchDatabase, add_scratch_arguments, log  # benchmarks/scratch.py, beside this script

LIGHTHOUSE_VERSION = "12.2.3"  # 13 needs Node.js 22; Debian's and CI's Node.js is 20
NODE_DIR = REPO_ROOT / ".data" / "node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index"]  # fmt: skip
DEFAULT_SCRATCH_DATABASE = "newsroom_lighthouse_scratch"
SCRATCH_MARKER = "Scratch database made by benchmarks/lighthouse.py"
HOST = "localhost"  # a secure context for the browser without HTTPS, as Lighthouse's checks expect
# Headers that belong to one connection, not to the message (RFC 9110, 7.6.1): the proxy drops them.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is shown (3)")
    add_scratch_arguments(parser, DEFAULT_SCRATCH_DATABASE)
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of Markdown")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's own JSON reports in this folder")
    return parser.parse_args()


ARGS = parse_args()  # Before Django is set up, so --help works without a database.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"{ARGS.database}-media"
os.environ["MEDIA_ROOT"] = str(MEDIA_ROOT)
os.environ["STATIC_MANIFEST"] = "true"  # hashed names and far-future caching, as in production
# The page cache in the scratch database's table, so no other site's Redis is touched (the browser's view of a
# page does not change with the cache's backend).
os.environ.pop("CACHE_URL", None)
os.environ.setdefault("DEMO_EDITOR_PASSWORD", "benchmark-only-password")
SCRATCH = ScratchDatabase(ARGS.database, SCRATCH_MARKER)
SCRATCH.configure_django()

from django.core.management import call_command

from articles.models import Article

# --- Lighthouse --------------------------------------------------------------------------------


def installed_lighthouse_version():
    package = NODE_DIR / "node_modules" / "lighthouse" / "package.json"
    with suppress(FileNotFoundError, ValueError):
        return json.loads(package.read_text())["version"]
    return None


def install_lighthouse():
    if installed_lighthouse_version() == LIGHTHOUSE_VERSION:
        return
    if shutil.which("npm") is None:
        sys.exit("Lighthouse needs Node.js 18 or newer with npm (Debian: apt-get install nodejs npm).")
    log(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into {NODE_DIR.relative_to(REPO_ROOT)}/")
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    command = ["npm", "install", "--prefix", str(NODE_DIR), "--save-exact", "--no-audit", "--no-fund",
               f"lighthouse@{LIGHTHOUSE_VERSION}"]  # fmt: skip
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def run_lighthouse(url, out_path):
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not Path(chrome).exists():
        sys.exit(f"No Chromium at {chrome}: set CHROME_PATH, or apt-get install chromium.")
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={out_path}", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]  # fmt: skip
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chrome})
    return json.loads(Path(out_path).read_text())


def summary(report):
    """The category scores (0–100), the performance metrics, and every audit of those categories that did
    not pass, with the elements or addresses it names."""
    audits = report["audits"]
    failing = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            if audit["scoreDisplayMode"] in {"binary", "numeric", "metricSavings"} and (audit["score"] or 0) < 1:
                items = (audit.get("details") or {}).get("items") or []
                failing.append({
                    "category": category,
                    "id": audit["id"],
                    "title": audit["title"],
                    "score": audit["score"],
                    "value": audit.get("displayValue", ""),
                    "items": [describe_item(item) for item in items[:8]],
                })  # fmt: skip
    return {
        "scores": {category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES},
        "metrics": {metric: audits[metric]["displayValue"] for metric in METRICS},
        "failing": failing,
    }


def describe_item(item):
    node = item.get("node") or {}
    if node:
        return f"{node.get('selector', '')} {node.get('snippet', '')}".strip()
    return str(item.get("url") or item.get("source") or item.get("label") or item)[:200]


# --- The site ----------------------------------------------------------------------------------


def prepare_site(reuse):
    if not reuse:
        log("Loading the demo content")
        for command in ("load_demo_content", "load_demo_promotions", "load_demo_readers", "rebuild_recommendations"):
            call_command(command, stdout=io.StringIO())  # stdout holds only the report
    log("Collecting static files")
    call_command("collectstatic", interactive=False, verbosity=0)


def research_article_path():
    """The newest visible research article with a hero image: the heaviest kind of article page."""
    article = (
        Article.objects.visible()
        .filter(research_facts__isnull=False, hero__isnull=False)
        .order_by("-publish_at")
        .first()
    )
    if article is None:
        sys.exit("The demo content has no research article with a hero image.")
    return article.get_absolute_url()


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(log_dir):
    port = free_port()
    environment = {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }
    log_path = Path(log_dir) / "gunicorn.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [Path(sys.executable).parent / "gunicorn", "-c", "gunicorn.conf.py", "newsroom.wsgi"],
            cwd=REPO_ROOT,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the script, which then stops the server itself.
        )
    try:
        deadline = time.monotonic() + 60
        while not answers(port, "/healthz"):
            if time.monotonic() > deadline or process.poll() is not None:
                sys.exit(f"gunicorn did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()


def answers(port, path):
    with suppress(OSError):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", path, headers={"Host": HOST})
        return connection.getresponse().status == 200
    return False


def front_proxy(upstream_port):
    """What Caddy does in production (deploy/Caddyfile): /media/ from MEDIA_ROOT, the rest to gunicorn."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if self.path.startswith("/media/"):
                self.send_media()
            else:
                self.forward()

        do_HEAD = do_GET

        def do_POST(self):
            self.forward()

        def send_media(self):
            path = (MEDIA_ROOT / self.path.split("?")[0].removeprefix("/media/")).resolve()
            if not path.is_relative_to(MEDIA_ROOT.resolve()) or not path.is_file():
                self.reply(404, [("Content-Type", "text/plain")], b"Not found")
                return
            headers = [
                ("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream"),
                ("Cache-Control", "public, max-age=86400"),
                ("X-Content-Type-Options", "nosniff"),
            ]
            self.reply(200, headers, path.read_bytes())

        def forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
            connection = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            content = response.read()
            kept = [(name, value) for name, value in response.getheaders() if name.lower() not in HOP_BY_HOP]
            self.reply(response.status, [(n, v) for n, v in kept if n.lower() != "content-length"], content)

        def reply(self, status, headers, content):
            self.send_response_only(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- Report ------------------------------------------------------------------------------------


def measure(base_url, pages, runs, reports_dir):
    results = {}
    for name, path in pages.items():
        reports = []
        for number in range(runs):
            log(f"Lighthouse, {name} ({path}), run {number + 1} of {runs}")
            reports.append(summary(run_lighthouse(base_url + path, reports_dir / f"{name}-{number + 1}.json")))
        performance = [report["scores"]["performance"] for report in reports]
        median = statistics.median_low(performance)
        chosen = next(report for report in reports if report["scores"]["performance"] == median)
        results[name] = {"path": path, "performance_runs": performance, **chosen}
    return results


def markdown_report(results, commit):
    lines = [
        f"Lighthouse {LIGHTHOUSE_VERSION}, mobile, {date.today().isoformat()}, commit {commit}; "
        f"load average {os.getloadavg()[0]:.1f}",
        "",
        "| page | performance | accessibility | best practices | SEO | performance, each run |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, result in results.items():
        scores = result["scores"]
        each = ", ".join(map(str, result["performance_runs"]))
        lines.append(
            f"| {name} (`{result['path']}`) | {scores['performance']} | {scores['accessibility']} | "
            f"{scores['best-practices']} | {scores['seo']} | {each} |"
        )
    for name, result in results.items():
        lines += ["", f"{name}: " + ", ".join(f"{metric} {value}" for metric, value in result["metrics"].items())]
        if not result["failing"]:
            lines.append("  every audit passed")
        for audit in result["failing"]:
            score = "–" if audit["score"] is None else f"{audit['score']:.2f}"
            lines.append(f"- {audit['category']}: {audit['id']} ({score}) {audit['title']} {audit['value']}".rstrip())
            lines += [f"    {item}" for item in audit["items"]]
    return "\n".join(lines)


def current_commit():
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def main(args):
    # SIGTERM ends the run as Ctrl-C does: server stopped, scratch database dropped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    install_lighthouse()
    try:
        with SCRATCH.for_run(reuse=args.reuse, keep=args.keep), tempfile.TemporaryDirectory() as work_dir:
            prepare_site(args.reuse)
            pages = {"home": "/", "research article": research_article_path()}
            reports_dir = args.reports or Path(work_dir)
            reports_dir.mkdir(parents=True, exist_ok=True)
            with gunicorn(work_dir) as port:
                proxy = front_proxy(port)
                try:
                    base_url = f"http://{HOST}:{proxy.server_address[1]}"
                    results = measure(base_url, pages, args.runs, reports_dir)
                finally:
                    proxy.shutdown()
    except KeyboardInterrupt:
        sys.exit("Interrupted.")
    finally:
        if not (args.keep or args.reuse):
            shutil.rmtree(MEDIA_ROOT, ignore_errors=True)
    commit = current_commit()
    print(json.dumps({"commit": commit, "pages": results}, indent=2) if args.json else markdown_report(results, commit))


if __name__ == "__main__":
    main(ARGS)
