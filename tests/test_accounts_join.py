"""Joining, confirming an email address, signing in and out, and changing or resetting a password."""

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import signing
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import Profile, User
from outbox.models import Email

from .factories import UserFactory
from .helpers import element, page, text_of

JOIN_URL = reverse("accounts:join")
SIGN_IN_URL = reverse("accounts:sign_in")
PROFILE_URL = reverse("accounts:profile")
PASSWORD = "a-long-test-password"  # as set by UserFactory
NEW_PASSWORD = "Purple-giraffe-orbits-42"
NEW_EMAIL = "new.reader@example.org"
OFFSITE_TARGETS = [
    "https://evil.example/",
    "//evil.example",
    "///evil.example/",
    "https:evil.example",
    "/\\evil.example",
    "https://evil.example/articles/x/",
]
WRONG_PASSWORD_TEXT = "That email address and password do not match an account."
LOCKED_OUT_TEXT = "Too many sign-in attempts"


def join(client, email=NEW_EMAIL, password=NEW_PASSWORD, **extra):
    return client.post(JOIN_URL, {"email": email, "password": password, **extra})


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(SIGN_IN_URL, {"username": email, "password": password, **extra})


def links_in(message):
    return re.findall(r"https?://\S+", message.body)


def path_of(link):
    return urlsplit(link).path


def confirmation_token(payload, *, age=timedelta(0)):
    """A confirmation token signed as the site signs them, `age` ago."""
    real_time = signing.time.time
    signer = signing.TimestampSigner(salt=services.CONFIRM_EMAIL_SALT)
    signer.timestamp = lambda: signing.b62_encode(int(real_time() - age.total_seconds()))
    return signer.sign_object(payload, serializer=signing.JSONSerializer, compress=False)


def confirm_url(token):
    return reverse("accounts:confirm_email", kwargs={"token": token})


@pytest.fixture
def joined(client, db, django_capture_on_commit_callbacks):
    """A reader who has just joined through the form: (response, user)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = join(client)
    return response, User.objects.get(email=NEW_EMAIL)


# --- Joining ---------------------------------------------------------------------------------


def test_join_page_answers_with_the_form(client, db):
    response = client.get(JOIN_URL)

    assert response.status_code == 200
    content = page(response)
    assert "<h1>Join us</h1>" in content
    assert 'name="email"' in content
    assert 'name="password"' in content


def test_join_creates_an_account_that_waits_for_confirmation(joined):
    _, user = joined

    assert user.check_password(NEW_PASSWORD)
    assert not user.is_active
    assert not user.is_staff
    assert user.email_confirmed_at is None


def test_join_creates_a_profile_with_personalisation_off(joined):
    _, user = joined

    profile = Profile.objects.get(user=user)
    assert profile.personalisation is False
    assert profile.display_name == ""
    assert profile.situation == ""


def test_join_does_not_sign_the_reader_in(client, joined):
    assert SESSION_KEY not in client.session


def test_join_asks_the_reader_to_check_their_email(joined):
    response, _ = joined

    assert response.status_code == 200
    content = page(response)
    assert "<h1>Check your email to continue</h1>" in content
    assert f"We sent an email to {NEW_EMAIL}." in text_of(content)


def test_join_sends_one_confirmation_email_to_the_new_address(joined, mailoutbox):
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [NEW_EMAIL]
    assert "Confirm your email address" in message.subject
    [link] = links_in(message)
    assert path_of(link).startswith("/accounts/confirm/")


def test_join_queues_its_email_with_the_account_so_a_join_rolled_back_sends_nothing(client, db, mailoutbox):
    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        join(client)
        assert Email.objects.count() == 1
        raise Undone

    assert not Email.objects.exists()
    assert mailoutbox == []


# --- Join gives nothing away about who is a member -------------------------------------------


def join_as_a_browser(email, password=NEW_PASSWORD):
    """Open the join page and send the form with its CSRF token, as a browser does: (client, response)."""
    client = Client(enforce_csrf_checks=True)
    client.get(JOIN_URL)
    response = client.post(
        JOIN_URL, {"email": email, "password": password, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )
    return client, response


def what_a_visitor_learns(client, response):
    """Everything the reply shows, apart from the per-request CSRF token and the address typed."""
    main = element(page(response), '<main id="main"', "</main>")
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "text": text_of(main),
        "cookies": sorted(response.cookies),
        "signed in": SESSION_KEY in client.session,
    }


def test_join_gives_the_same_reply_for_a_new_and_an_existing_address(db, django_capture_on_commit_callbacks):
    UserFactory(email="member@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        new = what_a_visitor_learns(*join_as_a_browser("stranger@example.org"))
        existing = what_a_visitor_learns(*join_as_a_browser("member@example.org"))

    assert new["text"] == existing["text"].replace("member@example.org", "stranger@example.org")
    assert {**new, "text": ""} == {**existing, "text": ""}
    assert "Check your email to continue" in existing["text"]
    assert "already" not in existing["text"]


def test_join_with_an_existing_address_in_another_case_changes_nothing(client, db, django_capture_on_commit_callbacks):
    member = UserFactory(email="reader@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = join(client, email="Reader@Example.org")

    assert response.status_code == 200
    assert "<h1>Check your email to continue</h1>" in page(response)
    assert User.objects.count() == 1
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    assert member.is_active


def test_join_with_an_existing_address_tells_its_owner_how_to_sign_in_or_reset(
    client, db, django_capture_on_commit_callbacks, mailoutbox
):
    UserFactory(email="reader@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        join(client, email="Reader@Example.org")

    [message] = mailoutbox
    assert message.to == ["reader@example.org"]
    assert message.subject == "Someone tried to join Newsroom with your email address"
    body = " ".join(message.body.split())
    assert "Someone, maybe you, tried to join Newsroom with this email address" in body
    assert "If it was not you, you can ignore this email" in body
    assert [path_of(link) for link in links_in(message)] == [SIGN_IN_URL, reverse("accounts:password_reset")]


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting the passwords it hashes."""

    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


