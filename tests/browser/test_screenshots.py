"""Screenshots of the pages readers see most, at a phone's width and a desktop's, kept as test artefacts so a
change in how the site looks is seen in review.

They land in artifacts/screenshots/ (git-ignored), or in the folder SCREENSHOT_DIR names, one full-page PNG
per page and width: home-phone.png, article-desktop.png... Each run replaces the last run's.
"""

import os
import struct
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Favorite, Profile
from recommendations.similarity import rebuild_content_neighbours
from recommendations.sources import rebuild_popularity
from tests.factories import ArticleFactory, ResearchFactsFactory, StudyDrugFactory

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR") or REPO_ROOT / "artifacts" / "screenshots")
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A page of text and boxes comes to tens of kilobytes; a blank or failed one to a few.
SMALLEST_PNG_BYTES = 15_000


def more_research_on_radiotherapy(article):
    """Articles on the same topics as `article`, so that lists and recommendations are full."""
    for title in (
        "Skin care during radiotherapy: what the evidence says",
        "Radiotherapy to the lymph nodes lowers the chance of cancer coming back",
        "Tiredness after radiotherapy usually fades within months",
    ):
        ArticleFactory(title=title, section=article.section, tags=["radiotherapy", "side effects"])


def home(page, article, reader, sign_in):
    more_research_on_radiotherapy(article)
    page.goto("/")


def article_about_a_study(page, article, reader, sign_in):
    facts = ResearchFactsFactory(article=article, every_fact=True)
    StudyDrugFactory(facts=facts, generic_name="trastuzumab", brand_names="Herceptin")
    page.goto(article.get_absolute_url())
    expect(page.get_by_role("heading", name="About this study")).to_be_visible()


def recommendations(page, article, reader, sign_in):
    """A signed-in reader who turned recommendations on and saved the article."""
    more_research_on_radiotherapy(article)
    Profile.objects.update_or_create(user=reader, defaults={"personalisation": True})
    Favorite.objects.create(user=reader, article=article)
    rebuild_content_neighbours()
    rebuild_popularity()
    sign_in(page, reader.email)
    page.goto("/recommended/")
    expect(page.locator("[data-recommendation]").first).to_be_visible()


PAGES = {"home": home, "article": article_about_a_study, "recommendations": recommendations}


def png_size(path):
    """(width, height) from a PNG's header chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("width", WIDTHS, ids=WIDTHS)
@pytest.mark.parametrize("name", PAGES, ids=PAGES)
def test_page_is_saved_as_a_full_page_screenshot(open_page, article, reader, sign_in, name, width):
    viewport = WIDTHS[width]
    page = open_page(viewport=viewport)
    PAGES[name](page, article, reader, sign_in)
    path = SCREENSHOT_DIR / f"{name}-{width}.png"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)

    page.screenshot(path=path, full_page=True)

    shot_width, shot_height = png_size(path)
    assert shot_width == viewport["width"]
    assert shot_height >= viewport["height"]
    assert path.stat().st_size >= SMALLEST_PNG_BYTES, f"{path} is only {path.stat().st_size} bytes"
