"""The Content-Security-Policy blocks nothing the site itself uses: every reader page and the admin's main
pages (the dashboard, lists, the change form with its body editor, the image picker) load in Chromium
with no `securitypolicyviolation` event and no policy error in the console."""

import pytest
from playwright.sync_api import expect

from tests.factories import (
    ArticleFactory,
    GlossaryTermFactory,
    ImageFactory,
    PromotionFactory,
    SurveyResponseFactory,
    UserFactory,
)

from .conftest import PASSWORD
from .test_reader_journeys import favorite_button

# Runs in every document before its own scripts; the binding survives navigations, unlike page state.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""
POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy", "Permissions policy")


@pytest.fixture
def watched_page(open_page):
    """A page whose policy violations, and console messages about policies, are collected."""
    page = open_page()
    page.violations = []
    page.context.expose_binding(
        "reportViolation", lambda source, text: page.violations.append(f"{source['frame'].url}: {text}")
    )
    page.context.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            page.violations.append(f"{page.url}: console: {message.text}")
            if any(word in message.text for word in POLICY_WORDS)
            else None
        ),
    )
    return page


def visit(page, path):
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    return response


def test_no_reader_page_breaks_the_policy(watched_page, article, sign_in):
    page = watched_page
    GlossaryTermFactory(term="radiotherapy", slug="radiotherapy", definition="Treatment with high-energy rays.")
    PromotionFactory(headline="Get research news by email")
    reader = UserFactory(email="reader@example.org")
    tag = article.tags.first()
    paths = [
        "/",
        "/articles/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        f"/tags/{tag.slug}/",
        "/search/?q=radiotherapy",
        "/glossary/",
        "/about/",
        "/privacy/",
        "/recommended/how-it-works/",
        "/accounts/join/",
        "/accounts/sign-in/",
        "/accounts/newsletter/",
        "/accounts/password/reset/",
        "/no-such-page/",
    ]
    for path in paths:
        visit(page, path)

    sign_in(page, reader.email)
    page.goto(article.get_absolute_url())
    favorite_button(page, article).click()
    expect(page.get_by_role("status").filter(has_text="to your favorites")).to_be_visible()
    for path in ["/", article.get_absolute_url(), "/recommended/", "/accounts/favorites/", "/accounts/profile/",
                 "/accounts/password/", "/accounts/delete/"]:  # fmt: skip
        visit(page, path)

    assert page.violations == []


def test_no_admin_page_breaks_the_policy(watched_page, article):
    page = watched_page
    UserFactory(email="editor@example.org", is_staff=True, is_superuser=True)
    ImageFactory(alt_text="A mammogram with a small bright spot")
    SurveyResponseFactory(rating=4)
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Email address").fill("editor@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    for path in ["/admin/", "/admin/articles/article/", "/admin/images/image/", "/admin/images/image/add/",
                 "/admin/articles/article/add/"]:  # fmt: skip
        visit(page, path)
    draft = ArticleFactory(draft=True, section=article.section)
    visit(page, f"/admin/articles/article/{draft.pk}/change/")
    expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()
    page.locator(".ProseMirror[contenteditable]").click()
    page.get_by_role("button", name="figure").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Choose from the library").click()
    expect(dialog.get_by_role("status")).to_have_text("1 image")
    page.wait_for_load_state("networkidle")

    assert page.violations == []
