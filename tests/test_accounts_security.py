"""Readers' forms are safe: CSRF protection on every POST, rate limits per address, and no unescaped input."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import ratelimit, services
from accounts.models import Favorite, HelpfulnessVote, NewsletterSubscription, Profile, RateLimitCounter, User
from accounts.services import newsletter_unsubscribe_link

from .factories import ArticleFactory, HelpfulnessVoteFactory, NewsletterSubscriptionFactory, UserFactory
from .helpers import page, text_of

PASSWORD = "a-long-test-password"  # as set by UserFactory
SCRIPT = '<script>alert("x")</script>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
SLOW_DOWN_TEXT = "Please slow down"


# --- CSRF ------------------------------------------------------------------------------------


@pytest.fixture
def article(db):
    return ArticleFactory(title="Tamoxifen after surgery")


def snapshot(user):
    """Everything a POST could change for `user`, to compare before and after."""
    user.refresh_from_db()
    profile = Profile.objects.filter(user=user).first()
    return {
        "users": User.objects.count(),
        "password": user.password,
        "profile": (profile.display_name, profile.personalisation) if profile else None,
        "favorites": Favorite.objects.count(),
        "votes": list(HelpfulnessVote.objects.order_by("pk").values_list("is_helpful", "comment")),
        "subscriptions": list(NewsletterSubscription.objects.order_by("pk").values_list("email", "unsubscribed_at")),
        "mail": len(mail.outbox),
    }


CSRF_CASES = {
    # name: (url name, needs the article id, data, sent by a signed-in reader)
    "join": ("accounts:join", False, {"email": "new@example.org", "password": "Purple-giraffe-42"}, False),
    "sign in": ("accounts:sign_in", False, {"username": "reader@example.org", "password": PASSWORD}, False),
    "sign out": ("accounts:sign_out", False, {}, True),
    "resend confirmation": ("accounts:resend_confirmation", False, {}, True),
    "profile": ("accounts:profile", False, {"display_name": "Changed", "personalisation": "on"}, True),
    "favorite": ("accounts:favorite", True, {"action": "save"}, True),
    "vote": ("accounts:vote", True, {"helpful": "no"}, True),
    "vote comment": ("accounts:vote_comment", True, {"comment": "Changed"}, True),
    "newsletter": ("accounts:newsletter", False, {"email": "new@example.org"}, False),
    "newsletter while signed in": ("accounts:newsletter", False, {"email": "reader@example.org"}, True),
    "delete account": ("accounts:delete_account", False, {"password": PASSWORD}, True),
    "password change": (
        "accounts:password_change",
        False,
        {"old_password": PASSWORD, "new_password1": "Purple-giraffe-42", "new_password2": "Purple-giraffe-42"},
        True,
    ),
    "password reset": ("accounts:password_reset", False, {"email": "reader@example.org"}, False),
}


@pytest.mark.parametrize(("url_name", "with_article", "data", "signed_in"), CSRF_CASES.values(), ids=CSRF_CASES.keys())
def test_post_without_a_csrf_token_is_refused_and_changes_nothing(
    reader, article, django_capture_on_commit_callbacks, url_name, with_article, data, signed_in
):
    Profile.objects.create(user=reader, display_name="Original")
    HelpfulnessVoteFactory(user=reader, article=article, is_helpful=True, comment="Original")
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        client.force_login(reader)
    url = reverse(url_name, args=[article.pk] if with_article else [])
    before = snapshot(reader)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 403
    assert "CSRF verification failed" in page(response)
    assert snapshot(reader) == before
    assert (SESSION_KEY in client.session) is signed_in


def test_setting_a_new_password_from_a_reset_link_without_a_csrf_token_is_refused(reader, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:password_reset"))
    client.post(
        reverse("accounts:password_reset"),
        {"email": reader.email, "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    [link] = [word for word in mailoutbox[0].body.split() if word.startswith("http://testserver/")]
    set_password_url = client.get(link.removeprefix("http://testserver"), follow=True).redirect_chain[-1][0]

    response = client.post(
        set_password_url, {"new_password1": "Purple-giraffe-42", "new_password2": "Purple-giraffe-42"}
    )

    assert response.status_code == 403
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


def test_post_with_the_csrf_token_from_the_page_is_accepted(reader, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    client.get(article.get_absolute_url())

    response = client.post(
        reverse("accounts:favorite", args=[article.pk]),
        {"action": "save", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )

    assert response.status_code == 302
    assert Favorite.objects.filter(user=reader, article=article).exists()


# --- Rate limits -----------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """Rate limits count in windows of time; hold the limiter's clock still (and move it on demand)."""
    now = SimpleNamespace(value=timezone.now().replace(minute=30, second=0, microsecond=0))
    monkeypatch.setattr(ratelimit, "timezone", SimpleNamespace(now=lambda: now.value))
    return now


