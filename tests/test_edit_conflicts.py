"""No lost edits in the article admin: a save over a newer version is refused (saying who changed
what since, and keeping what the user typed), colleagues see who else has an article open, and each
user's unsaved work is autosaved privately."""

import json
import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import editing, services
from articles.admin_editing import ArticleEditingMixin
from articles.models import Article, ArticleRevision, AutosavedDraft, EditingPresence

from .factories import ArticleFactory, UserFactory
from .helpers import article_form, count_queries, form_fields, page, text_of

REFUSED = "Your changes were not saved: someone else saved this article after you opened it."


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def presence_url(article):
    return reverse("admin:articles_article_presence", args=[article.pk])


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def discard_url(article):
    return reverse("admin:articles_article_autosave_discard", args=[article.pk])


def staff(email, group="Editors", **names):
    return UserFactory(email=email, is_staff=True, groups=[Group.objects.get(name=group)], **names)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def local_clock(moment):
    return timezone.localtime(moment).strftime("%H:%M")


@pytest.fixture
def dr_reviewer(db):
    return staff("a.reviewer@example.org", "Medical reviewers", first_name="Dr A.", last_name="Reviewer")


@pytest.fixture
def colleague(db):
    return staff("colleague@example.org", first_name="Sam", last_name="Patel")


def saved_article(**fields):
    """An article being worked on, as the admin leaves it: with its first revision, so later ones list
    what changed. (A published article's medical content is edited through its changes awaiting review.)"""
    fields.setdefault("draft", True)
    article = ArticleFactory(**fields)
    services.record_revision(article=article)
    return article


def refused_text(response):
    assert response.status_code == 200, "the save should have been refused with the form shown again"
    return text_of(page(response))


# --- The version --------------------------------------------------------------------------------


def test_every_save_of_an_article_raises_its_version(editor):
    article = ArticleFactory(draft=True)
    assert article.version == 1

    article.title = "A new title"
    article.save()
    services.article_transition(article=article, to_status=Article.Status.IN_REVIEW, by=editor)

    article.refresh_from_db()
    assert article.version == 3


def test_archiving_and_restoring_in_bulk_raise_the_version_but_glossary_refreshes_do_not(editor):
    article = ArticleFactory(draft=True, body="<p>Tamoxifen helps.</p>")

    services.article_archive(articles=Article.objects.filter(pk=article.pk), by=editor)
    services.article_unarchive(articles=Article.objects.filter(pk=article.pk), by=editor)
    services.forget_rendered_bodies(names=["Tamoxifen"])

    article.refresh_from_db()
    assert article.body_rendered == ""  # the glossary refresh did touch the row
    assert article.version == 3


def test_the_change_form_carries_the_version_it_was_opened_at(editor_client):
    article = ArticleFactory(draft=True)
    article.save()

    data, _ = article_form(editor_client, change_url(article))

    assert data["version"] == "2"
    assert data["opened_at"]


# --- Two saves from forms opened at the same version ----------------------------------------------


def test_the_second_of_two_saves_from_the_same_version_is_refused_and_the_first_is_kept(dr_reviewer, colleague):
    article = saved_article(title="Old title", summary="Old summary.")
    first, second = client_for(dr_reviewer), client_for(colleague)
    first_form, _ = article_form(first, change_url(article))
    second_form, _ = article_form(second, change_url(article))
    assert first_form["version"] == second_form["version"]

    first_form["title"] = "The reviewer's title"
    assert first.post(change_url(article), first_form).status_code == 302
    second_form.update({"summary": "The colleague's summary.", "references-0-citation": "A new reference, 2025."})
    response = second.post(change_url(article), second_form)

    text = refused_text(response)
    article.refresh_from_db()
    assert (article.title, article.summary) == ("The reviewer's title", "Old summary.")
    assert not article.references.exists()
    assert REFUSED in text
    saved = ArticleRevision.objects.get(article=article, number=2)
    assert f"Dr A. Reviewer saved it at {local_clock(saved.created_at)}, changing the title." in text


