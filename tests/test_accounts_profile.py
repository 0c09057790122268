"""A reader's profile: optional answers, personalisation only by opting in, and the newsletter box."""

import re

import pytest
from django.urls import reverse
from taggit.models import Tag

from accounts.models import NewsletterSubscription, Profile

from .factories import ArticleFactory, NewsletterSubscriptionFactory, SectionFactory
from .helpers import element, page, text_of

PROFILE_URL = reverse("accounts:profile")
INVALID_CHOICE = "Select a valid choice."


def save_profile(client, data, **kwargs):
    """Post the profile form as a browser does: with its hidden `next` field, even when every box is empty."""
    return client.post(PROFILE_URL, {"next": "", **data}, **kwargs)


def profile_form(content):
    return element(content, '<form method="post" class="form" novalidate>', "</form>")


def checkbox(form, name, value):
    """The <input> tag of one checkbox in `form`, or ''."""
    match = re.search(rf'<input type="checkbox" name="{name}" value="{value}"[^>]*>', form)
    return match.group(0) if match else ""


@pytest.fixture
def topics(db):
    """Two sections and two tags used by articles, and one tag that no article uses."""
    treatment = SectionFactory(name="Treatment", slug="treatment")
    screening = SectionFactory(name="Screening", slug="screening")
    ArticleFactory(section=treatment, tags=["hormone therapy", "genomics"])
    Tag.objects.create(name="Unused topic", slug="unused-topic")
    return {
        "treatment": treatment,
        "screening": screening,
        "hormone therapy": Tag.objects.get(name="hormone therapy"),
        "genomics": Tag.objects.get(name="genomics"),
        "unused": Tag.objects.get(name="Unused topic"),
    }


# --- Defaults --------------------------------------------------------------------------------


def test_profile_page_answers_for_a_signed_in_reader(reader_client):
    response = reader_client.get(PROFILE_URL)

    assert response.status_code == 200
    assert "<h1>Your profile</h1>" in page(response)


def test_profile_is_made_on_first_visit_with_personalisation_off(reader_client, reader):
    reader_client.get(PROFILE_URL)

    profile = Profile.objects.get(user=reader)
    assert profile.personalisation is False
    assert profile.display_name == ""
    assert profile.situation == ""
    assert not profile.sections.exists()
    assert not profile.tags.exists()


def test_personalisation_box_is_unticked_by_default(reader_client):
    form = profile_form(page(reader_client.get(PROFILE_URL)))

    personalisation = re.search(r'<input type="checkbox" name="personalisation"[^>]*>', form).group(0)
    assert "checked" not in personalisation


def test_profile_without_welcome_does_not_show_the_welcome_heading(reader_client):
    assert "Create a profile for better recommendations" not in page(reader_client.get(PROFILE_URL))


# --- Saving ----------------------------------------------------------------------------------


def test_saving_the_profile_keeps_every_answer(reader_client, reader, topics):
    response = reader_client.post(
        PROFILE_URL,
        {
            "display_name": "Maggie",
            "situation": Profile.Situation.IN_TREATMENT,
            "sections": [topics["treatment"].pk],
            "tags": [topics["hormone therapy"].pk, topics["genomics"].pk],
            "personalisation": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    profile = Profile.objects.get(user=reader)
    assert profile.display_name == "Maggie"
    assert profile.situation == "in_treatment"
    assert list(profile.sections.all()) == [topics["treatment"]]
    assert set(profile.tags.all()) == {topics["hormone therapy"], topics["genomics"]}
    assert profile.personalisation is True


def test_saved_answers_are_shown_when_the_profile_is_opened_again(reader_client, topics):
    reader_client.post(
        PROFILE_URL,
        {"display_name": "Maggie", "situation": "supporting", "sections": [topics["screening"].pk]},
    )

    form = profile_form(page(reader_client.get(PROFILE_URL)))

    assert 'value="Maggie"' in form
    assert re.search(r'<input type="radio" name="situation" value="supporting"[^>]*checked', form)
    assert "checked" in checkbox(form, "sections", topics["screening"].pk)
    assert "checked" not in checkbox(form, "sections", topics["treatment"].pk)


def test_saving_the_profile_says_so(reader_client):
    response = reader_client.post(PROFILE_URL, {"display_name": "Maggie"}, follow=True)

    assert "Your profile is saved." in page(response)


def test_turning_personalisation_off_is_saved(reader_client, reader):
    Profile.objects.create(user=reader, personalisation=True)

    reader_client.post(PROFILE_URL, {"display_name": ""})

    assert Profile.objects.get(user=reader).personalisation is False


def test_clearing_topics_removes_them(reader_client, reader, topics):
    profile = Profile.objects.create(user=reader)
    profile.sections.add(topics["treatment"])
    profile.tags.add(topics["genomics"])

    save_profile(reader_client, {})

    assert not profile.sections.exists()
    assert not profile.tags.exists()


def test_only_tags_used_by_articles_are_offered(reader_client, topics):
    form = profile_form(page(reader_client.get(PROFILE_URL)))

    assert checkbox(form, "tags", topics["hormone therapy"].pk)
    assert checkbox(form, "tags", topics["genomics"].pk)
    assert not checkbox(form, "tags", topics["unused"].pk)
    assert "Unused topic" not in form


def test_every_section_is_offered(reader_client, topics):
    form = profile_form(page(reader_client.get(PROFILE_URL)))

    assert checkbox(form, "sections", topics["treatment"].pk)
    assert checkbox(form, "sections", topics["screening"].pk)


def test_each_tag_is_offered_once_however_many_articles_use_it(reader_client, topics):
    ArticleFactory(tags=["genomics"])
    ArticleFactory(tags=["genomics"])

    form = profile_form(page(reader_client.get(PROFILE_URL)))

    assert form.count(f'name="tags" value="{topics["genomics"].pk}"') == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"sections": ["999999"]}, INVALID_CHOICE),
        ({"sections": ["not-a-number"]}, "“not-a-number” is not a valid value."),
        ({"tags": ["999999"]}, INVALID_CHOICE),
        ({"tags": ["abc"]}, "“abc” is not a valid value."),
        ({"situation": "astronaut"}, INVALID_CHOICE),
    ],
    ids=["unknown section", "non-numeric section", "unknown tag", "non-numeric tag", "unknown situation"],
)
def test_invalid_choices_give_form_errors_not_a_server_error(reader_client, reader, topics, data, error):
    response = save_profile(reader_client, {"display_name": "Maggie", **data})

    assert response.status_code == 200
    content = text_of(page(response))
    assert "Please correct the field marked below." in content
    assert error in content
    assert not Profile.objects.filter(user=reader, display_name="Maggie").exists()


