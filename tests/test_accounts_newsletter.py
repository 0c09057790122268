"""Research news by email: double opt-in, unsubscribing from any email, and the subscriber list."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.urls import reverse

from accounts import services
from accounts.models import NewsletterSubscription

from .factories import ArticleFactory, NewsletterSubscriptionFactory
from .helpers import element, page, text_of

NEWSLETTER_URL = reverse("accounts:newsletter")
EMAIL = "subscriber@example.org"


def links_in(message):
    return [urlsplit(link).path for link in re.findall(r"https?://\S+", message.body)]


def confirm_link(message):
    [link] = [link for link in links_in(message) if "/newsletter/confirm/" in link]
    return link


def unsubscribe_link(message):
    [link] = [link for link in links_in(message) if "/newsletter/unsubscribe/" in link]
    return link


def signed_long_ago(value, *, salt, age):
    real_time = signing.time.time
    signer = signing.TimestampSigner(salt=salt)
    signer.timestamp = lambda: signing.b62_encode(int(real_time() - age.total_seconds()))
    return signer.sign_object(value, serializer=signing.JSONSerializer, compress=False)


@pytest.fixture
def subscribe(client, db, django_capture_on_commit_callbacks):
    """Post the newsletter form as `client` (or another client), sending its emails."""

    def post(email=EMAIL, *, using=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return (using or client).post(NEWSLETTER_URL, {"email": email, "next": ""}, **extra)

    return post


# --- Subscribing -----------------------------------------------------------------------------


def test_newsletter_page_answers_with_the_form(client, db):
    response = client.get(NEWSLETTER_URL)

    assert response.status_code == 200
    content = page(response)
    assert "Stay tuned for the latest research news" in content
    assert 'name="email"' in content


def test_newsletter_form_is_filled_with_a_signed_in_readers_address(reader_client, reader):
    content = page(reader_client.get(NEWSLETTER_URL))

    assert f'value="{reader.email}"' in content


def test_subscribing_sends_a_confirmation_email_with_confirm_and_unsubscribe_links(subscribe, mailoutbox):
    subscribe()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    assert "Please confirm your" in message.subject
    assert confirm_link(message).startswith("/accounts/newsletter/confirm/")
    assert unsubscribe_link(message).startswith("/accounts/newsletter/unsubscribe/")


def test_subscribing_redirects_with_a_message_to_check_email(subscribe, client):
    response = subscribe()

    assert response.status_code == 302
    assert response["Location"] == NEWSLETTER_URL
    message = f"Almost done: we sent an email to {EMAIL}. Open it to finish subscribing."
    assert message in page(client.get(NEWSLETTER_URL))


def test_subscribing_returns_to_a_local_next_address(client, db, django_capture_on_commit_callbacks):
    article = ArticleFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEWSLETTER_URL, {"email": EMAIL, "next": article.get_absolute_url()})

    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example"])
def test_subscribing_never_redirects_to_another_site(client, db, django_capture_on_commit_callbacks, target):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEWSLETTER_URL, {"email": EMAIL, "next": target})

    assert response["Location"] == NEWSLETTER_URL


def test_nothing_is_active_until_confirmed(subscribe):
    subscribe()

    subscription = NewsletterSubscription.objects.get()
    assert subscription.email == EMAIL
    assert subscription.confirmed_at is None
    assert subscription.is_active is False
    assert subscription.status == "waiting for confirmation"


def test_confirm_link_activates_the_subscription(subscribe, client, mailoutbox):
    subscribe()

    response = client.get(confirm_link(mailoutbox[0]))

    assert response.status_code == 302
    assert response["Location"] == NEWSLETTER_URL
    assert NewsletterSubscription.objects.get().is_active
    assert f"Subscribed: research news will come to {EMAIL}." in page(client.get(NEWSLETTER_URL))


def test_confirm_link_opened_twice_keeps_the_first_confirmation(subscribe, client, mailoutbox):
    subscribe()
    client.get(confirm_link(mailoutbox[0]))
    first = NewsletterSubscription.objects.get().confirmed_at

    response = client.get(confirm_link(mailoutbox[0]))

    assert response.status_code == 302
    assert NewsletterSubscription.objects.get().confirmed_at == first


def test_signed_in_reader_subscription_is_linked_to_the_account(reader_client, reader, subscribe):
    subscribe(reader.email, using=reader_client)

    assert NewsletterSubscription.objects.get().user == reader


def test_the_reply_does_not_tell_whether_an_address_is_subscribed(subscribe, client, db):
    """Being subscribed to a breast-cancer charity's research news is itself private (issue 13)."""
    NewsletterSubscriptionFactory(email=EMAIL)

    subscribed = subscribe(EMAIL, follow=True)
    new = subscribe("someone.new@example.org", follow=True)

    assert text_of(page(subscribed)).replace(EMAIL, "X") == text_of(page(new)).replace("someone.new@example.org", "X")