def test_a_refused_form_keeps_everything_the_user_typed_inlines_included(dr_reviewer, colleague):
    article = ArticleFactory(draft=True)
    first, second = client_for(dr_reviewer), client_for(colleague)
    first_form, _ = article_form(first, change_url(article))
    second_form, _ = article_form(second, change_url(article))
    first.post(change_url(article), {**first_form, "title": "The reviewer's title"})

    typed = {
        "summary": "The colleague's summary.",
        "body": "<p>The colleague's\r\nbody.</p>",
        "references-0-citation": "A new reference, 2025.",
        "research_facts-0-what_it_means": "Nothing changes yet.",
    }
    response = second.post(change_url(article), {**second_form, **typed})

    shown, _ = form_fields(page(response), "article_form")
    assert REFUSED in refused_text(response)
    for name, value in typed.items():
        assert [text.replace("\r\n", "\n") for text in shown[name]] == [value.replace("\r\n", "\n")], name
    assert shown["title"] == [article.title]  # what the colleague's form had, not the reviewer's title


def test_a_status_move_made_in_between_counts_too(editor, colleague):
    article = ArticleFactory(draft=True, summary="Old summary.")
    client = client_for(colleague)
    data, _ = article_form(client, change_url(article))
    services.article_transition(article=article, to_status=Article.Status.IN_REVIEW, by=editor)
    move = article.transitions.get()

    response = client.post(change_url(article), {**data, "summary": "Edited meanwhile."})

    text = refused_text(response)
    article.refresh_from_db()
    assert (article.status, article.summary) == (Article.Status.IN_REVIEW, "Old summary.")
    assert f"editor@example.org moved it from Draft to In review at {local_clock(move.created_at)}." in text
    # The status list shows the article's status now, not a move back to draft.
    shown, _ = form_fields(page(response), "article_form")
    assert shown["status"] == [Article.Status.IN_REVIEW]


def test_saving_again_after_a_refusal_saves_what_the_user_sees(dr_reviewer, colleague):
    article = ArticleFactory(draft=True)
    first, second = client_for(dr_reviewer), client_for(colleague)
    first_form, _ = article_form(first, change_url(article))
    second_form, _ = article_form(second, change_url(article))
    first.post(change_url(article), {**first_form, "title": "The reviewer's title"})
    refused = second.post(change_url(article), {**second_form, "summary": "The colleague's summary."})
    shown, _ = form_fields(page(refused), "article_form")

    response = second.post(change_url(article), shown)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.summary == "The colleague's summary."


def test_a_save_arriving_during_another_waits_for_it_and_is_then_refused(editorial_groups, colleague):
    article = saved_article(title="Old title")
    client = client_for(colleague)
    data, _ = article_form(client, change_url(article))
    locked, release, outcome = threading.Event(), threading.Event(), {}

    def save_meanwhile():
        with transaction.atomic():
            current = Article.objects.select_for_update().get(pk=article.pk)
            locked.set()
            release.wait(10)
            current.title = "Saved meanwhile"
            current.save()
        connection.close()

    def post_form():
        outcome["response"] = client.post(change_url(article), {**data, "summary": "Posted meanwhile."})
        connection.close()

    other = threading.Thread(target=save_meanwhile)
    other.start()
    assert locked.wait(10)
    poster = threading.Thread(target=post_form)
    poster.start()
    poster.join(1)
    waited = poster.is_alive()
    release.set()
    other.join(10)
    poster.join(10)

    assert waited, "the form's save should wait for the save in progress"
    assert REFUSED in refused_text(outcome["response"])
    article.refresh_from_db()
    assert (article.title, article.summary) == (
        "Saved meanwhile",
        "What the study found and what it means for readers.",
    )


def test_a_save_from_another_window_of_the_same_user_is_named_as_yours(editor_client):
    article = ArticleFactory(draft=True)
    window, _ = article_form(editor_client, change_url(article))
    other_window, _ = article_form(editor_client, change_url(article))
    editor_client.post(change_url(article), {**window, "title": "From the first window"})

    response = editor_client.post(change_url(article), {**other_window, "summary": "From the second."})

    assert "You (in another window) saved it at" in refused_text(response)


