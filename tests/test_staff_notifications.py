"""Staff notifications: who hears of a move in the workflow or of an overdue medical review, on their desk in
the admin and by email (unless they turned email off), once, and only if the change that caused it is kept."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app

from articles import admin_notifications, services
from articles.models import Article, ArticleTransition, StaffNotification, StaffNotificationPreference
from outbox.models import Email

from .factories import ArticleFactory, PersonFactory, UserFactory
from .helpers import article_form, element, form_fields, page, text_of

pytestmark = pytest.mark.django_db

S = Article.Status
Kind = StaffNotification.Kind
INDEX = reverse("admin:index")
EMAIL_SETTINGS = reverse("admin:notifications_email")
MARK_READ = reverse("admin:notifications_read")
SITE_URL = "https://news.example.org"
# A Monday, and a day when the article below is long overdue for review (12 months after 2023-01-10).
MONDAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def staff(email, group, **names):
    return UserFactory(email=email, is_staff=True, groups=[Group.objects.get(name=group)], **names)


@pytest.fixture
def writer(db):
    return staff("writer@example.org", "Writers", first_name="Wendy", last_name="Writer")


@pytest.fixture
def reviewer(db):
    return staff("reviewer@example.org", "Medical reviewers", first_name="Rhona", last_name="Reviewer")


@pytest.fixture
def second_reviewer(db):
    return staff("second.reviewer@example.org", "Medical reviewers")


def browser(user):
    """A client that checks CSRF tokens as the site does for a browser, signed in as `user`."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def article_by(writer, status, **fields):
    fields.setdefault("medical_reviewer", PersonFactory())
    fields.setdefault("title", "Tamoxifen for ten years")
    return ArticleFactory(status=status, publish_at=None, created_by=writer, **fields)


def move_in_the_admin(user, article, to_status, comment=""):
    """What a browser sends from the article's change page: the form as shown (with its CSRF token), with the
    status chosen and a comment for the timeline."""
    client = browser(user)
    data, _ = article_form(client, change_url(article))
    assert data["csrfmiddlewaretoken"]
    data.update(status=to_status, transition_comment=comment)
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == to_status
    return article.transitions.latest("created_at", "pk")


def mail_to(mailoutbox, user):
    return [message for message in mailoutbox if message.to == [user.email]]


def desk(client):
    return element(page(client.get(INDEX)), '<section class="module" aria-labelledby="dashboard-notifications">',
                   "</section>")  # fmt: skip


def desk_messages(markup):
    """The notifications listed on the desk, in order."""
    links = re.findall(r'<td><a href="/admin/articles/article/\d+/change/">(.*?)</a>', markup)
    return [text_of(link) for link in links]


# --- Who hears what -----------------------------------------------------------------------------------


def test_submitting_in_the_admin_emails_each_medical_reviewer_once_and_the_writer_nothing(
    mailoutbox, writer, reviewer, second_reviewer, editor, superuser
):
    article = article_by(writer, S.DRAFT)

    move = move_in_the_admin(writer, article, S.IN_REVIEW, comment="Ready; the new figures are in paragraph 3")

    assert sorted(message.to[0] for message in mailoutbox) == sorted([reviewer.email, second_reviewer.email])
    email = mail_to(mailoutbox, reviewer)[0]
    assert email.subject == "For medical review: Tamoxifen for ten years"
    for words in (
        "Wendy Writer submitted “Tamoxifen for ten years” for medical review.",
        "Move: Draft → In review, by Wendy Writer",
        "Comment: Ready; the new figures are in paragraph 3",
        f"{SITE_URL}/admin/articles/article/{article.pk}/change/",
        f"{SITE_URL}{EMAIL_SETTINGS}",
    ):
        assert words in email.body
    # One email per reviewer and move, under a send key naming both.
    assert Email.objects.filter(key=f"staff-notification:move:{move.pk}:user:{reviewer.pk}").exists()
    assert set(StaffNotification.objects.values_list("recipient", "kind")) == {
        (reviewer.pk, Kind.SUBMITTED),
        (second_reviewer.pk, Kind.SUBMITTED),
    }


