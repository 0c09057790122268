"""What we store, 'Download my data' and 'Delete my account'."""

import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import Favorite, HelpfulnessVote, NewsletterSubscription, Profile, User

from .factories import (
    ArticleFactory,
    FavoriteFactory,
    HelpfulnessVoteFactory,
    NewsletterSubscriptionFactory,
    SectionFactory,
    UserFactory,
)
from .helpers import page, text_of

PRIVACY_URL = reverse("articles:privacy")
DOWNLOAD_URL = reverse("accounts:download_data")
DELETE_URL = reverse("accounts:delete_account")
PASSWORD = "a-long-test-password"  # as set by UserFactory


@pytest.fixture
def readers_data(reader):
    """The reader's profile, favorites, votes and subscription."""
    section = SectionFactory(name="Treatment", slug="treatment")
    article = ArticleFactory(title="Tamoxifen after surgery", section=section, tags=["hormone therapy"])
    other_article = ArticleFactory(title="Screening at forty")
    profile = Profile.objects.create(user=reader, display_name="Maggie", situation="in_treatment", personalisation=True)
    profile.sections.add(section)
    profile.tags.add(*article.tags.all())
    FavoriteFactory(user=reader, article=article)
    HelpfulnessVoteFactory(user=reader, article=article, is_helpful=False, comment="More on side effects.")
    HelpfulnessVoteFactory(user=reader, article=other_article, is_helpful=True)
    NewsletterSubscriptionFactory(email=reader.email, user=reader)
    return {"article": article, "other_article": other_article}


@pytest.fixture
def someone_else(db):
    """Another reader with data of every kind."""
    other = UserFactory(email="someone.else@example.org")
    article = ArticleFactory(title="Someone else's saved article")
    Profile.objects.create(user=other, display_name="Someone Else", situation="supporting")
    FavoriteFactory(user=other, article=article)
    HelpfulnessVoteFactory(user=other, article=article, is_helpful=True, comment="Someone else's comment.")
    NewsletterSubscriptionFactory(email=other.email, user=other)
    return other


def download(client):
    response = client.get(DOWNLOAD_URL)
    assert response.status_code == 200
    return json.loads(response.content)


# --- What we store ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "Your email address",
        "Your profile",
        "The articles you save as favorites",
        "newsroom_voter",
        "If you subscribe to research news",
        "Download my data",
        "Delete my account",
    ],
)
def test_privacy_page_lists_what_is_stored(client, db, phrase):
    response = client.get(PRIVACY_URL)

    assert response.status_code == 200
    assert phrase in text_of(page(response))


def test_privacy_page_links_download_and_delete(client, db):
    content = page(client.get(PRIVACY_URL))

    assert f'<a href="{DOWNLOAD_URL}">Download my data</a>' in content
    assert f'<a href="{DELETE_URL}">Delete my account</a>' in content


def test_profile_page_links_download_and_delete(reader_client):
    content = page(reader_client.get(reverse("accounts:profile")))

    assert f'<a href="{DOWNLOAD_URL}">Download my data</a>' in content
    assert f'<a href="{DELETE_URL}">Delete my account</a>' in content


# --- Download my data ------------------------------------------------------------------------


