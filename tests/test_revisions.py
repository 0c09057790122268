"""Revisions (kept on save, listed, compared, restored) and soft delete (archiving) in the editors' admin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from taggit.models import Tag

from articles import services
from articles.models import Article, ArticleRevision, Byline, Reference

from .factories import (
    ArticleFactory,
    BylineFactory,
    PersonFactory,
    ReferenceFactory,
    ResearchFactsFactory,
    StudyDrugFactory,
    UserFactory,
)
from .helpers import count_queries, page, text_of
from .test_admin import ADD, CHANGELIST, article_form, change_url, run_action


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def compare_url(article, old, new):
    return reverse("admin:articles_article_compare", args=[article.pk]) + f"?old={old}&new={new}"


def restore_url(article, number):
    return reverse("admin:articles_article_restore", args=[article.pk, number])


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


def revise(article, author=None, **changes):
    """Change and save the article as a service would, keeping a revision."""
    for name, value in changes.items():
        setattr(article, name, value)
    article.save()
    return services.record_revision(article=article, author=author)


@pytest.fixture
def view_only_client(client, db):
    """Staff who may view articles in the admin but not change them."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    return client


# --- Keeping revisions -----------------------------------------------------------------------


def test_each_admin_save_keeps_a_revision_with_its_author(editor_client, editor):
    article = ArticleFactory(tags=["genomics"], draft=True)
    data, _ = article_form(editor_client, change_url(article))
    data["title"] = "A clearer headline"
    editor_client.post(change_url(article), data)
    data, _ = article_form(editor_client, change_url(article))
    data["summary"] = "A new summary."

    editor_client.post(change_url(article), data)

    revisions = list(article.revisions.order_by("number"))
    assert [revision.number for revision in revisions] == [1, 2]
    assert all(revision.author == editor for revision in revisions)
    assert revisions[0].content["title"] == "A clearer headline"
    assert revisions[0].content["tags"] == ["genomics"]
    assert revisions[1].changed_fields == ["summary"]


def test_adding_an_article_keeps_its_first_revision_with_inlines(writer_client, writer):
    person = PersonFactory()
    Tag.objects.bulk_create([Tag(name="exercise", slug="exercise"), Tag(name="lymphoedema", slug="lymphoedema")])
    data, _ = article_form(writer_client, ADD)
    data.update(
        title="New article",
        slug="new-article",
        section=ArticleFactory().section_id,
        summary="A short summary.",
        body="<p>Body.</p>",
        tags="exercise, lymphoedema",
        status="draft",
        **{"bylines-0-person": person.pk, "bylines-0-position": 0, "references-0-citation": "A study, 2024."},
    )

    response = writer_client.post(ADD, data)

    assert response.status_code == 302
    revision = Article.objects.get(slug="new-article").revisions.get()
    assert (revision.number, revision.summary, revision.author) == (1, "Created", writer)
    assert revision.content["tags"] == ["exercise", "lymphoedema"]
    assert revision.content["bylines"] == [person.pk]
    assert revision.content["references"] == [{"citation": "A study, 2024.", "url": "", "position": 0}]


def test_saving_without_a_change_keeps_no_new_revision(editor_client):
    article = ArticleFactory()
    data, _ = article_form(editor_client, change_url(article))
    editor_client.post(change_url(article), data)
    data, _ = article_form(editor_client, change_url(article))

    editor_client.post(change_url(article), data)

    assert article.revisions.count() == 1


def test_a_status_change_alone_keeps_no_new_revision(editor_client):
    article = ArticleFactory(draft=True)
    data, _ = article_form(editor_client, change_url(article))
    editor_client.post(change_url(article), data)
    data, _ = article_form(editor_client, change_url(article))
    data["status"] = "published"

    editor_client.post(change_url(article), data)

    assert article.revisions.count() == 1


# --- History page ----------------------------------------------------------------------------


