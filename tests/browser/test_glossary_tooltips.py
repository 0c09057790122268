"""Glossary links in a real browser: the definition in an accessible tooltip with JavaScript, the
glossary entry without it, and no accessibility violations on the glossary page or an open tooltip."""

import pytest
from playwright.sync_api import expect

from articles import services
from articles.models import GlossaryTerm
from tests.factories import ArticleFactory

from .test_accessibility import PHONE, describe, violations_on

DEFINITION = "A hormone therapy tablet that stops oestrogen reaching cancer cells."


@pytest.fixture
def glossary_article(section):
    services.glossary_term_save(
        term=GlossaryTerm(term="Tamoxifen", slug="tamoxifen", other_names="Nolvadex", definition=DEFINITION)
    )
    services.glossary_term_save(
        term=GlossaryTerm(term="Biopsy", slug="biopsy", definition="A small sample of tissue, looked at closely.")
    )
    return ArticleFactory(
        title="Staying on hormone therapy",
        slug="staying-on-hormone-therapy",
        body="<p>Many people take <strong>tamoxifen</strong> for five years after a biopsy and surgery.</p>"
        "<p>Tamoxifen can cause hot flushes.</p>",
        section=section,
    )


def glossary_link(page):
    return page.locator(".article__body a.glossary-term", has_text="tamoxifen")


def test_focus_shows_the_definition_as_the_link_description_and_escape_closes_it(page, glossary_article):
    page.goto(glossary_article.get_absolute_url())
    link = glossary_link(page)
    tooltip = page.get_by_role("tooltip")

    expect(link).not_to_have_attribute("title", DEFINITION)
    expect(tooltip).to_be_hidden()
    link.focus()

    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(DEFINITION)
    expect(link).to_have_accessible_description(DEFINITION)
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(link).to_be_focused()


def test_hover_shows_the_definition_until_the_pointer_leaves(page, glossary_article):
    page.goto(glossary_article.get_absolute_url())
    tooltip = page.get_by_role("tooltip")

    glossary_link(page).hover()
    expect(tooltip).to_be_visible()
    tooltip.hover()
    expect(tooltip).to_be_visible()
    page.get_by_role("heading", level=1).hover()

    expect(tooltip).to_be_hidden()


def test_an_open_tooltip_has_no_accessibility_violations_and_fits_a_phone(open_page, glossary_article):
    page = open_page(viewport=PHONE)
    page.goto(glossary_article.get_absolute_url())
    page.locator(".article__body a.glossary-term").last.focus()

    violations = violations_on(page)
    box = page.get_by_role("tooltip").bounding_box()
    widths = page.evaluate("({scroll: document.documentElement.scrollWidth, window: window.innerWidth})")

    assert not violations, describe(violations)
    assert box["x"] >= 0 and box["x"] + box["width"] <= widths["window"]
    assert widths["scroll"] <= widths["window"]


def test_without_javascript_the_link_opens_the_glossary_entry(page_without_js, glossary_article):
    page = page_without_js
    page.goto(glossary_article.get_absolute_url())

    expect(glossary_link(page)).to_have_attribute("title", DEFINITION)
    glossary_link(page).click()

    page.wait_for_url("**/glossary/#tamoxifen")
    expect(page.locator("#tamoxifen")).to_have_text("Tamoxifen")
    expect(page.get_by_text(DEFINITION)).to_be_visible()


def test_glossary_page_has_no_serious_accessibility_violations(page, glossary_article):
    page.goto("/glossary/")

    violations = violations_on(page)

    assert not violations, describe(violations)
    expect(page.get_by_role("navigation", name="Glossary by letter").get_by_role("link", name="T")).to_be_visible()


def test_one_definition_shows_at_a_time(page, glossary_article):
    page.goto(glossary_article.get_absolute_url())
    glossary_link(page).focus()

    page.locator(".article__body a.glossary-term", has_text="biopsy").hover()

    # Hidden tooltips are out of the accessibility tree, so only the open one has the role.
    expect(page.get_by_role("tooltip")).to_have_count(1)
    expect(page.get_by_role("tooltip")).to_have_text("A small sample of tissue, looked at closely.")


def test_a_definition_near_the_bottom_of_the_window_opens_above_the_word(open_page, glossary_article):
    page = open_page(viewport={"width": 1280, "height": 420})
    page.goto(glossary_article.get_absolute_url())
    link = glossary_link(page)
    # Scroll so the word sits just above the bottom edge of the window.
    link.evaluate("el => window.scrollBy(0, el.getBoundingClientRect().bottom - window.innerHeight + 8)")

    link.focus()

    box = page.get_by_role("tooltip").bounding_box()
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= 420