def test_a_change_that_keeps_no_revision_is_named_from_the_admin_log(colleague, editor):
    article = saved_article(is_featured=False)
    first, second = client_for(editor), client_for(colleague)
    first_form, _ = article_form(first, change_url(article))
    second_form, _ = article_form(second, change_url(article))
    first.post(change_url(article), {**first_form, "is_featured": "on"})
    assert article.revisions.count() == 1  # featuring is not a content change

    response = second.post(change_url(article), {**second_form, "summary": "Another summary."})

    assert "editor@example.org saved it at" in refused_text(response)
    assert "changed featured" in refused_text(response).lower()


def test_a_change_form_posted_without_its_version_is_refused_with_a_message(editor_client):
    article = ArticleFactory(draft=True, summary="Old summary.")
    data, _ = article_form(editor_client, change_url(article))
    del data["version"]

    response = editor_client.post(change_url(article), {**data, "summary": "Forged."})

    assert "did not say which version of the article it was opened at" in refused_text(response)
    article.refresh_from_db()
    assert article.summary == "Old summary."


def test_a_garbled_version_or_opening_time_gets_a_message_not_an_error(editor_client):
    article = ArticleFactory(draft=True)
    data, _ = article_form(editor_client, change_url(article))

    response = editor_client.post(change_url(article), {**data, "version": "v2; drop", "opened_at": "yesterday"})

    assert "did not say which version" in refused_text(response)


def test_the_add_form_is_not_checked_for_versions(editor_client, editor):
    data, _ = article_form(editor_client, reverse("admin:articles_article_add"))
    data.update(title="Brand new", slug="brand-new", summary="New.", body="<p>New.</p>")
    data["section"] = str(ArticleFactory(draft=True).section_id)

    response = editor_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302
    assert Article.objects.get(slug="brand-new").version == 1


# --- Presence -----------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """Presence expires after a minute without a heartbeat: hold the clock still, move it on demand."""
    now = SimpleNamespace(value=timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0))
    monkeypatch.setattr(editing, "timezone", SimpleNamespace(now=lambda: now.value))
    return now


def heartbeat(client, article, **data):
    response = client.post(presence_url(article), data)
    assert response.status_code == 200
    return response.json()


def test_a_heartbeat_lists_the_others_who_have_the_article_open(dr_reviewer, colleague, clock):
    article = ArticleFactory(draft=True)
    started = clock.value

    assert heartbeat(client_for(dr_reviewer), article)["others"] == []
    clock.value += timedelta(seconds=20)
    others = heartbeat(client_for(colleague), article)["others"]

    assert others == [
        {
            "name": "Dr A. Reviewer",
            "since": local_clock(started),
            "text": f"Dr A. Reviewer is editing this article (since {local_clock(started)})",
        }
    ]


def test_someone_without_a_full_name_is_named_by_email(colleague, editor, clock):
    article = ArticleFactory(draft=True)
    heartbeat(client_for(editor), article)

    assert heartbeat(client_for(colleague), article)["others"][0]["name"] == "editor@example.org"


def test_presence_is_one_row_per_person_and_article(colleague, clock):
    article = ArticleFactory(draft=True)
    client = client_for(colleague)

    for _ in range(3):
        heartbeat(client, article)
        clock.value += timedelta(seconds=25)

    assert EditingPresence.objects.filter(article=article).count() == 1


def test_presence_expires_sixty_seconds_after_the_last_heartbeat(dr_reviewer, colleague, clock):
    article = ArticleFactory(draft=True)
    heartbeat(client_for(dr_reviewer), article)
    last_heartbeat = clock.value
    watcher = client_for(colleague)

    clock.value = last_heartbeat + timedelta(seconds=59, microseconds=999_999)
    assert [other["name"] for other in heartbeat(watcher, article)["others"]] == ["Dr A. Reviewer"]
    clock.value = last_heartbeat + timedelta(seconds=60)
    assert heartbeat(watcher, article)["others"] == []