def test_history_page_lists_revisions_with_who_and_what(editor_client, editor, writer):
    article = ArticleFactory()
    revise(article, writer)
    revise(article, editor, title="Second title", body="<p>Second body.</p>")

    content = page(editor_client.get(history_url(article)))

    assert "First recorded version" in text_of(content)
    assert "title, body" in text_of(content)
    assert str(writer) in content and str(editor) in content
    assert "Restore this revision" in content
    assert 'value="Compare the selected revisions"' in content


def test_history_page_queries_do_not_grow_with_revisions(editor_client, editor):
    """Guards against N+1: authors come with the revisions in one query."""
    article = ArticleFactory()
    revise(article, editor)
    revise(article, editor, title="Two")
    few = count_queries(editor_client, history_url(article))

    for number in range(10):
        revise(article, UserFactory(is_staff=True), title=f"Title {number}")

    assert count_queries(editor_client, history_url(article)) == few == 5


def test_history_needs_view_permission(client, db):
    article = ArticleFactory()
    revise(article)
    client.force_login(UserFactory(is_staff=True))

    assert client.get(history_url(article)).status_code == 403


# --- Compare ---------------------------------------------------------------------------------


@pytest.fixture
def two_revisions(editor):
    article = ArticleFactory(
        title="Tamoxifen study in older women",
        summary="The trial followed women for ten years.",
        body="<p>First paragraph stays.</p><p>Doctors gave tamoxifen daily.</p><p>Last paragraph stays.</p>",
    )
    revise(article, editor)
    revise(
        article,
        editor,
        title="Tamoxifen trial in older women",
        summary="The trial followed women for fifteen years.",
        body="<p>First paragraph stays.</p><p>Doctors gave <strong>low-dose</strong> tamoxifen daily.</p>"
        "<p>Last paragraph stays.</p>",
    )
    return article


def test_compare_shows_words_removed_and_added_in_title_summary_and_body(editor_client, two_revisions):
    content = page(editor_client.get(compare_url(two_revisions, 1, 2)))

    assert "Tamoxifen <del>study</del><ins>trial</ins> in older women" in content
    assert "for <del>ten</del><ins>fifteen</ins> years" in content
    assert "Doctors gave <ins>low-dose</ins> tamoxifen daily." in content


def test_compare_escapes_html_of_every_revision(editor_client, two_revisions, editor):
    revise(two_revisions, editor, title="<script>alert(1)</script> Tamoxifen")

    content = page(editor_client.get(compare_url(two_revisions, 2, 3)))

    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)" in content
    assert "<strong>low-dose" not in content


def test_compare_accepts_revisions_in_either_order(editor_client, two_revisions):
    response = editor_client.get(compare_url(two_revisions, 2, 1))

    assert "Revision 1 compared with revision 2" in page(response)


def test_compare_lists_other_parts_that_differ(editor_client, two_revisions, editor):
    revise(two_revisions, editor, source="A meeting, 2024")

    content = text_of(page(editor_client.get(compare_url(two_revisions, 2, 3))))

    assert "Also different: source." in content
    assert "Body (unchanged)" in content


def test_compare_with_a_missing_revision_is_not_found(editor_client, two_revisions):
    assert editor_client.get(compare_url(two_revisions, 1, 9)).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?old=1&new=1", "Choose two different revisions to compare."),
        ("?old=one&new=2", "Choose two revisions to compare."),
        ("", "Choose two revisions to compare."),
    ],
)
def test_compare_with_bad_input_returns_to_the_history_with_a_message(editor_client, two_revisions, query, message):
    url = reverse("admin:articles_article_compare", args=[two_revisions.pk]) + query

    response = editor_client.get(url, follow=True)

    assert response.redirect_chain[-1][0] == history_url(two_revisions)
    assert message in page(response)


def test_compare_page_queries_do_not_grow_with_the_body(editor_client, two_revisions, editor):
    """Guards against N+1: both revisions and their authors come in one query, the glossary's names in one."""
    few = count_queries(editor_client, compare_url(two_revisions, 1, 2))
    long_body = "".join(f"<p>Paragraph {number}.</p>" for number in range(200))
    revise(two_revisions, editor, body=long_body)
    revise(two_revisions, UserFactory(is_staff=True), body=long_body.replace("Paragraph 7.", "Paragraph seven."))

    assert count_queries(editor_client, compare_url(two_revisions, 3, 4)) == few == 6


