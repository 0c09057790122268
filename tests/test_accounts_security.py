"""Readers' forms are safe: CSRF protection on every POST, rate limits per address, and no unescaped input."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import signing
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import ratelimit, services
from accounts.models import Favorite, HelpfulnessVote, NewsletterSubscription, Profile, RateLimitCounter, User
from accounts.services import newsletter_unsubscribe_link
from outbox.models import Email

from .factories import ArticleFactory, HelpfulnessVoteFactory, NewsletterSubscriptionFactory, UserFactory
from .helpers import page, text_of

PASSWORD = "a-long-test-password"  # as set by UserFactory
SCRIPT = '<script>alert("x")</script>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
SLOW_DOWN_TEXT = "Please slow down"
SIGN_IN_URL = reverse("accounts:sign_in")


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
        "mail": Email.objects.count(),
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
    "sign-in link": ("accounts:sign_in_link", False, {"email": "reader@example.org"}, False),
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
    assert "This form could not be sent" in page(response) and "Nothing was saved" in page(response)
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


# --- Sign-in ceiling per account ---------------------------------------------------------------

PAUSED_TEXT = "Signing in with this email address and a password is paused"
SIGN_IN_LINK_URL = reverse("accounts:sign_in_link")


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting the passwords it really checks."""

    checks = 0

    def verify(self, password, encoded):
        type(self).checks += 1
        return super().verify(password, encoded)