def assert_slowed_down(response, retry_after):
    assert response.status_code == 429
    assert response["Retry-After"] == str(retry_after)
    content = text_of(page(response))
    assert SLOW_DOWN_TEXT in content
    assert "Nothing you entered was saved this time" in content


def join_attempt(client, number, **extra):
    return client.post(reverse("accounts:join"), {"email": f"not-an-email-{number}", "password": "x"}, **extra)


def test_ten_join_attempts_an_hour_are_allowed(client, db, clock):
    responses = [join_attempt(client, number) for number in range(10)]

    assert [response.status_code for response in responses] == [200] * 10


def test_the_eleventh_join_attempt_in_an_hour_is_slowed_down(client, db, clock):
    for number in range(10):
        join_attempt(client, number)

    response = client.post(reverse("accounts:join"), {"email": "real@example.org", "password": "Purple-giraffe-42"})

    assert_slowed_down(response, 3600)
    assert "try again in 60 minutes" in text_of(page(response))
    assert not User.objects.exists()


def test_join_limit_is_per_client_address(client, db, clock):
    for number in range(11):
        join_attempt(client, number)

    response = join_attempt(client, 99, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200


def test_join_limit_ignores_a_forwarded_for_header_from_the_client(client, db, clock):
    for number in range(10):
        join_attempt(client, number)

    response = join_attempt(client, 99, HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert response.status_code == 429


def test_join_limit_does_not_count_or_refuse_reading_the_page(client, db, clock):
    for number in range(10):
        join_attempt(client, number)

    assert client.get(reverse("accounts:join")).status_code == 200
    assert RateLimitCounter.objects.get().count == 10


def test_join_limit_ends_with_the_hour(client, db, clock):
    for number in range(11):
        join_attempt(client, number)

    clock.value += timedelta(hours=1)

    assert join_attempt(client, 99).status_code == 200


def test_rate_limits_are_counted_in_the_database_per_scope_and_address(client, article, clock):
    join_attempt(client, 1)
    join_attempt(client, 2, REMOTE_ADDR="203.0.113.7")
    client.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "yes"})

    counts = dict(RateLimitCounter.objects.values_list("key", "count"))

    assert counts == {
        "join:127.0.0.1": 1,
        "join:203.0.113.7": 1,
        "vote:127.0.0.1": 1,
        f"vote-new:{article.pk}:127.0.0.1": 1,
    }


def test_thirty_votes_in_ten_minutes_are_allowed_and_the_thirty_first_is_not(client, db, clock):
    articles = [ArticleFactory() for _ in range(31)]
    responses = [client.post(reverse("accounts:vote", args=[a.pk]), {"helpful": "yes"}) for a in articles]

    assert [response.status_code for response in responses[:30]] == [302] * 30
    assert_slowed_down(responses[30], 600)
    assert HelpfulnessVote.objects.count() == 30
    assert not HelpfulnessVote.objects.filter(article=articles[30]).exists()