# --- Restore ---------------------------------------------------------------------------------


@pytest.fixture
def edited_article(editor):
    """An article in review whose revision 1 had other words, tags, bylines and references (restoring
    a published article's medical content is in test_article_changes.py)."""
    first_author, second_author = PersonFactory(), PersonFactory()
    article = ArticleFactory(
        title="Old title", summary="Old summary.", body="<p>Old body.</p>", tags=["genomics"], in_review=True
    )
    BylineFactory(article=article, person=first_author, position=0)
    BylineFactory(article=article, person=second_author, position=1)
    ReferenceFactory(article=article, citation="Old study, 2020.", position=0)
    revise(article, editor)
    article.tags.set(["screening"])
    article.bylines.all().delete()
    BylineFactory(article=article, person=PersonFactory())
    article.references.all().delete()
    ReferenceFactory(article=article, citation="New study, 2024.")
    revise(article, editor, title="New title", summary="New summary.", body="<p>New body.</p>")
    article.byline_people = [first_author.pk, second_author.pk]
    return article


def test_restore_asks_for_confirmation_and_says_status_stays(editor_client, edited_article):
    response = editor_client.get(restore_url(edited_article, 1))

    content = text_of(page(response))
    assert "The status, publish date and “featured” setting stay as they are" in content
    assert "title, summary, body, tags, bylines, references" in content
    edited_article.refresh_from_db()
    assert edited_article.title == "New title"


def test_restore_brings_back_content_and_keeps_the_status(editor_client, edited_article, editor):
    response = editor_client.post(restore_url(edited_article, 1))

    assert response.status_code == 302
    article = Article.objects.get(pk=edited_article.pk)
    assert (article.title, article.summary, article.body) == ("Old title", "Old summary.", "<p>Old body.</p>")
    assert list(article.tags.names()) == ["genomics"]
    assert list(article.bylines.values_list("person_id", flat=True)) == edited_article.byline_people
    assert list(article.references.values_list("citation", flat=True)) == ["Old study, 2020."]
    assert (article.status, article.publish_at) == (Article.Status.IN_REVIEW, None)
    assert Article.objects.search("genomics").filter(pk=article.pk).exists()


def test_restore_keeps_a_new_revision_saying_so(editor_client, edited_article, editor):
    editor_client.post(restore_url(edited_article, 1))

    latest = edited_article.revisions.order_by("-number").first()
    assert (latest.number, latest.summary, latest.author) == (3, "Restored revision 1", editor)
    assert latest.content["title"] == "Old title"


def test_restore_does_not_publish_a_draft(editor_client, edited_article):
    Article.objects.filter(pk=edited_article.pk).update(status=Article.Status.DRAFT)

    editor_client.post(restore_url(edited_article, 1))

    assert Article.objects.get(pk=edited_article.pk).status == Article.Status.DRAFT


def test_research_facts_are_kept_in_revisions_and_restored_with_their_drugs(editor):
    article = ArticleFactory(title="Sorafenib trial", draft=True)
    facts = ResearchFactsFactory(article=article, every_fact=True)
    StudyDrugFactory(facts=facts, generic_name="sorafenib", brand_names="Nexavar")
    first = services.record_revision(article=article, author=editor)
    facts.participants = 12
    facts.save()
    facts.drugs.all().delete()
    second = services.record_revision(article=article, author=editor)
    assert second.changed_fields == ["research_facts"]

    services.restore_revision(revision=first, by=editor)

    restored = Article.objects.get(pk=article.pk).research_facts
    assert restored.participants == 4096
    assert [(drug.generic_name, drug.brand_names) for drug in restored.drugs.all()] == [("sorafenib", "Nexavar")]
    assert Article.objects.search("Nexavar").filter(pk=article.pk).exists()


