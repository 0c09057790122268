"""A reader's controls over recommendations: 'Not interested', 'Pause a topic', the survey, their
data, and what editors see in the admin."""

import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import dateformat, timezone
from taggit.models import Tag

from articles.models import Article
from recommendations.models import Dismissal, PausedTopic, SurveyResponse

from .factories import (
    ArticleFactory,
    DismissalFactory,
    FavoriteFactory,
    PausedTopicFactory,
    ProfileFactory,
    SectionFactory,
    SurveyResponseFactory,
    UserFactory,
)
from .helpers import element, hrefs, page, text_of

LIST_URL = reverse("recommendations:list")
SURVEY_URL = reverse("recommendations:survey")
PROFILE_URL = reverse("accounts:profile")
SIGN_IN_URL = reverse("accounts:sign_in")
DOWNLOAD_URL = reverse("accounts:download_data")
DELETE_URL = reverse("accounts:delete_account")
PASSWORD = "a-long-test-password"  # as set by UserFactory
JSON = {"HTTP_ACCEPT": "application/json"}
SURVEY_OFFER = "Are these recommendations helpful?"
THANKS = "Thank you. Your answers help us improve recommendations for everyone."


def not_interested_url(article_or_id):
    return reverse("recommendations:not_interested", args=[getattr(article_or_id, "pk", article_or_id)])


def pause_url(tag_or_id):
    return reverse("recommendations:pause_topic", args=[getattr(tag_or_id, "pk", tag_or_id)])


def recommended_urls(client):
    """Addresses of the articles on the reader's full recommendations page (each card opens its article through
    the page that notes it was followed)."""
    response = client.get(LIST_URL)
    assert response.status_code == 200
    opened = [url for url in hrefs(element(page(response), '<ol class="rec-cards">', "</ol>")) if "/open/" in url]
    return [
        Article.objects.get(pk=resolve(urlsplit(url).path).kwargs["article_id"]).get_absolute_url() for url in opened
    ]


@pytest.fixture
def articles(db):
    """Eight articles from yesterday in eight sections; the first is about recurrence."""
    first = ArticleFactory(title="Recurrence: signs to look for", section=SectionFactory(), tags=["recurrence"])
    return [first, *(ArticleFactory(title=f"Plain article {n}", section=SectionFactory()) for n in range(7))]


@pytest.fixture
def personal_client(client, reader, articles):
    """A signed-in reader who turned personalisation on."""
    ProfileFactory(user=reader)
    client.force_login(reader)
    return client


# --- 'Not interested' -------------------------------------------------------------------------


def test_not_interested_hides_the_article_from_the_next_recommendations(personal_client, articles):
    article = articles[0]
    assert article.get_absolute_url() in recommended_urls(personal_client)

    personal_client.post(not_interested_url(article))

    assert article.get_absolute_url() not in recommended_urls(personal_client)


def test_not_interested_is_stored_once_for_the_reader(personal_client, reader, articles):
    personal_client.post(not_interested_url(articles[0]))
    personal_client.post(not_interested_url(articles[0]))

    assert list(Dismissal.objects.values_list("user", "article")) == [(reader.pk, articles[0].pk)]


def test_not_interested_returns_to_a_local_next_address(personal_client, articles):
    response = personal_client.post(not_interested_url(articles[0]), {"next": "/articles/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/articles/?page=2"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "https:evil.example"])
def test_not_interested_never_returns_to_another_site(personal_client, articles, target):
    response = personal_client.post(not_interested_url(articles[0]), {"next": target})

    assert response["Location"] == LIST_URL


def test_not_interested_tells_the_reader_what_happened(personal_client, articles):
    response = personal_client.post(not_interested_url(articles[0]), follow=True)

    assert "We won't recommend “Recurrence: signs to look for” again" in text_of(page(response))


def test_not_interested_answers_json_when_asked(personal_client, articles):
    response = personal_client.post(not_interested_url(articles[0]), **JSON)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "message": "We won't recommend “Recurrence: signs to look for” again, and will show fewer articles like it."
    }


def test_undo_brings_the_article_back(personal_client, articles):
    article = articles[0]
    personal_client.post(not_interested_url(article))

    personal_client.post(not_interested_url(article), {"undo": "1"})

    assert not Dismissal.objects.exists()
    assert article.get_absolute_url() in recommended_urls(personal_client)


