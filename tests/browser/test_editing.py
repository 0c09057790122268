"""Editing an article in the admin with colleagues, in a real browser: a save over a newer version is
refused with what changed, a colleague with the article open is named, leaving unsaved changes asks
first, and unsaved work comes back after the tab was closed."""

import re
import threading
import time

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from articles import services
from articles.admin_editing import ArticleEditingMixin
from articles.models import Article, AutosavedDraft
from tests.browser.conftest import wait_until_the_database_is_quiet
from tests.factories import ArticleFactory, UserFactory


@pytest.fixture
def dr_reviewer(transactional_db):
    # Superusers: the editorial groups come from a data migration, which the browser tests' flushes remove.
    return UserFactory(
        email="a.reviewer@example.org", first_name="Dr A.", last_name="Reviewer", is_staff=True, is_superuser=True
    )


@pytest.fixture
def colleague(transactional_db):
    return UserFactory(email="colleague@example.org", first_name="Sam", last_name="Patel", is_staff=True,
                       is_superuser=True)  # fmt: skip


@pytest.fixture
def draft_article(section):
    article = ArticleFactory(
        draft=True, title="Radiotherapy in one week", summary="The first summary.", section=section, slug="one-week"
    )
    services.record_revision(article=article)  # as the admin keeps one: later revisions list what changed
    return article


@pytest.fixture
def staff_page(open_page, live_server):
    """A page in a new browser context, signed in to the admin as `user`."""

    def open_as(user):
        client = Client()
        client.force_login(user)
        page = open_page()
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        return page

    return open_as


@pytest.fixture
def quick(monkeypatch):
    """Heartbeats and autosaves every half second, so the tests need not wait half a minute."""
    monkeypatch.setattr(ArticleEditingMixin, "heartbeat_seconds", 0.5)
    monkeypatch.setattr(ArticleEditingMixin, "autosave_seconds", 0.5)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def save_button(page, name="Save"):
    return page.get_by_role("button", name=name, exact=True).first


def article_list_link(page):
    return page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Articles").last