@pytest.mark.parametrize("existing", [False, True], ids=["new address", "existing address"])
def test_join_hashes_the_password_once_whether_or_not_the_address_has_an_account(client, db, settings, existing):
    if existing:
        UserFactory(email=NEW_EMAIL)
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.hashed = 0

    join(client)

    # Hashing is the slow step: the same work on both paths keeps the reply's timing from telling them apart.
    assert CountingHasher.hashed == 1


# --- Finishing joining: the link in the email ------------------------------------------------


def test_a_joined_account_cannot_sign_in_before_it_is_confirmed(joined):
    client = Client()

    response = sign_in(client, NEW_EMAIL, password=NEW_PASSWORD)

    assert response.status_code == 200
    assert WRONG_PASSWORD_TEXT in text_of(page(response))
    assert SESSION_KEY not in client.session


def test_password_reset_for_a_joined_unconfirmed_account_looks_like_one_for_an_unknown_address(joined, mailoutbox):
    mailoutbox.clear()

    pending = Client().post(reverse("accounts:password_reset"), {"email": NEW_EMAIL})
    unknown = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})

    assert (pending.status_code, pending["Location"]) == (unknown.status_code, unknown["Location"])
    assert mailoutbox == []


def test_staff_made_by_createsuperuser_sign_in_as_before(client, db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)
    call_command("createsuperuser", "--noinput", "--email", "chief.editor@example.org", stdout=io.StringIO())

    response = sign_in(client, "chief.editor@example.org", password=NEW_PASSWORD)

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_confirmation_link_in_the_joining_browser_finishes_joining_and_signs_in(client, joined, mailoutbox):
    _, user = joined
    [link] = links_in(mailoutbox[0])

    response = client.get(path_of(link))

    user.refresh_from_db()
    assert user.is_active
    assert user.email_confirmed_at is not None
    assert client.session[SESSION_KEY] == str(user.pk)
    assert response.status_code == 302
    assert response["Location"] == f"{PROFILE_URL}?welcome=1"
    welcome = page(client.get(response["Location"]))
    assert "<h1>Create a profile for better recommendations</h1>" in welcome
    assert "Welcome! Your email address is confirmed and you are signed in." in text_of(welcome)
    assert "Please confirm your email address" not in welcome


def test_after_confirming_the_reader_signs_in_with_their_password(client, joined, mailoutbox):
    [link] = links_in(mailoutbox[0])
    client.get(path_of(link))

    assert sign_in(Client(), NEW_EMAIL, password=NEW_PASSWORD).status_code == 302