@pytest.mark.parametrize("email", [EMAIL, EMAIL.upper(), "Subscriber@Example.org"])
def test_subscribing_an_active_address_in_any_case_tells_its_owner_by_email(subscribe, client, mailoutbox, email):
    NewsletterSubscriptionFactory(email=EMAIL)

    response = subscribe(email, follow=True)

    assert f"Almost done: we sent an email to {email}." in text_of(page(response))
    assert NewsletterSubscription.objects.count() == 1
    [message] = mailoutbox
    assert message.to == [EMAIL]
    assert "is already subscribed" in message.body
    assert unsubscribe_link(message)


def test_a_signed_in_reader_is_told_their_own_address_is_already_subscribed(reader_client, reader, subscribe):
    NewsletterSubscriptionFactory(email=reader.email, user=reader)

    response = subscribe(reader.email, using=reader_client, follow=True)

    assert f"{reader.email} is already subscribed to research news. Nothing more to do." in text_of(page(response))


def test_subscribing_again_while_waiting_for_confirmation_sends_the_link_again(subscribe, mailoutbox):
    subscribe()

    subscribe(EMAIL.upper())

    assert NewsletterSubscription.objects.count() == 1
    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == [EMAIL]
    assert NewsletterSubscription.objects.get().is_active is False


def test_the_link_sent_again_confirms(subscribe, client, mailoutbox):
    subscribe()
    subscribe()

    client.get(confirm_link(mailoutbox[1]))

    assert NewsletterSubscription.objects.get().is_active


@pytest.mark.parametrize("email", ["not-an-email", "subscriber@", "@example.org", "a b@example.org"])
def test_malformed_email_gives_a_form_error_keeping_what_was_typed(subscribe, mailoutbox, email):
    response = subscribe(email)

    assert response.status_code == 200
    content = page(response)
    assert "Enter a valid email address." in content
    assert f'value="{email}"' in content
    assert not NewsletterSubscription.objects.exists()
    assert mailoutbox == []


def test_empty_email_gives_a_form_error(subscribe):
    response = subscribe("")

    assert response.status_code == 200
    assert "This field is required." in text_of(page(response))


# --- Links that do not work ------------------------------------------------------------------


def test_tampered_confirm_link_gives_a_clear_400_page(subscribe, client, mailoutbox):
    subscribe()
    link = confirm_link(mailoutbox[0])
    tampered = link.rstrip("/")[:-2] + ("xx/" if not link.rstrip("/").endswith("xx") else "yy/")

    response = client.get(tampered)

    assert response.status_code == 400
    content = page(response)
    assert "<h1>This link does not work</h1>" in content
    assert "This link is not valid. Check that you copied all of it from the email." in content
    assert NewsletterSubscription.objects.get().is_active is False


def test_expired_confirm_link_gives_a_clear_400_page(client, db):
    subscription = NewsletterSubscriptionFactory(pending=True)
    token = signed_long_ago(subscription.pk, salt=services.NEWSLETTER_CONFIRM_SALT, age=timedelta(days=7, minutes=1))

    response = client.get(reverse("accounts:newsletter_confirm", kwargs={"token": token}))

    assert response.status_code == 400
    assert "This link has expired. Subscribe again to get a new one." in page(response)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_unsubscribe_link_cannot_be_used_to_confirm(subscribe, client, mailoutbox):
    subscribe()
    token = unsubscribe_link(mailoutbox[0]).rstrip("/").rsplit("/", 1)[-1]

    response = client.get(reverse("accounts:newsletter_confirm", kwargs={"token": token}))

    assert response.status_code == 400
    assert NewsletterSubscription.objects.get().is_active is False


def test_confirm_link_after_unsubscribing_does_not_subscribe(subscribe, client, mailoutbox):
    subscribe()
    client.post(unsubscribe_link(mailoutbox[0]))

    response = client.get(confirm_link(mailoutbox[0]))

    assert response.status_code == 400
    assert "This address was unsubscribed after the link was sent." in page(response)
    assert NewsletterSubscription.objects.get().is_active is False


def test_confirm_link_of_a_deleted_subscription_gives_a_clear_400_page(subscribe, client, mailoutbox):
    subscribe()
    NewsletterSubscription.objects.all().delete()

    response = client.get(confirm_link(mailoutbox[0]))

    assert response.status_code == 400
    assert "This subscription no longer exists." in page(response)


