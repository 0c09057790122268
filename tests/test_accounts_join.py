"""Joining, confirming an email address, signing in and out, and changing or resetting a password."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import signing
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import Profile, User

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


def test_join_creates_the_account_with_the_password(joined):
    _, user = joined

    assert user.check_password(NEW_PASSWORD)
    assert user.is_active
    assert not user.is_staff
    assert user.email_confirmed_at is None


def test_join_creates_a_profile_with_personalisation_off(joined):
    _, user = joined

    profile = Profile.objects.get(user=user)
    assert profile.personalisation is False
    assert profile.display_name == ""
    assert profile.situation == ""


def test_join_signs_the_new_reader_in(client, joined):
    _, user = joined

    assert client.session[SESSION_KEY] == str(user.pk)


def test_join_redirects_to_the_welcome_profile_page(client, joined):
    response, _ = joined

    assert response.status_code == 302
    assert response["Location"] == f"{PROFILE_URL}?welcome=1"
    welcome = page(client.get(response["Location"]))
    assert "<h1>Create a profile for better recommendations</h1>" in welcome
    assert f"We sent a link to {NEW_EMAIL}" in text_of(welcome)


def test_join_sends_one_confirmation_email_to_the_new_address(joined, mailoutbox):
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [NEW_EMAIL]
    assert "Confirm your email address" in message.subject
    [link] = links_in(message)
    assert path_of(link).startswith("/accounts/confirm/")


def test_join_sends_the_email_only_once_the_account_is_committed(
    client, db, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        join(client)

    assert len(callbacks) == 1
    assert mailoutbox == []


def test_confirmation_link_confirms_the_address(client, joined, mailoutbox):
    _, user = joined
    [link] = links_in(mailoutbox[0])

    response = client.get(path_of(link))

    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    assert f"Thank you: {NEW_EMAIL} is confirmed." in page(client.get(PROFILE_URL))


def test_confirmation_link_opened_in_another_browser_leads_to_sign_in(joined, mailoutbox):
    _, user = joined
    [link] = links_in(mailoutbox[0])

    response = Client().get(path_of(link))

    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert response["Location"] == SIGN_IN_URL


def test_opening_the_confirmation_link_again_keeps_the_first_confirmation_time(client, joined, mailoutbox):
    _, user = joined
    [link] = links_in(mailoutbox[0])
    client.get(path_of(link))
    user.refresh_from_db()
    first = user.email_confirmed_at

    response = client.get(path_of(link))

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.email_confirmed_at == first


def test_profile_stops_asking_to_confirm_once_confirmed(client, joined, mailoutbox):
    assert "Please confirm your email address" in page(client.get(PROFILE_URL))
    [link] = links_in(mailoutbox[0])
    client.get(path_of(link))

    assert "Please confirm your email address" not in page(client.get(PROFILE_URL))


@pytest.mark.parametrize("email", ["not-an-email", "reader@", "@example.org", "reader example@example.org"])
def test_join_with_a_malformed_email_is_refused_and_keeps_what_was_typed(client, db, email):
    response = join(client, email=email)

    assert response.status_code == 200
    content = page(response)
    assert "Enter a valid email address." in content
    assert f'value="{email}"' in content
    assert not User.objects.exists()
    assert SESSION_KEY not in client.session


def test_join_with_an_email_already_used_in_another_case_is_refused(client, db):
    UserFactory(email="reader@example.org")

    response = join(client, email="Reader@Example.org")

    assert response.status_code == 200
    content = page(response)
    assert "An account with this email address already exists." in text_of(content)
    assert 'value="Reader@Example.org"' in content
    assert User.objects.count() == 1


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


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_join_never_redirects_to_another_site(client, db, django_capture_on_commit_callbacks, target):
    with django_capture_on_commit_callbacks(execute=True):
        response = join(client, next=target)

    assert response.status_code == 302
    assert response["Location"] == f"{PROFILE_URL}?welcome=1"
    assert "evil.example" not in page(client.get(response["Location"]))


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_join_page_does_not_carry_an_offsite_next_address(client, db, target):
    main = element(page(client.get(JOIN_URL, {"next": target})), '<main id="main"', "</main>")

    assert '<input type="hidden" name="next" value="">' in main
    assert "evil.example" not in main


def test_join_carries_a_local_next_address_to_the_profile_page(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = join(client, next="/articles/x/")

    assert response["Location"] == f"{PROFILE_URL}?welcome=1&next=%2Farticles%2Fx%2F"
    welcome = page(client.get(response["Location"]))
    assert '<a href="/articles/x/">skip this step</a>' in welcome
    assert '<input type="hidden" name="next" value="/articles/x/">' in welcome


def test_saving_the_welcome_profile_returns_to_the_local_next_address(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        join(client, next="/articles/x/")

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
