"""The editors' dashboard on the admin index: what each panel lists and in what order, who sees it, and
a query count that stays the same however much content and reader response the site has."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.admin import article_comments_url
from accounts.dashboard import COMMENTS_PER_ARTICLE
from accounts.models import Favorite, HelpfulnessVote
from articles import services
from articles.models import Article, ArticleTransition
from recommendations.models import SurveyResponse

from .factories import (
    ArticleFactory,
    FavoriteFactory,
    HelpfulnessVoteFactory,
    PersonFactory,
    SectionFactory,
    SurveyResponseFactory,
    UserFactory,
)
from .helpers import element, hrefs, page, text_of

INDEX = reverse("admin:index")


def panel(client, key):
    """The markup of one dashboard panel on the admin index, or '' when it is not shown."""
    return element(page(client.get(INDEX)), f'<section class="module" aria-labelledby="dashboard-{key}">', "</section>")


def linked_titles(markup):
    """Titles of the articles the panel links to, in order."""
    return re.findall(r'<a href="/admin/articles/article/\d+/change/">([^<]*)</a>', markup)


def rows(markup):
    """The cells of each body row of the panel's tables, as text."""
    return [
        [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", markup, re.S)
        if "<td" in row
    ]


def waited(article, days):
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(days=days))


def votes(article, *, yes, no):
    for is_helpful in [True] * yes + [False] * no:
        HelpfulnessVoteFactory(article=article, is_helpful=is_helpful)


# Editorial panels


def test_approved_article_waits_to_be_published_not_for_review(editor_client):
    ArticleFactory(title="Needs a reviewer", in_review=True)
    ArticleFactory(title="Reviewer approved", approved=True)

    review, publish = panel(editor_client, "review"), panel(editor_client, "publish")

    assert linked_titles(review) == ["Needs a reviewer"]
    assert linked_titles(publish) == ["Reviewer approved"]
    assert "Waiting for medical review (1)" in text_of(review)


def test_waiting_articles_are_listed_longest_waiting_first_with_how_long(editor_client):
    for title, days in [("Two days", 2), ("Nine days", 9), ("Five days", 5)]:
        waited(ArticleFactory(title=title, in_review=True), days)

    review = panel(editor_client, "review")

    assert linked_titles(review) == ["Nine days", "Five days", "Two days"]
    assert "1 week, 2 days" in text_of(review)


def test_waiting_counts_from_the_move_into_review_not_from_later_edits(editor_client, writer):
    handed_in = ArticleFactory(title="Handed in a week ago", status=Article.Status.DRAFT, publish_at=None)
    services.article_transition(article=handed_in, to_status=Article.Status.IN_REVIEW, by=writer)
    handed_in.transitions.update(created_at=timezone.now() - timedelta(days=7))
    waited(handed_in, 0)  # edited just now, while in review
    waited(ArticleFactory(title="Edited three days ago", in_review=True), 3)

    review = panel(editor_client, "review")

    assert linked_titles(review) == ["Handed in a week ago", "Edited three days ago"]
    assert "1 week" in text_of(review)


def test_a_long_queue_shows_eight_and_links_to_all_of_them(editor_client):
    for number in range(10):
        ArticleFactory(title=f"Queued {number}", in_review=True)

    review = panel(editor_client, "review")

    assert len(linked_titles(review)) == 8
    assert "Waiting for medical review (10)" in text_of(review)
    assert "/admin/articles/article/?status__exact=review" in hrefs(review)


def test_scheduled_panel_lists_the_next_seven_days_soonest_first(editor_client):
    now = timezone.now()
    ArticleFactory(title="In six days", publish_at=now + timedelta(days=6, hours=23))
    ArticleFactory(title="Tomorrow", publish_at=now + timedelta(days=1))
    ArticleFactory(title="Next week", publish_at=now + timedelta(days=7, hours=1))
    ArticleFactory(title="Already live", publish_at=now - timedelta(hours=1))
    ArticleFactory(title="Approved with a date", approved=True, publish_at=now + timedelta(days=2))

    scheduled = panel(editor_client, "scheduled")

    assert linked_titles(scheduled) == ["Tomorrow", "In six days"]
    tomorrow = timezone.localtime(now + timedelta(days=1))
    assert tomorrow.strftime("%a %-d %b, %H:%M") in text_of(scheduled)
    assert "/admin/articles/article/?publication=scheduled" in hrefs(scheduled)