def test_coming_back_after_presence_expired_starts_a_new_since(dr_reviewer, colleague, clock):
    article = ArticleFactory(draft=True)
    reviewer = client_for(dr_reviewer)
    heartbeat(reviewer, article)
    clock.value += timedelta(minutes=30)
    back = clock.value

    heartbeat(reviewer, article)

    assert heartbeat(client_for(colleague), article)["others"][0]["since"] == local_clock(back)


def test_leaving_ends_presence_at_once(dr_reviewer, colleague, clock):
    article = ArticleFactory(draft=True)
    reviewer = client_for(dr_reviewer)
    heartbeat(reviewer, article)

    response = reviewer.post(presence_url(article), {"left": "1"})

    assert response.status_code == 204
    assert heartbeat(client_for(colleague), article)["others"] == []


def test_the_heartbeat_reply_says_the_version_saved_now(colleague):
    article = ArticleFactory(draft=True)
    article.save()

    assert heartbeat(client_for(colleague), article)["version"] == 2


def test_presence_needs_staff_who_may_view_the_article(client, reader, db):
    article = ArticleFactory(draft=True)
    no_articles = UserFactory(email="no-articles@example.org", is_staff=True)

    assert client_for(reader).post(presence_url(article)).status_code == 302  # to the admin's sign-in
    assert client_for(no_articles).post(presence_url(article)).status_code == 403
    assert not EditingPresence.objects.exists()


def test_presence_of_a_missing_article_is_not_found_and_reading_it_is_not_allowed(editor_client):
    article = ArticleFactory(draft=True)

    assert editor_client.post(reverse("admin:articles_article_presence", args=[article.pk + 1000])).status_code == 404
    assert editor_client.get(presence_url(article)).status_code == 405


def test_presence_is_csrf_protected(editor):
    article = ArticleFactory(draft=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    forged = client.post(presence_url(article))
    client.get(change_url(article))  # sets the CSRF cookie, as the form's page does
    token = client.cookies["csrftoken"].value
    genuine = client.post(presence_url(article), {"csrfmiddlewaretoken": token})

    assert forged.status_code == 403
    assert genuine.status_code == 200


# --- Autosave -----------------------------------------------------------------------------------

WORK = {
    "fields": [["title", "Unsaved title"], ["summary", "Unsaved summary."], ["references-0-citation", "A ref."]],
    "labels": [["medical_reviewer", "7", "Dr Grace Okafor"]],
    "opened": [["version", "1"], ["opened_at", "2026-12-01T10:00:00+00:00"]],
}


def autosave(client, article, payload=WORK):
    return client.post(autosave_url(article), json.dumps(payload), content_type="application/json")


def test_autosave_keeps_the_users_unsaved_fields_and_gives_them_back(colleague):
    article = ArticleFactory(draft=True)
    client = client_for(colleague)

    response = autosave(client, article)
    autosave(client, article, {**WORK, "fields": [["title", "Second try"]]})

    assert response.status_code == 200
    assert "autosaved at" in response.json()["text"]
    draft = AutosavedDraft.objects.get(user=colleague, article=article)
    assert draft.data == {**WORK, "fields": [["title", "Second try"]]}
    assert client.get(autosave_url(article)).json()["fields"] == [["title", "Second try"]]


def test_autosave_never_keeps_the_csrf_token(colleague):
    article = ArticleFactory(draft=True)

    autosave(client_for(colleague), article, {"fields": [["csrfmiddlewaretoken", "secret"], ["title", "T"]]})

    assert AutosavedDraft.objects.get().data["fields"] == [["title", "T"]]


def test_an_autosave_is_private_to_its_owner(colleague, editor):
    article = ArticleFactory(draft=True)
    autosave(client_for(colleague), article)
    other = client_for(editor)

    assert other.get(autosave_url(article)).status_code == 404
    assert other.post(discard_url(article)).status_code == 404
    assert "Restore your unsaved changes" not in page(other.get(change_url(article)))
    assert AutosavedDraft.objects.filter(user=colleague).exists()


def test_the_owner_can_discard_their_autosave(colleague):
    article = ArticleFactory(draft=True)
    client = client_for(colleague)
    autosave(client, article)

    assert client.post(discard_url(article)).status_code == 204
    assert not AutosavedDraft.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "An autosave is sent as JSON."),
        (json.dumps([1, 2]), "An autosave is an object"),
        (json.dumps({"fields": [["title"]]}), "The fields of an autosave must be a list of [name, value] pairs"),
        (json.dumps({"fields": [["title", 3]]}), "The fields of an autosave must be a list of [name, value] pairs"),
        (json.dumps({"fields": [], "labels": {"a": "b"}}), "The labels of an autosave must be a list of"),
        (json.dumps({"fields": [], "opened": [["status", "published"]]}), "notes only version and opened_at"),
        (json.dumps({"fields": [["title", "x"]] * 2001}), "at most 2000 fields"),
    ],
)
def test_a_bad_autosave_gets_a_clear_message(colleague, body, message):
    article = ArticleFactory(draft=True)

    response = client_for(colleague).post(autosave_url(article), body, content_type="application/json")

    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not AutosavedDraft.objects.exists()