def test_approving_in_the_admin_tells_the_writer_with_the_reviewers_comment(mailoutbox, writer, reviewer):
    article = article_by(writer, S.IN_REVIEW)

    move_in_the_admin(reviewer, article, S.APPROVED, comment="Checked against the trial report")

    [email] = mailoutbox
    assert (email.to, email.subject) == ([writer.email], "Approved: Tamoxifen for ten years")
    assert "Rhona Reviewer approved the medical content of “Tamoxifen for ten years”." in email.body
    assert "Comment: Checked against the trial report" in email.body
    notification = StaffNotification.objects.get()
    assert (notification.recipient, notification.kind) == (writer, Kind.APPROVED)


def test_returning_in_the_admin_tells_the_writer_with_the_comment_on_the_desk_and_by_email(
    client, mailoutbox, writer, reviewer
):
    article = article_by(writer, S.IN_REVIEW)

    move_in_the_admin(reviewer, article, S.DRAFT, comment="Say how many women took part")

    [email] = mailoutbox
    assert (email.to, email.subject) == ([writer.email], "Returned to you: Tamoxifen for ten years")
    assert "Comment: Say how many women took part" in email.body
    client.force_login(writer)
    assert desk_messages(desk(client)) == [
        "Rhona Reviewer sent “Tamoxifen for ten years” back to draft. Their comment: “Say how many women took part”"
    ]


@pytest.mark.parametrize(
    ("source", "target", "where"),
    [(S.IN_REVIEW, S.DRAFT, "draft"), (S.APPROVED, S.DRAFT, "draft"), (S.APPROVED, S.IN_REVIEW, "review")],
)
def test_every_return_tells_the_writer(mailoutbox, writer, editor, source, target, where):
    article = article_by(writer, source)

    services.article_transition(article=article, to_status=target, by=editor, comment="Not yet")

    notification = StaffNotification.objects.get()
    assert (notification.recipient, notification.kind, notification.article) == (writer, Kind.RETURNED, article)
    assert f"back to {where}. Their comment: “Not yet”" in notification.message
    assert [message.to for message in mailoutbox] == [[writer.email]]


@pytest.mark.parametrize(
    ("source", "target"), [(S.APPROVED, S.PUBLISHED), (S.PUBLISHED, S.DRAFT), (S.DRAFT, S.ARCHIVED)]
)
def test_moves_no_one_needs_to_hear_of_tell_no_one(mailoutbox, writer, reviewer, editor, source, target):
    services.article_transition(article=article_by(writer, source), to_status=target, by=editor)

    assert not StaffNotification.objects.exists()
    assert len(mailoutbox) == 0


def test_no_one_hears_of_their_own_move(mailoutbox, reviewer, second_reviewer):
    article = article_by(reviewer, S.DRAFT)  # a reviewer who writes too

    services.article_transition(article=article, to_status=S.IN_REVIEW, by=reviewer)
    services.article_transition(article=article, to_status=S.DRAFT, by=reviewer, comment="Withdrawn to rework")

    assert list(StaffNotification.objects.values_list("recipient", "kind")) == [(second_reviewer.pk, Kind.SUBMITTED)]
    assert [message.to for message in mailoutbox] == [[second_reviewer.email]]


def test_superusers_and_inactive_reviewers_are_not_told_of_submissions(mailoutbox, writer, reviewer, superuser):
    gone = staff("gone@example.org", "Medical reviewers", is_active=False)

    services.article_transition(article=article_by(writer, S.DRAFT), to_status=S.IN_REVIEW, by=writer)

    recipients = set(StaffNotification.objects.values_list("recipient", flat=True))
    assert recipients == {reviewer.pk}
    assert not {superuser.pk, gone.pk} & recipients