def test_not_interested_in_an_unknown_article_is_not_found(personal_client, articles):
    response = personal_client.post(not_interested_url(999_999))

    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["draft", "in_review", "archived", "scheduled"])
def test_not_interested_in_an_article_readers_cannot_see_is_not_found(personal_client, kind):
    hidden = ArticleFactory(title="Embargoed study", **{kind: True})

    response = personal_client.post(not_interested_url(hidden), **JSON)

    assert response.status_code == 404
    assert "Embargoed study" not in page(response)
    assert not Dismissal.objects.exists()


def test_not_interested_sends_anonymous_readers_to_sign_in(client, articles):
    url = not_interested_url(articles[0])

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN_URL}?next={url}"
    assert not Dismissal.objects.exists()


def test_not_interested_refuses_get(personal_client, articles):
    response = personal_client.get(not_interested_url(articles[0]))

    assert response.status_code == 405
    assert not Dismissal.objects.exists()


def test_not_interested_without_a_csrf_token_is_refused(reader, articles):
    ProfileFactory(user=reader)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    response = client.post(not_interested_url(articles[0]))

    assert response.status_code == 403
    assert not Dismissal.objects.exists()


# --- 'Pause a topic' --------------------------------------------------------------------------


@pytest.fixture
def recurrence(articles):
    return Tag.objects.get(name="recurrence")


def test_pausing_a_topic_removes_its_articles_from_recommendations(personal_client, articles, recurrence):
    assert articles[0].get_absolute_url() in recommended_urls(personal_client)

    personal_client.post(pause_url(recurrence))

    assert articles[0].get_absolute_url() not in recommended_urls(personal_client)


def test_pausing_a_topic_says_how_to_turn_it_back_on(personal_client, recurrence):
    response = personal_client.post(pause_url(recurrence), **JSON)

    assert response.json() == {
        "message": "Paused: no recommendations about recurrence until you turn them back on in your profile."
    }


def test_pausing_an_unknown_topic_is_not_found(personal_client):
    assert personal_client.post(pause_url(999_999)).status_code == 404


def test_pausing_a_topic_sends_anonymous_readers_to_sign_in(client, recurrence):
    response = client.post(pause_url(recurrence))

    assert response["Location"] == f"{SIGN_IN_URL}?next={pause_url(recurrence)}"
    assert not PausedTopic.objects.exists()


def test_profile_lists_paused_topics_with_a_turn_back_on_button(personal_client, reader, recurrence):
    PausedTopicFactory(user=reader, tag=recurrence)

    paused = element(page(personal_client.get(PROFILE_URL)), '<ul class="paused-list">', "</ul>")

    assert "recurrence" in text_of(paused)
    assert f'action="{pause_url(recurrence)}"' in paused
    assert '<input type="hidden" name="resume" value="1">' in paused
    assert "Turn back on: recurrence" in text_of(paused)


def test_profile_says_when_no_topic_is_paused(personal_client):
    section = element(
        page(personal_client.get(PROFILE_URL)), '<section aria-labelledby="paused-heading">', "</section>"
    )

    assert "None. You can pause a topic from your recommendations." in text_of(section)


def test_turn_back_on_resumes_the_topic_and_returns_to_the_profile(personal_client, reader, articles, recurrence):
    PausedTopicFactory(user=reader, tag=recurrence)

    response = personal_client.post(pause_url(recurrence), {"resume": "1", "next": PROFILE_URL})

    assert response["Location"] == PROFILE_URL
    assert not PausedTopic.objects.exists()
    assert articles[0].get_absolute_url() in recommended_urls(personal_client)


def test_paused_topics_of_another_reader_are_not_listed(personal_client, recurrence):
    PausedTopicFactory(user=UserFactory(), tag=recurrence)

    assert '<ul class="paused-list">' not in page(personal_client.get(PROFILE_URL))


# --- The survey -------------------------------------------------------------------------------


def answer(client, **data):
    return client.post(SURVEY_URL, {"rating": "4", "more_of": [], "less_of": [], "comment": "", **data})


def test_survey_requires_sign_in(client, db):
    response = client.get(SURVEY_URL)

    assert response["Location"] == f"{SIGN_IN_URL}?next={SURVEY_URL}"


def test_survey_form_asks_how_helpful_recommendations_are(personal_client):
    response = personal_client.get(SURVEY_URL)

    assert response.status_code == 200
    assert "How helpful are your recommendations?" in text_of(page(response))
    assert 'name="rating"' in page(response)


