"""The desk's whole journey in a real browser (issue 9, "done when"): a writer, a medical reviewer and an
editor, each in a browser of their own, take a research article from draft to scheduled without typing
HTML; once it is live, a change to its medical content goes through review while readers keep seeing the
approved text, and they see the new text only once it is published."""

import re
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, ArticleTransition
from tests.factories import ArticleFactory, ImageFactory, PersonFactory, SectionFactory, UserFactory

from .conftest import PASSWORD

TITLE = "Adding pembrolizumab to chemotherapy helps more women with triple-negative breast cancer"
FIRST_PARAGRAPH = "Women in the trial were followed for five years."
ADDED_SENTENCE = " Fewer of them had the cancer come back."
ON_THE_SITE = "Exercise during chemotherapy eases tiredness"


@pytest.fixture
def newsroom(editorial_groups):
    """The staff, the section, the medical reviewer's byline and the image library the journey needs."""
    section = SectionFactory(name="Research news", slug="research-news")
    ArticleFactory(title=ON_THE_SITE, section=section, publish_at=timezone.now() - timedelta(days=1))
    PersonFactory(name="Grace Okafor", slug="grace-okafor", credentials="MD, FRCR")
    ImageFactory(alt_text="A nurse talking with a patient", credit="Photo: Newsroom")
    scan = ImageFactory(alt_text="A doctor pointing at a breast scan on a screen", credit="Photo: Royal Marsden")
    staff = {
        role: UserFactory(email=f"{role}@example.org", first_name=role.title(), is_staff=True,
                          groups=[Group.objects.get(name=group)])
        for role, group in (("writer", "Writers"), ("reviewer", "Medical reviewers"), ("editor", "Editors"))
    }  # fmt: skip
    return staff, scan


def sign_in(page, user):
    """Through the admin's sign-in address, which leads to the site's sign-in page, then the dashboard."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()


def save(page, name="Save"):
    page.get_by_role("button", name=name, exact=True).first.click()


def expect_success(page, text):
    """The page says, as a success, `text` (among its other messages)."""
    expect(page.locator(".messagelist .success", has_text=text)).to_have_count(1)
    expect(page.locator(".errorlist, .messagelist .error")).to_have_count(0)


def write_body(page):
    """A sub-heading, a paragraph, a list and a figure from the library, typed as a writer does."""
    editor = page.locator(".ProseMirror[contenteditable]")
    editor.click()
    page.keyboard.type("## What the trial found")
    page.keyboard.press("Enter")
    page.keyboard.type(FIRST_PARAGRAPH)
    page.keyboard.press("Enter")
    page.keyboard.type("- Pembrolizumab was given with chemotherapy before surgery")
    page.keyboard.press("Enter")
    page.keyboard.type("Then on its own for up to a year")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")

    page.get_by_role("button", name="figure").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Choose from the library").click()
    dialog.get_by_role("searchbox", name="Search the image library").press_sequentially("scan")
    choice = dialog.get_by_role("button", name=re.compile("breast scan"))
    expect(choice).to_contain_text("Photo: Royal Marsden")
    choice.click()
    expect(dialog.get_by_label("Alt text")).to_have_value("A doctor pointing at a breast scan on a screen")
    dialog.get_by_label("Caption").fill("Scans showed fewer cancers coming back.")
    dialog.get_by_role("button", name="Insert").click()
    expect(dialog).to_be_hidden()
    expect(editor.locator("figure img")).to_have_count(1)


def fill_research_facts(page):
    facts = page.locator("#research_facts-0")  # the inline's form, not its hidden template
    facts.get_by_label("Study type:").select_option(label="Randomised controlled trial")
    facts.get_by_label("Phase:").select_option(label="Phase 3")
    facts.get_by_label("Number of participants:").fill("1174")
    drugs = facts.get_by_label("Drugs studied:")
    drugs.click()
    page.keyboard.type("pembrolizumab (Keytruda)")
    page.keyboard.press("Enter")
    page.keyboard.type("carboplatin")


def fill_references(page):
    page.locator('[name="references-0-citation"]').fill(
        "Schmid P, et al. Overall survival with pembrolizumab in early-stage triple-negative breast cancer. "
        "N Engl J Med. 2024;391:1981-91."
    )
    page.locator('[name="references-0-url"]').fill("https://doi.org/10.1056/NEJMoa2409932")
    page.get_by_text("Add another Reference").click()
    page.locator('[name="references-1-citation"]').fill(
        "Schmid P, et al. Event-free survival with pembrolizumab in early triple-negative breast cancer. "
        "N Engl J Med. 2022;386:556-67."
    )


def choose_medical_reviewer(page, name):
    """The medical reviewer field is the admin's autocomplete (select2); `name` is one word of it."""
    page.locator(".field-medical_reviewer .select2-selection").click()
    # Choose only once the results for the typed name are in: earlier ones are replaced as they arrive.
    with page.expect_response(
        lambda response: "/admin/autocomplete/" in response.url and f"term={name}" in response.url
    ):
        page.locator(".select2-search__field").fill(name)
    page.get_by_role("option", name=re.compile(name)).click()
    expect(page.locator("#select2-id_medical_reviewer-container")).to_contain_text(name)


def open_from_dashboard(page, title):
    page.goto("/admin/")
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_label("Status:")).to_be_visible()


def reader_sees(page, slug):
    """The article page as an anonymous reader gets it: (status code, text of the body). A browser keeps a page
    it read for a minute (its Cache-Control), as it may; reloading asks the server again."""
    page.goto(f"/articles/{slug}/")
    response = page.reload()
    if response.status != 200:
        return response.status, ""
    return response.status, page.locator(".article__body").inner_text()


