"""Live articles stay as approved: a change to the medical content of a published or scheduled article,
by anyone and by any path, waits for review as the article's changes awaiting review, and readers keep
seeing the approved version until a medical reviewer approves the changes and an editor publishes them.

Each bug from the editors' desk issue is reproduced here as a browser sends it (CRLF textareas, the
writer's restore request) before the rule that fixes it is tested."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, visible_sql

from .factories import ArticleFactory, PersonFactory, ReferenceFactory, ResearchFactsFactory, StudyDrugFactory
from .helpers import article_form, page, text_of

pytestmark = pytest.mark.django_db

S = Article.Status
APPROVED_TEXT = "Median survival was 2.4 months longer"
CHANGED_TEXT = "Median survival was 2.6 months longer"
PUBLIC_SURFACES = ("/", "/articles/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml", "/search/?q=survival")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def post_form(client, article, **changes):
    """Submit the article's change form as a browser would (CRLF line endings), with `changes`."""
    data, _ = article_form(client, change_url(article))
    data.update(changes)
    return client.post(change_url(article), data)


@pytest.fixture
def live(editor):
    """A live research article with two drugs and a reference, approved by a named reviewer."""
    article = ArticleFactory(
        title="Trial finds longer survival",
        body=f"<p>{APPROVED_TEXT} with the new combination.</p>",
        medical_reviewer=PersonFactory(name="Dr A. Reviewer"),
        last_reviewed=timezone.localdate() - timedelta(days=3),
        tags=["trials"],
    )
    ReferenceFactory(article=article, citation="Approved trial report, 2025.")
    facts = ResearchFactsFactory(article=article, participants=480)
    StudyDrugFactory(facts=facts, generic_name="trastuzumab", brand_names="Herceptin")
    StudyDrugFactory(facts=facts, generic_name="pertuzumab", brand_names="Perjeta")
    services.record_revision(article=article, author=editor)
    return article


def readers_see_only_the_approved_text(article):
    reader = Client()
    detail = page(reader.get(article.get_absolute_url()))
    assert APPROVED_TEXT in detail and CHANGED_TEXT not in detail
    assert CHANGED_TEXT not in page(reader.get(article.get_absolute_url() + "?changes"))
    for url in PUBLIC_SURFACES:
        assert "2.6 months" not in page(reader.get(url)), url
    assert not Article.objects.visible().search('"2.6 months"').exists()
    assert list(Article.objects.visible()) == [article]


# --- The bugs, as a browser sends them -------------------------------------------------------------


def test_a_writers_restore_request_on_a_live_article_becomes_changes_awaiting_review(writer, editor):
    reviewed_on = timezone.localdate() - timedelta(days=3)
    article = ArticleFactory(draft=True, body=f"<p>{CHANGED_TEXT}.</p>")
    unreviewed = services.record_revision(article=article, author=writer)
    article.body, article.status, article.publish_at = f"<p>{APPROVED_TEXT}.</p>", S.PUBLISHED, timezone.now()
    article.medical_reviewer, article.last_reviewed = PersonFactory(), reviewed_on
    article.save()
    services.record_revision(article=article, author=editor)

    restore_url = reverse("admin:articles_article_restore", args=[article.pk, unreviewed.number])
    assert "come back as changes awaiting review" in text_of(page(client_for(writer).get(restore_url)))

    response = client_for(writer).post(restore_url)

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.body, article.last_reviewed) == (
        S.PUBLISHED,
        f"<p>{APPROVED_TEXT}.</p>",
        reviewed_on,
    )
    assert article.medical_reviewer is not None
    assert article.pending_changes.body == f"<p>{CHANGED_TEXT}.</p>"
    readers_see_only_the_approved_text(article)


def test_saving_an_approved_research_article_with_two_drugs_from_a_browser_is_no_change(editor, live):
    Article.objects.filter(pk=live.pk).update(status=S.APPROVED, publish_at=None)
    client = client_for(editor)
    data, _ = article_form(client, change_url(live))
    assert "\r\n" in data["research_facts-0-drugs"]  # as a browser sends it

    client.post(change_url(live), data)

    live.refresh_from_db()
    assert live.status == S.APPROVED
    assert not live.transitions.exists()


def test_an_editor_schedules_an_approved_research_article_with_two_drugs_from_its_form(editor, live):
    Article.objects.filter(pk=live.pk).update(status=S.APPROVED, publish_at=None)
    when = timezone.localtime() + timedelta(days=2)

    post_form(
        client_for(editor),
        live,
        status=S.PUBLISHED,
        publish_at_0=when.strftime("%Y-%m-%d"),
        publish_at_1=when.strftime("%H:%M:%S"),
    )

    live.refresh_from_db()
    assert live.is_scheduled
    assert list(live.transitions.values_list("from_status", "to_status")) == [("approved", "published")]


