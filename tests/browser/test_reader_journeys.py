"""What readers do on the site, step by step in a real browser, with and without JavaScript."""

import json
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Favorite, HelpfulnessVote, NewsletterSubscription, Profile, User
from accounts.services import voter_key_for
from recommendations.models import Dismissal, PausedTopic
from recommendations.similarity import rebuild_content_neighbours
from recommendations.sources import rebuild_popularity
from tests.factories import ArticleFactory

PASSWORD = "a-long-test-password"  # as set by UserFactory

NEW_READER = "sam.new-reader@example.org"
NEW_PASSWORD = "Lighthouse-tea-42"


def favorite_button(page, article, *, saved=False):
    """The article's own 'Save as Favorite' button, which says 'Remove from favorites' once it is saved
    (related-article cards have their own)."""
    name = "Remove from favorites" if saved else "Save as Favorite"
    return page.get_by_role("article", name=article.title).get_by_role("button", name=name)


def status_saying(page, text):
    return page.get_by_role("status").filter(has_text=text)


def account_nav(page):
    return page.get_by_role("navigation", name="Your account")


def mark_page(page):
    """Put a marker on the window: it survives only if the page does not reload."""
    page.evaluate("window.__notReloaded = true")


def page_was_not_reloaded(page):
    return page.evaluate("window.__notReloaded === true")


def saved_message(article):
    return f"Saved “{article.title}” to your favorites."


def test_join_confirm_profile_then_save_and_remove_a_favorite_with_javascript(page, article, link_in_email, mailoutbox):
    page.goto("/")
    account_nav(page).get_by_role("link", name="Join us").click()
    page.get_by_label("Email address").fill(NEW_READER)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Join", exact=True).click()

    expect(page.get_by_role("heading", name="Check your email to continue")).to_be_visible()
    expect(page.get_by_text(f"We sent an email to {NEW_READER}.")).to_be_visible()
    assert [message.to for message in mailoutbox] == [[NEW_READER]]
    expect(account_nav(page).get_by_role("link", name="Join us")).to_be_visible()

    page.goto(link_in_email("/accounts/confirm/"))
    expect(page.get_by_role("heading", name="Create a profile for better recommendations")).to_be_visible()
    expect(status_saying(page, "Welcome! Your email address is confirmed and you are signed in.")).to_be_visible()
    assert User.objects.get(email=NEW_READER).email_confirmed_at is not None

    page.get_by_role("checkbox", name="Treatment").check()
    page.get_by_role("radio", name="In treatment").check()
    page.get_by_role("checkbox", name="Use my profile and the articles I save to recommend articles to me").check()
    page.get_by_role("button", name="Save my profile").click()
    expect(status_saying(page, "Your profile is saved.")).to_be_visible()
    profile = Profile.objects.get(user__email=NEW_READER)
    assert profile.situation == Profile.Situation.IN_TREATMENT
    assert profile.personalisation is True
    assert [section.name for section in profile.sections.all()] == ["Treatment"]

    page.get_by_role("link", name="Latest").click()
    page.get_by_role("link", name=article.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    button = favorite_button(page, article)
    mark_page(page)
    button.click()

    expect(favorite_button(page, article, saved=True)).to_be_focused()  # the same button, relabelled
    expect(status_saying(page, "Saved")).to_have_text(saved_message(article))
    assert page_was_not_reloaded(page)
    assert Favorite.objects.filter(user__email=NEW_READER, article=article).exists()

    account_nav(page).get_by_role("link", name="My favorites").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My favorites")
    saved_item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=article.title))
    expect(saved_item).to_be_visible()
    empty_state = page.get_by_text("You have not saved any articles yet")
    expect(empty_state).to_be_hidden()
    mark_page(page)
    saved_item.get_by_role("button", name=re.compile(r"^Remove")).click()

    expect(saved_item).to_have_count(0)
    expect(empty_state).to_be_visible()
    expect(empty_state).to_be_focused()
    expect(status_saying(page, "Removed")).to_have_text(f"Removed “{article.title}” from your favorites.")
    assert page_was_not_reloaded(page)
    assert not Favorite.objects.filter(user__email=NEW_READER).exists()


def test_remove_a_favorite_on_my_favorites_with_javascript_keeps_the_page(page, article, reader, sign_in):
    Favorite.objects.create(user=reader, article=article)
    sign_in(page, reader.email)
    account_nav(page).get_by_role("link", name="My favorites").click()
    saved_item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=article.title))
    mark_page(page)

    saved_item.get_by_role("button", name=re.compile(r"^Remove")).click()

    expect(page.get_by_text("You have not saved any articles yet")).to_be_visible()
    assert page_was_not_reloaded(page)
    assert not Favorite.objects.filter(user=reader).exists()