def test_download_is_a_private_json_attachment(reader_client):
    response = reader_client.get(DOWNLOAD_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="my-newsroom-data.json"'
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_download_has_every_kind_of_data(reader_client, readers_data):
    data = download(reader_client)

    assert set(data) == {
        "account",
        "profile",
        "favorites",
        "helpfulness_votes",
        "newsletter",
        "follows",
        "recommendation_survey_answers",
        "articles_marked_not_interested",
        "paused_topics",
        "recommendations_shown",
        "recommendations_opened",
    }


def test_download_has_the_account(reader_client, reader):
    account = download(reader_client)["account"]

    assert account["email"] == reader.email
    assert account["joined"]
    assert account["email_confirmed"] is None


def test_download_has_the_profile(reader_client, readers_data):
    profile = download(reader_client)["profile"]

    assert profile["display_name"] == "Maggie"
    assert profile["situation"] == "In treatment"
    assert profile["topics"] == {"sections": ["Treatment"], "tags": ["hormone therapy"]}
    assert profile["personalisation"] is True


def test_download_has_the_favorites(reader_client, readers_data):
    favorites = download(reader_client)["favorites"]

    assert len(favorites) == 1
    assert favorites[0]["article"] == "Tamoxifen after surgery"
    assert favorites[0]["url"] == readers_data["article"].get_absolute_url()
    assert favorites[0]["saved"]


def test_download_has_the_votes_and_comments(reader_client, readers_data):
    votes = download(reader_client)["helpfulness_votes"]

    by_article = {vote["article"]: vote for vote in votes}
    assert set(by_article) == {"Tamoxifen after surgery", "Screening at forty"}
    assert by_article["Tamoxifen after surgery"]["helpful"] is False
    assert by_article["Tamoxifen after surgery"]["comment"] == "More on side effects."
    assert by_article["Screening at forty"]["helpful"] is True


def test_download_has_the_newsletter_subscription(reader_client, reader, readers_data):
    newsletter = download(reader_client)["newsletter"]

    assert [(item["email"], item["status"]) for item in newsletter] == [(reader.email, "subscribed")]


def test_download_has_a_subscription_to_another_address_made_while_signed_in(reader_client, reader):
    NewsletterSubscriptionFactory(email="other.inbox@example.org", user=reader)

    newsletter = download(reader_client)["newsletter"]

    assert [item["email"] for item in newsletter] == ["other.inbox@example.org"]


def test_deleting_the_account_ends_a_subscription_to_another_address(reader_client, reader):
    NewsletterSubscriptionFactory(email="other.inbox@example.org", user=reader)

    reader_client.post("/accounts/delete/", {"password": PASSWORD})

    assert not NewsletterSubscription.objects.filter(email="other.inbox@example.org").exists()


def test_download_for_a_reader_who_has_done_nothing(reader_client, reader):
    data = download(reader_client)

    assert data["profile"] is None
    assert data["favorites"] == []
    assert data["helpfulness_votes"] == []
    assert data["newsletter"] == []


def test_download_never_contains_another_readers_data(reader_client, readers_data, someone_else):
    content = reader_client.get(DOWNLOAD_URL).content.decode()

    for other_data in ("someone.else@example.org", "Someone Else", "Someone else's"):
        assert other_data not in content


def test_download_by_post_is_refused(reader_client):
    assert reader_client.post(DOWNLOAD_URL).status_code == 405


# --- Delete my account -----------------------------------------------------------------------


def test_delete_page_explains_what_is_deleted(reader_client):
    response = reader_client.get(DELETE_URL)

    assert response.status_code == 200
    content = text_of(page(response))
    assert "This deletes your account, your profile, your favorites and the topics you follow" in content
    assert "This cannot be undone." in content


def test_delete_with_a_wrong_password_is_refused_and_deletes_nothing(reader_client, reader, readers_data):
    response = reader_client.post(DELETE_URL, {"password": "not-my-password"})

    assert response.status_code == 200
    assert "That password is not right. Your account has not been deleted." in text_of(page(response))
    assert User.objects.filter(pk=reader.pk).exists()
    assert Profile.objects.filter(user=reader).exists()
    assert Favorite.objects.filter(user=reader).count() == 1
    assert NewsletterSubscription.objects.filter(email=reader.email).exists()
    assert HelpfulnessVote.objects.filter(user=reader).count() == 2
    assert reader_client.session[SESSION_KEY] == str(reader.pk)


def test_delete_without_a_password_is_refused(reader_client, reader):
    response = reader_client.post(DELETE_URL, {"password": ""})

    assert response.status_code == 200
    assert User.objects.filter(pk=reader.pk).exists()


@pytest.fixture
def deleted(reader_client, reader, readers_data):
    """The reader deletes their account: (response, their former id)."""
    response = reader_client.post(DELETE_URL, {"password": PASSWORD})
    return response, reader.pk


def test_delete_removes_the_account(deleted):
    _, reader_id = deleted

    assert not User.objects.filter(pk=reader_id).exists()


def test_delete_removes_the_profile_and_favorites(deleted):
    _, reader_id = deleted

    assert not Profile.objects.filter(user_id=reader_id).exists()
    assert not Favorite.objects.filter(user_id=reader_id).exists()
    assert not Favorite.objects.exists()


def test_delete_removes_the_newsletter_subscription(deleted, reader):
    assert not NewsletterSubscription.objects.filter(email__iexact=reader.email).exists()


def test_delete_keeps_the_votes_without_anything_leading_back(deleted, readers_data):
    votes = HelpfulnessVote.objects.all()

    assert votes.count() == 2
    for vote in votes:
        assert vote.user is None
        assert not vote.voter_key.startswith("user:")
    assert votes.values("voter_key").distinct().count() == 2
    assert HelpfulnessVote.objects.get(article=readers_data["article"]).comment == "More on side effects."


def test_delete_signs_out_and_goes_home_with_a_message(deleted, reader_client):
    response, _ = deleted

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in reader_client.session
    assert "Your account, profile and favorites are deleted." in page(reader_client.get("/"))


def test_delete_leaves_another_readers_data_alone(reader_client, readers_data, someone_else):
    reader_client.post(DELETE_URL, {"password": PASSWORD})

    assert User.objects.filter(pk=someone_else.pk).exists()
    assert Profile.objects.get(user=someone_else).display_name == "Someone Else"
    assert Favorite.objects.filter(user=someone_else).count() == 1
    assert NewsletterSubscription.objects.get(email=someone_else.email).is_active
    vote = HelpfulnessVote.objects.get(user=someone_else)
    assert vote.voter_key == f"user:{someone_else.pk}"
    assert vote.comment == "Someone else's comment."


def test_deleted_reader_cannot_sign_in_again(deleted, reader, client):
    response = client.post(reverse("accounts:sign_in"), {"username": reader.email, "password": PASSWORD})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_email_of_a_deleted_account_can_join_again(
    deleted, reader, client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:join"), {"email": reader.email, "password": "Purple-giraffe-42"})

    assert response.status_code == 200
    assert User.objects.get(email=reader.email).is_awaiting_confirmation
    assert [message.subject for message in mailoutbox] == ["Confirm your email address for Newsroom"]