def test_a_reviewer_by_a_permission_of_their_own_is_told_too(writer):
    own = UserFactory(email="own@example.org", is_staff=True)
    own.user_permissions.add(Permission.objects.get(codename="approve_article"))

    services.article_transition(article=article_by(writer, S.DRAFT), to_status=S.IN_REVIEW, by=writer)

    assert list(StaffNotification.objects.values_list("recipient", flat=True)) == [own.pk]


def test_the_bulk_action_tells_each_reviewer_once_per_article(mailoutbox, writer, reviewer, second_reviewer):
    articles = [article_by(writer, S.DRAFT, title=f"Study {number}", slug=f"study-{number}") for number in range(3)]
    client = browser(writer)
    token = client.get(reverse("admin:articles_article_changelist")).cookies["csrftoken"].value

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "send_selected_to_review", "_selected_action": [a.pk for a in articles], "index": 0,
         "csrfmiddlewaretoken": token},
    )  # fmt: skip

    assert response.status_code == 302
    for user in (reviewer, second_reviewer):
        assert sorted(StaffNotification.objects.filter(recipient=user).values_list("article", flat=True)) == [
            article.pk for article in articles
        ]
        assert len(mail_to(mailoutbox, user)) == 3
    assert len(mailoutbox) == 6


def test_a_move_rolled_back_tells_no_one(mailoutbox, writer, reviewer):
    class Undone(Exception):
        pass

    article = article_by(writer, S.DRAFT)
    with pytest.raises(Undone), transaction.atomic():
        services.article_transition(article=article, to_status=S.IN_REVIEW, by=writer)
        assert StaffNotification.objects.exists()  # made in the move's transaction...
        raise Undone

    assert not StaffNotification.objects.exists()  # ...and gone with it
    assert not Email.objects.exists()
    assert len(mailoutbox) == 0


# --- Turning emails off ---------------------------------------------------------------------------------


def set_email_choice(user, on):
    client = browser(user)
    data, names = form_fields(page(client.get(EMAIL_SETTINGS)), "notification-email")
    assert "email" in names and data["csrfmiddlewaretoken"]
    data = {"csrfmiddlewaretoken": data["csrfmiddlewaretoken"][0], **({"email": "on"} if on else {})}
    return client.post(EMAIL_SETTINGS, data, follow=True)


def test_turning_emails_off_stops_them_but_not_the_desk(mailoutbox, writer, reviewer, second_reviewer):
    response = set_email_choice(reviewer, on=False)

    assert [str(m) for m in response.context["messages"]] == [
        "Notification emails are off: your notifications appear on your desk only."
    ]
    assert StaffNotificationPreference.objects.get(user=reviewer).email is False
    services.article_transition(article=article_by(writer, S.DRAFT), to_status=S.IN_REVIEW, by=writer)

    assert [message.to for message in mailoutbox] == [[second_reviewer.email]]
    assert StaffNotification.objects.filter(recipient=reviewer, kind=Kind.SUBMITTED).exists()


def test_turning_emails_on_again_sends_them_again(mailoutbox, writer, reviewer):
    set_email_choice(reviewer, on=False)
    response = set_email_choice(reviewer, on=True)

    assert "Notification emails are on" in str(list(response.context["messages"])[0])
    services.article_transition(article=article_by(writer, S.DRAFT), to_status=S.IN_REVIEW, by=writer)
    assert [message.to for message in mailoutbox] == [[reviewer.email]]


def test_the_email_choice_needs_the_csrf_token(reviewer):
    response = browser(reviewer).post(EMAIL_SETTINGS, {})

    assert response.status_code == 403
    assert not StaffNotificationPreference.objects.exists()


def test_the_email_choice_is_shown_as_it_stands(client, reviewer):
    StaffNotificationPreference.objects.create(user=reviewer, email=False)
    client.force_login(reviewer)

    data, _ = form_fields(page(client.get(EMAIL_SETTINGS)), "notification-email")

    assert "email" not in data  # the box is not ticked