@pytest.fixture
def password_checks(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.checks = 0
    return CountingHasher


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(SIGN_IN_URL, {"username": email, "password": password, **extra})


def from_address(number):
    return Client(REMOTE_ADDR=f"203.0.113.{number}")


def guess_from_many_addresses(email, guesses):
    """Wrong passwords for `email`, two from each network address (under the per-address limits)."""
    for number in range(guesses):
        sign_in(from_address(number // 2), email, password=f"guess-{number}")


@pytest.fixture
def ceiling_reached(reader, clock, settings):
    """Guesses at the reader's password from many addresses have used up the account's ceiling."""
    guess_from_many_addresses(reader.email, settings.SIGN_IN_ACCOUNT_LIMIT)


def assert_paused(response):
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    content = text_of(page(response))
    assert f"{PAUSED_TEXT} for up to 15 minutes" in content
    assert "Email me a sign-in link" in content
    assert f'href="{SIGN_IN_LINK_URL}' in page(response)


def test_fifty_guesses_from_ten_addresses_reach_only_the_account_ceiling(reader, clock, password_checks, settings):
    assert settings.SIGN_IN_ACCOUNT_LIMIT == 10
    responses = [
        sign_in(from_address(address), reader.email, password=f"guess-{address}-{guess}")
        for address in range(10)
        for guess in range(5)
    ]

    assert password_checks.checks == 10
    for response in responses[10:]:
        assert_paused(response)


def test_over_the_ceiling_the_right_password_from_a_new_browser_is_refused_unchecked(
    reader, ceiling_reached, password_checks
):
    client = from_address(99)

    response = sign_in(client, reader.email)

    assert_paused(response)
    assert password_checks.checks == 0
    assert SESSION_KEY not in client.session


def test_the_ceiling_counts_the_email_typed_in_any_case(reader, clock, settings):
    guess_from_many_addresses(reader.email.upper(), settings.SIGN_IN_ACCOUNT_LIMIT)

    assert_paused(sign_in(from_address(99), reader.email.title()))


def test_the_ceiling_answers_the_same_for_an_address_without_an_account(reader, clock, settings):
    stranger = "nobody@example.org"
    guess_from_many_addresses(reader.email, settings.SIGN_IN_ACCOUNT_LIMIT)
    guess_from_many_addresses(stranger, settings.SIGN_IN_ACCOUNT_LIMIT)

    for_reader = sign_in(from_address(99), reader.email)
    for_stranger = sign_in(from_address(99), stranger)

    assert_paused(for_stranger)
    assert text_of(page(for_stranger)).replace(stranger, reader.email) == text_of(page(for_reader))


def test_the_ceiling_for_one_account_leaves_other_accounts_alone(reader, ceiling_reached):
    other = UserFactory()
    client = from_address(99)

    assert sign_in(client, other.email).status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)


def test_the_ceiling_ends_with_its_window(reader, ceiling_reached, clock):
    clock.value += timedelta(minutes=15)
    client = from_address(99)

    assert sign_in(client, reader.email).status_code == 302
    assert client.session[SESSION_KEY] == str(reader.pk)


@pytest.fixture
def known_browser(reader):
    """A browser the reader signed in with before, then signed out of."""
    client = from_address(50)
    assert sign_in(client, reader.email).status_code == 302
    client.post(reverse("accounts:sign_out"))
    return client


def test_a_browser_known_for_the_account_signs_in_over_the_ceiling(reader, known_browser, clock, settings):
    guess_from_many_addresses(reader.email, settings.SIGN_IN_ACCOUNT_LIMIT + 5)

    response = sign_in(known_browser, reader.email)

    assert response.status_code == 302
    assert known_browser.session[SESSION_KEY] == str(reader.pk)


def test_a_browser_known_for_another_account_is_still_held_back(reader, ceiling_reached):
    client = from_address(99)
    sign_in(client, UserFactory().email)
    client.post(reverse("accounts:sign_out"))

    assert_paused(sign_in(client, reader.email))


def test_a_browser_keeps_knowing_a_few_accounts(reader, known_browser, clock, settings):
    for _ in range(services.KNOWN_DEVICE_ACCOUNTS - 1):
        sign_in(known_browser, UserFactory().email)
        known_browser.post(reverse("accounts:sign_out"))
    guess_from_many_addresses(reader.email, settings.SIGN_IN_ACCOUNT_LIMIT)

    assert sign_in(known_browser, reader.email).status_code == 302


def test_known_browser_cookie_is_signed_http_only_lax_and_names_no_one(reader, known_browser):
    cookie = known_browser.cookies[services.KNOWN_DEVICE_COOKIE]

    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == services.KNOWN_DEVICE_MAX_AGE
    assert reader.email not in cookie.value
    request = RequestFactory().get("/")
    request.COOKIES[services.KNOWN_DEVICE_COOKIE] = cookie.value
    assert services.known_device_marks(request) == [services.device_mark(reader.pk)]


def test_a_forged_known_browser_cookie_counts_for_nothing(reader, ceiling_reached):
    client = from_address(99)
    client.cookies[services.KNOWN_DEVICE_COOKIE] = services.device_mark(reader.pk)

    assert_paused(sign_in(client, reader.email))


def test_a_known_browser_is_still_locked_out_per_address_after_repeated_failures(
    reader, known_browser, password_checks, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(known_browser, reader.email, password="wrong")

    response = sign_in(known_browser, reader.email)

    assert response.status_code == 429
    assert "Too many sign-in attempts" in page(response)
    assert password_checks.checks == settings.AXES_FAILURE_LIMIT
    assert SESSION_KEY not in known_browser.session


# --- Emailed sign-in links ---------------------------------------------------------------------

SENT_TEXT = "If an account exists for {email}, we have sent a link to sign in."


def ask_for_a_link(client, email, **extra):
    return client.post(SIGN_IN_LINK_URL, {"email": email, **extra})


def sign_in_link(mailoutbox):
    [message] = mailoutbox
    [link] = [word for word in message.body.split() if word.startswith("http://testserver/")]
    return link.removeprefix("http://testserver")


def link_token(user, *, age=timedelta(0), next_url=""):
    """A sign-in link's token as the site signs them, `age` ago."""
    real_time = signing.time.time
    signer = signing.TimestampSigner(salt=services.SIGN_IN_LINK_SALT)
    signer.timestamp = lambda: signing.b62_encode(int(real_time() - age.total_seconds()))
    payload = {"user": user.pk, "stamp": services.sign_in_link_stamp(user), "next": next_url}
    return signer.sign_object(payload, serializer=signing.JSONSerializer, compress=False)


def test_sign_in_page_offers_an_emailed_link_keeping_the_next_address(client, db):
    content = page(client.get(SIGN_IN_URL, {"next": "/articles/x/"}))

    assert f'<a href="{SIGN_IN_LINK_URL}?next=/articles/x/">Email me a sign-in link</a>' in content


def test_asking_for_a_link_answers_the_same_with_or_without_an_account(reader, clock, mailoutbox):
    for_reader = ask_for_a_link(Client(), reader.email.upper())
    for_stranger = ask_for_a_link(Client(), "nobody@example.org")

    assert for_reader.status_code == for_stranger.status_code == 200
    assert SENT_TEXT.format(email=reader.email.upper()) in text_of(page(for_reader))
    assert text_of(page(for_stranger)) == text_of(page(for_reader)).replace(reader.email.upper(), "nobody@example.org")
    [message] = mailoutbox
    assert message.to == [reader.email]
    assert message.subject == "Your link to sign in to Newsroom"
    assert "it works once, for 15 minutes" in message.body


def test_over_the_ceiling_the_owner_signs_in_with_an_emailed_link_and_the_browser_is_then_known(
    reader, ceiling_reached, mailoutbox
):
    client = from_address(99)
    assert_paused(sign_in(client, reader.email))
    ask_for_a_link(client, reader.email)
    link = sign_in_link(mailoutbox)

    opened = client.get(link)
    assert opened.status_code == 200
    assert f"Sign in to Newsroom as {reader.email}." in text_of(page(opened))
    assert SESSION_KEY not in client.session
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(reader.pk)
    client.post(reverse("accounts:sign_out"))
    assert sign_in(client, reader.email).status_code == 302


def test_a_sign_in_link_works_once(reader, client, clock, mailoutbox):
    ask_for_a_link(client, reader.email)
    link = sign_in_link(mailoutbox)
    client.post(link)

    again = Client()
    for response in (again.get(link), again.post(link)):
        assert response.status_code == 400
        assert "This sign-in link has already been used" in text_of(page(response))
    assert SESSION_KEY not in again.session


def test_a_sign_in_link_stops_working_when_the_password_changes(reader, client):
    link = reverse("accounts:sign_in_link_open", args=[link_token(reader)])
    reader.set_password("Purple-giraffe-42")
    reader.save()

    assert client.post(link).status_code == 400
    assert SESSION_KEY not in client.session


def test_a_sign_in_link_works_for_fifteen_minutes(reader, client):
    fresh = reverse("accounts:sign_in_link_open", args=[link_token(reader, age=timedelta(minutes=14))])
    stale = reverse("accounts:sign_in_link_open", args=[link_token(reader, age=timedelta(minutes=16))])

    expired = client.post(stale)
    assert expired.status_code == 400
    assert "This link has expired. Sign-in links work for 15 minutes" in text_of(page(expired))
    assert SESSION_KEY not in client.session
    assert client.post(fresh).status_code == 302
    assert client.session[SESSION_KEY] == str(reader.pk)


@pytest.mark.parametrize("token", ["garbled", "a" * 300, "%00", "eyJ1c2VyIjoxfQ:1vQ2bC:forged-signature"])
def test_a_garbled_sign_in_link_says_it_does_not_work(client, reader, token):
    link = reverse("accounts:sign_in_link_open", args=[token])

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        assert "<h1>This link does not work</h1>" in page(response)
    assert SESSION_KEY not in client.session


def test_a_sign_in_link_returns_to_the_local_next_address(reader, client, clock, mailoutbox):
    ask_for_a_link(client, reader.email, next="/articles/x/")

    response = client.post(sign_in_link(mailoutbox))

    assert response["Location"] == "/articles/x/"


def test_a_sign_in_link_never_leads_to_another_site(reader, client, clock, mailoutbox):
    ask_for_a_link(client, reader.email, next="https://evil.example/")

    response = client.post(sign_in_link(mailoutbox))

    assert response["Location"] == "/"


def test_a_sign_in_link_is_not_sent_to_a_deactivated_account(client, db, clock, mailoutbox):
    closed = UserFactory(is_active=False)

    response = ask_for_a_link(client, closed.email)

    assert SENT_TEXT.format(email=closed.email) in text_of(page(response))
    assert mailoutbox == []


def test_opening_a_sign_in_link_without_a_csrf_token_does_not_sign_in(reader):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("accounts:sign_in_link_open", args=[link_token(reader)]))

    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_five_sign_in_link_requests_an_hour_are_allowed_per_address_and_the_sixth_is_not(
    reader, client, clock, mailoutbox
):
    responses = [ask_for_a_link(client, reader.email) for _ in range(6)]

    assert [response.status_code for response in responses[:5]] == [200] * 5
    assert_slowed_down(responses[5], 3600)
    assert len(mailoutbox) == 5


# --- The editors' site signs in the same way -----------------------------------------------------

ADMIN_LOGIN_URL = reverse("admin:login")


def test_the_admin_login_sends_to_the_sign_in_page_keeping_where_to_go(client, db):
    response = client.get(ADMIN_LOGIN_URL, {"next": "/admin/articles/article/"})

    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN_URL}?next=%2Fadmin%2Farticles%2Farticle%2F"


def test_the_admin_login_never_sends_to_another_site(client, db):
    response = client.get(ADMIN_LOGIN_URL, {"next": "https://evil.example/"})

    assert response["Location"] == f"{SIGN_IN_URL}?next=%2Fadmin%2F"


def test_credentials_posted_to_the_admin_login_are_never_checked(client, editor, password_checks):
    response = client.post(ADMIN_LOGIN_URL, {"username": editor.email, "password": PASSWORD, "next": "/admin/"})

    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN_URL)
    assert password_checks.checks == 0
    assert SESSION_KEY not in client.session