def test_saving_a_live_article_unchanged_from_a_browser_changes_nothing(editor, live):
    response = post_form(client_for(editor), live)

    assert response.status_code == 302
    live.refresh_from_db()
    assert live.is_visible
    assert not Article.objects.filter(changes_for=live).exists()
    assert not live.transitions.exists()
    assert live.revisions.count() == 1


def test_an_editors_change_to_live_medical_text_by_a_service_call_waits_for_review(editor, live):
    before = services.article_snapshot(live)
    live.body = f"<p>{CHANGED_TEXT} with the new combination.</p>"
    live.save()
    live.references.update(citation="A different trial, 2026.")

    outcome = services.article_save(article=live, by=editor, before=before)

    live.refresh_from_db()
    assert APPROVED_TEXT in live.body
    assert list(live.references.values_list("citation", flat=True)) == ["Approved trial report, 2025."]
    changes = outcome.pending_changes
    assert CHANGED_TEXT in changes.body
    assert list(changes.references.values_list("citation", flat=True)) == ["A different trial, 2026."]
    assert [str(drug) for drug in changes.research_facts.drugs.all()] == [
        "trastuzumab (Herceptin)",
        "pertuzumab (Perjeta)",
    ]
    assert live.transitions.get().comment == services.CHANGES_SAVED_COMMENT
    readers_see_only_the_approved_text(live)


def test_a_scheduled_articles_medical_change_waits_for_review_and_keeps_the_schedule(editor):
    article = ArticleFactory(scheduled=True, body=f"<p>{APPROVED_TEXT}.</p>")
    publish_at = article.publish_at
    before = services.article_snapshot(article)
    article.body = f"<p>{CHANGED_TEXT}.</p>"
    article.save()

    services.article_save(article=article, by=editor, before=before)

    article.refresh_from_db()
    assert (article.status, article.publish_at, article.body) == (S.PUBLISHED, publish_at, f"<p>{APPROVED_TEXT}.</p>")
    assert article.pending_changes.body == f"<p>{CHANGED_TEXT}.</p>"


# --- From changes to published, in the admin ----------------------------------------------------------


def test_writer_reviewer_and_editor_take_changes_from_draft_to_live(writer, reviewer, editor, live):
    writer_client, reviewer_client, editor_client = client_for(writer), client_for(reviewer), client_for(editor)

    response = writer_client.post(reverse("admin:articles_article_changes", args=[live.pk]))
    changes = Article.objects.get(changes_for=live)
    assert response.url == change_url(changes)
    data, names = article_form(writer_client, change_url(changes))
    assert "slug" not in names and "tags" not in names  # the article's own, edited on it at once
    data.update(
        body=f"<p>{CHANGED_TEXT} with the new combination.</p>",
        status=S.IN_REVIEW,
        **{"research_facts-0-participants": "512"},
    )
    assert writer_client.post(change_url(changes), data).status_code == 302
    readers_see_only_the_approved_text(live)

    post_form(reviewer_client, changes, status=S.APPROVED, transition_comment="Checked against the paper")
    readers_see_only_the_approved_text(live)

    response = post_form(editor_client, changes, status=S.PUBLISHED)

    assert response.url == change_url(live)
    live.refresh_from_db()
    assert CHANGED_TEXT in live.body
    assert live.research_facts.participants == 512
    assert [drug.generic_name for drug in live.research_facts.drugs.all()] == ["trastuzumab", "pertuzumab"]
    assert (live.status, live.last_reviewed) == (S.PUBLISHED, timezone.localdate())
    assert not Article.objects.filter(pk=changes.pk).exists()
    timeline = list(live.transitions.values_list("from_status", "to_status", "comment"))
    assert timeline == [
        ("draft", "review", services.CHANGES_TIMELINE_PREFIX),
        ("review", "approved", f"{services.CHANGES_TIMELINE_PREFIX}: Checked against the paper"),
        ("published", "published", services.CHANGES_PUBLISHED_COMMENT),
    ]
    assert live.revisions.order_by("-number").first().summary == "Reviewed changes published"
    assert CHANGED_TEXT in page(Client().get(live.get_absolute_url()))


def test_changes_cannot_be_published_before_a_medical_reviewer_approves_them(editor, live):
    changes = services.article_changes_start(article=live, by=editor)

    outcome = services.article_transition_bulk(
        articles=Article.objects.filter(pk=changes.pk), to_status=S.PUBLISHED, by=editor
    )

    assert outcome.changed == 0
    assert Article.objects.filter(pk=changes.pk, status=S.DRAFT).exists()


def test_the_database_refuses_to_publish_changes_awaiting_review(editor, live):
    changes = services.article_changes_start(article=live, by=editor)

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=changes.pk).update(status=S.PUBLISHED, publish_at=timezone.now())