# --- Overdue medical reviews ----------------------------------------------------------------------------


@pytest.fixture
def overdue(writer, reviewer):
    """A published article last reviewed, and approved by `reviewer`, in January 2023: overdue by MONDAY."""
    article = ArticleFactory(title="Screening at 40", last_reviewed=date(2023, 1, 10), created_by=writer,
                             publish_at=timezone.now() - timedelta(days=1200))  # fmt: skip
    ArticleTransition.objects.create(article=article, from_status=S.IN_REVIEW, to_status=S.APPROVED, actor=reviewer,
                                     created_at=timezone.now() - timedelta(days=1200))  # fmt: skip
    return article


def test_overdue_reviews_tell_the_reviewer_and_the_editors_once_a_week(
    mailoutbox, overdue, writer, reviewer, second_reviewer, editor
):
    ArticleFactory(title="Reviewed lately", last_reviewed=MONDAY - timedelta(days=300))  # due soon, not overdue

    services.review_reminders_send(today=MONDAY)
    services.review_reminders_send(today=MONDAY + timedelta(days=4))  # the same week, run again

    assert sorted(message.to[0] for message in mailoutbox) == [editor.email, reviewer.email]
    email = mail_to(mailoutbox, reviewer)[0]
    assert email.subject == "Medical review overdue: Screening at 40"
    assert "The medical review of “Screening at 40” is overdue: it was due on 10 January 2024." in email.body
    assert f"{SITE_URL}/admin/articles/article/{overdue.pk}/change/" in email.body
    assert set(StaffNotification.objects.values_list("recipient", "article", "kind")) == {
        (reviewer.pk, overdue.pk, Kind.REVIEW_OVERDUE),
        (editor.pk, overdue.pk, Kind.REVIEW_OVERDUE),
    }

    services.review_reminders_send(today=MONDAY + timedelta(days=7))  # next week: told again

    assert len(mailoutbox) == 4
    assert StaffNotification.objects.count() == 4


def test_an_overdue_review_with_email_off_is_on_the_desk_only(mailoutbox, overdue, reviewer, editor):
    StaffNotificationPreference.objects.create(user=reviewer, email=False)

    services.review_reminders_send(today=MONDAY)

    assert [message.to for message in mailoutbox] == [[editor.email]]
    assert StaffNotification.objects.filter(recipient=reviewer, kind=Kind.REVIEW_OVERDUE).exists()


def test_the_review_reminders_are_checked_hourly_for_monday_mornings_on_the_maintenance_queue():
    periodic = {task.task.name: task for task in app.periodic_registry.periodic_tasks.values()}
    reminders = periodic["articles.tasks.send_review_reminders"]
    assert (reminders.cron, reminders.periodic_id) == ("0 * * * *", "review_reminders")
    assert reminders.task.queue == "maintenance"


# --- The desk -------------------------------------------------------------------------------------------


def notification(user, message, *, minutes_ago=0, **fields):
    return StaffNotification.objects.create(
        recipient=user, article=fields.pop("article", None) or ArticleFactory(), kind=Kind.SUBMITTED,
        message=message, key=f"test:{user.pk}:{message}", created_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )  # fmt: skip


def test_the_desk_lists_only_my_unread_notifications_newest_first_linking_to_the_article(
    client, reviewer, second_reviewer
):
    older = notification(reviewer, "Older for me", minutes_ago=30)
    notification(reviewer, "Newer for me", minutes_ago=5)
    notification(reviewer, "Read already", read_at=timezone.now())
    notification(second_reviewer, "For someone else")
    client.force_login(reviewer)

    markup = desk(client)

    assert "Notifications (2 unread)" in text_of(markup)
    assert desk_messages(markup) == ["Newer for me", "Older for me"]
    assert f'href="/admin/articles/article/{older.article_id}/change/"' in markup


