"""The revision compare page in a real browser: axe-core finds nothing serious, and what marks a change
is there for a screen reader, not only in colour."""

from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from articles import services
from tests.factories import ArticleFactory, ReferenceFactory, ResearchFactsFactory, StudyDrugFactory, UserFactory

from .conftest import PASSWORD
from .test_accessibility import describe, staff_blocking_violations


def test_compare_page_marks_changes_for_everyone_and_passes_axe(page, editorial_groups):
    editor = UserFactory(email="editor@example.org", is_staff=True, groups=[Group.objects.get(name="Editors")])
    article = ArticleFactory(
        body="<h2>Findings</h2><p>Median progression-free survival was 2.4 months with letrozole.</p>"
        "<ul><li>Hot flushes</li></ul>"
    )
    StudyDrugFactory(facts=ResearchFactsFactory(article=article, participants=1200), generic_name="letrozole")
    ReferenceFactory(article=article, citation="Smith J. Letrozole trial. Lancet 2024.")
    services.record_revision(article=article, author=editor)
    article.body = (
        "<h2>Findings</h2><p>The trial enrolled women whose cancer had spread.</p>"
        "<p>Median progression-free survival was 2.6 months with letrozole.</p><ul><li>Hot flushes</li></ul>"
    )
    article.save()
    article.references.update(citation="Smith J. Letrozole trial. Lancet 2025.")
    article.research_facts.participants = 1500
    article.research_facts.save()
    services.record_revision(article=article, author=editor)

    page.goto("/admin/login/")
    page.get_by_label("Email address").fill(editor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(reverse("admin:articles_article_compare", args=[article.pk]) + "?old=1&new=2")

    changed = page.locator(".content-diff__block--changed")
    expect(changed).to_contain_text("Changed paragraph")
    # The number's label is in the page's text, for screen readers, but not shown.
    expect(changed.locator(".diff-number").first).to_have_text("number: 2.4")
    assert changed.locator(".diff-number .visually-hidden").first.bounding_box()["width"] <= 1
    expect(page.locator(".content-diff__block--added")).to_contain_text("Added paragraph")
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('.content-diff__block--changed del'), '::before').content"
        )
        == '" [removed: "'
    )
    violations = staff_blocking_violations(page)
    assert not violations, f"axe found serious or critical problems on {page.url}:\n{describe(violations)}"
    page.screenshot(path="/tmp/revision_diff.png", full_page=True)

    page.get_by_role("link", name="HTML source").click()
    expect(page.locator(".content-diff__block--changed")).to_contain_text("<p>Median progression-free survival")
