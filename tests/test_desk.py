"""The editors' desk: who created an article, messages that say what happened after a save or a bulk
action, and tags that only editors may create, rename, merge or delete."""

import importlib
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles import admin_messages, services
from articles.models import Article, ArticleRevision

from .factories import ArticleFactory, PersonFactory, SectionFactory
from .helpers import article_form, form_fields, page, text_of

S = Article.Status
CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")
# The admin's date and time boxes, in the newsroom's time: 3 December 2099, 09:00.
SCHEDULED_FORM = {"publish_at_0": "03/12/2099", "publish_at_1": "09:00:00"}


def signed_in(user):
    """A client of its own for `user`, for tests that need two people signed in at once."""
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def said(response):
    """The messages a response carries, as (text, level tag) pairs."""
    return [(str(message), message.level_tag) for message in response.context["messages"]]


def approved(**fields):
    return ArticleFactory(approved=True, medical_reviewer=PersonFactory(), **fields)


def new_article_data(client, **fields):
    data, _ = article_form(client, ADD)
    data.update(
        title="Walking after surgery",
        slug="walking-after-surgery",
        section=SectionFactory().pk,
        summary="A short summary.",
        body="<p>Body.</p>",
        status=S.DRAFT,
        **fields,
    )
    return data


# --- Who created an article --------------------------------------------------------------------


def test_an_article_added_in_the_admin_records_who_created_it(writer_client, writer, editor):
    editor_client = signed_in(editor)
    response = writer_client.post(ADD, new_article_data(writer_client))

    assert response.status_code == 302
    article = Article.objects.get(slug="walking-after-surgery")
    assert article.created_by == writer
    data, _ = article_form(editor_client, change_url(article))
    data["title"] = "Walking soon after surgery"
    editor_client.post(change_url(article), data)
    article.refresh_from_db()
    assert (article.title, article.created_by) == ("Walking soon after surgery", writer)


def test_migration_fills_created_by_from_the_first_revisions_author(writer, editor):
    article = ArticleFactory(created_by=None)
    ArticleRevision.objects.create(article=article, number=1, author=writer, content={})
    ArticleRevision.objects.create(article=article, number=2, author=editor, content={})
    without_revisions = ArticleFactory(created_by=None)
    migration = importlib.import_module("articles.migrations.0014_article_created_by")

    migration.fill_from_first_revisions(apps, None)

    article.refresh_from_db()
    without_revisions.refresh_from_db()
    assert article.created_by == writer
    assert without_revisions.created_by is None


# --- Messages after saving the form ------------------------------------------------------------


def test_publishing_in_the_form_says_published(editor_client):
    article = approved(title="Live now")
    data, _ = article_form(editor_client, change_url(article))
    data["status"] = S.PUBLISHED

    response = editor_client.post(change_url(article), data, follow=True)

    assert ("Published “Live now”: readers see it now.", "success") in said(response)
    assert not any("Scheduled" in text for text, _ in said(response))
    article.refresh_from_db()
    assert article.is_visible


def test_publishing_in_the_form_with_a_future_date_says_scheduled_and_when(editor_client):
    article = approved(title="Later")
    data, _ = article_form(editor_client, change_url(article))
    data.update(status=S.PUBLISHED, **SCHEDULED_FORM)

    response = editor_client.post(change_url(article), data, follow=True)

    assert ("Scheduled “Later” for 3 December 2099, 09:00: readers see it from then.", "success") in said(response)
    assert not any(text.startswith("Published") for text, _ in said(response))
    article.refresh_from_db()
    assert article.is_scheduled


def test_a_save_without_a_status_change_says_nothing_about_publishing(editor_client):
    article = approved(title="Unchanged")
    data, _ = article_form(editor_client, change_url(article))
    data["meta_description"] = "For link previews."

    response = editor_client.post(change_url(article), data, follow=True)

    assert [text for text, _ in said(response) if "Published" in text or "Scheduled" in text] == []


# --- Messages after a bulk action --------------------------------------------------------------


def run_action(client, action, articles):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [article.pk for article in articles], "index": 0},
        follow=True,
    )


def test_bulk_publishing_counts_published_and_scheduled_apart(editor_client):
    later = timezone.make_aware(datetime(2099, 12, 3, 9, 0))
    articles = [approved(), approved(), approved(publish_at=later)]

    response = run_action(editor_client, "publish_selected", articles)

    assert said(response) == [("Published 2 articles. Scheduled 1 for 3 December 2099, 09:00.", "success")]
    assert Article.objects.visible().count() == 2
    assert Article.objects.get(publish_at=later).is_scheduled


def test_bulk_publishing_only_scheduled_articles_says_scheduled(editor_client):
    later = timezone.make_aware(datetime(2099, 12, 3, 9, 0))

    response = run_action(editor_client, "publish_selected", [approved(publish_at=later)])

    assert said(response) == [("Scheduled 1 article for 3 December 2099, 09:00.", "success")]


def test_a_bulk_action_that_changed_nothing_is_a_warning(editor_client):
    draft = ArticleFactory(draft=True)

    response = run_action(editor_client, "publish_selected", [draft])

    assert said(response) == [
        ("No article was published or scheduled.", "warning"),
        ("1 article left as it was: Only articles approved by a medical reviewer can be published or scheduled.",
         "warning"),
    ]  # fmt: skip
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_restoring_nothing_from_the_archive_is_a_warning(editor_client):
    response = run_action(editor_client, "unarchive_selected", [ArticleFactory()])

    assert said(response) == [("No article was restored: none of the selected articles was archived.", "warning")]