def test_comments_share_the_vote_limit(client, article, clock):
    for _ in range(30):
        client.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "no"})

    response = client.post(reverse("accounts:vote_comment", args=[article.pk]), {"comment": "Shorter, please."})

    assert response.status_code == 429
    assert HelpfulnessVote.objects.get().comment == ""


def test_vote_limit_is_per_client_address(client, article, clock):
    for _ in range(31):
        client.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "yes"})

    response = Client().post(reverse("accounts:vote", args=[article.pk]), {"helpful": "no"}, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 302


def test_vote_limit_ends_after_ten_minutes(client, article, clock):
    for _ in range(31):
        client.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "yes"})

    clock.value += timedelta(minutes=10)

    assert client.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "no"}).status_code == 302


SHARED_ADDRESS = "198.51.100.7"
NOT_COUNTED_TEXT = "We could not count this answer"


def fresh_vote(article, helpful="yes", address=SHARED_ADDRESS, **extra):
    """A vote from a browser with no voter cookie yet, as a stuffer sends each one."""
    return Client().post(
        reverse("accounts:vote", args=[article.pk]), {"helpful": helpful}, REMOTE_ADDR=address, **extra
    )


def voter_cookie_set(response):
    return services.VOTER_COOKIE in response.cookies


def test_one_address_gets_only_five_new_anonymous_votes_per_article_a_day(article, clock):
    responses = [fresh_vote(article) for _ in range(8)]

    # Five, not one: a family or a hospital ward may share an address.
    assert HelpfulnessVote.objects.filter(article=article).count() == 5
    assert [response.status_code for response in responses] == [302] * 8
    assert all(voter_cookie_set(response) for response in responses[:5])
    assert not any(voter_cookie_set(response) for response in responses[5:])


def test_a_vote_beyond_the_ceiling_gets_a_kind_message_on_the_article(article, clock):
    for _ in range(5):
        fresh_vote(article)

    response = fresh_vote(article, follow=True)

    assert response.redirect_chain == [(f"{article.get_absolute_url()}#helpful", 302)]
    text = text_of(page(response))
    assert f"{NOT_COUNTED_TEXT}: we already have several answers about this article from your internet" in text
    assert HelpfulnessVote.objects.count() == 5


def test_a_vote_beyond_the_ceiling_gets_a_json_reply_for_the_script(article, clock):
    for _ in range(5):
        fresh_vote(article)

    response = fresh_vote(article, HTTP_ACCEPT="application/json")

    assert response.status_code == 429
    body = response.json()
    assert body["counted"] is False
    assert NOT_COUNTED_TEXT in body["message"]
    assert HelpfulnessVote.objects.count() == 5


def test_a_reader_with_a_cookie_can_still_change_their_vote_after_the_ceiling(article, clock):
    own = Client()
    own.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "yes"}, REMOTE_ADDR=SHARED_ADDRESS)
    for _ in range(6):
        fresh_vote(article)
    assert HelpfulnessVote.objects.count() == 5

    response = own.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "no"}, REMOTE_ADDR=SHARED_ADDRESS)

    assert response.status_code == 302
    assert HelpfulnessVote.objects.count() == 5
    assert HelpfulnessVote.objects.filter(is_helpful=False).count() == 1


def test_cookies_from_votes_on_other_articles_count_as_new_voters_here(article, clock):
    voters = []
    for _ in range(7):
        voter = Client()
        voter.post(reverse("accounts:vote", args=[ArticleFactory().pk]), {"helpful": "yes"}, REMOTE_ADDR=SHARED_ADDRESS)
        voters.append(voter)

    for voter in voters:
        voter.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "no"}, REMOTE_ADDR=SHARED_ADDRESS)

    assert HelpfulnessVote.objects.filter(article=article).count() == 5


def test_the_new_voter_ceiling_is_per_article(article, clock):
    for _ in range(6):
        fresh_vote(article)

    fresh_vote(ArticleFactory())

    assert HelpfulnessVote.objects.exclude(article=article).count() == 1


