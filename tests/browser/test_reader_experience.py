"""Issue 14 in a real browser: what a new reader sees looks like one site."""

import re

from playwright.sync_api import expect

from articles.models import Article
from promotions.models import Promotion
from tests.factories import ImageFactory, PromotionFactory, ReferenceFactory, ResearchFactsFactory

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


# As long as the research news summaries readers meet on the site.
LONG_SUMMARY = (
    "A large trial in the UK compared one week of radiotherapy with the usual three weeks for women who had "
    "surgery for early breast cancer. Five years later the cancer had come back about as often in both groups, and "
    "side effects such as skin changes and swelling were no more common, so many women may need fewer trips."
)


def bottom(box):
    return box["y"] + box["height"]


def test_on_a_phone_a_study_article_shows_its_headline_reviewer_and_study_card_at_once(open_page, article):
    """A reader new to the site judges research news by who checked it and what kind of study it reports: on a
    phone both show with the headline, without scrolling, however long the summary and with a hero image."""
    Article.objects.filter(pk=article.pk).update(summary=LONG_SUMMARY, hero=ImageFactory())
    ResearchFactsFactory(article=article, every_fact=True)
    page = open_page(viewport=PHONE)
    page.goto(article.get_absolute_url())

    headline = page.get_by_role("heading", level=1).bounding_box()
    review = page.get_by_text("Medically reviewed by").bounding_box()
    study = page.get_by_role("heading", name="About this study").bounding_box()

    assert headline["y"] < review["y"] < study["y"]  # the headline stays the first thing
    assert bottom(study) <= PHONE["height"], f"'About this study' ends at y={bottom(study)}"


def test_on_a_phone_the_article_pages_two_promotions_never_meet(open_page, article):
    """On a phone the aside follows the article: the related articles sit between the promotion below the article
    and the one in the aside. Both are shown at every width, as both are counted as shown."""
    PromotionFactory(placement=Promotion.Placement.ARTICLE_SIDEBAR, headline="Questions about radiotherapy?")
    PromotionFactory(placement=Promotion.Placement.BELOW_ARTICLE, headline="Talk to our nurses")

    phone = open_page(viewport=PHONE)
    phone.goto(article.get_absolute_url())

    below, sidebar, related = (
        phone.get_by_role("region", name=name)
        for name in ("Promotion Talk to our nurses", "Promotion Questions about radiotherapy?", "Related articles")
    )
    expect(below).to_be_visible()
    expect(sidebar).to_be_visible()
    below, sidebar, related = below.bounding_box(), sidebar.bounding_box(), related.bounding_box()
    assert bottom(below) <= related["y"] and bottom(related) <= sidebar["y"]
    assert sidebar["y"] - bottom(below) >= PHONE["height"] / 3

    desktop = open_page(viewport={"width": 1366, "height": 900})
    desktop.goto(article.get_absolute_url())
    expect(desktop.get_by_role("region", name="Promotion Talk to our nurses")).to_be_visible()
    expect(desktop.get_by_role("region", name="Promotion Questions about radiotherapy?")).to_be_visible()


def test_on_a_wide_screen_the_asides_boxes_stay_in_view_while_the_reader_scrolls(open_page, article):
    paragraph = "<p>Ask your care team whether a shorter course of radiotherapy suits you, and what it would mean.</p>"
    Article.objects.filter(pk=article.pk).update(body_rendered=paragraph * 60)
    page = open_page(viewport={"width": 1366, "height": 900})
    page.goto(article.get_absolute_url())
    newsletter = page.get_by_role("region", name="Stay tuned for the latest research news")

    page.get_by_role("heading", name="References").scroll_into_view_if_needed()

    box = newsletter.bounding_box()
    assert page.evaluate("window.scrollY") > 2000  # far down a long article
    assert box["y"] >= 0 and bottom(box) <= 900
