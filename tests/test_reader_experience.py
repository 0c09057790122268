"""Issue 14: what a new reader would find confusing or worrying, each reproduced as a browser sends it."""

import json
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from .factories import ArticleFactory, FavoriteFactory, ImageFactory, SectionFactory
from .helpers import page


def test_the_sign_in_page_names_the_site_not_the_host(client, db):
    markup = page(client.get(reverse("accounts:sign_in"), HTTP_HOST="127.0.0.1"))

    assert re.search(r"<title>[^<]*</title>", markup).group(0).endswith(f"{settings.SITE_NAME}</title>")
    assert "127.0.0.1" not in re.search(r"<title>[^<]*</title>", markup).group(0)
    assert f'class="site-name" href="/">{settings.SITE_NAME}<' in markup


def test_signing_out_says_so(reader_client):
    response = reader_client.post(reverse("accounts:sign_out"), follow=True)

    assert "You are signed out." in page(response)


# A "valid global date and time string" (HTML): seconds with at most three decimals, and an offset.
HTML_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)")


def test_times_on_my_favorites_are_valid_html_datetimes(reader_client, reader):
    FavoriteFactory(user=reader, article=ArticleFactory())

    markup = page(reader_client.get(reverse("accounts:favorites")))

    moments = re.findall(r'<time datetime="([^"]*)"', markup)
    assert moments
    for moment in moments:
        assert HTML_DATETIME.fullmatch(moment), moment


def test_a_reader_who_just_subscribed_is_not_offered_the_newsletter_box_again(client, db):
    article = ArticleFactory()
    url = article.get_absolute_url()
    assert "Stay tuned for the latest research news" in page(client.get(url))

    response = client.post(
        reverse("accounts:newsletter"), {"email": "new@example.org", "next": url}, HTTP_ORIGIN="http://testserver",
        follow=True,
    )  # fmt: skip

    markup = page(response)
    assert response.redirect_chain[-1][0] == url
    assert "Almost done: we sent an email to new@example.org." in markup
    assert "Stay tuned for the latest research news" not in markup
    assert "Stay tuned for the latest research news" in page(client.get(url))  # only while the message shows


def test_the_favicon_and_the_web_app_manifest_are_served_and_linked_from_every_page(client, db):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age" in icon["Cache-Control"]

    manifest = client.get(reverse("web_manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["name"] == settings.SITE_NAME
    sizes = {entry["sizes"] for entry in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for entry in data["icons"]:
        assert finders.find(entry["src"].removeprefix(settings.STATIC_URL)), entry["src"]

    markup = page(client.get(reverse("articles:home")))
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in markup
    assert 'rel="icon" type="image/svg+xml"' in markup
    assert f'<link rel="manifest" href="{reverse("web_manifest")}">' in markup


def test_the_search_forms_of_one_page_have_names_of_their_own(client, db):
    for url in (reverse("articles:search") + "?q=tamoxifen", "/no-such-page/"):
        markup = page(client.get(url))
        names = re.findall(r'<form[^>]*role="search"[^>]*aria-label="([^"]+)"', markup)
        assert len(names) == markup.count('role="search"') == 2, url
        assert len(set(names)) == 2, url


# Recommendations that stay off without the reader noticing


def profile_form_of(client):
    markup = page(client.get(reverse("accounts:profile") + "?welcome=1"))
    return markup[markup.index('<form method="post" class="form" novalidate>') :]


def test_the_recommendations_opt_in_comes_first_in_the_profile(reader_client):
    SectionFactory(name="Treatment")

    form = profile_form_of(reader_client)

    assert form.index('name="personalisation"') < form.index('name="situation"') < form.index('name="sections"')


def test_the_profile_offers_one_way_not_to_say(reader_client):
    form = profile_form_of(reader_client)

    assert "Prefer not to say" in form
    assert "rather not answer" not in form


def test_saving_interests_with_recommendations_off_says_they_are_off(reader_client):
    section = SectionFactory(name="Treatment")

    response = reader_client.post(reverse("accounts:profile"), {"next": "", "sections": [section.pk]}, follow=True)

    assert "Your profile is saved. Recommendations are off" in page(response)


def test_saving_with_recommendations_on_does_not_warn(reader_client):
    section = SectionFactory(name="Treatment")

    response = reader_client.post(
        reverse("accounts:profile"), {"next": "", "sections": [section.pk], "personalisation": "on"}, follow=True
    )

    assert "Your profile is saved." in page(response)
    assert "Recommendations are off" not in page(response)


def test_the_home_pages_lead_image_loads_first_and_the_others_lazily(client, db):
    lead = ArticleFactory(is_featured=True, hero=ImageFactory(), title="The lead story")
    ArticleFactory(is_featured=True, hero=ImageFactory(), publish_at=lead.publish_at - timedelta(hours=1))
    ArticleFactory(hero=ImageFactory(), publish_at=lead.publish_at - timedelta(hours=2))

    markup = page(client.get(reverse("articles:home")))

    images = re.findall(r"<img [^>]*>", markup)
    assert len(images) >= 3
    first, *others = images
    assert 'fetchpriority="high"' in first and 'loading="lazy"' not in first
    assert all('loading="lazy"' in image and "fetchpriority" not in image for image in others)
    assert all(re.search(r'width="\d+" height="\d+"', image) for image in images)