def test_the_new_voter_ceiling_is_per_address(article, clock):
    for _ in range(6):
        fresh_vote(article)

    fresh_vote(article, address="203.0.113.7")

    assert HelpfulnessVote.objects.filter(article=article).count() == 6


def test_signed_in_readers_are_not_held_by_the_anonymous_ceiling(article, reader, clock):
    for _ in range(6):
        fresh_vote(article)
    client = Client()
    client.force_login(reader)

    client.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "yes"}, REMOTE_ADDR=SHARED_ADDRESS)

    assert HelpfulnessVote.objects.filter(article=article, user=reader).exists()


def test_the_new_voter_ceiling_ends_with_the_day(article, clock):
    for _ in range(6):
        fresh_vote(article)

    clock.value += timedelta(days=1)
    fresh_vote(article)

    assert HelpfulnessVote.objects.filter(article=article).count() == 6


def test_password_guesses_at_finishing_joining_are_limited_to_ten_in_ten_minutes(
    client, db, clock, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("accounts:join"), {"email": "new@example.org", "password": "Purple-giraffe-42"})
    [link] = [word for word in mailoutbox[0].body.split() if word.startswith("http://testserver/accounts/confirm/")]
    finish = link.removeprefix("http://testserver")

    guesses = [client.post(finish, {"password": f"guess-number-{number}"}) for number in range(10)]
    response = client.post(finish, {"password": "Purple-giraffe-42"})

    assert [guess.status_code for guess in guesses] == [200] * 10
    assert_slowed_down(response, 600)
    assert not User.objects.get(email="new@example.org").is_active


def test_five_newsletter_sign_ups_an_hour_are_allowed_and_the_sixth_is_not(
    client, db, clock, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.post(reverse("accounts:newsletter"), {"email": f"person{number}@example.org"}) for number in range(6)
        ]

    assert [response.status_code for response in responses[:5]] == [302] * 5
    assert_slowed_down(responses[5], 3600)
    assert NewsletterSubscription.objects.count() == 5
    assert not NewsletterSubscription.objects.filter(email="person5@example.org").exists()
    assert len(mailoutbox) == 5


def test_newsletter_limit_is_per_client_address(client, db, clock, django_capture_on_commit_callbacks):
    for number in range(6):
        client.post(reverse("accounts:newsletter"), {"email": f"person{number}@example.org"})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:newsletter"), {"email": "elsewhere@example.org"}, REMOTE_ADDR="203.0.113.7"
        )

    assert response.status_code == 302
    assert NewsletterSubscription.objects.filter(email="elsewhere@example.org").exists()


def test_newsletter_page_can_still_be_read_when_the_limit_is_reached(client, db, clock):
    for number in range(6):
        client.post(reverse("accounts:newsletter"), {"email": f"person{number}@example.org"})

    assert client.get(reverse("accounts:newsletter")).status_code == 200


def test_password_reset_requests_are_limited_to_five_an_hour(client, reader, clock, mailoutbox):
    responses = [client.post(reverse("accounts:password_reset"), {"email": reader.email}) for _ in range(6)]

    assert [response.status_code for response in responses[:5]] == [302] * 5
    assert_slowed_down(responses[5], 3600)
    assert len(mailoutbox) == 5


def test_old_rate_limit_windows_are_forgotten(db, clock):
    RateLimitCounter.objects.create(key="join:127.0.0.1", window_start=clock.value - timedelta(days=2), count=11)
    RateLimitCounter.objects.create(key="join:127.0.0.1", window_start=clock.value, count=3)

    forgotten = ratelimit.forget_old_windows()

    assert forgotten == 1
    assert RateLimitCounter.objects.get().count == 3


# --- No unescaped input ----------------------------------------------------------------------