def test_due_for_review_marks_overdue_articles_and_counts_them(editor_client):
    today = timezone.localdate()
    reviewer = PersonFactory(name="Dr Reviewer")
    ArticleFactory(title="Overdue", medical_reviewer=reviewer, last_reviewed=today - timedelta(days=400))
    ArticleFactory(title="Due soon", medical_reviewer=reviewer, last_reviewed=today - timedelta(days=350))
    ArticleFactory(title="Reviewed lately", medical_reviewer=reviewer, last_reviewed=today - timedelta(days=30))

    due = panel(editor_client, "due")

    assert linked_titles(due) == ["Overdue", "Due soon"]
    assert "Due for medical review (2, 1 overdue)" in text_of(due)
    (_, _, overdue), (_, _, due_soon) = rows(due)
    assert overdue.startswith("Overdue since")
    assert not due_soon.startswith("Overdue")
    assert reverse("admin:articles_dueforreview_changelist") in hrefs(due)


def test_editorial_panels_say_when_there_is_nothing_to_do(editor_client):
    content = text_of(page(editor_client.get(INDEX)))

    assert "Nothing is waiting for medical review." in content
    assert "No approved article is waiting to be published." in content
    assert "Nothing is scheduled for the next 7 days." in content
    assert "No medical review is overdue or due in the next 30 days." in content


# My work


def my_list(client, key):
    """The markup of one list in the My work panel ('returned', 'drafts', 'approved', 'scheduled')."""
    return element(page(client.get(INDEX)), f'<div class="dashboard-list" id="dashboard-my-{key}">', "</div>")


def submitted(article, *, by):
    services.article_transition(article=article, to_status=Article.Status.IN_REVIEW, by=by)


@pytest.fixture
def named_reviewer(reviewer):
    reviewer.first_name, reviewer.last_name = "Rita", "Okafor"
    reviewer.save()
    return reviewer


def test_my_drafts_are_the_drafts_i_created(writer_client, writer, editor):
    ArticleFactory(title="My draft", draft=True, created_by=writer)
    ArticleFactory(title="Someone else's draft", draft=True, created_by=editor)
    ArticleFactory(title="My published article", created_by=writer)
    ArticleFactory(title="My article in review", in_review=True, created_by=writer)

    drafts = my_list(writer_client, "drafts")

    assert linked_titles(drafts) == ["My draft"]
    assert "My drafts (1)" in text_of(drafts)


def test_an_article_sent_back_to_me_shows_who_when_and_their_comment(writer_client, writer, named_reviewer):
    article = ArticleFactory(title="Needs work", draft=True, created_by=writer, medical_reviewer=PersonFactory())
    submitted(article, by=writer)
    services.article_transition(
        article=article, to_status=Article.Status.DRAFT, by=named_reviewer, comment="Say which trial phase this was."
    )
    returned_at = timezone.localtime(article.transitions.last().created_at)

    returned = my_list(writer_client, "returned")

    assert linked_titles(returned) == ["Needs work"]
    assert rows(returned) == [
        ["Needs work Say which trial phase this was.", "Rita Okafor", returned_at.strftime("%a %-d %b, %H:%M")]
    ]
    assert "Needs work" not in my_list(writer_client, "drafts")  # listed once, where it asks for action


def test_a_returned_article_leaves_the_list_once_submitted_again(writer_client, writer, editor):
    article = ArticleFactory(title="Fixed", draft=True, created_by=writer)
    submitted(article, by=writer)
    services.article_transition(article=article, to_status=Article.Status.DRAFT, by=editor, comment="Shorter.")
    assert linked_titles(my_list(writer_client, "returned")) == ["Fixed"]

    submitted(article, by=writer)

    assert linked_titles(my_list(writer_client, "returned")) == []
    assert "No article of yours has been sent back for changes." in text_of(my_list(writer_client, "returned"))


def test_an_article_restored_from_the_archive_is_a_draft_not_a_returned_one(writer_client, writer, editor):
    article = ArticleFactory(title="Brought back", created_by=writer)
    services.article_archive(articles=Article.objects.filter(pk=article.pk), by=editor)
    services.article_unarchive(articles=Article.objects.filter(pk=article.pk), by=editor)

    assert linked_titles(my_list(writer_client, "returned")) == []
    assert linked_titles(my_list(writer_client, "drafts")) == ["Brought back"]