def test_approved_changes_edited_again_go_back_to_review(reviewer, live, editor):
    changes = services.article_changes_start(article=live, by=editor)
    Article.objects.filter(pk=changes.pk).update(status=S.APPROVED)

    post_form(client_for(reviewer), changes, title="Trial finds much longer survival")

    changes.refresh_from_db()
    assert changes.status == S.IN_REVIEW


def test_an_editor_discards_changes_and_the_live_article_is_untouched(editor, live):
    changes = services.article_changes_start(article=live, by=editor)
    Article.objects.filter(pk=changes.pk).update(body=f"<p>{CHANGED_TEXT}.</p>")

    response = client_for(editor).post(reverse("admin:articles_article_delete", args=[changes.pk]), {"post": "yes"})

    assert response.url == change_url(live)
    assert not Article.objects.filter(pk=changes.pk).exists()
    live.refresh_from_db()
    assert APPROVED_TEXT in live.body
    assert live.transitions.get().comment.startswith(services.CHANGES_DISCARDED_COMMENT)


def test_the_live_articles_page_shows_live_and_changes_with_their_difference(editor, live):
    changes = services.article_changes_start(article=live, by=editor)
    Article.objects.filter(pk=changes.pk).update(body=f"<p>{CHANGED_TEXT} with the new combination.</p>")

    markup = page(client_for(editor).get(change_url(live)))

    text = text_of(markup)
    assert "Also different" not in text  # the copy's own address is no change
    assert "Live:" in text and "Changes awaiting review (draft)" in text
    assert "Preview the changes at the article’s address" in text
    assert "number: 2.4" in text and "number: 2.6" in text


def test_staff_preview_changes_at_the_articles_own_address(editor, live):
    changes = services.article_changes_start(article=live, by=editor)
    changes.body = f"<p>{CHANGED_TEXT}.</p>"
    changes.save()

    response = client_for(editor).get(live.get_absolute_url() + "?changes")

    assert CHANGED_TEXT in page(response)
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "private, no-store"


def test_the_live_articles_form_offers_to_start_changes_and_keeps_medical_fields_read_only(editor, live):
    data, names = article_form(client_for(editor), change_url(live))

    assert {"title", "summary", "body", "references-0-citation"}.isdisjoint(names)
    assert {"slug", "tags", "meta_description", "is_featured"} <= names
    markup = page(client_for(editor).get(change_url(live)))
    assert f"<p>{APPROVED_TEXT} with the new combination.</p>" in markup  # shown as readers see it
    assert "Change the medical content" in page(client_for(editor).get(change_url(live)))


def test_tags_and_featured_flag_of_a_live_article_change_at_once_for_editors(editor, live):
    post_form(client_for(editor), live, tags="trials, genomics", is_featured="on")

    live.refresh_from_db()
    assert (sorted(live.tags.names()), live.is_featured, live.is_visible) == (["genomics", "trials"], True, True)
    assert not Article.objects.filter(changes_for=live).exists()


# --- Archiving is a move in the workflow table ------------------------------------------------------


def test_archiving_follows_the_workflow_tables_permission(writer, editor, live):
    delete_url = reverse("admin:articles_article_delete", args=[live.pk])

    assert client_for(writer).post(delete_url, {"post": "yes"}).status_code == 403
    client_for(editor).post(delete_url, {"post": "yes"})

    live.refresh_from_db()
    assert live.status == S.ARCHIVED
    assert live.transitions.get().to_status == S.ARCHIVED


def test_a_bulk_action_that_changed_nothing_is_a_warning(editor, live):
    response = client_for(editor).post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [live.pk]},
        follow=True,
    )

    levels = {message.level_tag: str(message) for message in response.context["messages"]}
    assert "success" not in levels
    assert levels["warning"]


# --- One visibility rule, raw SQL included --------------------------------------------------------


def test_the_sql_visibility_condition_agrees_with_the_queryset_at_every_boundary(editor):
    now = timezone.now()
    articles = [
        ArticleFactory(publish_at=now - timedelta(seconds=1)),
        ArticleFactory(publish_at=now),
        ArticleFactory(publish_at=now + timedelta(microseconds=1)),
        ArticleFactory(draft=True),
        ArticleFactory(archived=True),
    ]
    services.article_changes_start(article=articles[0], by=editor)

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM articles_article a WHERE {visible_sql('a', 'at')} ORDER BY id", {"at": now})
        from_sql = [row[0] for row in cursor.fetchall()]

    assert from_sql == list(Article.objects.visible(at=now).order_by("id").values_list("id", flat=True))
    assert from_sql == [articles[0].pk, articles[1].pk]


def test_the_dashboard_says_which_drafts_are_changes_to_a_published_article(editor, live):
    changes = services.article_changes_start(article=live, by=editor)
    services.article_transition(article=changes, to_status=S.IN_REVIEW, by=editor)

    text = text_of(page(client_for(editor).get(reverse("admin:index"))))

    assert f"{live.title} (changes to the published article)" in text
