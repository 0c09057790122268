"""Every public page answers and shows what readers expect on it."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .factories import ArticleFactory, BylineFactory, PersonFactory, ReferenceFactory, SectionFactory
from .helpers import article_links, element, page, text_of

NOT_FOUND_TEXT = "We could not find that page"
PASSWORD = "a-long-test-password"  # as set by UserFactory


def detail_url(article):
    return reverse("articles:detail", kwargs={"slug": article.slug})


def days_ago(days):
    return timezone.now() - timedelta(days=days)


# --- Home ------------------------------------------------------------------------------------


def test_home_page_answers(client, db):
    assert client.get("/").status_code == 200


def test_home_page_without_articles_says_none_are_published(client, db):
    assert "No articles have been published yet." in page(client.get("/"))


def test_home_page_shows_featured_articles_before_the_latest(client, db):
    latest = ArticleFactory(title="Newest ordinary article", publish_at=days_ago(1))
    featured = ArticleFactory(title="Featured older article", is_featured=True, publish_at=days_ago(5))

    content = page(client.get("/"))

    featured_part = element(content, 'aria-labelledby="featured-heading"', "</section>")
    latest_part = element(content, 'aria-labelledby="latest-heading"', "</section>")
    assert article_links(featured_part) == [detail_url(featured)]
    assert article_links(latest_part) == [detail_url(latest)]
    assert content.index(detail_url(featured)) < content.index(detail_url(latest))


def test_home_page_shows_at_most_three_featured_articles_newest_first(client, db):
    featured = [ArticleFactory(is_featured=True, publish_at=days_ago(day)) for day in range(1, 5)]

    content = page(client.get("/"))

    featured_part = element(content, 'aria-labelledby="featured-heading"', "</section>")
    assert article_links(featured_part) == [detail_url(article) for article in featured[:3]]


def test_home_page_latest_lists_nine_newest_articles_not_already_featured(client, db):
    articles = [ArticleFactory(publish_at=days_ago(day)) for day in range(1, 12)]
    featured = ArticleFactory(is_featured=True, publish_at=days_ago(0.5))

    content = page(client.get("/"))

    latest_part = element(content, 'aria-labelledby="latest-heading"', "</section>")
    assert article_links(latest_part) == [detail_url(article) for article in articles[:9]]
    assert detail_url(featured) not in latest_part


# --- Article list ----------------------------------------------------------------------------


@pytest.fixture
def thirteen_articles(db):
    """Newest first: one more than fits on a page."""
    return [ArticleFactory(publish_at=days_ago(day)) for day in range(1, 14)]


def test_article_list_shows_the_newest_twelve_on_page_one(client, thirteen_articles):
    response = client.get("/articles/")

    assert response.status_code == 200
    content = page(response)
    main = element(content, '<main id="main"', "</main>")
    assert article_links(main) == [detail_url(article) for article in thirteen_articles[:12]]
    assert "Page 1 of 2" in content


def test_article_list_page_two_shows_the_rest(client, thirteen_articles):
    response = client.get("/articles/?page=2")

    assert response.status_code == 200
    main = element(page(response), '<main id="main"', "</main>")
    assert article_links(main) == [detail_url(thirteen_articles[12])]
    assert "Page 2 of 2" in main


@pytest.mark.parametrize("number", ["abc", "0", "-1", "9999", "1.5"])
def test_article_list_bad_page_number_is_404_not_500(client, thirteen_articles, number):
    response = client.get("/articles/", {"page": number})

    assert response.status_code == 404
    assert NOT_FOUND_TEXT in page(response)


def test_article_list_without_articles_answers(client, db):
    response = client.get("/articles/")

    assert response.status_code == 200
    assert "No articles here yet." in page(response)


# --- Section and tag pages -------------------------------------------------------------------


def test_section_page_shows_its_name_description_and_articles_only(client, db):
    section = SectionFactory(name="Treatment", slug="treatment", description="New treatments, tested.")
    inside = ArticleFactory(section=section)
    outside = ArticleFactory()

    response = client.get("/sections/treatment/")

    assert response.status_code == 200
    content = page(response)
    assert "<h1>Treatment</h1>" in content
    assert "New treatments, tested." in content
    assert detail_url(inside) in content
    assert detail_url(outside) not in content


def test_tag_page_shows_the_tag_and_its_articles_only(client, db):
    tagged = ArticleFactory(tags=["hormone therapy"])
    untagged = ArticleFactory(tags=["screening"])

    response = client.get("/tags/hormone-therapy/")

    assert response.status_code == 200
    content = page(response)
    assert "<h1>Articles about hormone therapy</h1>" in content
    assert detail_url(tagged) in content
    assert detail_url(untagged) not in content


@pytest.mark.parametrize("url", ["/articles/no-such-article/", "/sections/no-such-section/", "/tags/no-such-tag/"])
def test_unknown_slug_gives_the_friendly_404_page(client, db, url):
    response = client.get(url)

    assert response.status_code == 404
    content = page(response)
    assert NOT_FOUND_TEXT in content
    assert '<meta name="robots" content="noindex">' in content


# --- Article page ----------------------------------------------------------------------------


@pytest.fixture
def full_article(db):
    section = SectionFactory(name="Treatment", slug="treatment")
    reviewer = PersonFactory(name="Dr Ada Reviewer", credentials="MD, FRCP")
    article = ArticleFactory(
        title="Tamoxifen after surgery lowers recurrence",
        summary="A ten-year study found fewer recurrences.",
        body="<p>The trial followed 2,000 women.</p>",
        section=section,
        source="2024 San Antonio Breast Cancer Symposium",
        medical_reviewer=reviewer,
        last_reviewed=date(2024, 3, 5),
        publish_at=datetime(2024, 3, 3, 12, 0, tzinfo=UTC),
        tags=["hormone therapy", "tamoxifen"],
    )
    BylineFactory(article=article, person=PersonFactory(name="Second Writer", credentials="PhD"), position=2)
    BylineFactory(article=article, person=PersonFactory(name="First Writer", credentials="Science writer"), position=1)
    ReferenceFactory(article=article, citation="Second reference, 2023.", position=2)
    ReferenceFactory(article=article, citation="First reference, 2022.", position=1)
    return article


@pytest.fixture
def article_page(client, full_article):
    response = client.get(detail_url(full_article))
    assert response.status_code == 200
    return page(response)


def test_article_page_shows_headline_and_summary(article_page):
    assert '<h1 id="article-title">Tamoxifen after surgery lowers recurrence</h1>' in article_page
    assert '<p class="lead">A ten-year study found fewer recurrences.</p>' in article_page


def test_article_page_shows_bylines_with_credentials_in_order(article_page):
    byline = text_of(element(article_page, '<p class="byline">', "</p>"))

    assert byline == "By First Writer, Science writer and Second Writer, PhD"


def test_article_page_shows_medical_review_line(article_page):
    review = text_of(element(article_page, '<p class="review-line">', "</p>"))

    # The comma before "on" is a matter of house style; the name, credentials and date are not.
    assert re.fullmatch(r"Medically reviewed by Dr Ada Reviewer, MD, FRCP,? on 5 March 2024", review)


def test_article_page_review_line_without_date_names_the_reviewer(client, db):
    article = ArticleFactory(medical_reviewer=PersonFactory(name="Dr Ada Reviewer", credentials="MD"))

    content = page(client.get(detail_url(article)))

    assert text_of(element(content, '<p class="review-line">', "</p>")) == "Medically reviewed by Dr Ada Reviewer, MD"


def test_article_page_shows_published_date(article_page):
    dates = text_of(element(article_page, '<p class="dates">', "</p>"))

    assert dates.startswith("Published 3 March 2024")


def test_article_page_shows_body(article_page):
    assert "<p>The trial followed 2,000 women.</p>" in article_page


def test_article_page_shows_source(article_page):
    assert "Source: 2024 San Antonio Breast Cancer Symposium" in article_page


def test_article_page_lists_references_by_position(article_page):
    references = element(article_page, '<section class="article__references"', "</section>")

    assert references.index("First reference, 2022.") < references.index("Second reference, 2023.")
    assert 'href="https://example.org/study" rel="noopener noreferrer"' in references


def test_article_page_links_its_tags(article_page):
    tags = element(article_page, '<section class="article__tags"', "</section>")

    assert '<a href="/tags/hormone-therapy/">hormone therapy</a>' in tags
    assert '<a href="/tags/tamoxifen/">tamoxifen</a>' in tags


def test_article_page_offers_save_as_favorite_as_a_form(article_page, full_article):
    form = element(article_page, '<form method="post" action="/accounts/favorites/', "</form>")

    assert f'action="/accounts/favorites/{full_article.pk}/"' in form
    assert 'name="action" value="save"' in form
    assert '">Save as Favorite</button>' in form


def test_article_page_asks_if_it_was_helpful_with_yes_and_no(article_page):
    helpful = element(article_page, '<section class="helpful"', "</section>")

    assert "Was this article helpful?" in helpful
    assert re.search(r'<button type="submit" name="helpful" value="yes"[^>]*>Yes</button>', helpful)
    assert re.search(r'<button type="submit" name="helpful" value="no"[^>]*>No</button>', helpful)


def test_article_page_asks_anonymous_readers_to_sign_in_for_recommendations(article_page, full_article):
    box = element(article_page, 'aria-labelledby="recommended-heading"', "</section>")

    assert "Recommended for you" in box
    assert f'<a href="/accounts/sign-in/?next={detail_url(full_article)}">Sign in to receive recommendations</a>' in box


def test_article_page_does_not_ask_signed_in_readers_to_sign_in(reader_client, full_article):
    content = page(reader_client.get(detail_url(full_article)))

    assert "Recommended for you" in content
    assert "Sign in to receive recommendations" not in content


def test_article_page_shows_the_newsletter_box(article_page):
    assert "Stay tuned for the latest research news" in article_page


def test_article_page_has_a_back_to_top_link(article_page):
    assert '<a href="#top">Back to top</a>' in article_page
    assert 'id="top"' in article_page


def test_article_page_lists_related_articles_newest_first_at_most_four(client, db):
    section = SectionFactory()
    other_section = SectionFactory()
    article = ArticleFactory(section=section, tags=["genomics"], publish_at=days_ago(10))
    same_section_1 = ArticleFactory(section=section, publish_at=days_ago(1))
    same_tag_2 = ArticleFactory(section=other_section, tags=["genomics"], publish_at=days_ago(2))
    same_section_3 = ArticleFactory(section=section, tags=["genomics"], publish_at=days_ago(3))
    same_tag_4 = ArticleFactory(section=other_section, tags=["Genomics"], publish_at=days_ago(4))
    ArticleFactory(section=section, publish_at=days_ago(5))  # fifth: one too many
    ArticleFactory(section=other_section, tags=["screening"], publish_at=days_ago(0.5))  # unrelated
    ArticleFactory(section=section, tags=["genomics"], draft=True)  # not visible
    ArticleFactory(section=section, tags=["genomics"], scheduled=True)  # not visible yet

    content = page(client.get(detail_url(article)))

    related = element(content, '<section class="related"', "</section>")
    expected = [same_section_1, same_tag_2, same_section_3, same_tag_4]
    assert article_links(related) == [detail_url(item) for item in expected]


def test_article_page_without_related_articles_has_no_related_section(client, db):
    article = ArticleFactory(tags=["unique topic"])

    content = page(client.get(detail_url(article)))

    assert '<section class="related"' not in content


# --- Other pages -----------------------------------------------------------------------------


def test_about_page_answers(client, db):
    response = client.get("/about/")

    assert response.status_code == 200
    assert "<h1>How we write and review</h1>" in page(response)


def test_robots_txt_points_to_the_absolute_sitemap_url(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in page(response).splitlines()


def test_robots_txt_keeps_crawlers_out_of_the_admin(client, db):
    assert "Disallow: /admin/" in page(client.get("/robots.txt")).splitlines()


def test_500_template_renders_a_friendly_message():
    content = render_to_string("500.html")

    assert "Sorry, something went wrong on our side" in content
    assert '<a href="/">Go to the home page</a>' in content


# --- Signing in and out ----------------------------------------------------------------------


def test_sign_in_page_answers(client, db):
    response = client.get("/accounts/sign-in/")

    assert response.status_code == 200
    assert "Email address" in page(response)


def test_reader_signs_in_with_email_and_password(client, reader):
    response = client.post("/accounts/sign-in/", {"username": reader.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(reader.pk)


def test_sign_in_accepts_the_email_in_any_case(client, reader):
    response = client.post("/accounts/sign-in/", {"username": reader.email.upper(), "password": PASSWORD})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(reader.pk)


def test_sign_in_with_a_wrong_password_shows_an_error(client, reader):
    response = client.post("/accounts/sign-in/", {"username": reader.email, "password": "wrong-password"})

    assert response.status_code == 200
    assert "That email address and password do not match an account." in page(response)
    assert SESSION_KEY not in client.session


def test_sign_in_goes_to_a_local_next_address(client, reader):
    response = client.post("/accounts/sign-in/", {"username": reader.email, "password": PASSWORD, "next": "/articles/"})

    assert response["Location"] == "/articles/"


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example/path", "https://evil.example/articles/"])
def test_sign_in_refuses_to_redirect_to_another_site(client, reader, target):
    response = client.post("/accounts/sign-in/", {"username": reader.email, "password": PASSWORD, "next": target})

    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("//")
    assert "evil.example" not in response["Location"]


def test_sign_in_page_does_not_carry_an_offsite_next_address(client, db):
    content = page(client.get("/accounts/sign-in/", {"next": "https://evil.example"}))

    assert '<input type="hidden" name="next" value="">' in content


def test_reader_signs_out_by_post(reader_client):
    response = reader_client.post("/accounts/sign-out/")

    assert response.status_code == 302
    assert SESSION_KEY not in reader_client.session
    assert "Sign in</a>" in page(reader_client.get("/"))


def test_sign_out_by_get_is_refused(reader_client):
    response = reader_client.get("/accounts/sign-out/")

    assert response.status_code == 405
    assert SESSION_KEY in reader_client.session