def test_restoring_a_revision_without_research_facts_removes_them(editor):
    article = ArticleFactory(draft=True)
    first = services.record_revision(article=article, author=editor)
    StudyDrugFactory(facts=ResearchFactsFactory(article=article), generic_name="sorafenib")
    services.record_revision(article=article, author=editor)

    services.restore_revision(revision=first, by=editor)

    assert not Article.objects.filter(pk=article.pk, research_facts__isnull=False).exists()
    assert not Article.objects.search("sorafenib").filter(pk=article.pk).exists()


def test_restore_needs_change_permission(view_only_client, edited_article):
    assert view_only_client.get(restore_url(edited_article, 1)).status_code == 403
    assert view_only_client.post(restore_url(edited_article, 1)).status_code == 403

    edited_article.refresh_from_db()
    assert edited_article.title == "New title"
    assert edited_article.revisions.count() == 2


def test_view_only_staff_see_revisions_without_restore_buttons(view_only_client, edited_article):
    content = page(view_only_client.get(history_url(edited_article)))

    assert "Compare the selected revisions" in content
    assert "Restore this revision" not in content


def test_restore_keeps_an_address_another_article_now_uses(editor_client, edited_article):
    Article.objects.filter(pk=edited_article.pk).update(slug="renamed")
    ArticleFactory(slug=edited_article.slug)

    response = editor_client.post(restore_url(edited_article, 1), follow=True)

    assert "now belongs to another article" in page(response)
    article = Article.objects.get(pk=edited_article.pk)
    assert (article.slug, article.title) == ("renamed", "Old title")


def test_restore_of_a_missing_revision_is_not_found(editor_client, edited_article):
    assert editor_client.post(restore_url(edited_article, 7)).status_code == 404


def test_restore_confirmation_queries_do_not_grow_with_content(editor_client, edited_article):
    """Guards against N+1: the snapshot reads tags, bylines, references and research facts once each."""
    few = count_queries(editor_client, restore_url(edited_article, 1))
    for _ in range(5):
        BylineFactory(article=edited_article)
        ReferenceFactory(article=edited_article)
    edited_article.tags.add("one", "two", "three")

    assert count_queries(editor_client, restore_url(edited_article, 1)) == few == 10


# --- Soft delete -----------------------------------------------------------------------------


def test_editor_delete_page_says_the_article_will_be_archived(editor_client):
    article = ArticleFactory()

    content = text_of(page(editor_client.get(delete_url(article))))

    assert "will be archived, not deleted" in content
    assert "Restore archived articles" in content


def test_editor_deleting_an_article_archives_it(editor_client, editor):
    article = ArticleFactory()
    revise(article, editor)

    response = editor_client.post(delete_url(article), follow=True)

    assert "was archived: it is off the site and can be restored" in page(response)
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED
    assert article.archived_by == editor
    assert article.archived_at is not None
    assert article.revisions.count() == 1


def test_editors_are_offered_archiving_instead_of_bulk_deleting(editor_client):
    ArticleFactory()

    content = page(editor_client.get(CHANGELIST))

    assert 'value="archive_selected"' in content
    assert 'value="delete_selected"' not in content


def test_editor_bulk_archiving_asks_first_then_archives(editor_client, editor):
    articles = [ArticleFactory(), ArticleFactory(draft=True)]

    confirmation = run_action(editor_client, "archive_selected", articles)

    assert "will be archived, not deleted" in text_of(page(confirmation))
    assert not Article.objects.filter(status=Article.Status.ARCHIVED).exists()
    response = editor_client.post(
        CHANGELIST,
        {"action": "archive_selected", "_selected_action": [a.pk for a in articles], "confirmed": "yes"},
        follow=True,
    )
    assert "Archived 2 articles" in page(response)
    assert set(Article.objects.values_list("status", "archived_by")) == {(Article.Status.ARCHIVED, editor.pk)}


def test_bulk_archiving_from_a_filtered_list_returns_to_that_list(editor_client):
    article = ArticleFactory(title="Zebrafish study")
    filtered = CHANGELIST + "?q=Zebrafish"
    selection = {"action": "archive_selected", "_selected_action": [article.pk]}

    confirmation = editor_client.post(filtered, selection)
    response = editor_client.post(filtered, {**selection, "confirmed": "yes"})

    assert '<form method="post">' in page(confirmation)  # posted back to the filtered list's own address
    assert response.status_code == 302
    assert response["Location"].endswith("?q=Zebrafish")


