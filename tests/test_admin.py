"""The editors' admin: every page loads, bulk actions work, and only editors can put articles on the site."""

import html
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles import services
from articles.models import Article

from .factories import ArticleFactory, ImageFactory, PersonFactory, SectionFactory
from .helpers import article_form, page

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")

REGISTERED = sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)
# Records made only by the site itself (sign-in attempts, readers' votes) have no add page.
READ_ONLY = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model, model_admin in admin.site._registry.items()
    if type(model_admin).has_add_permission is not admin.ModelAdmin.has_add_permission
)
ADDABLE = sorted(set(REGISTERED) - set(READ_ONLY))


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def run_action(client, action, articles):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [article.pk for article in articles], "index": 0}
    )


def action_names(client):
    """The bulk actions offered on the article changelist."""
    content = page(client.get(CHANGELIST))
    start = content.index('name="action"')
    select = content[start : content.index("</select>", start)]
    return {value for value in ("approve_selected", "publish_selected", "unpublish_selected", "send_selected_to_review")
            if f'value="{value}"' in select}  # fmt: skip


# --- Every page loads ------------------------------------------------------------------------


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED, ids=[f"{a}.{m}" for a, m in REGISTERED])
def test_changelist_loads_for_superuser(superuser_client, app_label, model_name):
    ArticleFactory(tags=["genomics"], medical_reviewer=PersonFactory())

    response = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize(("app_label", "model_name"), ADDABLE, ids=[f"{a}.{m}" for a, m in ADDABLE])
def test_add_page_loads_for_superuser(superuser_client, app_label, model_name):
    response = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_add"))

    assert response.status_code == 200


@pytest.mark.parametrize(("app_label", "model_name"), READ_ONLY, ids=[f"{a}.{m}" for a, m in READ_ONLY])
def test_records_made_by_the_site_cannot_be_added_by_hand(superuser_client, app_label, model_name):
    response = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_add"))

    assert response.status_code == 403


def test_admin_index_loads_for_superuser(superuser_client):
    assert superuser_client.get(reverse("admin:index")).status_code == 200


def test_article_change_page_loads_for_superuser(superuser_client, db):
    article = ArticleFactory(tags=["genomics"], medical_reviewer=PersonFactory())

    assert superuser_client.get(change_url(article)).status_code == 200


def test_article_changelist_filters_search_and_date_hierarchy_load(superuser_client, db):
    section = SectionFactory()
    reviewer = PersonFactory()
    wanted = ArticleFactory(
        title="Tamoxifen study",
        section=section,
        medical_reviewer=reviewer,
        is_featured=True,
        publish_at=datetime(2024, 3, 3, 12, tzinfo=UTC),
    )
    unwanted = ArticleFactory(title="Tamoxifen elsewhere", publish_at=datetime(2024, 3, 3, 12, tzinfo=UTC))

    response = superuser_client.get(
        CHANGELIST,
        {
            "status__exact": "published",
            "section__id__exact": section.pk,
            "is_featured__exact": "1",
            "medical_reviewer__id__exact": reviewer.pk,
            "q": "tamoxifen",
            "publish_at__year": "2024",
            "publish_at__month": "3",
            "publish_at__day": "3",
        },
    )

    assert response.status_code == 200
    content = page(response)
    assert change_url(wanted) in content
    assert change_url(unwanted) not in content


def test_article_changelist_search_finds_tags(superuser_client, db):
    tagged = ArticleFactory(tags=["lymphoedema"])
    untagged = ArticleFactory()

    content = page(superuser_client.get(CHANGELIST, {"q": "lymphoedema"}))

    assert change_url(tagged) in content
    assert change_url(untagged) not in content


def test_article_changelist_marks_scheduled_articles(superuser_client, db):
    ArticleFactory(scheduled=True)

    assert "Scheduled for " in page(superuser_client.get(CHANGELIST))


# --- Bulk actions ----------------------------------------------------------------------------


def test_publish_action_publishes_approved_articles_now(editor_client, db):
    approved = [ArticleFactory(approved=True), ArticleFactory(approved=True)]
    before = timezone.now()

    response = run_action(editor_client, "publish_selected", approved)

    assert response.status_code == 302
    for article in approved:
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED
        assert before <= article.publish_at <= timezone.now()
        assert article.is_visible


def test_publish_action_keeps_a_future_publish_time_scheduled(editor_client, db):
    future = timezone.now() + timedelta(days=3)
    article = ArticleFactory(approved=True, publish_at=future)

    run_action(editor_client, "publish_selected", [article])

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.publish_at == future
    assert article.is_scheduled


