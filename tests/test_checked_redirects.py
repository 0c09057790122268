"""Every form that honours `next` goes through one check: a path on this site is followed, anything else falls
back to the page's own default, and no value ever gives a 500 (before, `next=x` was taken for a URL name after
the action had been saved)."""

import pytest
from django.urls import reverse

from newsroom.redirects import local_path

from .factories import ArticleFactory, FavoriteFactory
from .helpers import element, page

PASSWORD = "a-long-test-password"  # as set by UserFactory

NOT_LOCAL = [
    "x",
    "accounts:profile",
    "articles:home",
    "//evil.example/",
    "/\\evil.example/",
    "/\\/evil.example/",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    " /articles/",
    "/articles/\x00",
    "/articles/\r\nSet-Cookie: x=1",
    "/" + "a" * 3000,
    "",
]
LOCAL = "/articles/?page=2"


@pytest.fixture
def article(db):
    article = ArticleFactory()
    article.tags.add("Screening")
    return article


def form_posts(article):
    """(who, url, data, where it returns by default) for each form that honours `next`."""
    tag = article.tags.get()
    return {
        "save a favorite": ("reader", reverse("accounts:favorite", args=[article.pk]), {"action": "save"}, None),
        "remove a favorite": ("reader", reverse("accounts:favorite", args=[article.pk]), {"action": "remove"}, None),
        "profile": ("reader", reverse("accounts:profile"), {"situation": ""}, reverse("accounts:profile")),
        "newsletter": ("anonymous", reverse("accounts:newsletter"), {"email": "new@example.org"}, None),
        "not interested": ("reader", reverse("recommendations:not_interested", args=[article.pk]), {}, None),
        "pause a topic": ("reader", reverse("recommendations:pause_topic", args=[tag.pk]), {}, None),
        "resume a topic": (
            "reader",
            reverse("recommendations:pause_topic", args=[tag.pk]),
            {"resume": "1"},
            reverse("accounts:profile"),
        ),
        "sign in": ("anonymous", reverse("accounts:sign_in"), {"password": PASSWORD}, "/"),
        "sign out": ("reader", reverse("accounts:sign_out"), {}, "/"),
    }


DEFAULTS = {
    "save a favorite": "article",
    "remove a favorite": "article",
    "newsletter": reverse("accounts:newsletter"),
    "not interested": reverse("recommendations:list"),
    "pause a topic": reverse("recommendations:list"),
}


def post_form(client, reader, article, name, next_value):
    who, url, data, default = form_posts(article)[name]
    if who == "reader":
        client.force_login(reader)
    if name == "sign in":
        data = {**data, "username": reader.email}
    if name == "remove a favorite":
        FavoriteFactory(user=reader, article=article)
    response = client.post(url, {**data, "next": next_value})
    expected_default = default or DEFAULTS[name]
    return response, (article.get_absolute_url() if expected_default == "article" else expected_default)


FORMS = [
    "save a favorite",
    "remove a favorite",
    "profile",
    "newsletter",
    "not interested",
    "pause a topic",
    "resume a topic",
    "sign in",
    "sign out",
]


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("next_value", NOT_LOCAL)
def test_a_next_that_is_not_a_local_path_falls_back_to_the_pages_default(client, reader, article, name, next_value):
    response, default = post_form(client, reader, article, name, next_value)

    assert response.status_code == 302
    assert response["Location"] == default


@pytest.mark.parametrize("name", ["save a favorite", "profile", "newsletter", "not interested", "sign in", "sign out"])
def test_a_local_next_is_followed(client, reader, article, name):
    response, _ = post_form(client, reader, article, name, LOCAL)

    assert response.status_code == 302
    assert response["Location"] == LOCAL


@pytest.mark.parametrize("url_name", ["accounts:newsletter", "accounts:sign_in"])
@pytest.mark.parametrize("next_value", ["x", "//evil.example/", "javascript:alert(1)"])
def test_a_shared_link_with_a_bad_next_still_shows_a_working_form(client, db, url_name, next_value):
    response = client.get(reverse(url_name), {"next": next_value})

    assert response.status_code == 200
    form = element(page(response), "<main", "</main>")
    assert '<input type="hidden" name="next" value="">' in form


def test_a_shared_newsletter_link_with_next_x_still_signs_up(client, db):
    """The finding as reported: /accounts/newsletter/?next=x, and the form posts the page's next along."""
    response = client.post(f"{reverse('accounts:newsletter')}?next=x", {"email": "new@example.org", "next": "x"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:newsletter")


@pytest.mark.parametrize("target", [LOCAL, "/", "/articles/tamoxifen/#helpful"])
def test_local_paths_are_kept_exactly(target):
    assert local_path(target) == target


@pytest.mark.parametrize("target", NOT_LOCAL + [None])
def test_anything_else_is_not_a_local_path(target):
    assert local_path(target) is None