def test_archived_articles_are_restored_as_drafts(editor_client, editor):
    article = ArticleFactory()
    services.article_archive(articles=Article.objects.filter(pk=article.pk), by=editor)

    run_action(editor_client, "unarchive_selected", [article])

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.archived_by == editor  # kept as a record of the latest archiving


def test_restoring_articles_that_are_not_archived_says_so(editor_client, editor):
    archived, live = ArticleFactory(), ArticleFactory()
    services.article_archive(articles=Article.objects.filter(pk=archived.pk), by=editor)

    run_action(editor_client, "unarchive_selected", [archived, live])

    content = text_of(page(editor_client.get(reverse("admin:articles_article_changelist"))))
    assert "Restored 1 archived article as a draft." in content
    assert "1 selected article was not archived, so it stays as it is." in content
    live.refresh_from_db()
    assert live.status == Article.Status.PUBLISHED


def test_a_revision_notes_the_status_its_save_ended_with(writer_client, writer):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    data, _ = article_form(writer_client, change_url(article))
    data.update(title="Submitted with a new title", status=Article.Status.IN_REVIEW)

    writer_client.post(change_url(article), data)

    assert article.revisions.get().content["status"] == Article.Status.IN_REVIEW


def test_archiving_keeps_bylines_and_references(editor_client):
    article = ArticleFactory()
    BylineFactory(article=article)
    ReferenceFactory(article=article)

    editor_client.post(delete_url(article))

    assert Byline.objects.filter(article=article).exists()
    assert Reference.objects.filter(article=article).exists()


def test_writers_cannot_delete_or_archive(writer_client):
    article = ArticleFactory(draft=True)

    assert writer_client.post(delete_url(article)).status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_superuser_deletes_for_real(superuser_client):
    article = ArticleFactory()
    revise(article)

    confirmation = page(superuser_client.get(delete_url(article)))
    superuser_client.post(delete_url(article), {"post": "yes"})

    assert "Are you sure" in confirmation
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not ArticleRevision.objects.filter(article_id=article.pk).exists()


def test_archived_article_is_not_found_by_readers(client, editor_client):
    article = ArticleFactory()
    editor_client.post(delete_url(article))
    client.logout()

    assert client.get(article.get_absolute_url()).status_code == 404
    assert not Article.objects.visible().filter(pk=article.pk).exists()


def test_archiving_through_the_change_form_records_who_and_when(editor_client, editor):
    article = ArticleFactory()
    data, _ = article_form(editor_client, change_url(article))
    data["status"] = "archived"

    editor_client.post(change_url(article), data)

    article.refresh_from_db()
    assert article.archived_by == editor
    assert article.archived_at is not None


def test_compare_leaves_out_unchanged_paragraphs_far_from_a_change(editor_client, two_revisions, editor):
    long_body = "".join(f"<p>Paragraph {number}.</p>" for number in range(50))
    revise(two_revisions, editor, body=long_body)
    revise(two_revisions, editor, body=long_body.replace("Paragraph 25.", "Paragraph twenty-five."))

    content = page(editor_client.get(compare_url(two_revisions, 3, 4)))

    assert (
        'Paragraph <del><span class="diff-number"><span class="visually-hidden">number: </span>25</span></del>'
        "<ins>twenty-five</ins>." in content
    )
    assert "Paragraph 24." in content and "Paragraph 26." in content
    assert "Paragraph 3." not in content and "Paragraph 40." not in content
    assert content.count("unchanged paragraphs left out") == 2


def test_article_list_says_when_and_by_whom_an_article_was_archived(editor_client, editor):
    article = ArticleFactory()
    editor_client.post(delete_url(article))

    content = text_of(page(editor_client.get(CHANGELIST)))

    assert "Archived on " in content
    assert f"by {editor.email}" in content