def test_display_name_with_markup_is_escaped_on_the_profile_page(reader_client, reader):
    reader_client.post(reverse("accounts:profile"), {"display_name": SCRIPT})

    content = page(reader_client.get(reverse("accounts:profile")))

    assert Profile.objects.get(user=reader).display_name == SCRIPT
    assert SCRIPT not in content
    assert ESCAPED_SCRIPT in content


def test_display_name_with_markup_is_escaped_in_the_admin(superuser_client, db):
    profile = Profile.objects.create(user=UserFactory(), display_name=SCRIPT)

    content = page(superuser_client.get(reverse("admin:accounts_profile_change", args=[profile.pk])))

    assert SCRIPT not in content
    assert ESCAPED_SCRIPT in content


def test_comment_with_markup_is_escaped_on_the_article_page(client, article):
    client.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "no"})
    client.post(reverse("accounts:vote_comment", args=[article.pk]), {"comment": SCRIPT})

    content = page(client.get(article.get_absolute_url()))

    assert HelpfulnessVote.objects.get().comment == SCRIPT
    assert SCRIPT not in content
    assert ESCAPED_SCRIPT in content


def test_comment_with_markup_is_escaped_in_the_admin(superuser_client, article):
    vote = HelpfulnessVoteFactory(article=article, is_helpful=False, comment=SCRIPT)

    changelist = page(superuser_client.get(reverse("admin:accounts_helpfulnessvote_changelist")))
    change = page(superuser_client.get(reverse("admin:accounts_helpfulnessvote_change", args=[vote.pk])))

    assert SCRIPT not in changelist
    assert ESCAPED_SCRIPT in changelist
    assert SCRIPT not in change


NEWSLETTER_SCRIPT_EMAIL = '"<script>alert(1)</script>"@example.org'


def test_newsletter_email_with_markup_is_escaped_in_the_message(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:newsletter"), {"email": NEWSLETTER_SCRIPT_EMAIL}, follow=True)

    content = page(response)
    assert NewsletterSubscription.objects.get().email == NEWSLETTER_SCRIPT_EMAIL
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_invalid_newsletter_email_with_markup_is_escaped_in_the_form(client, db):
    content = page(client.post(reverse("accounts:newsletter"), {"email": SCRIPT}))

    assert "Enter a valid email address." in content
    assert SCRIPT not in content
    assert ESCAPED_SCRIPT in content


def test_newsletter_email_with_markup_is_escaped_in_the_admin_and_unsubscribe_page(superuser_client, db):
    subscription = NewsletterSubscriptionFactory(email=NEWSLETTER_SCRIPT_EMAIL)

    changelist = page(superuser_client.get(reverse("admin:accounts_newslettersubscription_changelist")))
    link = newsletter_unsubscribe_link(subscription=subscription, base_url="http://testserver/")
    unsubscribed = page(Client().get(link.removeprefix("http://testserver")))

    for content in (changelist, unsubscribed):
        assert "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_joining_with_markup_in_the_email_is_escaped_on_the_check_your_email_page(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:join"), {"email": NEWSLETTER_SCRIPT_EMAIL, "password": "Purple-giraffe-42"}
        )

    content = page(response)
    assert "Check your email to continue" in content
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_article_title_with_markup_is_escaped_in_favorite_messages(reader_client, db):
    article = ArticleFactory(title=SCRIPT)

    response = reader_client.post(reverse("accounts:favorite", args=[article.pk]), {"action": "save"}, follow=True)

    content = page(response)
    assert SCRIPT not in content
    assert f"Saved “{ESCAPED_SCRIPT}” to your favorites." in content


def test_sign_in_attempts_from_one_address_are_limited_across_email_addresses(client, db, clock):
    for number in range(30):
        client.post("/accounts/sign-in/", {"username": f"guess{number}@example.org", "password": "wrong-password-1"})

    response = client.post("/accounts/sign-in/", {"username": "guess-last@example.org", "password": "wrong-password"})

    assert response.status_code == 429
    assert "Please slow down" in response.content.decode()