def test_bulk_publish_service_publishes_a_plain_queryset(editor):
    article = ArticleFactory(approved=True)

    outcome = services.article_transition_bulk(
        articles=Article.objects.filter(pk=article.pk), to_status=Article.Status.PUBLISHED, by=editor
    )

    assert outcome.changed == 1
    article.refresh_from_db()
    assert article.is_visible


def test_unpublish_action_returns_articles_to_draft(editor_client, db):
    articles = [ArticleFactory(), ArticleFactory(in_review=True)]

    response = run_action(editor_client, "unpublish_selected", articles)

    assert response.status_code == 302
    for article in articles:
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT


def test_send_to_review_action_moves_articles_to_review(editor_client, db):
    articles = [ArticleFactory(), ArticleFactory(draft=True)]

    response = run_action(editor_client, "send_selected_to_review", articles)

    assert response.status_code == 302
    for article in articles:
        article.refresh_from_db()
        assert article.status == Article.Status.IN_REVIEW
        assert not article.is_visible


def test_action_leaves_unselected_articles_alone(editor_client, db):
    selected = ArticleFactory(draft=True)
    other = ArticleFactory(draft=True)

    run_action(editor_client, "publish_selected", [selected])

    other.refresh_from_db()
    assert other.status == Article.Status.DRAFT


# --- Editorial groups ------------------------------------------------------------------------


def test_editorial_groups_exist_after_migrating(db):
    names = set(Group.objects.values_list("name", flat=True))

    assert {"Editors", "Writers", "Medical reviewers"} <= names


def test_only_editors_may_publish(editor, writer, reviewer):
    assert editor.has_perm("articles.publish_article")
    assert not writer.has_perm("articles.publish_article")
    assert not reviewer.has_perm("articles.publish_article")


def test_medical_reviewers_may_change_but_not_add_articles(reviewer):
    assert reviewer.has_perm("articles.change_article")
    assert not reviewer.has_perm("articles.add_article")


def test_editor_has_all_bulk_actions(editor_client, db):
    ArticleFactory()

    assert action_names(editor_client) == {"publish_selected", "unpublish_selected", "send_selected_to_review"}


# --- Writers ---------------------------------------------------------------------------------


def test_writer_can_add_an_article(writer_client, db):
    section = SectionFactory()
    data, _ = article_form(writer_client, ADD)
    data.update(
        title="New writer article",
        slug="new-writer-article",
        section=section.pk,
        summary="A short summary.",
        body="<p>Body.</p>",
        status="draft",
    )

    response = writer_client.post(ADD, data)

    assert response.status_code == 302
    article = Article.objects.get(slug="new-writer-article")
    assert article.status == Article.Status.DRAFT


def test_tags_entered_in_the_admin_are_searchable(writer_client, editor, db):
    Tag.objects.bulk_create([Tag(name="lymphoedema", slug="lymphoedema"), Tag(name="exercise", slug="exercise")])
    data, _ = article_form(writer_client, ADD)
    data.update(
        title="Tagged in the admin",
        slug="tagged-in-the-admin",
        section=SectionFactory().pk,
        summary="A short summary.",
        body="<p>Body.</p>",
        tags="lymphoedema, exercise",
        status="draft",
    )
    writer_client.post(ADD, data)
    article = Article.objects.get(slug="tagged-in-the-admin")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.APPROVED)
    services.article_transition(article=article, to_status=Article.Status.PUBLISHED, by=editor)

    assert Article.objects.visible().search("lymphoedema").filter(pk=article.pk).exists()


def test_writer_can_edit_an_article(writer_client, db):
    article = ArticleFactory(draft=True)
    data, _ = article_form(writer_client, change_url(article))
    data["title"] = "A better headline"

    response = writer_client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "A better headline"


def test_writer_can_send_an_article_to_review_through_the_form(writer_client, db):
    article = ArticleFactory(draft=True)
    data, _ = article_form(writer_client, change_url(article))
    data["status"] = "review"

    response = writer_client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_writer_has_no_publish_actions(writer_client, db):
    ArticleFactory(draft=True)

    assert action_names(writer_client) == {"send_selected_to_review"}