def test_survey_answer_is_stored(personal_client, reader):
    answer(personal_client, rating="5", more_of=["practical", "my_topics"], less_of=["hard_news"], comment=" More! ")

    stored = SurveyResponse.objects.get()
    assert (stored.user, stored.rating, stored.more_of, stored.less_of, stored.comment) == (
        reader,
        5,
        ["practical", "my_topics"],
        ["hard_news"],
        "More!",
    )


def test_survey_answer_returns_to_recommendations_with_thanks(personal_client):
    response = answer(personal_client, rating="3")

    assert response["Location"] == LIST_URL
    assert THANKS in text_of(page(personal_client.get(LIST_URL)))


@pytest.mark.parametrize("rating", ["0", "6", "abc", ""])
def test_survey_refuses_a_rating_outside_1_to_5(personal_client, rating):
    response = answer(personal_client, rating=rating)

    assert response.status_code == 200
    assert "rating" in response.context["form"].errors
    assert not SurveyResponse.objects.exists()


def test_survey_refuses_asking_for_more_and_less_of_the_same(personal_client):
    response = answer(personal_client, more_of=["practical", "variety"], less_of=["variety"])

    assert "You asked for both more and less of: A wider variety of topics. Choose one of the two." in text_of(
        page(response)
    )
    assert not SurveyResponse.objects.exists()


def test_survey_refuses_a_comment_longer_than_1000_characters(personal_client):
    response = answer(personal_client, comment="x" * 1001)

    assert "comment" in response.context["form"].errors
    assert not SurveyResponse.objects.exists()


def test_survey_accepts_a_comment_of_1000_characters(personal_client):
    answer(personal_client, comment="x" * 1000)

    assert len(SurveyResponse.objects.get().comment) == 1000


@pytest.fixture
def eligible_client(personal_client, reader, articles):
    """A reader who opted in and saved an article: someone with recommendations to judge."""
    FavoriteFactory(user=reader, article=articles[1])
    return personal_client


def offered(client):
    return SURVEY_OFFER in text_of(page(client.get(LIST_URL)))


def test_survey_is_offered_to_a_reader_with_recommendations_to_judge(eligible_client):
    content = page(eligible_client.get(LIST_URL))

    assert SURVEY_OFFER in text_of(content)
    assert SURVEY_URL in hrefs(content)


def test_not_now_puts_the_survey_off_for_the_session(eligible_client):
    response = eligible_client.post(SURVEY_URL, {"not_now": "1"})

    assert response["Location"] == LIST_URL
    assert eligible_client.session["survey_put_off"] is True
    assert not offered(eligible_client)
    assert not SurveyResponse.objects.exists()


def set_answered(days_ago, reader):
    SurveyResponseFactory(user=reader)
    SurveyResponse.objects.update(created_at=timezone.now() - timedelta(days=days_ago))


def test_survey_is_not_offered_again_within_90_days_of_an_answer(eligible_client, reader):
    set_answered(89, reader)

    assert not offered(eligible_client)


def test_survey_is_offered_again_after_90_days(eligible_client, reader):
    set_answered(91, reader)

    assert offered(eligible_client)


def test_survey_is_not_offered_to_a_reader_with_personalisation_off(client, reader, articles):
    ProfileFactory(user=reader, personalisation=False)
    FavoriteFactory(user=reader, article=articles[1])
    client.force_login(reader)

    assert not offered(client)


def test_survey_is_not_offered_before_the_reader_saved_anything(personal_client):
    assert not offered(personal_client)


def offered_beside_an_article(client, article):
    return SURVEY_OFFER in text_of(page(client.get(article.get_absolute_url())))


def test_survey_is_offered_beside_the_recommendations_on_an_article_page(eligible_client, articles):
    content = page(eligible_client.get(articles[2].get_absolute_url()))

    box = content[content.index('aria-labelledby="recommended-heading"') :]
    assert SURVEY_OFFER in text_of(box)
    assert SURVEY_URL in hrefs(box)


def test_survey_put_off_or_answered_is_no_longer_offered_beside_articles(eligible_client, articles):
    assert offered_beside_an_article(eligible_client, articles[2])
    eligible_client.post(SURVEY_URL, {"not_now": "1"})
    assert not offered_beside_an_article(eligible_client, articles[2])

    del_session = eligible_client.session
    del del_session["survey_put_off"]
    del_session.save()
    assert offered_beside_an_article(eligible_client, articles[2])
    answer(eligible_client)
    assert not offered_beside_an_article(eligible_client, articles[2])