def test_save_and_remove_a_favorite_without_javascript(page_without_js, article, reader, sign_in):
    page = page_without_js
    page.goto(article.get_absolute_url())
    account_nav(page).get_by_role("link", name="Sign in").click()
    sign_in(page, reader.email)
    expect(page).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))

    with page.expect_navigation():
        favorite_button(page, article).click()

    expect(page).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    expect(status_saying(page, "Saved")).to_have_text(saved_message(article))
    expect(favorite_button(page, article, saved=True)).to_be_visible()
    assert Favorite.objects.filter(user=reader, article=article).exists()

    account_nav(page).get_by_role("link", name="My favorites").click()
    saved_item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=article.title))
    expect(saved_item).to_be_visible()
    with page.expect_navigation():
        saved_item.get_by_role("button", name=re.compile(r"^Remove")).click()

    expect(page).to_have_url(re.compile(r"/accounts/favorites/$"))
    expect(status_saying(page, "Removed")).to_have_text(f"Removed “{article.title}” from your favorites.")
    expect(saved_item).to_have_count(0)
    expect(page.get_by_text("You have not saved any articles yet")).to_be_visible()
    assert not Favorite.objects.filter(user=reader).exists()


def test_anonymous_reader_who_saves_signs_in_and_finds_the_article_saved(page, article, reader, sign_in):
    page.goto(article.get_absolute_url())
    favorite_button(page, article).click()

    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next="))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in(page, reader.email)

    expect(page).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    expect(status_saying(page, "Saved")).to_have_text(saved_message(article))
    expect(favorite_button(page, article, saved=True)).to_be_visible()
    assert Favorite.objects.filter(user=reader, article=article).exists()