def test_confirmation_link_in_another_browser_asks_for_the_password_first(joined, mailoutbox):
    _, user = joined
    [link] = links_in(mailoutbox[0])
    other = Client()

    response = other.get(path_of(link))

    assert response.status_code == 200
    content = page(response)
    assert "<h1>Finish joining</h1>" in content
    assert 'name="password"' in content
    user.refresh_from_db()
    assert not user.is_active
    assert SESSION_KEY not in other.session


def test_confirmation_in_another_browser_with_the_password_finishes_joining(joined, mailoutbox):
    _, user = joined
    [link] = links_in(mailoutbox[0])
    other = Client(enforce_csrf_checks=True)
    other.get(path_of(link))

    response = other.post(
        path_of(link), {"password": NEW_PASSWORD, "csrfmiddlewaretoken": other.cookies["csrftoken"].value}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{PROFILE_URL}?welcome=1"
    user.refresh_from_db()
    assert user.is_active
    assert user.email_confirmed_at is not None
    assert other.session[SESSION_KEY] == str(user.pk)


def test_confirmation_in_another_browser_with_a_wrong_password_is_refused_clearly(joined, mailoutbox):
    _, user = joined
    [link] = links_in(mailoutbox[0])
    other = Client()

    response = other.post(path_of(link), {"password": "not-the-password"})

    assert response.status_code == 200
    assert "That is not the password you chose when you joined." in text_of(page(response))
    user.refresh_from_db()
    assert not user.is_active
    assert SESSION_KEY not in other.session


def test_confirmation_password_form_without_a_csrf_token_is_refused(joined, mailoutbox):
    _, user = joined
    [link] = links_in(mailoutbox[0])

    response = Client(enforce_csrf_checks=True).post(path_of(link), {"password": NEW_PASSWORD})

    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.is_active


def test_confirmation_link_opened_again_after_joining_leads_to_the_profile(client, joined, mailoutbox):
    _, user = joined
    [link] = links_in(mailoutbox[0])
    client.get(path_of(link))
    user.refresh_from_db()
    first = user.email_confirmed_at

    response = client.get(path_of(link))

    user.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    assert user.email_confirmed_at == first


# --- A second join before confirming ---------------------------------------------------------

STRANGERS_PASSWORD = "Stranger-chose-this-99"


def join_in_a_new_browser(password, django_capture_on_commit_callbacks, mailoutbox):
    """Join with NEW_EMAIL from a browser of its own: (client, path of the link in the email it caused)."""
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        join(client, password=password)
    return client, path_of(links_in(mailoutbox[-1])[0])


def test_a_second_join_before_confirming_makes_the_earlier_link_stop_working(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    first_browser, first_link = join_in_a_new_browser(NEW_PASSWORD, django_capture_on_commit_callbacks, mailoutbox)
    join_in_a_new_browser(STRANGERS_PASSWORD, django_capture_on_commit_callbacks, mailoutbox)

    response = first_browser.get(first_link)

    assert response.status_code == 400
    assert "This link no longer works: someone asked to join with this address again" in text_of(page(response))
    assert not User.objects.get(email=NEW_EMAIL).is_active
    assert SESSION_KEY not in first_browser.session


def test_the_latest_join_link_finishes_joining_with_the_latest_password(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    join_in_a_new_browser("Forgotten-password-11", django_capture_on_commit_callbacks, mailoutbox)
    latest_browser, latest_link = join_in_a_new_browser(NEW_PASSWORD, django_capture_on_commit_callbacks, mailoutbox)

    latest_browser.get(latest_link)

    user = User.objects.get(email=NEW_EMAIL)
    assert user.is_active
    assert latest_browser.session[SESSION_KEY] == str(user.pk)
    assert sign_in(Client(), NEW_EMAIL, password=NEW_PASSWORD).status_code == 302
    assert sign_in(Client(), NEW_EMAIL, password="Forgotten-password-11").status_code == 200


def test_a_stranger_joining_with_a_pending_address_cannot_take_the_account_over(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    owners_browser, _ = join_in_a_new_browser(NEW_PASSWORD, django_capture_on_commit_callbacks, mailoutbox)
    _, strangers_link = join_in_a_new_browser(STRANGERS_PASSWORD, django_capture_on_commit_callbacks, mailoutbox)

    # The owner opens the newest email, the one the stranger caused, in their own browser.
    asked = owners_browser.get(strangers_link)
    refused = owners_browser.post(strangers_link, {"password": NEW_PASSWORD})

    assert "<h1>Finish joining</h1>" in page(asked)
    assert "That is not the password you chose when you joined." in text_of(page(refused))
    assert not User.objects.get(email=NEW_EMAIL).is_active
    assert SESSION_KEY not in owners_browser.session
    assert sign_in(Client(), NEW_EMAIL, password=STRANGERS_PASSWORD).status_code == 200

    # Joining again gives the owner a link of their own that works, and the stranger's password does not.
    _, owners_link = join_in_a_new_browser(NEW_PASSWORD, django_capture_on_commit_callbacks, mailoutbox)
    Client().post(owners_link, {"password": NEW_PASSWORD})

    assert User.objects.get(email=NEW_EMAIL).is_active
    assert sign_in(Client(), NEW_EMAIL, password=STRANGERS_PASSWORD).status_code == 200
    assert sign_in(Client(), NEW_EMAIL, password=NEW_PASSWORD).status_code == 302


def test_a_second_join_before_confirming_gives_the_same_reply_and_a_new_link(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    join_in_a_new_browser(NEW_PASSWORD, django_capture_on_commit_callbacks, mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        client, response = join_as_a_browser(NEW_EMAIL, password=STRANGERS_PASSWORD)

    assert "<h1>Check your email to continue</h1>" in page(response)
    assert len(mailoutbox) == 2
    assert "Confirm your email address" in mailoutbox[1].subject
    assert User.objects.filter(email=NEW_EMAIL).count() == 1


@pytest.mark.parametrize("email", ["not-an-email", "reader@", "@example.org", "reader example@example.org"])
def test_join_with_a_malformed_email_is_refused_and_keeps_what_was_typed(client, db, email):
    response = join(client, email=email)

    assert response.status_code == 200
    content = page(response)
    assert "Enter a valid email address." in content
    assert f'value="{email}"' in content
    assert not User.objects.exists()
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("Short1!", "This password is too short. It must contain at least 8 characters."),
        ("qwertyuiop", "This password is too common."),
        ("8162534970", "This password is entirely numeric."),
        ("", "This field is required."),
    ],
    ids=["too short", "common", "numeric", "empty"],
)
def test_join_with_a_weak_password_is_refused_with_a_clear_error(client, db, password, error):
    response = join(client, password=password)

    assert response.status_code == 200
    content = page(response)
    assert error in text_of(content)
    assert f'value="{NEW_EMAIL}"' in content
    assert not User.objects.exists()


def test_join_with_a_password_like_the_email_is_refused(client, db):
    response = join(client, email="margaret.blackwood@example.org", password="margaret.blackwood")

    assert response.status_code == 200
    assert "The password is too similar to the email address." in text_of(page(response))
    assert not User.objects.exists()


def test_join_never_puts_the_typed_password_back_in_the_page(client, db):
    content = page(join(client, email="bad", password="my-secret-typed-password"))

    assert "my-secret-typed-password" not in content


def test_join_page_sends_a_signed_in_reader_to_their_profile(reader_client):
    response = reader_client.get(JOIN_URL)

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL


# --- Confirmation links that do not work -----------------------------------------------------


def test_tampered_confirmation_link_gives_a_clear_400_page(client, joined, mailoutbox):
    [link] = links_in(mailoutbox[0])
    token = path_of(link).rstrip("/").rsplit("/", 1)[-1]
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = client.get(confirm_url(tampered))

    assert response.status_code == 400
    content = page(response)
    assert "This link does not work" in content
    assert "This link is not valid. Check that you copied all of it from the email." in content
    assert User.objects.get(email=NEW_EMAIL).email_confirmed_at is None


def test_confirmation_link_signed_for_another_account_in_the_payload_is_refused(client, db):
    user = UserFactory()
    token = signing.dumps({"user": user.pk, "email": user.email}, salt="some-other-purpose")

    response = client.get(confirm_url(token))

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_expired_confirmation_link_gives_a_clear_400_page(client, db):
    user = UserFactory()
    token = confirmation_token({"user": user.pk, "email": user.email}, age=timedelta(days=3, minutes=1))

    response = client.get(confirm_url(token))

    assert response.status_code == 400
    assert "This link has expired. Sign in and we will send you a new one." in page(response)
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_confirmation_link_just_inside_three_days_still_works(client, db):
    user = UserFactory()
    token = confirmation_token({"user": user.pk, "email": user.email}, age=timedelta(days=2, hours=23))

    response = client.get(confirm_url(token))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_confirmed_at is not None


def test_confirmation_link_of_a_deleted_account_gives_a_clear_400_page(client, joined, mailoutbox):
    _, user = joined
    [link] = links_in(mailoutbox[0])
    user.delete()

    response = client.get(path_of(link))

    assert response.status_code == 400
    assert "This confirmation link belongs to an account that no longer exists." in page(response)


# --- Sending the confirmation link again -----------------------------------------------------


def test_resend_confirmation_sends_a_new_working_link(reader_client, reader, mailoutbox):
    response = reader_client.post(reverse("accounts:resend_confirmation"))

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [reader.email]
    [link] = links_in(mailoutbox[0])
    reader_client.get(path_of(link))
    reader.refresh_from_db()
    assert reader.email_confirmed_at is not None


def test_resend_confirmation_tells_the_reader_it_was_sent(reader_client, reader):
    response = reader_client.post(reverse("accounts:resend_confirmation"), follow=True)

    assert f"We sent a new confirmation link to {reader.email}." in page(response)


def test_resend_confirmation_sends_nothing_to_a_confirmed_address(reader_client, reader, mailoutbox):
    User.objects.filter(pk=reader.pk).update(email_confirmed_at="2024-01-01T00:00Z")

    reader_client.post(reverse("accounts:resend_confirmation"))

    assert mailoutbox == []


# --- Where joining and signing in lead -------------------------------------------------------


def join_and_confirm(client, django_capture_on_commit_callbacks, mailoutbox, **extra):
    """Join in `client` and open the emailed link in the same browser: the response to opening it."""
    with django_capture_on_commit_callbacks(execute=True):
        join(client, **extra)
    return client.get(path_of(links_in(mailoutbox[-1])[0]))


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_join_never_redirects_to_another_site(client, db, django_capture_on_commit_callbacks, mailoutbox, target):
    response = join_and_confirm(client, django_capture_on_commit_callbacks, mailoutbox, next=target)

    assert response.status_code == 302
    assert response["Location"] == f"{PROFILE_URL}?welcome=1"
    assert "evil.example" not in page(client.get(response["Location"]))


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_join_page_does_not_carry_an_offsite_next_address(client, db, target):
    main = element(page(client.get(JOIN_URL, {"next": target})), '<main id="main"', "</main>")

    assert '<input type="hidden" name="next" value="">' in main
    assert "evil.example" not in main


def test_join_carries_a_local_next_address_to_the_profile_page(
    client, db, django_capture_on_commit_callbacks, mailoutbox
):
    response = join_and_confirm(client, django_capture_on_commit_callbacks, mailoutbox, next="/articles/x/")

    assert response["Location"] == f"{PROFILE_URL}?welcome=1&next=%2Farticles%2Fx%2F"
    welcome = page(client.get(response["Location"]))
    assert '<a href="/articles/x/">skip this step</a>' in welcome
    assert '<input type="hidden" name="next" value="/articles/x/">' in welcome


def test_saving_the_welcome_profile_returns_to_the_local_next_address(
    client, db, django_capture_on_commit_callbacks, mailoutbox
):
    join_and_confirm(client, django_capture_on_commit_callbacks, mailoutbox, next="/articles/x/")

    response = client.post(PROFILE_URL, {"next": "/articles/x/"})

    assert response.status_code == 302
    assert response["Location"] == "/articles/x/"


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_sign_in_never_redirects_to_another_site(client, reader, target):
    response = sign_in(client, reader.email, next=target)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_in_honours_a_local_next_address(client, reader):
    response = sign_in(client, reader.email, next="/articles/x/")

    assert response["Location"] == "/articles/x/"


def test_sign_in_page_links_to_join_keeping_the_next_address(client, db):
    content = page(client.get(SIGN_IN_URL, {"next": "/articles/x/"}))

    assert f'<a href="{JOIN_URL}?next=/articles/x/">Join us</a>' in content


# --- Signing in and out ----------------------------------------------------------------------


def test_sign_in_with_a_wrong_password_says_so_clearly(client, reader):
    response = sign_in(client, reader.email, password="not-the-password")

    assert response.status_code == 200
    content = text_of(page(response))
    assert WRONG_PASSWORD_TEXT in content
    assert "passwords are case-sensitive" in content
    assert SESSION_KEY not in client.session


def test_sign_in_with_an_unknown_email_gives_the_same_message(client, db):
    response = sign_in(client, "nobody@example.org")

    assert response.status_code == 200
    assert WRONG_PASSWORD_TEXT in text_of(page(response))


def test_sign_in_works_after_fewer_failures_than_the_limit(client, reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, reader.email, password="wrong")

    response = sign_in(client, reader.email)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(reader.pk)


def test_sign_in_is_locked_after_the_failure_limit_even_with_the_right_password(client, reader, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        sign_in(client, reader.email, password="wrong")

    response = sign_in(client, reader.email)

    assert response.status_code == 429
    assert LOCKED_OUT_TEXT in page(response)
    assert SESSION_KEY not in client.session


def test_lockout_counts_failures_for_the_same_email_typed_in_any_case(client, reader):
    for email in [
        "reader@example.org",
        "READER@EXAMPLE.ORG",
        "Reader@Example.org",
        "rEADER@example.org",
        "reader@EXAMPLE.org",
    ]:
        sign_in(client, email, password="wrong")

    response = sign_in(client, reader.email)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_locked_out_page_says_how_long_in_words_a_reader_understands(client, reader):
    for _ in range(6):
        response = sign_in(client, reader.email, password="wrong")

    text = text_of(page(response))
    assert "paused for 15 minutes" in text
    assert "PT15M" not in text


def test_lockout_for_one_email_does_not_lock_another_reader_out(client, reader):
    other = UserFactory()
    for _ in range(6):
        sign_in(client, reader.email, password="wrong")

    response = sign_in(client, other.email)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)


def test_lockout_for_one_email_does_not_refuse_another_email_from_the_same_address(client, reader):
    other = UserFactory()
    for _ in range(6):
        sign_in(client, reader.email, password="wrong")

    response = sign_in(client, other.email, password="wrong")

    assert response.status_code == 200
    assert WRONG_PASSWORD_TEXT in text_of(page(response))


def test_sign_out_by_post_signs_the_reader_out_and_goes_home(reader_client):
    response = reader_client.post(reverse("accounts:sign_out"))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in reader_client.session


# --- Changing and resetting a password -------------------------------------------------------


def test_password_change_sets_the_new_password_and_keeps_the_reader_signed_in(reader_client, reader):
    response = reader_client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    assert reader_client.session[SESSION_KEY] == str(reader.pk)
    assert "Your password is changed" in page(reader_client.get(response["Location"]))


def test_after_a_password_change_only_the_new_password_signs_in(reader_client, reader):
    reader_client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert sign_in(Client(), reader.email, password=PASSWORD).status_code == 200
    assert sign_in(Client(), reader.email, password=NEW_PASSWORD).status_code == 302


def test_password_change_with_a_wrong_old_password_is_refused(reader_client, reader):
    response = reader_client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in text_of(page(response))
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


@pytest.fixture
def reset_link(client, reader, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": reader.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    [link] = links_in(mailoutbox[0])
    return path_of(link)


def test_password_reset_emails_a_link_to_the_reader(reset_link, reader, mailoutbox):
    assert mailoutbox[0].to == [reader.email]
    assert mailoutbox[0].subject == "Reset your password"
    assert reset_link.startswith("/accounts/password/reset/")


def test_password_reset_link_lets_the_reader_choose_a_new_password_and_sign_in(client, reset_link, reader):
    form_page = client.get(reset_link, follow=True)
    assert "Choose a new password" in page(form_page)
    set_password_url = form_page.redirect_chain[-1][0]

    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    fresh = Client()
    assert sign_in(fresh, reader.email, password=NEW_PASSWORD).status_code == 302
    assert fresh.session[SESSION_KEY] == str(reader.pk)


def test_password_reset_link_works_only_once(client, reset_link):
    set_password_url = client.get(reset_link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = Client().get(reset_link, follow=True)

    assert "<h1>This link does not work</h1>" in page(response)


def test_invalid_password_reset_link_says_it_does_not_work(client, reader):
    response = client.get(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-def0123456789"})
    )

    assert response.status_code == 200
    content = page(response)
    assert "<h1>This link does not work</h1>" in content
    assert 'name="new_password1"' not in content


def test_password_reset_for_an_unknown_email_sends_nothing_but_looks_the_same(client, db, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_password_reset_confirm_page_is_not_indexed(client, reset_link):
    content = page(client.get(reset_link, follow=True))

    assert '<meta name="robots" content="noindex">' in element(content, "<head>", "</head>")
