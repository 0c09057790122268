"""The medical-review workflow: draft → in review → approved → published (or scheduled).

Every status change is tried by every kind of staff member through the service, the article's change
form and the bulk actions; who may make it is written out below rather than read from the
workflow's own table, so a wrong entry there fails here."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleTransition

from .factories import (
    ArticleFactory,
    PersonFactory,
    ReferenceFactory,
    ResearchFactsFactory,
    SectionFactory,
    UserFactory,
)
from .helpers import article_form, page, text_of

# Most tests ask for their user by role at run time, so the database mark is given here: it also
# makes pytest-django run them before the tests that flush the database.
pytestmark = pytest.mark.django_db

S = Article.Status
ROLES = ("writer", "reviewer", "editor", "superuser")
EVERYONE = set(ROLES)
EDITORS = {"editor", "superuser"}
REVIEWERS = {"reviewer", "superuser"}
REVIEWERS_AND_EDITORS = {"reviewer", "editor", "superuser"}

# Who may move an article from one status to another; every move not listed is refused to everyone.
ALLOWED = {
    (S.DRAFT, S.IN_REVIEW): EVERYONE,
    (S.IN_REVIEW, S.APPROVED): REVIEWERS,
    (S.IN_REVIEW, S.DRAFT): REVIEWERS_AND_EDITORS,
    (S.APPROVED, S.PUBLISHED): EDITORS,
    (S.APPROVED, S.IN_REVIEW): REVIEWERS_AND_EDITORS,
    (S.APPROVED, S.DRAFT): REVIEWERS_AND_EDITORS,
    (S.PUBLISHED, S.DRAFT): EDITORS,
    (S.PUBLISHED, S.IN_REVIEW): EDITORS,
    (S.DRAFT, S.ARCHIVED): EDITORS,
    (S.IN_REVIEW, S.ARCHIVED): EDITORS,
    (S.APPROVED, S.ARCHIVED): EDITORS,
    (S.PUBLISHED, S.ARCHIVED): EDITORS,
    (S.ARCHIVED, S.DRAFT): EDITORS,
}
MOVES = [(source, target) for source in S.values for target in S.values if source != target]
ALLOWED_CASES = [(s, t, role) for s, t in MOVES for role in ROLES if role in ALLOWED.get((s, t), ())]
REFUSED_CASES = [(s, t, role) for s, t in MOVES for role in ROLES if role not in ALLOWED.get((s, t), ())]

# The bulk actions, the status each moves articles to, and who is offered it.
ACTIONS = {
    "approve_selected": (S.APPROVED, REVIEWERS),
    "publish_selected": (S.PUBLISHED, EDITORS),
    "unpublish_selected": (S.DRAFT, EDITORS),
    "send_selected_to_review": (S.IN_REVIEW, EVERYONE),
}
ACTION_CASES = [
    (action, source, role) for action, (target, _) in ACTIONS.items() for source in S.values if source != target
    for role in ROLES
]  # fmt: skip

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")
MEDICAL_CHANGE = "Medical content changed after approval"
BACK_TO_REVIEW_WARNING = "went back to review: its medical content changed after approval"
# Queries for a published article's change page (the session with its user, the article, its medical reviewer,
# inlines, tags, timeline, whether it has changes awaiting review, the user's autosave).
CHANGE_PAGE_QUERIES = 11


def case_id(*parts):
    return "-".join(parts)


def article_in(status, **fields):
    """An article in `status` with a named medical reviewer; a published or archived one has a publish
    date in the past, others none."""
    fields.setdefault("medical_reviewer", PersonFactory())
    if status not in (S.PUBLISHED, S.ARCHIVED):
        fields.setdefault("publish_at", None)
    return ArticleFactory(status=status, **fields)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def signed_in(client, user):
    client.force_login(user)
    return client


def offered_statuses(client, article):
    content = page(client.get(change_url(article)))
    start = content.find('name="status"')
    if start == -1:
        return set()
    select = content[start : content.index("</select>", start)]
    return {value for value in S.values if f'value="{value}"' in select}


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def statuses(article):
    return list(article.transitions.values_list("from_status", "to_status"))


# --- Groups and permissions --------------------------------------------------------------------


def test_only_medical_reviewers_may_approve(writer, reviewer, editor, superuser):
    assert reviewer.has_perm("articles.approve_article")
    assert superuser.has_perm("articles.approve_article")
    assert not editor.has_perm("articles.approve_article")
    assert not writer.has_perm("articles.approve_article")


def test_approve_permission_belongs_to_the_medical_reviewers_group_alone(db):
    holders = Group.objects.filter(permissions__codename="approve_article").values_list("name", flat=True)

    assert list(holders) == ["Medical reviewers"]


# --- The service -------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "target", "role"), ALLOWED_CASES, ids=[case_id(*c) for c in ALLOWED_CASES])
def test_service_makes_each_move_for_those_allowed(request, source, target, role):
    user = request.getfixturevalue(role)
    article = article_in(source)

    record = services.article_transition(article=article, to_status=target, by=user, comment="Checked the doses")

    article.refresh_from_db()
    assert article.status == target
    assert (record.article, record.from_status, record.to_status) == (article, source, target)
    assert (record.actor, record.comment) == (user, "Checked the doses")


@pytest.mark.parametrize(("source", "target", "role"), REFUSED_CASES, ids=[case_id(*c) for c in REFUSED_CASES])
def test_service_refuses_each_move_to_those_not_allowed(request, source, target, role):
    user = request.getfixturevalue(role)
    article = article_in(source)

    with pytest.raises(services.TransitionRefused) as refused:
        services.article_transition(article=article, to_status=target, by=user)

    assert refused.value.message.endswith(".")
    article.refresh_from_db()
    assert article.status == source
    assert not ArticleTransition.objects.exists()


def test_publishing_a_draft_is_refused_even_to_a_superuser_with_a_reason(superuser):
    article = article_in(S.DRAFT)

    with pytest.raises(services.TransitionRefused, match="approved by a medical reviewer"):
        services.article_transition(article=article, to_status=S.PUBLISHED, by=superuser)


def test_approving_is_refused_to_an_editor_with_a_reason(editor):
    article = article_in(S.IN_REVIEW)

    with pytest.raises(services.TransitionRefused, match="Only medical reviewers can approve"):
        services.article_transition(article=article, to_status=S.APPROVED, by=editor)


def test_a_whole_article_life_is_recorded_in_order(writer, reviewer, editor):
    article = article_in(S.DRAFT)

    for target, user in [(S.IN_REVIEW, writer), (S.APPROVED, reviewer), (S.PUBLISHED, editor), (S.DRAFT, editor)]:
        services.article_transition(article=article, to_status=target, by=user)

    assert statuses(article) == [("draft", "review"), ("review", "approved"), ("approved", "published"),
                                 ("published", "draft")]  # fmt: skip
    assert [step.actor for step in article.transitions.all()] == [writer, reviewer, editor, editor]


def test_publishing_without_a_date_publishes_now(editor):
    article = article_in(S.APPROVED)
    before = timezone.now()

    services.article_transition(article=article, to_status=S.PUBLISHED, by=editor)

    article.refresh_from_db()
    assert before <= article.publish_at <= timezone.now()
    assert article.is_visible


def test_publishing_with_a_future_date_schedules_the_article_until_then(editor):
    moment = timezone.now() + timedelta(days=2)
    article = article_in(S.APPROVED)

    services.article_transition(article=article, to_status=S.PUBLISHED, by=editor, publish_at=moment)

    assert article.is_scheduled
    assert not Article.objects.visible().filter(pk=article.pk).exists()
    assert not Article.objects.visible(at=moment - timedelta(seconds=1)).filter(pk=article.pk).exists()
    assert Article.objects.visible(at=moment).filter(pk=article.pk).exists()


def test_publishing_keeps_a_future_date_the_editor_already_set(editor):
    moment = timezone.now() + timedelta(days=2)
    article = article_in(S.APPROVED, publish_at=moment)

    services.article_transition(article=article, to_status=S.PUBLISHED, by=editor)

    article.refresh_from_db()
    assert article.publish_at == moment
    assert article.is_scheduled


def test_bulk_service_counts_skipped_articles_by_reason(editor):
    approved = article_in(S.APPROVED)
    article_in(S.DRAFT)
    article_in(S.IN_REVIEW)

    outcome = services.article_transition_bulk(articles=Article.objects.all(), to_status=S.PUBLISHED, by=editor)

    assert outcome.changed == 1
    assert outcome.skipped == {"Only articles approved by a medical reviewer can be published or scheduled.": 2}
    assert statuses(approved) == [("approved", "published")]


def test_change_service_sends_approved_medical_changes_back_to_review_whatever_was_asked(writer):
    article = article_in(S.APPROVED)
    services.record_revision(article=article, author=writer)
    before = services.article_snapshot(article)
    article.title = "A different dose was studied"
    article.save()

    outcome = services.article_save(article=article, by=writer, before=before, to_status=S.PUBLISHED)

    assert outcome.sent_back_to_review
    assert article.status == S.IN_REVIEW
    assert (outcome.transition.from_status, outcome.transition.to_status) == ("approved", "review")
    assert outcome.revision.changed_fields == ["title"]


def test_change_service_records_no_step_for_an_edit_outside_the_medical_content(editor):
    article = article_in(S.APPROVED)
    services.record_revision(article=article, author=editor)
    before = services.article_snapshot(article)
    article.meta_description = "For link previews."
    article.save()

    outcome = services.article_save(article=article, by=editor, before=before)

    assert (outcome.transition, outcome.sent_back_to_review, article.status) == (None, False, S.APPROVED)
    assert outcome.revision.changed_fields == ["meta_description"]
    assert not article.transitions.exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("source", S.values)
def test_status_list_offers_exactly_the_moves_the_user_may_make(request, client, source, role):
    client = signed_in(client, request.getfixturevalue(role))
    article = article_in(source)
    moves = {target for (start, target), roles in ALLOWED.items() if start == source and role in roles}

    offered = offered_statuses(client, article)

    assert offered == ({source} | moves if moves else set())


@pytest.mark.parametrize(("source", "target", "role"), ALLOWED_CASES, ids=[case_id(*c) for c in ALLOWED_CASES])
def test_change_form_makes_each_move_for_those_allowed(request, client, source, target, role):
    user = request.getfixturevalue(role)
    client = signed_in(client, user)
    article = article_in(source)
    data, _ = article_form(client, change_url(article))
    data.update(status=target, transition_comment="Looks right to me")

    response = client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == target
    step = article.transitions.get()
    assert (step.from_status, step.to_status, step.actor, step.comment) == (source, target, user, "Looks right to me")


@pytest.mark.parametrize(("source", "target", "role"), REFUSED_CASES, ids=[case_id(*c) for c in REFUSED_CASES])
def test_change_form_refuses_each_move_to_those_not_allowed(request, client, source, target, role):
    client = signed_in(client, request.getfixturevalue(role))
    article = article_in(source)
    data, names = article_form(client, change_url(article))
    data["status"] = target

    response = client.post(change_url(article), data)

    if "status" in names:
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["status"]
    else:  # nothing to choose: the status is shown read-only and a posted one is ignored
        assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == source
    assert not ArticleTransition.objects.exists()


def test_refused_move_in_the_form_says_why(client, writer):
    client = signed_in(client, writer)
    article = article_in(S.DRAFT)
    data, _ = article_form(client, change_url(article))
    data["status"] = S.PUBLISHED

    response = client.post(change_url(article), data)

    assert response.context["adminform"].form.errors["status"] == [
        "Only articles approved by a medical reviewer can be published or scheduled."
    ]


def test_saving_without_a_status_change_records_nothing(client, editor):
    client = signed_in(client, editor)
    article = article_in(S.APPROVED)
    data, _ = article_form(client, change_url(article))
    data["meta_description"] = "A new description for search engines."

    client.post(change_url(article), data)

    article.refresh_from_db()
    assert article.status == S.APPROVED
    assert not article.transitions.exists()


def test_change_form_schedules_an_approved_article_with_a_future_date(client, editor):
    client = signed_in(client, editor)
    article = article_in(S.APPROVED)
    data, _ = article_form(client, change_url(article))
    data.update(status=S.PUBLISHED, publish_at_0="01/01/2099", publish_at_1="09:30:00")

    response = client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_scheduled
    assert not Article.objects.visible().filter(pk=article.pk).exists()
    assert Article.objects.visible(at=article.publish_at).filter(pk=article.pk).exists()
    assert statuses(article) == [("approved", "published")]


def test_a_move_is_judged_from_the_status_when_saving_not_when_the_form_was_opened(client, editor):
    client = signed_in(client, editor)
    article = article_in(S.APPROVED)
    data, _ = article_form(client, change_url(article))
    Article.objects.filter(pk=article.pk).update(status=S.DRAFT)  # a reviewer sent it back in the meantime
    data.update(status=S.PUBLISHED, meta_description="Kept in the form")

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"]
    assert "Kept in the form" in page(response)
    article.refresh_from_db()
    assert article.status == S.DRAFT


def add_form(client, **fields):
    data, _ = article_form(client, ADD)
    data.update(title="A new study", slug="a-new-study", summary="What it found.", body="<p>Body.</p>", **fields)
    return data


def test_a_writer_can_submit_a_new_article_for_review_as_it_is_created(client, writer):
    client = signed_in(client, writer)

    response = client.post(ADD, add_form(client, section=SectionFactory().pk, status=S.IN_REVIEW))

    assert response.status_code == 302
    article = Article.objects.get(slug="a-new-study")
    assert article.status == S.IN_REVIEW
    assert statuses(article) == [("draft", "review")]
    assert article.transitions.get().actor == writer


def test_a_new_article_cannot_be_published_as_it_is_created(client, superuser):
    client = signed_in(client, superuser)

    response = client.post(ADD, add_form(client, section=SectionFactory().pk, status=S.PUBLISHED))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"]
    assert not Article.objects.exists()


# --- Bulk actions ------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "source", "role"), ACTION_CASES, ids=[case_id(*c) for c in ACTION_CASES])
def test_bulk_action_moves_articles_only_for_those_allowed(request, client, action, source, role):
    user = request.getfixturevalue(role)
    client = signed_in(client, user)
    target, offered_to = ACTIONS[action]
    article = article_in(source)

    response = client.post(CHANGELIST, {"action": action, "_selected_action": [article.pk], "index": 0})

    assert response.status_code == 302
    article.refresh_from_db()
    if role in offered_to and role in ALLOWED.get((source, target), ()):
        assert article.status == target
        step = article.transitions.get()
        assert (step.from_status, step.to_status, step.actor) == (source, target, user)
    else:
        assert article.status == source
        assert not article.transitions.exists()


def test_publish_action_reports_articles_skipped_because_not_approved(client, editor):
    client = signed_in(client, editor)
    articles = [article_in(S.APPROVED), article_in(S.IN_REVIEW), article_in(S.DRAFT)]

    response = client.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [a.pk for a in articles], "index": 0},
        follow=True,
    )

    assert messages_of(response) == [
        "Published 1 article.",
        "2 articles left as they were: Only articles approved by a medical reviewer can be published or scheduled.",
    ]


def test_bulk_action_works_on_a_searched_list_that_joins_tags(client, editor):
    client = signed_in(client, editor)
    article = article_in(S.APPROVED, tags=["lymphoedema", "lymph nodes"])

    response = client.post(
        f"{CHANGELIST}?q=lymph", {"action": "publish_selected", "_selected_action": [article.pk], "index": 0}
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_visible


def test_approve_action_is_offered_to_reviewers_only(client, reviewer, editor):
    article_in(S.IN_REVIEW)

    reviewer_page = page(signed_in(client, reviewer).get(CHANGELIST))
    editor_page = page(signed_in(client, editor).get(CHANGELIST))

    assert 'value="approve_selected"' in reviewer_page
    assert 'value="approve_selected"' not in editor_page


# --- Medical content edited after approval -----------------------------------------------------


def edit(client, article, follow=True, **changes):
    data, _ = article_form(client, change_url(article))
    data.update(changes)
    response = client.post(change_url(article), data, follow=follow)
    article.refresh_from_db()
    return response


@pytest.mark.parametrize("field", ["title", "summary", "body"])
def test_editing_medical_content_of_an_approved_article_sends_it_back_to_review(client, editor, field):
    client = signed_in(client, editor)
    article = article_in(S.APPROVED)

    response = edit(client, article, **{field: "<p>A different dose was studied.</p>"})

    assert article.status == S.IN_REVIEW
    step = article.transitions.get()
    assert (step.from_status, step.to_status, step.actor, step.comment) == (
        "approved",
        "review",
        editor,
        MEDICAL_CHANGE,
    )
    assert any(BACK_TO_REVIEW_WARNING in message for message in messages_of(response))


def test_changing_the_references_of_an_approved_article_sends_it_back_to_review(client, reviewer):
    client = signed_in(client, reviewer)
    article = article_in(S.APPROVED)
    ReferenceFactory(article=article)

    edit(client, article, **{"references-0-citation": "Another trial, 2025."})

    assert article.status == S.IN_REVIEW
    assert article.transitions.get().comment == MEDICAL_CHANGE


def test_changing_the_research_facts_of_an_approved_article_sends_it_back_to_review(client, reviewer):
    client = signed_in(client, reviewer)
    article = article_in(S.APPROVED)
    ResearchFactsFactory(article=article, participants=120)

    edit(client, article, **{"research_facts-0-participants": "12"})

    assert article.status == S.IN_REVIEW
    assert article.transitions.get().comment == MEDICAL_CHANGE


def test_restoring_a_revision_of_an_approved_article_sends_it_back_to_review(client, editor):
    article = article_in(S.APPROVED, title="Dose A was studied")
    first = services.record_revision(article=article, author=editor)
    article.title = "Dose B was studied"
    article.save()
    services.record_revision(article=article, author=editor)

    response = signed_in(client, editor).post(
        reverse("admin:articles_article_restore", args=[article.pk, first.number]), follow=True
    )

    article.refresh_from_db()
    assert (article.title, article.status) == ("Dose A was studied", S.IN_REVIEW)
    assert article.transitions.get().comment == f"{MEDICAL_CHANGE}: Restored revision 1"
    assert any(BACK_TO_REVIEW_WARNING in message for message in messages_of(response))


def test_archiving_and_restoring_from_the_archive_are_in_the_timeline(editor):
    article = article_in(S.PUBLISHED)
    articles = Article.objects.filter(pk=article.pk)

    services.article_archive(articles=articles, by=editor)
    services.article_unarchive(articles=articles, by=editor)

    assert statuses(article) == [("published", "archived"), ("archived", "draft")]
    assert set(article.transitions.values_list("actor", flat=True)) == {editor.pk}


def test_the_editors_comment_is_kept_with_the_automatic_one(client, editor):
    client = signed_in(client, editor)
    article = article_in(S.APPROVED)

    edit(client, article, body="<p>Corrected.</p>", transition_comment="The trial's authors issued a correction")

    assert article.transitions.get().comment == f"{MEDICAL_CHANGE}: The trial's authors issued a correction"


def test_editing_other_fields_of_an_approved_article_keeps_it_approved(client, editor):
    client = signed_in(client, editor)
    article = article_in(S.APPROVED)

    response = edit(client, article, meta_description="For link previews.", tags="screening", embargo_note="None")

    assert article.status == S.APPROVED
    assert not article.transitions.exists()
    assert not any(BACK_TO_REVIEW_WARNING in message for message in messages_of(response))


def test_a_browsers_line_endings_are_not_a_change_of_medical_content(client, editor):
    client = signed_in(client, editor)
    article = article_in(S.APPROVED, body="<p>First.</p>\n<p>Second.</p>")

    edit(client, article, body="<p>First.</p>\r\n<p>Second.</p>\r\n")

    assert article.status == S.APPROVED


def test_publishing_an_approved_article_edited_in_the_same_save_sends_it_to_review_instead(client, editor):
    client = signed_in(client, editor)
    article = article_in(S.APPROVED)

    response = edit(client, article, status=S.PUBLISHED, body="<p>Changed just before publishing.</p>")

    assert article.status == S.IN_REVIEW
    assert statuses(article) == [("approved", "review")]
    assert any(BACK_TO_REVIEW_WARNING in message for message in messages_of(response))


def test_a_scheduled_article_keeps_its_approved_text_and_its_time_when_its_form_posts_a_change(client, editor):
    client = signed_in(client, editor)
    publish_at = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    article = ArticleFactory(publish_at=publish_at, summary="The approved summary.")

    edit(client, article, summary="A revised summary of the findings.")

    assert (article.summary, article.status, article.publish_at) == ("The approved summary.", S.PUBLISHED, publish_at)
    assert not article.transitions.exists()


def test_a_live_articles_form_cannot_change_its_medical_text_even_for_an_editor(client, editor):
    client = signed_in(client, editor)
    article = ArticleFactory(body="<p>The approved text.</p>")

    edit(client, article, body="<p>A typo fixed.</p>", meta_description="Now with a description.")

    assert article.is_visible
    assert (article.body, article.meta_description) == ("<p>The approved text.</p>", "Now with a description.")


def test_moving_an_edited_approved_article_elsewhere_than_published_makes_only_that_move(client, reviewer):
    client = signed_in(client, reviewer)
    article = article_in(S.APPROVED)

    edit(client, article, body="<p>Needs more work.</p>", status=S.DRAFT, transition_comment="Rewrite the second half")

    assert article.status == S.DRAFT
    assert list(article.transitions.values_list("to_status", "comment")) == [("draft", "Rewrite the second half")]


# --- The timeline ------------------------------------------------------------------------------


def test_change_page_shows_the_timeline_with_who_when_and_comment(client, superuser, writer, reviewer):
    article = article_in(S.DRAFT)
    services.article_transition(article=article, to_status=S.IN_REVIEW, by=writer)
    services.article_transition(article=article, to_status=S.APPROVED, by=reviewer, comment="Doses checked <ok>")
    when = timezone.localtime(article.transitions.last().created_at).strftime("%-d %b %Y, %H:%M")

    content = page(signed_in(client, superuser).get(change_url(article)))

    timeline = text_of(content[content.index('class="workflow-timeline"') :].split("</ol>", 1)[0])
    assert "writer@example.org: Draft → In review" in timeline
    assert f"{when} — reviewer@example.org: In review → Approved. Doses checked <ok>" in timeline
    assert timeline.index("Draft → In review") < timeline.index("In review → Approved")
    assert "Doses checked &lt;ok&gt;" in content


def test_timeline_names_no_one_for_a_step_whose_actor_left(client, superuser):
    leaver = UserFactory(is_staff=True, is_superuser=True)
    article = article_in(S.DRAFT)
    services.article_transition(article=article, to_status=S.IN_REVIEW, by=leaver)
    leaver.delete()

    content = page(signed_in(client, superuser).get(change_url(article)))

    assert "someone no longer on the staff: Draft → In review" in text_of(content)


def test_timeline_has_no_admin_of_its_own_so_history_cannot_be_edited():
    assert ArticleTransition not in admin.site._registry


def test_change_page_query_count_does_not_grow_with_the_timeline(client, superuser, django_assert_num_queries):
    """Guards against a query per timeline entry (for instance, one per actor)."""
    client = signed_in(client, superuser)
    article = article_in(S.DRAFT)

    def add_steps(count):
        for _ in range(count):
            actor = UserFactory(is_staff=True, is_superuser=True)
            services.article_transition(article=article, to_status=S.IN_REVIEW, by=actor)
            services.article_transition(article=article, to_status=S.DRAFT, by=actor)

    add_steps(1)
    client.get(change_url(article))  # fill per-process caches (content types) first
    with django_assert_num_queries(CHANGE_PAGE_QUERIES):
        client.get(change_url(article))
    add_steps(10)

    with django_assert_num_queries(CHANGE_PAGE_QUERIES):
        response = client.get(change_url(article))

    assert page(response).count("<li><time") == 22


# --- Who may say what readers of a published article are told --------------------------------


def test_writers_cannot_change_the_medical_content_of_a_published_article(client, writer):
    article = article_in(S.PUBLISHED, title="Dose A was studied", summary="Dose A.")
    ReferenceFactory(article=article, citation="Trial A, 2024.")
    ResearchFactsFactory(article=article, participants=120)

    response = edit(
        signed_in(client, writer),
        article,
        title="Dose B was studied",
        summary="Dose B.",
        **{"references-0-citation": "Trial B, 2025.", "research_facts-0-participants": "12"},
    )

    assert response.status_code == 200
    assert (article.title, article.summary) == ("Dose A was studied", "Dose A.")
    assert list(article.references.values_list("citation", flat=True)) == ["Trial A, 2024."]
    assert article.research_facts.participants == 120


@pytest.mark.parametrize("user", ["writer", "reviewer", "editor"])
def test_anyone_on_the_staff_may_start_changes_to_a_published_article_which_stays_as_approved(client, request, user):
    article = article_in(S.PUBLISHED, title="Dose A was studied")

    response = signed_in(client, request.getfixturevalue(user)).post(
        reverse("admin:articles_article_changes", args=[article.pk])
    )

    changes = Article.objects.get(changes_for=article)
    assert response.url == change_url(changes)
    assert (changes.title, changes.status) == ("Dose A was studied", S.DRAFT)
    assert Article.objects.visible().get() == article


@pytest.mark.parametrize("user", ["writer", "editor"])
def test_only_medical_reviewers_name_the_reviewer_and_the_review_date(client, request, user):
    article = article_in(S.PUBLISHED, last_reviewed=None)
    doctor = PersonFactory(name="Dr Someone")

    edit(
        signed_in(client, request.getfixturevalue(user)),
        article,
        medical_reviewer=doctor.pk,
        last_reviewed="2026-11-01",
    )

    assert article.medical_reviewer != doctor
    assert article.last_reviewed is None


def test_approving_needs_a_named_medical_reviewer(client, reviewer):
    article = article_in(S.IN_REVIEW, medical_reviewer=None)

    response = edit(signed_in(client, reviewer), article, status=S.APPROVED)

    assert article.status == S.IN_REVIEW
    assert "Name the medical reviewer" in page(response)
    with pytest.raises(services.TransitionRefused, match="Name the medical reviewer"):
        services.article_transition(article=article, to_status=S.APPROVED, by=reviewer)


def test_a_reviewer_names_themselves_and_approves_in_one_save_which_dates_the_review(client, reviewer):
    article = article_in(S.IN_REVIEW, medical_reviewer=None, last_reviewed=None)
    doctor = PersonFactory(name="Dr Someone")

    edit(signed_in(client, reviewer), article, medical_reviewer=doctor.pk, status=S.APPROVED)

    assert (article.status, article.medical_reviewer, article.last_reviewed) == (
        S.APPROVED,
        doctor,
        timezone.localdate(),
    )


def test_bulk_approval_skips_articles_without_a_named_reviewer(reviewer):
    named, unnamed = article_in(S.IN_REVIEW), article_in(S.IN_REVIEW, medical_reviewer=None)

    outcome = services.article_transition_bulk(
        articles=Article.objects.filter(pk__in=[named.pk, unnamed.pk]), to_status=S.APPROVED, by=reviewer
    )

    assert outcome.changed == 1
    assert any("Name the medical reviewer" in reason for reason in outcome.skipped)