def test_bulk_message_names_each_time_articles_were_scheduled_for():
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    first, second = datetime(2026, 12, 3, 9, 0, tzinfo=UTC), datetime(2027, 1, 4, 10, 30, tzinfo=UTC)
    outcome = services.BulkOutcome(changed=4, skipped={}, scheduled=(second, first, first))

    (message,) = admin_messages.after_bulk(to_status=S.PUBLISHED, outcome=outcome, now=now)

    assert message == (
        "Published 1 article. Scheduled 3 (2 for 3 December, 09:00 and 1 for 4 January 2027, 10:30).",
        messages.SUCCESS,
    )


def test_times_are_the_newsrooms_local_time(settings):
    summer = datetime(2027, 7, 3, 8, 0, tzinfo=UTC)
    now = datetime(2027, 3, 1, tzinfo=UTC)

    assert admin_messages.moment(summer, now=now) == "3 July, 09:00"  # Europe/London, summer time
    settings.TIME_ZONE = "America/New_York"
    assert admin_messages.moment(summer, now=now) == "3 July, 04:00"


# --- Tags --------------------------------------------------------------------------------------


@pytest.fixture
def tag(db):
    return Tag.objects.create(name="exercise", slug="exercise")


def tag_url(name, tag):
    return reverse(f"admin:taggit_tag_{name}", args=[tag.pk])


def test_only_editors_may_add_change_or_delete_tags(db):
    def tag_permissions(group):
        return set(
            Group.objects.get(name=group)
            .permissions.filter(content_type__app_label="taggit", codename__endswith="_tag")
            .values_list("codename", flat=True)
        )

    assert tag_permissions("Editors") == {"add_tag", "change_tag", "delete_tag", "view_tag"}
    assert tag_permissions("Writers") == tag_permissions("Medical reviewers") == {"view_tag"}


def test_a_writers_forged_rename_of_a_tag_is_refused(writer_client, editor, tag):
    editor_client = signed_in(editor)
    rename, _ = form_fields(page(editor_client.get(tag_url("change", tag))), "tag_form")
    rename["name"] = "exercise and movement"
    assert writer_client.get(tag_url("change", tag)).status_code == 200  # writers may still look

    refused = writer_client.post(tag_url("change", tag), rename)

    assert refused.status_code == 403
    tag.refresh_from_db()
    assert tag.name == "exercise"
    assert editor_client.post(tag_url("change", tag), rename).status_code == 302
    tag.refresh_from_db()
    assert tag.name == "exercise and movement"


def test_a_writers_forged_delete_of_a_tag_is_refused(writer_client, editor, tag):
    editor_client = signed_in(editor)
    refused = writer_client.post(tag_url("delete", tag), {"post": "yes"})

    assert refused.status_code == 403
    assert Tag.objects.filter(pk=tag.pk).exists()
    assert editor_client.post(tag_url("delete", tag), {"post": "yes"}).status_code == 302
    assert not Tag.objects.filter(pk=tag.pk).exists()


def test_a_writer_cannot_merge_tags(writer_client, tag):
    other = Tag.objects.create(name="activity", slug="activity")
    article = ArticleFactory(tags=[other])
    changelist = reverse("admin:taggit_tag_changelist")

    writer_client.post(changelist, {"action": "render_tag_form", "_selected_action": [tag.pk, other.pk], "index": 0})
    session = writer_client.session
    session["selected_tag_ids"] = f"{tag.pk},{other.pk}"  # as if the action had run
    session.save()
    merge = writer_client.post(reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "exercise"})

    assert merge.status_code == 403
    assert list(article.tags.names()) == ["activity"]


def test_the_merge_page_without_tags_chosen_sends_editors_back_to_the_list(editor_client, db):
    response = editor_client.post(reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "exercise"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:taggit_tag_changelist")
    assert ("Select the tags to merge in the list of tags first.", "warning") in said(response)


def test_a_writer_typing_a_new_tag_is_told_to_ask_an_editor(writer_client, tag):
    response = writer_client.post(ADD, new_article_data(writer_client, tags="Exercise, walking"))

    assert response.status_code == 200
    assert "“walking” is not an existing tag: ask an editor to add it." in text_of(page(response))
    assert not Tag.objects.filter(name__iexact="walking").exists()
    assert not Article.objects.exists()


def test_a_writer_may_choose_existing_tags_in_any_case(writer_client, tag):
    response = writer_client.post(ADD, new_article_data(writer_client, tags="Exercise"))

    assert response.status_code == 302
    assert list(Article.objects.get().tags.names()) == ["exercise"]
    assert Tag.objects.count() == 1


def test_an_editor_may_create_a_tag_by_typing_it(editor_client, tag):
    response = editor_client.post(ADD, new_article_data(editor_client, tags="exercise, walking"))

    assert response.status_code == 302
    assert sorted(Article.objects.get().tags.names()) == ["exercise", "walking"]


def test_a_writer_keeps_an_existing_articles_tags_when_editing_it(writer_client, writer, tag):
    article = ArticleFactory(draft=True, tags=[tag], created_by=writer)
    data, _ = article_form(writer_client, change_url(article))
    data["title"] = "A clearer headline"

    response = writer_client.post(change_url(article), data)

    assert response.status_code == 302
    assert list(article.tags.names()) == ["exercise"]
