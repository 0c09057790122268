"""Every reader page passes axe-core's checks (no violation of any impact) in a real browser."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts import services
from accounts.models import Favorite, Profile, User
from accounts.services import email_confirmation_link
from outbox.models import Email
from promotions.models import Promotion
from tests.factories import PromotionFactory, ResearchFactsFactory, StudyDrugFactory

from .test_reader_journeys import favorite_button

PHONE = {"width": 390, "height": 844}
STATIC_CHECK_MS = 2_000  # for what a loaded page shows without any script changing it

axe = Axe()


def violations_on(page, rules_off=()):
    """axe-core's violations of its default rules (less those in `rules_off`), whatever their impact: a minor
    problem still stops some reader."""
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in rules_off}}
    return axe.run(page, options=options).response["violations"]


# Staff pages are checked for the violations that stop someone working: the Django admin's own markup
# has minor findings of its own that are not ours to change.
STAFF_BLOCKING_IMPACTS = {"serious", "critical"}


def staff_blocking_violations(page):
    return [violation for violation in violations_on(page) if violation["impact"] in STAFF_BLOCKING_IMPACTS]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:3]:
            lines.append("    " + " >>> ".join(str(part) for part in node["target"]))
        if len(violation["nodes"]) > 3:
            lines.append(f"    … and {len(violation['nodes']) - 3} more")
    return "\n".join(lines)


# How a reader reaches each page; each returns once the page is in the state to check.


def anonymous(path):
    def visit(page, article, reader, sign_in):
        page.goto(path)

    return visit


def article_page(page, article, reader, sign_in):
    page.goto(article.get_absolute_url())


def article_signed_in_after_voting_no(page, article, reader, sign_in):
    sign_in(page, reader.email)
    page.goto(article.get_absolute_url())
    helpful = page.get_by_role("region", name="Was this article helpful?")
    helpful.get_by_role("button", name="No", exact=True).click()
    expect(helpful.get_by_label("What could be better?")).to_be_visible()


def add_research_facts(article):
    facts = ResearchFactsFactory(article=article, every_fact=True)
    StudyDrugFactory(facts=facts, generic_name="trastuzumab", brand_names="Herceptin")


def article_with_research_facts(page, article, reader, sign_in):
    add_research_facts(article)
    page.goto(article.get_absolute_url())


def with_promotions(path=None):
    """Promotions in every slot (the sidebar one targeted at the article), so their markup is checked too."""

    def visit(page, article, reader, sign_in):
        PromotionFactory(placement=Promotion.Placement.HOME, headline="The month's research news, in one email")
        PromotionFactory(
            placement=Promotion.Placement.ARTICLE_SIDEBAR,
            headline="Questions about radiotherapy?",
            target_tags=["radiotherapy"],
        )
        PromotionFactory(placement=Promotion.Placement.BELOW_ARTICLE, headline="Talk to our nurses")
        page.goto(path or article.get_absolute_url())
        expect(page.get_by_role("region", name=re.compile("^Promotion ")).first).to_be_visible()

    return visit


def sign_in_after_failure(page, article, reader, sign_in):
    sign_in(page, reader.email, "not-the-password", expect_success=False)


def join_after_invalid_submission(page, article, reader, sign_in):
    page.goto("/accounts/join/")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()


def sign_in_link_sent(page, article, reader, sign_in):
    page.goto("/accounts/sign-in/email-link/")
    page.get_by_label("Email address").fill(reader.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()


def sign_in_link_opened(page, article, reader, sign_in):
    services.sign_in_link_send(email=reader.email, base_url="http://testserver/")
    [path] = re.findall(r"/accounts/sign-in/link/\S+", Email.objects.latest("pk").body)
    page.goto(path)


def join_then_check_email(page, article, reader, sign_in):
    page.goto("/accounts/join/")
    page.get_by_label("Email address").fill("sam.new-reader@example.org")
    page.get_by_label("Password").fill("Lighthouse-tea-42")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("heading", name="Check your email to continue")).to_be_visible()


def finish_joining_in_another_browser(page, article, reader, sign_in):
    joining = User.objects.create_user(email="sam.new@example.org", password="Lighthouse-tea-42", is_active=False)
    page.goto(email_confirmation_link(user=joining, base_url="/"))
    expect(page.get_by_role("heading", name="Finish joining")).to_be_visible()


def signed_in(path, *, saved=False):
    def visit(page, article, reader, sign_in):
        if saved:
            Favorite.objects.create(user=reader, article=article)
        sign_in(page, reader.email)
        page.goto(path)

    return visit


def personalised(path):
    """A reader who turned recommendations on and saved the article."""

    def visit(page, article, reader, sign_in):
        Profile.objects.update_or_create(user=reader, defaults={"personalisation": True})
        Favorite.objects.create(user=reader, article=article)
        sign_in(page, reader.email)
        page.goto(path)

    return visit


READER_PAGES = {
    "home": anonymous("/"),
    "home with a promotion": with_promotions("/"),
    "latest articles": anonymous("/articles/"),
    "section": anonymous("/sections/treatment/"),
    "tag": anonymous("/tags/radiotherapy/"),
    "search with results": anonymous("/search/?q=radiotherapy"),
    "search without a query": anonymous("/search/"),
    "article": article_page,
    "article with research facts": article_with_research_facts,
    "article with promotions": with_promotions(),
    "article, signed in, after voting No": article_signed_in_after_voting_no,
    "about": anonymous("/about/"),
    "privacy": anonymous("/privacy/"),
    "sign in": anonymous("/accounts/sign-in/"),
    "sign in after a failed attempt": sign_in_after_failure,
    "join": anonymous("/accounts/join/"),
    "join after an invalid submission": join_after_invalid_submission,
    "join, check your email": join_then_check_email,
    "finish joining in another browser": finish_joining_in_another_browser,
    "newsletter": anonymous("/accounts/newsletter/"),
    "password reset": anonymous("/accounts/password/reset/"),
    "email me a sign-in link": anonymous("/accounts/sign-in/email-link/"),
    "sign-in link sent": sign_in_link_sent,
    "sign-in link opened": sign_in_link_opened,
    "editors' site, for a reader": signed_in("/admin/"),
    "page not found": anonymous("/articles/no-such-article/"),
    "profile, welcome": signed_in("/accounts/profile/?welcome=1"),
    "favorites, empty": signed_in("/accounts/favorites/"),
    "favorites, with an article": signed_in("/accounts/favorites/", saved=True),
    "delete account": signed_in("/accounts/delete/"),
    "recommendations, anonymous": anonymous("/recommended/"),
    "how recommendations work": anonymous("/recommended/how-it-works/"),
    "recommendations, personalised": personalised("/recommended/"),
    "home, personalised": personalised("/"),
    "recommendations survey": personalised("/recommended/survey/"),
}


@pytest.mark.parametrize("visit", READER_PAGES.values(), ids=READER_PAGES.keys())
def test_reader_page_has_no_accessibility_violations(page, article, reader, sign_in, visit):
    visit(page, article, reader, sign_in)

    violations = violations_on(page)

    assert not violations, f"axe found problems on {page.url}:\n{describe(violations)}"


# The pages that between them use every colour pair of site.css: boxes, promotions, badges, search matches,
# errors, buttons pressed and not.
DARK_SCHEME_PAGES = {
    name: READER_PAGES[name]
    for name in (
        "home with a promotion",
        "article with research facts",
        "article with promotions",
        "article, signed in, after voting No",
        "search with results",
        "sign in after a failed attempt",
        "favorites, with an article",
        "recommendations, personalised",
    )
}


@pytest.mark.parametrize("visit", DARK_SCHEME_PAGES.values(), ids=DARK_SCHEME_PAGES.keys())
def test_reader_page_in_the_dark_colour_scheme_has_no_accessibility_violations(page, article, reader, sign_in, visit):
    page.emulate_media(color_scheme="dark")
    visit(page, article, reader, sign_in)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(int(part) for part in re.findall(r"\d+", background)[:3]) < 3 * 64, background  # the dark scheme

    violations = violations_on(page)

    assert not violations, f"axe found problems on {page.url}:\n{describe(violations)}"


def test_save_as_favorite_says_what_pressing_does_and_the_star_is_not_read_out(page, article, reader, sign_in):
    # The label says what pressing does, Save as Favorite or Remove from favorites; the ☆/★ drawn before it is
    # decoration, and must not become part of what a screen reader announces.
    Favorite.objects.create(user=reader, article=article)
    sign_in(page, reader.email)
    page.goto(article.get_absolute_url())

    saved_button = favorite_button(page, article, saved=True)
    expect(saved_button).to_have_accessible_name("Remove from favorites", timeout=STATIC_CHECK_MS)
    expect(saved_button).not_to_have_attribute("aria-pressed", re.compile("."))

    related = page.get_by_role("region", name="Related articles")
    card_button = related.get_by_role("button", name=re.compile("Save as Favorite"))
    expect(card_button).to_have_accessible_name(
        re.compile(r"^Save as Favorite ?: Exercise during chemotherapy"), timeout=STATIC_CHECK_MS
    )


@pytest.mark.parametrize("with_research_facts", [False, True], ids=["plain", "with research facts"])
def test_article_page_fits_a_phone_screen_without_sideways_scrolling(open_page, article, with_research_facts):
    if with_research_facts:
        add_research_facts(article)
    page = open_page(viewport=PHONE)
    page.goto(article.get_absolute_url())

    widths = page.evaluate("({scroll: document.documentElement.scrollWidth, window: window.innerWidth})")

    assert widths["scroll"] <= widths["window"], (
        f"The page is {widths['scroll']}px wide on a {widths['window']}px screen"
    )


# The pages whose layout changes most on a phone: the header folded into its menu, the study card before the
# summary, the aside after the article, one column of cards.
PHONE_PAGES = {
    name: READER_PAGES[name]
    for name in (
        "home with a promotion",
        "article with research facts",
        "article with promotions",
        "search with results",
        "recommendations, personalised",
    )
}


@pytest.mark.parametrize("visit", PHONE_PAGES.values(), ids=PHONE_PAGES.keys())
@pytest.mark.parametrize("menu", ["menu closed", "menu open"])
def test_reader_page_on_a_phone_has_no_accessibility_violations(page, article, reader, sign_in, visit, menu):
    page.set_viewport_size(PHONE)
    visit(page, article, reader, sign_in)
    toggle = page.locator(".site-menu__toggle")
    expect(toggle).to_be_visible()
    if menu == "menu open":
        toggle.click()
        expect(page.get_by_role("navigation", name="Sections")).to_be_visible()

    violations = violations_on(page)

    assert not violations, f"axe found problems on {page.url} at phone width ({menu}):\n{describe(violations)}"
