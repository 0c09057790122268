"""An outsider cannot learn that a hidden article or topic exists: views that take an article id (or a tag)
look it up only among what the requester may see, and answer a hidden id exactly as an unknown one."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Favorite, Profile
from recommendations.models import Dismissal, PausedTopic

from .factories import ArticleFactory, DismissalFactory, FavoriteFactory, PausedTopicFactory
from .helpers import page

HIDDEN = {
    "draft": {"draft": True},
    "in review": {"in_review": True},
    "approved": {"approved": True},
    "scheduled": {"scheduled": True},
    "archived": {"archived": True},
}
UNKNOWN_ID = 987654321


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture(params=list(HIDDEN))
def hidden(request, db):
    return ArticleFactory(title="Embargoed trial of drug ZX-9", slug="embargoed-zx-9", **HIDDEN[request.param])


def favorite_url(article_id):
    return reverse("accounts:favorite", args=[article_id])


def not_interested_url(article_id):
    return reverse("recommendations:not_interested", args=[article_id])


def without_path(response):
    """The page without what differs between any two requests: its own address and the masked CSRF token."""
    return re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]*"', "", page(response).replace(response.wsgi_request.path, "")
    )


def assert_same_as_unknown(post, hidden):
    """The reply for a hidden id matches the reply for an id that never existed, and names nothing."""
    hidden_reply, unknown_reply = post(hidden.pk), post(UNKNOWN_ID)
    assert hidden_reply.status_code == unknown_reply.status_code == 404
    assert hidden_reply.get("Location") is None
    assert without_path(hidden_reply) == without_path(unknown_reply)
    assert "ZX-9" not in page(hidden_reply) and "zx-9" not in page(hidden_reply)


# --- Favorites ---------------------------------------------------------------------------------


def test_an_anonymous_remove_of_a_hidden_article_is_not_sent_to_its_address(client, hidden):
    assert_same_as_unknown(lambda pk: client.post(favorite_url(pk), {"action": "remove"}), hidden)


def test_an_anonymous_json_remove_of_a_hidden_article_reveals_nothing(client, hidden):
    assert_same_as_unknown(
        lambda pk: client.post(favorite_url(pk), {"action": "remove"}, HTTP_ACCEPT="application/json"), hidden
    )


def test_a_reader_cannot_read_a_hidden_title_by_removing_it_from_favorites(reader_client, hidden):
    assert_same_as_unknown(
        lambda pk: reader_client.post(favorite_url(pk), {"action": "remove"}, HTTP_ACCEPT="application/json"), hidden
    )


def test_a_reader_cannot_save_a_hidden_article(reader_client, reader, hidden):
    assert_same_as_unknown(lambda pk: reader_client.post(favorite_url(pk), {"action": "save"}), hidden)
    assert not Favorite.objects.filter(user=reader).exists()


def test_a_reader_can_remove_their_own_favorite_taken_down_since_without_seeing_its_title(
    reader_client, reader, hidden
):
    FavoriteFactory(user=reader, article=hidden)

    response = reader_client.post(favorite_url(hidden.pk), {"action": "remove"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:favorites")
    assert messages_of(response) == ["Removed an article that is no longer available from your favorites."]
    assert not Favorite.objects.filter(user=reader).exists()


def test_removing_a_taken_down_favorite_by_script_does_not_name_it(reader_client, reader, hidden):
    FavoriteFactory(user=reader, article=hidden)

    response = reader_client.post(favorite_url(hidden.pk), {"action": "remove"}, HTTP_ACCEPT="application/json")

    assert response.json() == {
        "saved": False,
        "message": "Removed an article that is no longer available from your favorites.",
    }


def test_another_readers_favorite_of_a_hidden_article_does_not_open_it_to_this_reader(
    reader_client, hidden, django_user_model
):
    FavoriteFactory(article=hidden)

    assert_same_as_unknown(
        lambda pk: reader_client.post(favorite_url(pk), {"action": "remove"}, HTTP_ACCEPT="application/json"), hidden
    )


# --- Not interested ----------------------------------------------------------------------------


def test_undoing_not_interested_for_a_hidden_article_reveals_nothing(reader_client, hidden):
    assert_same_as_unknown(
        lambda pk: reader_client.post(not_interested_url(pk), {"undo": "1"}, HTTP_ACCEPT="application/json"), hidden
    )


def test_dismissing_a_hidden_article_reveals_nothing(reader_client, reader, hidden):
    assert_same_as_unknown(lambda pk: reader_client.post(not_interested_url(pk)), hidden)
    assert not Dismissal.objects.filter(user=reader).exists()


def test_a_reader_can_undo_their_own_dismissal_of_an_article_taken_down_since(reader_client, reader, hidden):
    DismissalFactory(user=reader, article=hidden)

    response = reader_client.post(not_interested_url(hidden.pk), {"undo": "1"}, HTTP_ACCEPT="application/json")

    assert response.json() == {"message": "That article can be recommended again."}
    assert not Dismissal.objects.filter(user=reader).exists()


# --- Topics used only on hidden articles -------------------------------------------------------


@pytest.fixture
def hidden_topic(db):
    article = ArticleFactory(draft=True)
    article.tags.add("ZX-9 trial")
    return article.tags.get()


def test_pausing_a_topic_used_only_on_hidden_articles_reveals_nothing(reader_client, reader, hidden_topic):
    url = reverse("recommendations:pause_topic", args=[hidden_topic.pk])

    response = reader_client.post(url, HTTP_ACCEPT="application/json")

    assert response.status_code == 404
    assert "ZX-9" not in page(response)
    assert not PausedTopic.objects.filter(user=reader).exists()


def test_a_reader_can_resume_a_topic_they_paused_after_its_articles_were_taken_down(
    reader_client, reader, hidden_topic
):
    PausedTopicFactory(user=reader, tag=hidden_topic)

    response = reader_client.post(
        reverse("recommendations:pause_topic", args=[hidden_topic.pk]), {"resume": "1"}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    assert not PausedTopic.objects.filter(user=reader).exists()


@pytest.mark.parametrize("url_name", ["articles:tag", "articles:tag_feed_rss", "articles:tag_feed_atom"])
def test_a_topic_used_only_on_hidden_articles_has_no_page_or_feed(client, hidden_topic, url_name):
    assert client.get(reverse(url_name, args=[hidden_topic.slug])).status_code == 404


def test_a_topic_page_still_shows_when_one_of_its_articles_is_visible(client, hidden_topic):
    ArticleFactory().tags.add(hidden_topic)

    assert client.get(reverse("articles:tag", args=[hidden_topic.slug])).status_code == 200


def test_the_profile_offers_only_topics_readers_can_see_and_those_already_chosen(reader_client, reader, hidden_topic):
    ArticleFactory().tags.add("Screening")
    kept = ArticleFactory(archived=True)
    kept.tags.add("Old topic")
    Profile.objects.create(user=reader).tags.add(kept.tags.get())

    content = page(reader_client.get(reverse("accounts:profile")))

    assert "Screening" in content
    assert "Old topic" in content
    assert "ZX-9" not in content