def test_my_articles_approved_recently_show_who_and_when(writer_client, writer, named_reviewer, editor):
    approved = ArticleFactory(title="Approved", in_review=True, created_by=writer, medical_reviewer=PersonFactory())
    services.article_transition(article=approved, to_status=Article.Status.APPROVED, by=named_reviewer)
    long_ago = ArticleFactory(title="Long ago", in_review=True, created_by=writer, medical_reviewer=PersonFactory())
    services.article_transition(article=long_ago, to_status=Article.Status.APPROVED, by=named_reviewer)
    long_ago.transitions.update(created_at=timezone.now() - timedelta(days=15))
    others = ArticleFactory(title="Not mine", in_review=True, created_by=editor, medical_reviewer=PersonFactory())
    services.article_transition(article=others, to_status=Article.Status.APPROVED, by=named_reviewer)
    approved_at = timezone.localtime(approved.transitions.get().created_at)

    listed = my_list(writer_client, "approved")

    assert rows(listed) == [["Approved", "Rita Okafor", approved_at.strftime("%a %-d %b, %H:%M"), "Approved"]]
    assert "Approved in the last 14 days (1)" in text_of(listed)


def test_an_approved_article_since_scheduled_says_so(writer_client, writer, named_reviewer, editor):
    article = ArticleFactory(title="On its way", in_review=True, created_by=writer, medical_reviewer=PersonFactory())
    services.article_transition(article=article, to_status=Article.Status.APPROVED, by=named_reviewer)
    services.article_transition(
        article=article, to_status=Article.Status.PUBLISHED, by=editor, publish_at=timezone.now() + timedelta(days=3)
    )

    (row,) = rows(my_list(writer_client, "approved"))

    assert row[-1] == "Scheduled"


def test_my_scheduled_articles_show_when_they_go_live(writer_client, writer, editor):
    later = timezone.now() + timedelta(days=3)
    ArticleFactory(title="Goes live later", publish_at=later, created_by=writer)
    ArticleFactory(title="Goes live sooner", publish_at=later - timedelta(days=1), created_by=writer)
    ArticleFactory(title="Already live", created_by=writer)
    ArticleFactory(title="Someone else's", publish_at=later, created_by=editor)

    scheduled = my_list(writer_client, "scheduled")

    assert linked_titles(scheduled) == ["Goes live sooner", "Goes live later"]
    assert timezone.localtime(later).strftime("%a %-d %b %Y, %H:%M") in text_of(scheduled)


def test_many_drafts_link_to_all_of_mine_in_the_article_list(writer_client, writer, editor):
    for number in range(9):
        ArticleFactory(title=f"Draft {number}", draft=True, created_by=writer)
    ArticleFactory(title="Someone else's draft", draft=True, created_by=editor)

    drafts = my_list(writer_client, "drafts")
    (link,) = [href for href in hrefs(drafts) if "created_by" in href]
    listed = page(writer_client.get(link))

    assert len(linked_titles(drafts)) == 8
    assert "My drafts (9)" in text_of(drafts)
    assert "Draft 8" in listed and "Someone else's draft" not in listed


def test_my_work_says_when_there_is_nothing(writer_client):
    content = text_of(page(writer_client.get(INDEX)))

    assert "You have no drafts." in content
    assert "No article of yours has been sent back for changes." in content
    assert "No article of yours was approved in the last 14 days." in content
    assert "No article of yours is scheduled." in content


def test_new_article_shortcut_is_for_those_who_may_add_articles(writer_client, client, reviewer):
    add = reverse("admin:articles_article_add")
    my_work_opening = '<section class="module dashboard-my-work"'
    assert add in hrefs(element(page(writer_client.get(INDEX)), my_work_opening, "</section>"))

    client.force_login(reviewer)
    content = page(client.get(INDEX))

    assert my_work_opening in content
    assert add not in hrefs(content)


def test_editors_see_all_drafts_with_who_created_them(editor_client, writer, editor):
    ArticleFactory(title="Writer's draft", draft=True, created_by=writer)
    ArticleFactory(title="Editor's draft", draft=True, created_by=editor)
    ArticleFactory(title="Draft from before", draft=True, created_by=None)
    Article.objects.filter(title="Writer's draft").update(updated_at=timezone.now() + timedelta(minutes=1))

    drafts = panel(editor_client, "all-drafts")

    assert [row[:2] for row in rows(drafts)] == [
        ["Writer's draft", "writer@example.org"],
        ["Draft from before", "not recorded"],
        ["Editor's draft", "editor@example.org"],
    ]
    assert "/admin/articles/article/?status__exact=draft" in hrefs(drafts)


