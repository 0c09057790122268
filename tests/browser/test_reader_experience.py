"""Issue 14 in a real browser: what a new reader sees looks like one site."""

import re

from playwright.sync_api import expect

from tests.factories import ReferenceFactory

STYLES = ["color", "fontFamily", "fontSize", "fontWeight", "textDecorationLine"]


def computed(locator):
    return locator.evaluate(
        f"element => {{ const style = getComputedStyle(element); return {STYLES!r}.map(name => style[name]); }}"
    )


def test_sign_out_looks_like_the_other_header_links(page, article, reader, sign_in):
    sign_in(page, reader.email)
    account = page.get_by_role("navigation", name="Your account")

    sign_out = computed(account.get_by_role("button", name="Sign out"))

    assert sign_out == computed(account.get_by_role("link", name="Profile"))
    assert sign_out == computed(account.get_by_role("link", name="My favorites"))


PHONE = {"width": 390, "height": 844}


def test_on_a_phone_the_header_is_one_line_and_a_menu_and_the_headline_shows_at_once(open_page, article):
    page = open_page(viewport=PHONE, java_script_enabled=False)  # the menu needs no script
    page.goto(article.get_absolute_url())

    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 120
    headline = page.get_by_role("heading", level=1).bounding_box()
    assert headline["y"] < PHONE["height"] / 3
    sections = page.get_by_role("navigation", name="Sections")
    expect(sections).to_be_hidden()

    page.locator("summary", has_text="Menu").click()

    expect(sections.get_by_role("link", name=article.section.name)).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search articles")).to_be_visible()


def test_on_a_desktop_sections_and_search_show_without_a_menu(page, article):
    page.goto(article.get_absolute_url())

    expect(page.get_by_role("navigation", name="Sections").get_by_role("link", name="Latest")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search articles")).to_be_visible()
    expect(page.locator("summary", has_text="Menu")).to_be_hidden()


def test_a_printed_article_has_no_navigation_and_shows_where_its_sources_are(page, article):
    ReferenceFactory(article=article, url="https://example.org/the-study")
    page.goto(article.get_absolute_url())
    page.emulate_media(media="print")

    for hidden in (".site-header", ".site-footer", ".article-aside", ".article__actions"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    source = page.locator('.article__references a[href="https://example.org/the-study"]')
    printed_after = source.evaluate("link => getComputedStyle(link, '::after').content")
    assert "https://example.org/the-study" in printed_after
    # Where the article itself is, for a reader who takes the page to their doctor.
    address = page.locator(".print-address")
    expect(address).to_be_visible()
    expect(address).to_contain_text(re.compile(rf"https?://\S+{re.escape(article.get_absolute_url())}"))

    page.emulate_media(media="screen")
    expect(page.locator(".site-header")).to_be_visible()
    expect(page.locator(".print-address")).to_be_hidden()