def test_a_tag_no_article_uses_cannot_be_chosen_by_posting_its_id(reader_client, reader, topics):
    response = reader_client.post(PROFILE_URL, {"tags": [topics["unused"].pk]})

    assert response.status_code == 200
    assert INVALID_CHOICE in text_of(page(response))
    assert not Profile.objects.get(user=reader).tags.exists()


def test_display_name_longer_than_sixty_characters_is_refused(reader_client, reader):
    response = reader_client.post(PROFILE_URL, {"display_name": "x" * 61})

    assert response.status_code == 200
    assert "Ensure this value has at most 60 characters (it has 61)." in text_of(page(response))


def test_profile_returns_to_a_local_next_address_after_saving(reader_client):
    response = reader_client.post(PROFILE_URL, {"next": "/articles/"})

    assert response["Location"] == "/articles/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example"])
def test_profile_never_redirects_to_another_site(reader_client, target):
    response = reader_client.post(PROFILE_URL, {"next": target})

    assert response["Location"] == PROFILE_URL


# --- The newsletter box ----------------------------------------------------------------------


def test_ticking_the_newsletter_box_starts_a_subscription_with_a_confirmation_email(
    reader_client, reader, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = reader_client.post(PROFILE_URL, {"newsletter": "on"}, follow=True)

    subscription = NewsletterSubscription.objects.get(email=reader.email)
    assert subscription.user == reader
    assert subscription.is_active is False
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [reader.email]
    assert f"We sent a link to {reader.email} to confirm your research news subscription." in page(response)


def test_newsletter_box_is_ticked_once_subscribed(reader_client, reader):
    NewsletterSubscriptionFactory(email=reader.email)

    form = profile_form(page(reader_client.get(PROFILE_URL)))

    newsletter = re.search(r'<input type="checkbox" name="newsletter"[^>]*>', form).group(0)
    assert "checked" in newsletter


def test_unticking_the_newsletter_box_unsubscribes(reader_client, reader, mailoutbox):
    subscription = NewsletterSubscriptionFactory(email=reader.email.upper())

    response = save_profile(reader_client, {}, follow=True)

    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert "You are unsubscribed from research news." in page(response)
    assert mailoutbox == []


def test_saving_with_the_box_still_ticked_sends_nothing_more(
    reader_client, reader, django_capture_on_commit_callbacks, mailoutbox
):
    NewsletterSubscriptionFactory(email=reader.email)

    with django_capture_on_commit_callbacks(execute=True):
        reader_client.post(PROFILE_URL, {"newsletter": "on"})

    assert mailoutbox == []
    assert NewsletterSubscription.objects.get().is_active


def test_ticking_the_box_after_unsubscribing_asks_for_confirmation_again(
    reader_client, reader, django_capture_on_commit_callbacks, mailoutbox
):
    NewsletterSubscriptionFactory(email=reader.email, unsubscribed=True)

    with django_capture_on_commit_callbacks(execute=True):
        reader_client.post(PROFILE_URL, {"newsletter": "on"})

    subscription = NewsletterSubscription.objects.get()
    assert subscription.unsubscribed_at is None
    assert subscription.confirmed_at is None
    assert len(mailoutbox) == 1


# --- Signing in first ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["profile", "favorites", "download_data", "delete_account", "password_change"],
)
def test_reader_pages_require_signing_in(client, db, name):
    url = reverse(f"accounts:{name}")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign_in')}?next={url}"


def test_posting_a_profile_while_signed_out_changes_nothing(client, db):
    response = client.post(PROFILE_URL, {"display_name": "Maggie"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert not Profile.objects.exists()
