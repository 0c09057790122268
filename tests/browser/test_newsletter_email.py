"""The research-news email on a phone: the editor's preview, in Chromium at 390 px, reads without sideways
scrolling, in type large enough, with its styles applied under the preview's own security policy."""

from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from newsletter.models import Issue, IssueArticle
from tests.factories import ArticleFactory, ResearchFactsFactory, UserFactory

from .test_accessibility import PHONE, describe, violations_on


def test_the_issue_preview_reads_well_at_phone_width(open_page, live_server, editorial_groups, tmp_path):
    from django.contrib.auth.models import Group

    editor = UserFactory(email="editor@example.org", is_staff=True, groups=[Group.objects.get(name="Editors")])
    issue = Issue.objects.create(
        subject="Research news, December",
        introduction="Three studies this month.\r\n\r\nThe first looks at exercise during chemotherapy.",
    )
    for number in range(3):
        article = ArticleFactory(
            title=f"A long headline about study number {number} that wraps onto several lines on a phone screen",
            summary="What the study found, and what it means for people living with breast cancer, in plain words.",
        )
        ResearchFactsFactory(article=article)
        IssueArticle.objects.create(issue=issue, article=article, position=number)
    client = Client()
    client.force_login(editor)
    page = open_page(viewport=PHONE)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip

    page.goto(reverse("admin:newsletter_issue_preview", args=[issue.pk]))

    expect(page.get_by_role("heading", name="Research news")).to_be_visible()
    expect(page.get_by_role("link", name="Unsubscribe")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    summary = page.get_by_text("What the study found").first
    assert float(summary.evaluate("element => getComputedStyle(element).fontSize").removesuffix("px")) >= 16
    # The inline styles applied: the preview's policy allows them (and nothing else).
    masthead = page.get_by_text(settings.SITE_NAME, exact=True).first
    assert masthead.evaluate("element => getComputedStyle(element).fontWeight") == "700"
    headline = page.get_by_role("link", name="A long headline about study number 0")
    assert headline.bounding_box()["y"] < PHONE["height"]
    # An email is shown inside a mail program's own page, which holds the landmarks: those two rules are
    # about a web page's structure, not an email's.
    violations = violations_on(page, rules_off=("region", "landmark-one-main"))
    assert not violations, describe(violations)
    page.screenshot(path=tmp_path / "newsletter-phone.png", full_page=True)