def test_writers_and_reviewers_do_not_see_all_drafts(writer_client, client, reviewer):
    assert "dashboard-all-drafts" not in page(writer_client.get(INDEX))
    client.force_login(reviewer)
    assert "dashboard-all-drafts" not in page(client.get(INDEX))


# Readers' response panels


def test_most_saved_ranks_by_saves_in_the_last_30_days_with_all_time_saves(editor_client):
    old, recent = ArticleFactory(title="Old favourite"), ArticleFactory(title="Newly popular")
    for _ in range(5):
        FavoriteFactory(article=old)
    Favorite.objects.filter(article=old).update(created_at=timezone.now() - timedelta(days=60))
    FavoriteFactory(article=old)
    for _ in range(3):
        FavoriteFactory(article=recent)
    ArticleFactory(title="Never saved")

    saved = panel(editor_client, "saved")

    assert linked_titles(saved) == ["Newly popular", "Old favourite"]
    assert rows(saved) == [["Newly popular", "3", "3"], ["Old favourite", "1", "6"]]


def test_helpfulness_panels_rank_only_articles_with_enough_answers(editor_client):
    votes(ArticleFactory(title="Mostly yes"), yes=20, no=3)
    votes(ArticleFactory(title="Mostly no"), yes=1, no=4)
    votes(ArticleFactory(title="Too few answers"), yes=0, no=4)

    most, least = panel(editor_client, "most-helpful"), panel(editor_client, "least-helpful")

    assert linked_titles(most) == ["Mostly yes", "Mostly no"]
    assert linked_titles(least) == ["Mostly no", "Mostly yes"]
    assert "87 % of 23" in text_of(most)
    assert "20 % of 5" in text_of(least)


def test_least_helpful_shows_newest_comments_first_escaped_and_shortened(editor_client):
    article = ArticleFactory(title="Confusing")
    votes(article, yes=0, no=2)
    now = timezone.now()
    comments = [
        ("Oldest, so not shown", 3),
        ("Say what the trial means for me " * 10, 2),
        ("<script>alert('x')</script> too much jargon", 1),
    ]
    for comment, days_ago in comments:
        vote = HelpfulnessVoteFactory(article=article, is_helpful=False, comment=comment)
        HelpfulnessVote.objects.filter(pk=vote.pk).update(updated_at=now - timedelta(days=days_ago))

    least = panel(editor_client, "least-helpful")

    items = [text_of(item) for item in element(least, '<ul class="dashboard-comments">', "</ul>").split("<li>")[1:]]
    assert len(items) == COMMENTS_PER_ARTICLE == 2
    assert items[0] == "<script>alert('x')</script> too much jargon"
    assert items[1].startswith("Say what the trial means for me") and items[1].endswith("…")
    assert len(items[1]) == 160
    assert "<script>" not in least and "&lt;script&gt;" in least
    assert "All 3 comments" in text_of(least)
    assert article_comments_url(article.pk) in hrefs(least)


def test_reader_response_panels_say_when_there_is_nothing_yet(editor_client):
    content = text_of(page(editor_client.get(INDEX)))

    assert "No article was saved in the last 30 days." in content
    assert "No article has 5 or more answers yet." in content
    assert "No reader answered the survey in the last 30 days." in content


def test_survey_panel_summarises_the_last_30_days(editor_client):
    for rating in (5, 4, 4, 2):
        SurveyResponseFactory(rating=rating, more_of=["practical"], less_of=["hard_news"] if rating < 3 else [])
    old = SurveyResponseFactory(rating=1, more_of=["variety"])
    SurveyResponse.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))

    survey = panel(editor_client, "survey")

    assert "4 answers, average rating 3.8 of 5." in text_of(survey)
    assert rows(survey) == [
        ["5", "1", "25 %"],
        ["4", "2", "50 %"],
        ["3", "0", "0 %"],
        ["2", "1", "25 %"],
        ["1", "0", "0 %"],
        ["Practical advice for everyday life", "4", "0"],
        ["Difficult news (recurrence, secondary cancer)", "0", "1"],
    ]


# Who sees what


def test_staff_without_permissions_sees_the_plain_admin_index(client, db):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(INDEX)

    assert response.status_code == 200
    assert "editor-dashboard" not in page(response)


def test_readers_are_sent_to_the_admin_sign_in(reader_client):
    response = reader_client.get(INDEX)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_writers_see_editorial_panels_but_not_readers_response(writer_client):
    content = page(writer_client.get(INDEX))

    assert "dashboard-review" in content and "dashboard-scheduled" in content and "dashboard-my-work" in content
    for key in ("due", "saved", "most-helpful", "least-helpful", "survey"):
        assert f"dashboard-{key}" not in content