def mark_read(user, button):
    """Press a button of the desk's form, as a browser does: the form's token and the button pressed."""
    client = browser(user)
    data, _ = form_fields(page(client.get(INDEX)), "notifications-read")
    return client.post(MARK_READ, {"csrfmiddlewaretoken": data["csrfmiddlewaretoken"][0], **button}, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_marking_one_read_takes_it_off_my_desk(reviewer):
    first = notification(reviewer, "First", minutes_ago=10)
    notification(reviewer, "Second")

    response = mark_read(reviewer, {"notification": first.pk})

    assert messages_of(response) == ["Marked 1 notification read."]
    first.refresh_from_db()
    assert first.read_at is not None
    assert desk_messages(desk(response.client)) == ["Second"]


def test_marking_all_read_leaves_one_that_arrived_meanwhile_unread(reviewer):
    for number in range(3):
        notification(reviewer, f"Shown {number}", minutes_ago=10 - number)
    shown_newest = StaffNotification.objects.latest("pk")
    client = browser(reviewer)
    data, _ = form_fields(page(client.get(INDEX)), "notifications-read")
    arrived = notification(reviewer, "Arrived while I read")

    response = client.post(MARK_READ, {"csrfmiddlewaretoken": data["csrfmiddlewaretoken"][0],
                                       "up_to": shown_newest.pk}, follow=True)  # fmt: skip

    assert messages_of(response) == ["Marked 3 notifications read."]
    assert list(StaffNotification.objects.filter(read_at=None)) == [arrived]


def test_no_one_can_mark_someone_elses_notification_read(reviewer, second_reviewer):
    notification(reviewer, "Mine")
    theirs = notification(second_reviewer, "Theirs")

    response = mark_read(reviewer, {"notification": theirs.pk})

    assert messages_of(response) == [admin_notifications.NOT_MARKED]
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("button", [{}, {"notification": "x"}, {"notification": "9" * 30}, {"up_to": "-1"}])
def test_junk_from_the_desk_form_gets_a_message(reviewer, button):
    mine = notification(reviewer, "Mine")

    response = mark_read(reviewer, button)

    assert response.status_code == 200
    assert messages_of(response) == [admin_notifications.UNREADABLE]
    mine.refresh_from_db()
    assert mine.read_at is None


def test_marking_read_needs_the_csrf_token_and_a_post(reviewer):
    mine = notification(reviewer, "Mine")
    client = browser(reviewer)

    assert client.post(MARK_READ, {"notification": mine.pk}).status_code == 403
    assert client.get(MARK_READ).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


# Reviewer's desk: the session with its user (1), their groups' permissions (2), recent actions (1),
# My work: notifications, my drafts, returned to me, approved recently, my scheduled (5); waiting for review,
# waiting to be published, scheduled, due for review (4).
REVIEWER_DESK_QUERIES = 13
# The session with its user (1), the preference (1), and the app list of the admin's sidebar (2).
EMAIL_SETTINGS_QUERIES = 4


@pytest.mark.parametrize("count", [1, 20])
def test_the_desk_query_count_does_not_grow_with_notifications(client, reviewer, django_assert_num_queries, count):
    """Guards against N+1: the notifications are one query, however many there are."""
    for number in range(count):
        notification(reviewer, f"Notification {number}")
    client.force_login(reviewer)

    with django_assert_num_queries(REVIEWER_DESK_QUERIES):
        response = client.get(INDEX)

    assert f"Notifications ({count} unread)" in text_of(page(response))


def test_the_email_settings_page_keeps_its_query_budget(client, reviewer, django_assert_num_queries):
    StaffNotificationPreference.objects.create(user=reviewer, email=False)
    client.force_login(reviewer)

    with django_assert_num_queries(EMAIL_SETTINGS_QUERIES):
        response = client.get(EMAIL_SETTINGS)

    assert response.status_code == 200