def test_tampered_unsubscribe_link_gives_a_clear_400_page(client, db):
    subscription = NewsletterSubscriptionFactory()
    token = signing.dumps(subscription.pk, salt="not-the-unsubscribe-salt")

    response = client.get(reverse("accounts:newsletter_unsubscribe", kwargs={"token": token}))

    assert response.status_code == 400
    assert "<h1>This link does not work</h1>" in page(response)
    assert NewsletterSubscription.objects.get().is_active


# --- Unsubscribing ---------------------------------------------------------------------------


@pytest.fixture
def confirmed(subscribe, client, mailoutbox):
    """A confirmed subscription and the email that started it."""
    subscribe()
    client.get(confirm_link(mailoutbox[0]))
    return mailoutbox[0]


def test_unsubscribe_link_unsubscribes(confirmed, client):
    response = client.post(unsubscribe_link(confirmed))

    assert response.status_code == 200
    content = page(response)
    assert "<h1>You are unsubscribed</h1>" in content
    assert f"{EMAIL} will get no more research news emails." in content
    subscription = NewsletterSubscription.objects.get()
    assert subscription.unsubscribed_at is not None
    assert subscription.is_active is False


def test_unsubscribe_link_is_idempotent(confirmed, client):
    client.post(unsubscribe_link(confirmed))
    first = NewsletterSubscription.objects.get().unsubscribed_at

    response = client.post(unsubscribe_link(confirmed))

    assert response.status_code == 200
    assert "<h1>You are unsubscribed</h1>" in page(response)
    assert NewsletterSubscription.objects.get().unsubscribed_at == first


def test_unsubscribe_link_of_a_deleted_subscription_still_answers(confirmed, client):
    NewsletterSubscription.objects.all().delete()

    response = client.post(unsubscribe_link(confirmed))

    assert response.status_code == 200
    assert "This address gets no research news emails." in page(response)


def test_unsubscribe_works_before_confirming(subscribe, client, mailoutbox):
    subscribe()

    client.post(unsubscribe_link(mailoutbox[0]))

    assert NewsletterSubscription.objects.get().unsubscribed_at is not None


def test_subscribing_again_after_unsubscribing_needs_confirming_again(confirmed, subscribe, client, mailoutbox):
    client.post(unsubscribe_link(confirmed))

    response = subscribe(follow=True)

    assert "Almost done" in page(response)
    assert len(mailoutbox) == 2
    subscription = NewsletterSubscription.objects.get()
    assert subscription.unsubscribed_at is None
    assert subscription.confirmed_at is None
    assert subscription.is_active is False


def test_new_link_after_resubscribing_confirms(confirmed, subscribe, client, mailoutbox):
    client.post(unsubscribe_link(confirmed))
    subscribe()

    client.get(confirm_link(mailoutbox[1]))

    assert NewsletterSubscription.objects.get().is_active


# --- Where subscribing is offered, and the editors' list -------------------------------------


def test_article_page_offers_the_newsletter_form_returning_to_the_article(client, db):
    article = ArticleFactory()

    box = element(page(client.get(article.get_absolute_url())), 'class="box box--newsletter"', "</section>")

    assert f'action="{NEWSLETTER_URL}"' in box
    assert f'<input type="hidden" name="next" value="{article.get_absolute_url()}">' in box


def test_subscribers_are_listed_in_the_admin(superuser_client, db):
    NewsletterSubscriptionFactory(email="active@example.org")
    NewsletterSubscriptionFactory(email="pending@example.org", pending=True)
    NewsletterSubscriptionFactory(email="gone@example.org", unsubscribed=True)

    response = superuser_client.get(reverse("admin:accounts_newslettersubscription_changelist"))

    assert response.status_code == 200
    content = page(response)
    for email, status in [
        ("active@example.org", "subscribed"),
        ("pending@example.org", "waiting for confirmation"),
        ("gone@example.org", "unsubscribed"),
    ]:
        start = content.index(f">{email}<")
        row = content[start : content.index("</tr>", start)]
        assert f'<td class="field-status">{status}</td>' in row


def test_admin_subscriber_search_finds_an_address(superuser_client, db):
    NewsletterSubscriptionFactory(email="findme@example.org")
    NewsletterSubscriptionFactory(email="other@example.org")

    content = page(superuser_client.get(reverse("admin:accounts_newslettersubscription_changelist"), {"q": "findme"}))

    assert "findme@example.org" in content
    assert "other@example.org" not in content