# --- 'Download my data' and 'Delete my account' -----------------------------------------------


@pytest.fixture
def readers_choices(reader, articles, recurrence):
    SurveyResponseFactory(user=reader, rating=2, more_of=["practical"], less_of=["hard_news"], comment="Fewer, please")
    DismissalFactory(user=reader, article=articles[1])
    PausedTopicFactory(user=reader, tag=recurrence)
    # Someone else's choices must not appear.
    other = UserFactory()
    SurveyResponseFactory(user=other, comment="Someone else's comment")
    DismissalFactory(user=other, article=articles[2])
    PausedTopicFactory(user=other, tag=Tag.objects.create(name="chemotherapy"))


def download(client):
    response = client.get(DOWNLOAD_URL)
    assert response.status_code == 200
    return json.loads(response.content)


def test_download_includes_survey_answers(personal_client, readers_choices):
    [answer_] = download(personal_client)["recommendation_survey_answers"]

    assert (answer_["rating"], answer_["more_of"], answer_["less_of"], answer_["comment"]) == (
        2,
        ["Practical advice for everyday life"],
        ["Difficult news (recurrence, secondary cancer)"],
        "Fewer, please",
    )


def test_download_includes_articles_marked_not_interested(personal_client, readers_choices):
    assert download(personal_client)["articles_marked_not_interested"] == ["Plain article 0"]


def test_download_includes_paused_topics(personal_client, readers_choices):
    assert download(personal_client)["paused_topics"] == ["recurrence"]


def delete_account(client):
    response = client.post(DELETE_URL, {"password": PASSWORD})
    assert response.status_code == 302


def test_deleting_the_account_keeps_survey_answers_without_the_reader(personal_client, reader, readers_choices):
    delete_account(personal_client)

    kept = SurveyResponse.objects.get(comment="Fewer, please")
    assert kept.user is None
    assert kept.rating == 2


def test_deleting_the_account_deletes_dismissals_and_paused_topics(personal_client, reader, readers_choices):
    delete_account(personal_client)

    assert Dismissal.objects.count() == 1
    assert PausedTopic.objects.count() == 1
    assert not Dismissal.objects.filter(user_id=reader.pk).exists()
    assert not PausedTopic.objects.filter(user_id=reader.pk).exists()


# --- The admin --------------------------------------------------------------------------------

SURVEY_ADMIN_URL = reverse("admin:recommendations_surveyresponse_changelist")
MOST_DISMISSED_URL = reverse("admin:recommendations_mostdismissed_changelist")


@pytest.mark.parametrize("url", [SURVEY_ADMIN_URL, MOST_DISMISSED_URL])
def test_recommendation_admin_pages_load_for_a_superuser(superuser_client, url):
    assert superuser_client.get(url).status_code == 200


def month(moment):
    return dateformat.format(timezone.localtime(moment), "F Y")


def table_rows(markup):
    """The text of each cell, row by row, of the first table in `markup` after its header."""
    body = element(markup, "<tbody>", "</tbody>")
    return [
        [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


def test_survey_admin_shows_average_ratings_by_month(superuser_client):
    now = timezone.now()
    for rating in (4, 5):
        SurveyResponseFactory(rating=rating)
    earlier = SurveyResponseFactory(rating=2)
    SurveyResponse.objects.filter(pk=earlier.pk).update(created_at=now - timedelta(days=70))

    content = page(superuser_client.get(SURVEY_ADMIN_URL))
    by_month = element(content, "<h2>Ratings by month</h2>", "</table>")

    assert table_rows(by_month) == [[month(now), "2", "4.50"], [month(now - timedelta(days=70)), "1", "2.00"]]


def test_most_dismissed_admin_lists_articles_by_number_of_dismissals(superuser_client):
    counts = {"Dismissed once": 1, "Dismissed three times": 3, "Dismissed twice": 2, "Never dismissed": 0}
    for title, count in counts.items():
        article = ArticleFactory(title=title)
        for _ in range(count):
            DismissalFactory(article=article)

    results = element(page(superuser_client.get(MOST_DISMISSED_URL)), '<table id="result_list"', "</table>")

    assert [(row[0], row[-1]) for row in table_rows(results)] == [
        ("Dismissed three times", "3"),
        ("Dismissed twice", "2"),
        ("Dismissed once", "1"),
    ]