def test_staff_who_may_only_view_cannot_autosave(db):
    article = ArticleFactory(draft=True)
    viewer = UserFactory(email="viewer@example.org", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))

    assert autosave(client_for(viewer), article).status_code == 403
    assert heartbeat(client_for(viewer), article)["others"] == []


def test_opening_the_form_offers_an_autosave_newer_than_the_last_save(colleague):
    article = ArticleFactory(draft=True)
    client = client_for(colleague)
    autosave(client, article)
    saved_at = AutosavedDraft.objects.get().saved_at

    content = page(client.get(change_url(article)))

    assert f"Restore your unsaved changes from {local_clock(saved_at)}?" in text_of(content)
    assert 'id="editing-autosave"' in content and "Unsaved summary." in content


def test_an_autosave_older_than_the_last_save_is_not_offered(colleague):
    article = ArticleFactory(draft=True)
    client = client_for(colleague)
    autosave(client, article)
    article.save()  # someone saved the article after the autosave

    assert "Restore your unsaved changes" not in page(client.get(change_url(article)))


def test_a_successful_save_deletes_the_users_autosave_only(colleague, editor):
    article = ArticleFactory(draft=True)
    client = client_for(colleague)
    autosave(client, article)
    autosave(client_for(editor), article)
    data, _ = article_form(client, change_url(article))

    assert client.post(change_url(article), {**data, "summary": "Saved for real."}).status_code == 302

    assert list(AutosavedDraft.objects.values_list("user", flat=True)) == [editor.pk]


def test_a_refused_save_keeps_the_autosave(colleague, editor):
    article = ArticleFactory(draft=True)
    client = client_for(colleague)
    data, _ = article_form(client, change_url(article))
    autosave(client, article)
    article.save()

    refused_text(client.post(change_url(article), {**data, "summary": "Too late."}))

    assert AutosavedDraft.objects.filter(user=colleague).exists()


def test_the_change_page_runs_the_same_queries_with_or_without_an_autosave(colleague):
    """Guards against the autosave offer costing more than its one lookup."""
    article = ArticleFactory(draft=True)
    client = client_for(colleague)
    count_queries(client, change_url(article))  # fill per-process caches first
    without = count_queries(client, change_url(article))
    autosave(client, article)

    assert count_queries(client, change_url(article)) == without


def test_the_change_form_names_its_urls_and_intervals_for_the_script(editor_client, monkeypatch):
    article = ArticleFactory(draft=True)
    monkeypatch.setattr(ArticleEditingMixin, "heartbeat_seconds", 2)

    content = page(editor_client.get(change_url(article)))

    assert f'data-presence-url="{presence_url(article)}"' in content
    assert f'data-autosave-url="{autosave_url(article)}"' in content
    assert 'data-heartbeat-seconds="2"' in content
    assert 'data-autosave-seconds="30"' in content
    assert "js/admin-editing.js" in content
