"""Real-browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

One browser for the whole session; every test gets fresh browser contexts (cookies, storage) and a
fresh database (the live server needs real commits, so these tests use the transactional database).
Every test here is marked `browser`: `pytest -m "not browser"` leaves them out.
"""

import os
import re
import time
from datetime import timedelta
from pathlib import Path

# Playwright's sync API runs an asyncio event loop in the test's own thread. Django sees that
# running loop and refuses ORM calls from the thread (SynchronousOnlyOperation), although the
# tests' queries are ordinary synchronous calls that never run inside a coroutine. Allowing them
# is safe here, and must happen before any test touches the database.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.factories import (  # noqa: E402
    ArticleFactory,
    BylineFactory,
    PersonFactory,
    ReferenceFactory,
    SectionFactory,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = (
    "Browser tests need Debian's chromium (apt-get install chromium chromium-driver); /usr/bin/chromium not found"
)
TIMEOUT_MS = 10_000
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "a-long-test-password"  # what UserFactory sets
BROWSER_DIR = Path(__file__).resolve().parent

expect.set_options(timeout=TIMEOUT_MS)


def pytest_configure(config):
    # Registered here, not in pyproject.toml, so the marker lives with the tests that carry it.
    config.addinivalue_line("markers", "browser: drives a real Chromium against the live server")


def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items: mark only the ones in this folder.
    for item in items:
        if BROWSER_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


# Browser and pages


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required in CI: /usr/bin/chromium is missing")
        pytest.skip(MISSING_CHROMIUM)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium, live_server):
    """Open a page in a new browser context: open_page(java_script_enabled=False, viewport=...).

    Uncaught JavaScript errors on any page fail the test."""
    contexts = []
    script_errors = []

    def open_(*, java_script_enabled=True, viewport=DESKTOP):
        context = chromium.new_context(
            base_url=live_server.url, viewport=viewport, java_script_enabled=java_script_enabled
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        new_page = context.new_page()
        new_page.on("pageerror", lambda error: script_errors.append(f"{new_page.url}: {error}"))
        return new_page

    yield open_
    for context in contexts:
        context.close()
    wait_until_the_database_is_quiet()
    if script_errors:
        pytest.fail("JavaScript errors in the page:\n" + "\n".join(script_errors))


def wait_until_the_database_is_quiet(*, quiet_for=0.15, at_most=10.0):
    """Wait until no other session of the test database has run a query or held a transaction for `quiet_for`
    seconds. Closing a page can send one last request (the editor's "I have left" beacon): the test's flush,
    which comes next, truncating every table while the live server still ran that request, deadlocked."""
    deadline = time.monotonic() + at_most
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
            busy = cursor.fetchone()[0]
        if busy:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_for:
            return
        time.sleep(0.02)


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def page_without_js(open_page):
    return open_page(java_script_enabled=False)


# Reader actions shared by the tests


@pytest.fixture
def sign_in():
    """Sign in through the form, as a reader does, and wait for the page that follows."""

    def sign_in_(page, email, password=PASSWORD, *, expect_success=True):
        if "/accounts/sign-in/" not in page.url:
            page.goto("/accounts/sign-in/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        if expect_success:
            expect(
                page.get_by_role("navigation", name="Your account").get_by_role("button", name="Sign out")
            ).to_be_visible()
        else:
            expect(page.get_by_role("alert")).to_be_visible()

    return sign_in_


@pytest.fixture
def link_in_email(mailoutbox):
    """The first link in the emails sent so far whose path starts with `path_start`."""

    def link(path_start):
        for message in mailoutbox:
            match = re.search(rf"https?://[^\s/]+{re.escape(path_start)}\S*", message.body)
            if match:
                return match.group(0)
        sent = [(message.subject, message.to) for message in mailoutbox]
        raise AssertionError(f"No email with a link to {path_start}…; sent: {sent}")

    return link


# Content


@pytest.fixture
def section(transactional_db):
    SectionFactory(
        name="Screening and risk",
        slug="screening-and-risk",
        description="Mammograms, genes and what changes the risk of breast cancer.",
        order=2,
    )
    return SectionFactory(
        name="Treatment",
        slug="treatment",
        description="Research on surgery, radiotherapy, drugs and living well during treatment.",
        order=1,
    )


@pytest.fixture
def article(section):
    """A visible article with bylines, a medical reviewer, tags and references, and one related article."""
    writer = PersonFactory(name="Amira Haddad", slug="amira-haddad", credentials="Science writer")
    reviewer = PersonFactory(name="Grace Okafor", slug="grace-okafor", credentials="MD, FRCR")
    story = ArticleFactory(
        title="Five radiotherapy sessions work as well as fifteen after breast cancer surgery",
        slug="five-radiotherapy-sessions-work-as-well-as-fifteen",
        summary="Five years after surgery, women who had one week of radiotherapy did as well as those who had "
        "three weeks. Side effects were similar.",
        body=(
            "<p>A large trial in the UK compared one week of radiotherapy with the usual three weeks for women "
            "who had surgery for early breast cancer.</p>"
            "<h2>What the trial found</h2>"
            "<p>After five years, the cancer had come back in the breast for about 2 in every 100 women in both "
            "groups. Skin changes and swelling were no more common with the shorter course.</p>"
            "<h2>What it means for you</h2>"
            "<p>Ask your care team whether a shorter course suits you. It means fewer trips to hospital.</p>"
        ),
        section=section,
        tags=["radiotherapy", "early breast cancer"],
        medical_reviewer=reviewer,
        last_reviewed=timezone.localdate() - timedelta(days=10),
        source="The FAST-Forward trial, The Lancet",
        publish_at=timezone.now() - timedelta(days=2),
    )
    BylineFactory(article=story, person=writer)
    ReferenceFactory(
        article=story,
        citation="Murray Brunt A, Haviland JS, Wheatley DA, et al. Hypofractionated breast radiotherapy for 1 week "
        "versus 3 weeks (FAST-Forward): 5-year results of a randomised trial. The Lancet. 2020;395:1613–26.",
        url="https://doi.org/10.1016/S0140-6736(20)30932-6",
    )
    ArticleFactory(
        title="Exercise during chemotherapy eases tiredness, trial finds",
        slug="exercise-during-chemotherapy-eases-tiredness",
        summary="Women who walked or cycled during chemotherapy felt less tired and kept more of their fitness.",
        body="<p>Supervised exercise twice a week helped most people in the trial.</p>",
        section=section,
        tags=["chemotherapy"],
        publish_at=timezone.now() - timedelta(days=5),
    )
    return story