def test_writer_cannot_publish_through_the_action(writer_client, db):
    article = ArticleFactory(draft=True)

    run_action(writer_client, "publish_selected", [article])

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_writer_cannot_publish_through_the_change_form(writer_client, db):
    article = ArticleFactory(draft=True)
    data, _ = article_form(writer_client, change_url(article))
    data["status"] = "published"

    response = writer_client.post(change_url(article), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"]
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.publish_at is None


def test_writer_cannot_add_an_article_as_published(writer_client, db):
    data, _ = article_form(writer_client, ADD)
    data.update(
        title="Sneaky",
        slug="sneaky",
        section=SectionFactory().pk,
        summary="S.",
        body="<p>B.</p>",
        status="published",
    )

    response = writer_client.post(ADD, data)

    assert response.status_code == 200
    assert not Article.objects.filter(slug="sneaky").exists()


def test_writer_is_offered_only_draft_and_review_statuses(writer_client, db):
    article = ArticleFactory(draft=True)

    content = page(writer_client.get(change_url(article)))

    assert 'value="draft"' in content
    assert 'value="review"' in content
    assert 'value="published"' not in content
    assert 'value="archived"' not in content


def test_writer_has_no_publish_at_field(writer_client, db):
    article = ArticleFactory(draft=True)

    _, names = article_form(writer_client, change_url(article))

    assert not {"publish_at", "publish_at_0", "publish_at_1", "is_featured"} & names


def test_writer_cannot_set_publish_at(writer_client, db):
    article = ArticleFactory(draft=True)
    data, _ = article_form(writer_client, change_url(article))
    data.update(publish_at_0="01/01/2020", publish_at_1="10:00:00", is_featured="on")

    writer_client.post(change_url(article), data)

    article.refresh_from_db()
    assert article.publish_at is None
    assert article.is_featured is False


def test_writer_cannot_change_the_status_of_a_published_article(writer_client, db):
    article = ArticleFactory()
    data, names = article_form(writer_client, change_url(article))
    data["status"] = "archived"

    writer_client.post(change_url(article), data)

    assert "status" not in names
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


# --- Editors ---------------------------------------------------------------------------------


def test_editor_can_publish_through_the_change_form(editor_client, db):
    article = ArticleFactory(approved=True)
    data, _ = article_form(editor_client, change_url(article))
    data["status"] = "published"
    before = timezone.now()

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert before <= article.publish_at <= timezone.now()


def test_editor_can_schedule_through_the_change_form(editor_client, db):
    article = ArticleFactory(approved=True)
    data, _ = article_form(editor_client, change_url(article))
    data.update(status="published", publish_at_0="01/01/2099", publish_at_1="09:30:00")

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_scheduled
    assert timezone.localtime(article.publish_at).date() == date(2099, 1, 1)


def test_saving_the_change_form_unchanged_keeps_bylines_and_references(editor_client, db):
    from .factories import BylineFactory, ReferenceFactory

    article = ArticleFactory(tags=["genomics"])
    BylineFactory(article=article)
    ReferenceFactory(article=article)
    data, _ = article_form(editor_client, change_url(article))

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302
    assert article.bylines.count() == 1
    assert article.references.count() == 1
    assert list(article.tags.names()) == ["genomics"]


def test_change_page_has_a_view_on_site_link(superuser_client, db):
    article = ArticleFactory()

    content = page(superuser_client.get(change_url(article)))

    assert "View on site" in content
    assert 'class="viewsitelink"' in content


def test_view_on_site_link_leads_to_the_article(superuser_client, db):
    article = ArticleFactory()
    content = page(superuser_client.get(change_url(article)))
    link = content.split('class="viewsitelink"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]

    assert link == article.get_absolute_url()
    assert superuser_client.get(link).status_code == 200


def test_view_on_site_link_of_changes_awaiting_review_previews_them_at_the_articles_address(superuser_client, db):
    article = ArticleFactory()
    changes = services.article_changes_start(article=article, by=None)
    content = page(superuser_client.get(change_url(changes)))

    link = content.split('class="viewsitelink"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]

    assert html.unescape(link) == article.get_absolute_url() + "?changes"


# --- Images ----------------------------------------------------------------------------------


def test_hero_image_is_chosen_from_the_image_library(superuser_client, db):
    article = ArticleFactory()
    image = ImageFactory(alt_text="A pink ribbon")
    data, _ = article_form(superuser_client, change_url(article))
    data.update(hero=str(image.pk))

    response = superuser_client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.hero == image


def test_hero_image_field_searches_the_library_as_you_type(superuser_client, db):
    ImageFactory(alt_text="A pink ribbon")
    ImageFactory(alt_text="A hospital corridor")
    autocomplete = reverse("admin:autocomplete")

    response = superuser_client.get(
        autocomplete, {"term": "ribbon", "app_label": "articles", "model_name": "article", "field_name": "hero"}
    )

    assert [result["text"] for result in response.json()["results"]] == ["A pink ribbon (Photo: Newsroom)"]


def test_review_date_in_the_future_is_refused(superuser_client, db):
    article = ArticleFactory(medical_reviewer=PersonFactory())
    data, _ = article_form(superuser_client, change_url(article))
    data["last_reviewed"] = (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")

    response = superuser_client.post(change_url(article), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["last_reviewed"]