def test_a_research_article_goes_from_draft_to_scheduled_and_its_changes_through_review(open_page, newsroom):
    staff, scan = newsroom
    writer, reviewer, editor, reader = open_page(), open_page(), open_page(), open_page()
    sign_in(writer, staff["writer"])
    sign_in(reviewer, staff["reviewer"])
    sign_in(editor, staff["editor"])

    # The writer creates the article and submits it for review.
    writer.get_by_role("link", name="New article").click()
    writer.get_by_label("Title:").fill(TITLE)
    writer.get_by_label("Section:").select_option(label="Research news")
    writer.get_by_label("Summary:").fill(
        "Women who had pembrolizumab with chemotherapy before surgery lived longer. The benefit lasted."
    )
    write_body(writer)
    fill_research_facts(writer)
    fill_references(writer)
    writer.get_by_label("Status:").select_option(label="Submit for review")
    save(writer)
    expect_success(writer, "was added successfully")
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.IN_REVIEW
    assert re.fullmatch(
        r"<h2>What the trial found</h2>"
        rf"<p>{FIRST_PARAGRAPH}</p>"
        r"<ul><li>Pembrolizumab was given with chemotherapy before surgery</li>"
        r"<li>Then on its own for up to a year</li></ul>"
        rf'<figure><img src="{re.escape(scan.url)}" alt="A doctor pointing at a breast scan on a screen">'
        r"<figcaption>Scans showed fewer cancers coming back.</figcaption></figure>(<p></p>)?",
        article.body,
    ), article.body
    assert article.references.count() == 2

    # The medical reviewer names themselves and approves.
    open_from_dashboard(reviewer, TITLE)
    choose_medical_reviewer(reviewer, "Okafor")
    reviewer.get_by_label("Status:").select_option(label="Approve the medical content")
    save(reviewer)
    expect_success(reviewer, f"Approved “{TITLE}”.")

    # The editor schedules it for tomorrow morning.
    open_from_dashboard(editor, TITLE)
    tomorrow = timezone.localdate() + timedelta(days=1)
    editor.locator("#id_publish_at_0").fill(tomorrow.isoformat())
    editor.locator("#id_publish_at_1").fill("09:00:00")
    editor.get_by_label("Status:").select_option(label="Publish (a future publish date schedules it)")
    with editor.expect_request(lambda request: request.method == "POST" and request.is_navigation_request()) as sent:
        save(editor)
    # The browser sends the drugs box with CRLF line endings, as it sends every textarea.
    assert parse_qs(sent.value.post_data)["research_facts-0-drugs"] == ["pembrolizumab (Keytruda)\r\ncarboplatin"]
    year = "" if tomorrow.year == timezone.localdate().year else f" {tomorrow.year}"
    expect_success(
        editor, f"Scheduled “{TITLE}” for {tomorrow.day} {tomorrow:%B}{year}, 09:00: readers see it from then."
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.is_scheduled
    assert list(article.research_facts.drugs.values_list("generic_name", "brand_names")) == [
        ("pembrolizumab", "Keytruda"),
        ("carboplatin", ""),
    ]
    assert not ArticleTransition.objects.filter(article=article, comment__contains="changed after approval").exists()

    # Readers do not see it before its time.
    assert reader_sees(reader, article.slug) == (404, "")
    reader.goto("/")
    expect(reader.locator("main")).to_contain_text(ON_THE_SITE)
    expect(reader.locator("main")).not_to_contain_text(TITLE)

    # Its time comes.
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    status, body = reader_sees(reader, article.slug)
    assert status == 200 and FIRST_PARAGRAPH in body
    expect(reader.locator(".article__body figure img")).to_have_attribute("srcset", re.compile(r"\b480w\b"))

    # The editor changes the medical content of the live article: readers keep the approved text.
    editor.goto(reverse("admin:articles_article_change", args=[article.pk]))
    editor.get_by_role("button", name="Change the medical content").click()
    expect(editor.get_by_role("heading", name="Changes awaiting review")).to_be_visible()
    changes_url = editor.url
    editor.locator(".ProseMirror p", has_text=FIRST_PARAGRAPH).click()
    editor.keyboard.press("End")
    editor.keyboard.type(ADDED_SENTENCE)
    editor.get_by_label("Status:").select_option(label="Submit for review")
    save(editor)
    expect_success(editor, "Sent")
    status, body = reader_sees(reader, article.slug)
    assert status == 200 and FIRST_PARAGRAPH in body and ADDED_SENTENCE.strip() not in body

    # The medical reviewer approves the changes.
    reviewer.goto(changes_url)
    expect(reviewer.locator(".ProseMirror[contenteditable]")).to_contain_text(ADDED_SENTENCE.strip())
    reviewer.get_by_label("Status:").select_option(label="Approve the medical content")
    save(reviewer)
    expect_success(reviewer, "Approved")
    assert ADDED_SENTENCE.strip() not in reader_sees(reader, article.slug)[1]

    # The editor publishes them, and readers see the new text.
    editor.goto(changes_url)
    editor.get_by_label("Status:").select_option(label="Publish (a future publish date schedules it)")
    save(editor)
    expect_success(editor, f"The reviewed changes are now part of “{TITLE}”.")
    status, body = reader_sees(reader, article.slug)
    assert status == 200 and f"{FIRST_PARAGRAPH}{ADDED_SENTENCE}" in body
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert not Article.objects.filter(changes_for=article).exists()
    assert article.research_facts.drugs.count() == 2