def test_staff_sign_in_from_the_admin_and_reach_it(client, editor):
    sign_in_page = client.get("/admin/", follow=True)
    assert sign_in_page.redirect_chain[-1][0] == f"{SIGN_IN_URL}?next=%2Fadmin%2F"

    response = sign_in(client, editor.email, next="/admin/")

    assert response["Location"] == "/admin/"
    assert "Articles and readers" in page(client.get("/admin/"))


def test_staff_are_held_back_by_the_account_ceiling_too(editor, clock, settings):
    guess_from_many_addresses(editor.email, settings.SIGN_IN_ACCOUNT_LIMIT)
    client = from_address(99)

    assert_paused(sign_in(client, editor.email, next="/admin/"))


def test_a_signed_in_editor_opening_the_admin_login_goes_to_the_admin(editor_client):
    response = editor_client.get(ADMIN_LOGIN_URL, {"next": "/admin/articles/article/"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/article/"


def test_a_signed_in_reader_opening_the_admin_is_told_it_is_for_editors_without_a_loop(reader_client, reader):
    response = reader_client.get("/admin/", follow=True)

    assert [url for url, _ in response.redirect_chain] == [f"{ADMIN_LOGIN_URL}?next=/admin/"]
    assert response.status_code == 403
    content = text_of(page(response))
    assert "This part of the site is for our editors" in content
    assert f"You are signed in as {reader.email}" in content


def test_a_reader_can_sign_out_from_the_editors_only_page_and_sign_in_as_an_editor(reader_client, editor):
    content = page(reader_client.get(ADMIN_LOGIN_URL, {"next": "/admin/"}))
    assert f'<input type="hidden" name="next" value="{SIGN_IN_URL}?next=/admin/">' in content

    response = reader_client.post(reverse("accounts:sign_out"), {"next": f"{SIGN_IN_URL}?next=/admin/"})

    assert response["Location"] == f"{SIGN_IN_URL}?next=/admin/"
    assert sign_in(reader_client, editor.email, next="/admin/")["Location"] == "/admin/"