def test_vote_no_with_a_comment_then_change_to_yes(page, article):
    page.goto(article.get_absolute_url())
    helpful = page.get_by_role("region", name="Was this article helpful?")
    comment_box = helpful.get_by_label("What could be better?")
    expect(comment_box).to_be_hidden()
    mark_page(page)

    helpful.get_by_role("button", name="No", exact=True).click()

    expect(comment_box).to_be_visible()
    expect(comment_box).to_be_focused()
    expect(helpful.get_by_role("button", name="No", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(helpful.get_by_role("status")).to_have_text("Thank you. What could be better?")
    comment = "The numbers were hard to follow. A simple chart would help."
    comment_box.fill(comment)
    helpful.get_by_role("button", name="Send comment").click()

    expect(helpful.get_by_role("status")).to_have_text("Thank you for your comment.")
    expect(comment_box).to_be_hidden()
    vote = HelpfulnessVote.objects.get(article=article)
    assert (vote.is_helpful, vote.comment, vote.user) == (False, comment, None)

    helpful.get_by_role("button", name="Yes", exact=True).click()

    expect(helpful.get_by_role("button", name="Yes", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(helpful.get_by_role("button", name="No", exact=True)).to_have_attribute("aria-pressed", "false")
    expect(helpful.get_by_role("status")).to_have_text("Thank you for your answer.")
    assert page_was_not_reloaded(page)
    assert list(HelpfulnessVote.objects.filter(article=article).values_list("is_helpful", flat=True)) == [True]


def test_vote_and_comment_without_javascript_from_a_cached_page_with_no_token(page_without_js, article, live_server):
    """The shared anonymous page carries no CSRF token; the browser's Origin header lets the forms work."""
    page = page_without_js
    # Another reader's visit to the same address fills the page cache.
    Client().get(article.get_absolute_url(), HTTP_HOST=live_server.url.removeprefix("http://"))
    response = page.goto(article.get_absolute_url())
    assert response.headers["x-page-cache"] == "hit"
    assert "csrfmiddlewaretoken" not in page.content()
    helpful = page.get_by_role("region", name="Was this article helpful?")

    helpful.get_by_role("button", name="No", exact=True).click()
    helpful.get_by_label("What could be better?").fill("A chart would help.")
    helpful.get_by_role("button", name="Send comment").click()

    expect(page.get_by_text("Thank you for your comment.")).to_be_visible()
    vote = HelpfulnessVote.objects.get(article=article)
    assert (vote.is_helpful, vote.comment) == (False, "A chart would help.")


def test_a_vote_beyond_the_connections_ceiling_is_explained_without_reloading(page, article):
    # Five other browsers on the same connection (the live server sees this browser as 127.0.0.1) answered.
    for _ in range(5):
        Client().post(reverse("accounts:vote", args=[article.pk]), {"helpful": "yes"}, REMOTE_ADDR="127.0.0.1")
    page.goto(article.get_absolute_url())
    helpful = page.get_by_role("region", name="Was this article helpful?")
    mark_page(page)

    helpful.get_by_role("button", name="No", exact=True).click()

    expect(helpful.get_by_role("status")).to_contain_text("We could not count this answer")
    expect(helpful.get_by_role("button", name="No", exact=True)).to_have_attribute("aria-pressed", "false")
    expect(helpful.get_by_label("What could be better?")).to_be_hidden()
    assert page_was_not_reloaded(page)
    assert HelpfulnessVote.objects.filter(article=article).count() == 5


def test_subscribe_to_research_news_from_an_article(page, article, link_in_email, mailoutbox):
    email = "kim.subscriber@example.org"
    page.goto(article.get_absolute_url())
    newsletter_box = page.get_by_role("region", name="Stay tuned for the latest research news")
    newsletter_box.get_by_label("Your email address").fill(email)
    newsletter_box.get_by_role("button", name="Subscribe").click()

    expect(page).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    expect(status_saying(page, "we sent an email")).to_have_text(
        f"Almost done: we sent an email to {email}. Open it to finish subscribing."
    )
    assert [message.to for message in mailoutbox] == [[email]]
    assert NewsletterSubscription.objects.get(email=email).confirmed_at is None

    page.goto(link_in_email("/accounts/newsletter/confirm/"))

    expect(status_saying(page, "Subscribed")).to_have_text(f"Subscribed: research news will come to {email}.")
    assert NewsletterSubscription.objects.get(email=email).is_active


def test_download_my_data_from_the_profile(page, article, reader, sign_in):
    Favorite.objects.create(user=reader, article=article)
    HelpfulnessVote.objects.create(
        article=article,
        user=reader,
        voter_key=voter_key_for(reader),
        is_helpful=False,
        comment="Please explain the side effects.",
        updated_at=timezone.now(),
    )
    sign_in(page, reader.email)
    account_nav(page).get_by_role("link", name="Profile").click()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data").click()

    download = download_info.value
    assert download.suggested_filename == "my-newsroom-data.json"
    with open(download.path(), encoding="utf-8") as file:
        data = json.load(file)
    assert data["account"]["email"] == reader.email
    assert [favorite["article"] for favorite in data["favorites"]] == [article.title]
    assert [(vote["article"], vote["helpful"], vote["comment"]) for vote in data["helpfulness_votes"]] == [
        (article.title, False, "Please explain the side effects.")
    ]


def test_delete_my_account(page, article, reader, sign_in):
    Favorite.objects.create(user=reader, article=article)
    sign_in(page, reader.email)
    account_nav(page).get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete my account")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()

    expect(page).to_have_url(re.compile(r"^[^?#]*://[^/]+/$"))
    expect(status_saying(page, "deleted")).to_have_text(
        "Your account, profile and favorites are deleted. Thank you for reading."
    )
    expect(account_nav(page).get_by_role("link", name="Sign in")).to_be_visible()
    assert not User.objects.filter(email__iexact=reader.email).exists()
    assert not Favorite.objects.exists()

    sign_in(page, reader.email, expect_success=False)
    expect(page.get_by_role("alert")).to_have_text(
        "That email address and password do not match an account. Check both and try again; "
        "passwords are case-sensitive."
    )


def test_not_interested_hides_a_recommendation_in_place_and_pause_a_topic_is_undone_from_the_profile(
    page, article, reader, sign_in
):
    Profile.objects.update_or_create(user=reader, defaults={"personalisation": True})
    Favorite.objects.create(user=reader, article=article)
    for number in range(3):
        ArticleFactory(
            title=f"Radiotherapy side effects, part {number + 1}",
            section=article.section,
            tags=["radiotherapy", "side effects"],
        )
    rebuild_content_neighbours()
    rebuild_popularity()
    sign_in(page, reader.email)
    page.goto("/recommended/")
    first = page.locator("[data-recommendation]").first
    title = first.get_by_role("heading").inner_text()
    mark_page(page)

    first.get_by_role("button", name=re.compile(r"^Not interested")).click()

    expect(page.get_by_role("heading", name=title)).to_have_count(0)
    assert page_was_not_reloaded(page)
    assert Dismissal.objects.filter(user=reader, article__title=title).exists()

    topics = page.locator("[data-recommendation]").first.locator("details")
    topics.locator("summary").click()
    pause = topics.get_by_role("button", name=re.compile(r"^Pause "))
    topic = pause.first.inner_text().removeprefix("Pause ")
    pause.first.click()
    expect(page.get_by_text(f"Paused: no recommendations about {topic}")).to_be_visible()
    page.goto("/accounts/profile/")
    # Chromium names it "Turn back on : topic": the hidden part is positioned, so it is spaced off.
    page.get_by_role("button", name=re.compile(rf"^Turn back on\W+{re.escape(topic)}$")).click()
    expect(page.get_by_text(f"Recommendations about {topic} are back on.")).to_be_visible()
    assert not PausedTopic.objects.filter(user=reader).exists()