def test_editors_and_medical_reviewers_may_open_what_the_dashboard_summarises(editor_client, reviewer):
    for url in (
        "admin:articles_dueforreview_changelist",
        "admin:accounts_favorite_changelist",
        "admin:accounts_articlehelpfulness_changelist",
        "admin:accounts_helpfulnessvote_changelist",
        "admin:recommendations_surveyresponse_changelist",
    ):
        assert editor_client.get(reverse(url)).status_code == 200
    assert reviewer.has_perm("articles.view_dueforreview")


def test_each_readers_response_panel_needs_the_permission_of_the_list_it_summarises(client, db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "view_articlehelpfulness"]))
    client.force_login(user)

    content = page(client.get(INDEX))

    assert "dashboard-most-helpful" in content
    for key in ("least-helpful", "saved", "survey", "due"):
        assert f"dashboard-{key}" not in content


# Query count


def my_work(user, *, number):
    """`user`'s draft, article returned to them, article approved and scheduled article, and someone
    else's draft: one article in each list of My work and All drafts."""
    now = timezone.now()
    ArticleFactory(draft=True, created_by=user)
    ArticleFactory(draft=True)
    for to_status, article in [
        (Article.Status.DRAFT, ArticleFactory(draft=True, created_by=user)),
        (Article.Status.APPROVED, ArticleFactory(approved=True, created_by=user)),
    ]:
        ArticleTransition.objects.create(
            article=article, from_status=Article.Status.IN_REVIEW, to_status=to_status, actor=UserFactory(),
            comment=f"Comment {number}",
        )  # fmt: skip
    ArticleFactory(publish_at=now + timedelta(days=number % 6 + 1), created_by=user)


def grow(editor):
    """Many more articles in every state, and many saves, answers, comments and survey answers."""
    now = timezone.now()
    sections = [SectionFactory() for _ in range(3)]
    reviewer = PersonFactory()
    readers = [UserFactory() for _ in range(6)]
    for number in range(12):
        section = sections[number % 3]
        ArticleFactory(section=section, in_review=True)
        ArticleFactory(section=section, approved=True)
        ArticleFactory(section=section, publish_at=now + timedelta(days=number % 6 + 1))
        reviewed = ArticleFactory(
            section=section, medical_reviewer=reviewer, last_reviewed=timezone.localdate() - timedelta(days=380)
        )
        for reader in readers:
            FavoriteFactory(article=reviewed, user=reader)
        for vote in range(6):
            HelpfulnessVoteFactory(article=reviewed, is_helpful=vote % 3 == 0, comment=f"Comment {vote}")
        my_work(editor, number=number)
    for rating in range(1, 6):
        SurveyResponseFactory(rating=rating, more_of=["treatment", "variety"], less_of=["newer_research"])


@pytest.fixture
def small_site(editor):
    """One article in each state, the editor's own work, and a little reader response."""
    now = timezone.now()
    my_work(editor, number=0)
    ArticleFactory(in_review=True)
    ArticleFactory(approved=True)
    ArticleFactory(publish_at=now + timedelta(days=2))
    reviewed = ArticleFactory(
        medical_reviewer=PersonFactory(), last_reviewed=timezone.localdate() - timedelta(days=380)
    )
    FavoriteFactory(article=reviewed)
    votes(reviewed, yes=3, no=2)
    HelpfulnessVoteFactory(article=reviewed, is_helpful=False, comment="Too long")
    SurveyResponseFactory(rating=4, more_of=["practical"])


# The session with its user (1), the user's and their groups' permissions (2), recent actions (1),
# then one query per panel: my notifications, my drafts, returned to me, approved recently, my scheduled,
# all drafts (6), waiting for review, waiting to be published, scheduled, due for review, most saved, most
# helpful, least helpful with comments, survey (8).
EDITOR_DASHBOARD_QUERIES = 18


@pytest.mark.parametrize("size", ["small", "grown"])
def test_dashboard_query_count_does_not_grow_with_content(
    editor_client, editor, small_site, django_assert_num_queries, size
):
    """Guards against N+1: every panel is one query, whatever the number of articles and answers."""
    if size == "grown":
        grow(editor)

    with django_assert_num_queries(EDITOR_DASHBOARD_QUERIES):
        response = editor_client.get(INDEX)

    assert response.status_code == 200
    assert "editor-dashboard" in page(response)