def autosaved(text):
    """Wait until the signed-in user's autosave holds `text` (it is sent every half second)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if any(text in value for draft in AutosavedDraft.objects.all() for _, value in draft.data["fields"]):
            return
        time.sleep(0.1)
    raise AssertionError(f"no autosave holds {text!r}")


def type_into(field, text):
    """Click and type, as a person does (the browser asks before leaving only after real input)."""
    field.click()
    field.press("End")
    field.press_sequentially(text)


def test_a_save_over_a_colleagues_newer_save_is_refused_and_keeps_the_typing(
    staff_page, dr_reviewer, colleague, draft_article
):
    reviewer, other = staff_page(dr_reviewer), staff_page(colleague)
    reviewer.goto(change_url(draft_article))
    other.goto(change_url(draft_article))

    reviewer.get_by_label("Title:").fill("Radiotherapy in one week works as well as three")
    save_button(reviewer, "Save and continue editing").click()
    expect(reviewer.get_by_text("was changed successfully")).to_be_visible()
    type_into(other.get_by_label("Summary:"), " Added by the colleague.")
    save_button(other).click()

    expect(other.get_by_text("Your changes were not saved")).to_be_visible()
    expect(
        other.get_by_text(re.compile(r"Dr A\. Reviewer saved it at \d\d:\d\d, changing the title\."))
    ).to_be_visible()
    expect(other.get_by_label("Summary:")).to_have_value("The first summary. Added by the colleague.")
    draft_article.refresh_from_db()
    assert draft_article.title == "Radiotherapy in one week works as well as three"
    assert draft_article.summary == "The first summary."


def test_a_colleague_with_the_article_open_is_named_until_they_leave(
    staff_page, dr_reviewer, colleague, draft_article, quick
):
    reviewer, other = staff_page(dr_reviewer), staff_page(colleague)
    reviewer.goto(change_url(draft_article))
    expect(reviewer.locator("#editing-presence")).to_be_empty()

    other.goto(change_url(draft_article))

    notice = other.get_by_role("status").filter(has_text="is editing this article")
    expect(notice).to_have_text(re.compile(r"^Dr A\. Reviewer is editing this article \(since \d\d:\d\d\)$"))
    expect(reviewer.get_by_text(re.compile(r"Sam Patel is editing this article"))).to_be_visible()
    reviewer.goto(reverse("admin:articles_article_changelist"))
    expect(other.get_by_text("Dr A. Reviewer is editing this article")).to_have_count(0)


def test_leaving_a_form_with_unsaved_changes_asks_first_but_saving_does_not(staff_page, dr_reviewer, draft_article):
    page = staff_page(dr_reviewer)
    page.goto(change_url(draft_article))
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    article_list_link(page).click()  # nothing typed: no question
    expect(page).to_have_url(re.compile(r"/admin/articles/article/$"))
    page.go_back()
    type_into(page.get_by_label("Summary:"), " Not saved yet.")

    article_list_link(page).click()

    expect(page.get_by_label("Summary:")).to_have_value("The first summary. Not saved yet.")
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(change_url(draft_article))
    save_button(page).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    assert dialogs == ["beforeunload"]


def test_unsaved_work_comes_back_after_the_tab_was_closed(staff_page, dr_reviewer, draft_article, quick):
    page = staff_page(dr_reviewer)
    page.goto(change_url(draft_article))
    type_into(page.get_by_label("Summary:"), " Typed before the tab closed.")
    page.get_by_role("button", name="Add another Reference").click()
    page.locator("[name=references-1-citation]").fill("A second reference, 2025.")
    expect(page.get_by_text(re.compile(r"autosaved at \d\d:\d\d"))).to_be_visible()
    autosaved("Typed before the tab closed.")
    autosaved("A second reference, 2025.")
    context = page.context
    page.close()

    page = context.new_page()
    page.goto(change_url(draft_article))
    expect(page.get_by_label("Summary:")).to_have_value("The first summary.")
    question = page.get_by_role("group", name=re.compile(r"Restore your unsaved changes from \d\d:\d\d\?"))
    question.get_by_role("button", name="Restore").click()

    expect(question).to_be_hidden()
    expect(page.get_by_label("Summary:")).to_have_value("The first summary. Typed before the tab closed.")
    expect(page.locator("[name=references-1-citation]")).to_have_value("A second reference, 2025.")
    save_button(page).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    article = Article.objects.get(pk=draft_article.pk)
    assert article.summary == "The first summary. Typed before the tab closed."
    assert list(article.references.values_list("citation", flat=True)) == ["A second reference, 2025."]
    assert not AutosavedDraft.objects.exists()


def test_restored_work_is_checked_against_the_version_it_began_from(
    staff_page, dr_reviewer, colleague, draft_article, quick
):
    page = staff_page(dr_reviewer)
    page.goto(change_url(draft_article))
    draft_article.title = "Retitled by a colleague"
    draft_article.save()
    services.record_revision(article=draft_article, author=colleague)
    type_into(page.get_by_label("Summary:"), " Begun before the colleague saved.")
    autosaved("Begun before the colleague saved.")
    context = page.context
    page.close()

    page = context.new_page()
    page.goto(change_url(draft_article))
    page.get_by_role("button", name="Restore").click()
    save_button(page).click()

    expect(page.get_by_text(re.compile(r"Sam Patel saved it at \d\d:\d\d, changing the title\."))).to_be_visible()
    expect(page.get_by_label("Summary:")).to_have_value("The first summary. Begun before the colleague saved.")
    assert Article.objects.get(pk=draft_article.pk).title == "Retitled by a colleague"


def test_discarding_unsaved_work_removes_it(staff_page, dr_reviewer, draft_article, quick):
    page = staff_page(dr_reviewer)
    page.goto(change_url(draft_article))
    type_into(page.get_by_label("Summary:"), " To be thrown away.")
    autosaved("To be thrown away.")
    context = page.context
    page.close()

    page = context.new_page()
    page.goto(change_url(draft_article))
    page.get_by_role("button", name="Discard").click()

    expect(page.get_by_text("Your earlier unsaved changes were discarded.")).to_be_visible()
    expect(page.get_by_label("Summary:")).to_have_value("The first summary.")
    assert not AutosavedDraft.objects.exists()


def test_a_page_closed_at_the_end_of_a_test_lets_its_last_request_finish_before_the_flush(transactional_db):
    """What the browser fixtures wait for after closing the pages: a request the live server is still running
    is stood in for by another session's query, which must end before the wait does."""
    finished = []

    def request_still_running():
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(0.6)")
        finally:
            other.close()
        finished.append(time.monotonic())

    request = threading.Thread(target=request_still_running)
    request.start()
    time.sleep(0.1)
    wait_until_the_database_is_quiet()
    waited_until = time.monotonic()
    request.join()

    assert finished and finished[0] <= waited_until
