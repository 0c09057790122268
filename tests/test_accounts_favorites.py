"""Save as Favorite: saving and removing, signing in to save, and the My favorites page."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Favorite
from articles.models import Article

from .factories import ArticleFactory, FavoriteFactory, SectionFactory, UserFactory
from .helpers import count_queries, element, page, text_of

FAVORITES_URL = reverse("accounts:favorites")
SIGN_IN_URL = reverse("accounts:sign_in")
PASSWORD = "a-long-test-password"  # as set by UserFactory
JSON = {"HTTP_ACCEPT": "application/json"}
HIDDEN_KINDS = ["draft", "in_review", "archived", "scheduled"]


def favorite_url(article_or_id):
    return reverse("accounts:favorite", args=[getattr(article_or_id, "pk", article_or_id)])


def save(client, article, **extra):
    return client.post(favorite_url(article), {"action": "save", **extra.pop("data", {})}, **extra)


def remove(client, article, **extra):
    return client.post(favorite_url(article), {"action": "remove", **extra.pop("data", {})}, **extra)


def saved_by(reader):
    return list(Favorite.objects.filter(user=reader).values_list("article_id", flat=True))


def favorite_items(content):
    """The <li> of each favorite on My favorites, in order."""
    items, start = [], 0
    while (start := content.find('<li class="favorite" data-favorite>', start)) != -1:
        end = content.index("</li>", start)
        items.append(content[start:end])
        start = end
    return items


@pytest.fixture
def article(db):
    return ArticleFactory(title="Tamoxifen after surgery", slug="tamoxifen-after-surgery")


# --- Saving and removing ---------------------------------------------------------------------


def test_saving_an_article_stores_a_favorite(reader_client, reader, article):
    save(reader_client, article)

    assert saved_by(reader) == [article.pk]


def test_saving_returns_to_the_article_without_a_next_address(reader_client, article):
    response = save(reader_client, article)

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()


def test_saving_returns_to_a_local_next_address(reader_client, article):
    response = save(reader_client, article, data={"next": "/articles/?page=2"})

    assert response["Location"] == "/articles/?page=2"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "https:evil.example"])
def test_saving_never_returns_to_another_site(reader_client, article, target):
    response = save(reader_client, article, data={"next": target})

    assert response["Location"] == article.get_absolute_url()


def test_saving_tells_the_reader_it_is_saved(reader_client, article):
    response = save(reader_client, article, follow=True)

    assert "Saved “Tamoxifen after surgery” to your favorites." in page(response)


def test_removing_an_article_deletes_the_favorite(reader_client, reader, article):
    FavoriteFactory(user=reader, article=article)

    response = remove(reader_client, article, follow=True)

    assert saved_by(reader) == []
    assert "Removed “Tamoxifen after surgery” from your favorites." in page(response)


def test_removing_an_article_that_is_not_saved_is_harmless(reader_client, reader, article):
    response = remove(reader_client, article)

    assert response.status_code == 302
    assert saved_by(reader) == []


def test_saving_twice_keeps_exactly_one_favorite(reader_client, reader, article):
    save(reader_client, article)
    save(reader_client, article)

    assert Favorite.objects.filter(user=reader, article=article).count() == 1


def test_favorite_add_service_twice_keeps_exactly_one_favorite(reader, article):
    services.favorite_add(reader=reader, article=article)
    services.favorite_add(reader=reader, article=article)

    assert Favorite.objects.filter(user=reader, article=article).count() == 1


def test_database_refuses_a_second_favorite_for_the_same_reader_and_article(reader, article):
    Favorite.objects.create(user=reader, article=article)

    with pytest.raises(IntegrityError, match="favorite_once_per_reader"), transaction.atomic():
        Favorite.objects.create(user=reader, article=article)


def test_two_readers_can_save_the_same_article(reader_client, reader, article):
    other = UserFactory()
    FavoriteFactory(user=other, article=article)

    save(reader_client, article)

    assert Favorite.objects.filter(article=article).count() == 2


def test_saving_answers_json_when_asked(reader_client, article):
    response = save(reader_client, article, **JSON)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"saved": True, "message": "Saved “Tamoxifen after surgery” to your favorites."}


def test_removing_answers_json_when_asked(reader_client, reader, article):
    FavoriteFactory(user=reader, article=article)

    response = remove(reader_client, article, **JSON)

    assert response.json() == {"saved": False, "message": "Removed “Tamoxifen after surgery” from your favorites."}
    assert saved_by(reader) == []


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_saving_an_article_readers_cannot_see_is_404_and_saves_nothing(reader_client, reader, kind):
    hidden = ArticleFactory(**{kind: True})

    response = save(reader_client, hidden)

    assert response.status_code == 404
    assert saved_by(reader) == []


def test_saving_an_unknown_article_is_404(reader_client, reader, db):
    response = save(reader_client, 999999)

    assert response.status_code == 404
    assert saved_by(reader) == []


@pytest.mark.parametrize("action", ["", "toggle", "SAVE", "delete"])
def test_an_unknown_action_is_400(reader_client, reader, article, action):
    response = reader_client.post(favorite_url(article), {"action": action})

    assert response.status_code == 400
    assert saved_by(reader) == []


def test_a_missing_action_is_400(reader_client, reader, article):
    response = reader_client.post(favorite_url(article))

    assert response.status_code == 400
    assert saved_by(reader) == []


def test_get_on_the_favorite_endpoint_is_405(reader_client, reader, article):
    response = reader_client.get(favorite_url(article), {"action": "save"})

    assert response.status_code == 405
    assert saved_by(reader) == []


# --- Saving before signing in ----------------------------------------------------------------


def test_anonymous_save_asks_to_sign_in_and_come_back_to_the_article(client, article):
    response = save(client, article)

    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN_URL}?next={article.get_absolute_url()}"
    assert not Favorite.objects.exists()


def test_anonymous_save_explains_why_to_sign_in(client, article):
    response = save(client, article, follow=True)

    assert "Sign in or join to save this article. It will be saved as soon as you do." in page(response)


def test_article_chosen_before_signing_in_is_saved_on_signing_in(client, article):
    reader = UserFactory()
    save(client, article)

    response = client.post(
        SIGN_IN_URL, {"username": reader.email, "password": PASSWORD, "next": article.get_absolute_url()}
    )

    assert response["Location"] == article.get_absolute_url()
    assert saved_by(reader) == [article.pk]
    assert "Saved “Tamoxifen after surgery” to your favorites." in page(client.get(response["Location"]))


def test_article_chosen_before_signing_in_is_saved_only_once(client, article):
    reader = UserFactory()
    save(client, article)
    client.post(SIGN_IN_URL, {"username": reader.email, "password": PASSWORD})
    client.post(reverse("accounts:sign_out"))

    client.post(SIGN_IN_URL, {"username": reader.email, "password": PASSWORD})

    assert Favorite.objects.filter(user=reader).count() == 1


def test_article_chosen_before_joining_is_saved_on_confirming_in_the_same_browser(
    client, article, django_capture_on_commit_callbacks, mailoutbox
):
    save(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:join"), {"email": "new.reader@example.org", "password": "Purple-giraffe-orbits-42"}
        )
    assert not Favorite.objects.exists()
    [link] = re.findall(r"http://testserver(/accounts/confirm/\S+)", mailoutbox[0].body)

    response = client.get(link, follow=True)

    reader = Favorite.objects.get(article=article).user
    assert reader.email == "new.reader@example.org"
    assert "Saved “Tamoxifen after surgery” to your favorites." in page(response)


def test_article_unpublished_while_signing_in_is_not_saved(client, article):
    reader = UserFactory()
    save(client, article)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    client.post(SIGN_IN_URL, {"username": reader.email, "password": PASSWORD})

    assert client.session[SESSION_KEY] == str(reader.pk)
    assert saved_by(reader) == []


def test_anonymous_remove_does_not_turn_into_a_save_on_signing_in(client, article):
    reader = UserFactory()
    remove(client, article)

    client.post(SIGN_IN_URL, {"username": reader.email, "password": PASSWORD})

    assert client.session[SESSION_KEY] == str(reader.pk)
    assert saved_by(reader) == []


def test_anonymous_json_save_answers_401_with_the_sign_in_address(client, article):
    response = save(client, article, **JSON)

    assert response.status_code == 401
    assert response.json() == {"sign_in": f"{SIGN_IN_URL}?next={article.get_absolute_url()}"}
    assert not Favorite.objects.exists()


def test_anonymous_json_save_explains_why_on_the_sign_in_page_it_leads_to(client, article):
    """With JavaScript the script follows the 401's address: the sign-in page says why, as without it."""
    response = save(client, article, **JSON)

    sign_in = client.get(response.json()["sign_in"])

    assert "Sign in or join to save this article. It will be saved as soon as you do." in page(sign_in)


def test_anonymous_save_of_a_hidden_article_is_404(client, db):
    response = save(client, ArticleFactory(draft=True))

    assert response.status_code == 404


# --- My favorites ----------------------------------------------------------------------------


def test_my_favorites_lists_saved_articles_newest_first(reader_client, reader, db):
    older = FavoriteFactory(user=reader, article=ArticleFactory(title="Saved first"))
    newer = FavoriteFactory(user=reader, article=ArticleFactory(title="Saved second"))
    Favorite.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=2))
    Favorite.objects.filter(pk=newer.pk).update(created_at=timezone.now() - timedelta(days=1))

    items = favorite_items(page(reader_client.get(FAVORITES_URL)))

    assert len(items) == 2
    assert "Saved second" in items[0]
    assert "Saved first" in items[1]


def test_my_favorites_links_each_article(reader_client, reader, article):
    FavoriteFactory(user=reader, article=article)

    content = page(reader_client.get(FAVORITES_URL))

    assert f'<a href="{article.get_absolute_url()}">Tamoxifen after surgery</a>' in content


def test_my_favorites_shows_only_the_readers_own_favorites(reader_client, reader, db):
    FavoriteFactory(user=reader, article=ArticleFactory(title="Mine"))
    FavoriteFactory(article=ArticleFactory(title="Someone else's"))

    content = page(reader_client.get(FAVORITES_URL))

    assert "Mine" in content
    assert "Someone else" not in content


@pytest.fixture
def twenty_five_favorites(reader):
    """Newest first."""
    favorites = []
    for number in range(25):
        favorite = FavoriteFactory(user=reader, article=ArticleFactory(title=f"Saved article {number:02d}"))
        Favorite.objects.filter(pk=favorite.pk).update(created_at=timezone.now() - timedelta(hours=number))
        favorites.append(favorite)
    return favorites


def test_my_favorites_shows_twenty_per_page(reader_client, twenty_five_favorites):
    content = page(reader_client.get(FAVORITES_URL))

    items = favorite_items(content)
    assert len(items) == 20
    assert "Saved article 00" in items[0]
    assert "Saved article 19" in items[19]
    assert "Page 1 of 2" in content
    assert '<a rel="next" href="?page=2">Older favorites</a>' in content


def test_my_favorites_page_two_shows_the_rest(reader_client, twenty_five_favorites):
    response = reader_client.get(FAVORITES_URL, {"page": 2})

    assert response.status_code == 200
    items = favorite_items(page(response))
    assert len(items) == 5
    assert "Saved article 20" in items[0]
    assert "Saved article 24" in items[4]


@pytest.mark.parametrize("number", ["abc", "999", "0", "-1", "3"])
def test_my_favorites_bad_page_number_is_404(reader_client, twenty_five_favorites, number):
    response = reader_client.get(FAVORITES_URL, {"page": number})

    assert response.status_code == 404


def test_removing_from_my_favorites_returns_to_the_same_page(reader_client, reader, article):
    FavoriteFactory(user=reader, article=article)
    content = page(reader_client.get(FAVORITES_URL))
    form = element(content, '<form method="post" action="/accounts/favorites/', "</form>")
    assert 'name="action" value="remove"' in form
    assert f'name="next" value="{FAVORITES_URL}"' in form

    response = remove(reader_client, article, data={"next": FAVORITES_URL})

    assert response["Location"] == FAVORITES_URL
    assert saved_by(reader) == []


def test_my_favorites_without_favorites_says_how_to_save_and_links_articles(reader_client):
    content = page(reader_client.get(FAVORITES_URL))

    empty = element(content, '<p class="empty"', "</p>")
    assert "hidden" not in empty.split(">", 1)[0]
    assert "You have not saved any articles yet." in empty
    assert f'<a href="{reverse("articles:list")}">Browse the latest articles</a>' in empty


def test_my_favorites_hides_the_empty_text_when_there_are_favorites(reader_client, reader, article):
    FavoriteFactory(user=reader, article=article)

    content = page(reader_client.get(FAVORITES_URL))

    assert '<p class="empty" hidden data-favorites-empty>' in content


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_favorite_taken_down_after_saving_shows_no_longer_available(reader_client, reader, article, kind):
    FavoriteFactory(user=reader, article=article)
    changes = {
        "draft": {"status": Article.Status.DRAFT},
        "in_review": {"status": Article.Status.IN_REVIEW},
        "archived": {"status": Article.Status.ARCHIVED},
        "scheduled": {"publish_at": timezone.now() + timedelta(days=1)},
    }[kind]
    Article.objects.filter(pk=article.pk).update(**changes)

    [item] = favorite_items(page(reader_client.get(FAVORITES_URL)))

    assert "No longer available" in item
    # Not even its title: the article may be an embargoed or withdrawn one (issue 13).
    assert "Tamoxifen after surgery" not in item
    assert f'href="{article.get_absolute_url()}"' not in item
    assert 'name="action" value="remove"' in item
    assert ">Remove<" in item


def test_favorite_taken_down_after_saving_can_still_be_removed(reader_client, reader, article):
    FavoriteFactory(user=reader, article=article)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.ARCHIVED)

    response = remove(reader_client, article, data={"next": FAVORITES_URL})

    assert response.status_code == 302
    assert saved_by(reader) == []


@pytest.fixture
def saved_yesterday(reader, article):
    """The reader saved `article` yesterday; its content last changed two days ago."""
    Article.objects.filter(pk=article.pk).update(content_updated_at=timezone.now() - timedelta(days=2))
    favorite = FavoriteFactory(user=reader, article=article)
    Favorite.objects.filter(pk=favorite.pk).update(created_at=timezone.now() - timedelta(days=1))
    return Article.objects.get(pk=article.pk)


def test_favorite_not_changed_since_saving_has_no_updated_badge(reader_client, saved_yesterday):
    [item] = favorite_items(page(reader_client.get(FAVORITES_URL)))

    assert "Updated since you saved it" not in item


def test_favorite_whose_body_changed_after_saving_shows_updated_badge(reader_client, saved_yesterday):
    saved_yesterday.body = "<p>The body of the article, with a correction.</p>"
    saved_yesterday.save()

    [item] = favorite_items(page(reader_client.get(FAVORITES_URL)))

    assert "Updated since you saved it" in item


def test_favorite_whose_title_changed_after_saving_shows_updated_badge(reader_client, saved_yesterday):
    saved_yesterday.title = "Tamoxifen after surgery: ten-year results"
    saved_yesterday.save()

    [item] = favorite_items(page(reader_client.get(FAVORITES_URL)))

    assert "Updated since you saved it" in item


def test_favorite_whose_status_only_changed_has_no_updated_badge(reader_client, saved_yesterday):
    saved_yesterday.status = Article.Status.ARCHIVED
    saved_yesterday.save()
    saved_yesterday.status = Article.Status.PUBLISHED
    saved_yesterday.is_featured = True
    saved_yesterday.save()

    [item] = favorite_items(page(reader_client.get(FAVORITES_URL)))

    assert "No longer available" not in item
    assert "Updated since you saved it" not in item


def test_my_favorites_query_count_does_not_grow_with_favorites(reader_client, reader, django_assert_num_queries):
    """Guards against N+1 queries: a page of 20 favorites costs what a page of 2 costs."""
    section = SectionFactory()
    for _ in range(2):
        FavoriteFactory(user=reader, article=ArticleFactory(section=section))
    reader_client.get(FAVORITES_URL)
    measured = count_queries(reader_client, FAVORITES_URL)

    for number in range(28):
        FavoriteFactory(user=reader, article=ArticleFactory(section=SectionFactory(), archived=number % 3 == 0))

    with django_assert_num_queries(measured):
        response = reader_client.get(FAVORITES_URL)
    assert len(favorite_items(page(response))) == 20


# --- Save buttons on article pages and lists -------------------------------------------------


def save_button(content):
    return element(content, '<form method="post" action="/accounts/favorites/', "</form>")


def button_label(form):
    return text_of(element(form, "<button", "</button>"))


def test_article_page_save_button_says_save_before_saving(reader_client, article):
    form = save_button(page(reader_client.get(article.get_absolute_url())))

    assert button_label(form) == "Save as Favorite"
    assert "data-saved" not in element(form, "<button", ">")
    assert 'name="action" value="save"' in form


def test_article_page_save_button_says_remove_once_saved(reader_client, reader, article):
    FavoriteFactory(user=reader, article=article)

    form = save_button(page(reader_client.get(article.get_absolute_url())))

    assert button_label(form) == "Remove from favorites"
    assert "data-saved" in element(form, "<button", ">")
    assert 'name="action" value="remove"' in form


def test_article_page_save_button_ignores_other_readers_favorites(reader_client, article):
    FavoriteFactory(article=article)

    form = save_button(page(reader_client.get(article.get_absolute_url())))

    assert button_label(form) == "Save as Favorite"


@pytest.fixture
def listed(db):
    """Twelve visible articles in one section, with three featured ones, newest first."""
    section = SectionFactory(name="Screening", slug="screening")
    return [
        ArticleFactory(section=section, is_featured=number < 3, publish_at=timezone.now() - timedelta(hours=number + 1))
        for number in range(12)
    ]


# Lists of articles, where a reader picks what to keep. The home page is a front page: its cards are kept short
# and even, so Save is on the articles themselves (and in these lists), not on its cards.
LIST_PAGES = {"article list": "/articles/", "section": "/sections/screening/"}


@pytest.mark.parametrize("url", LIST_PAGES.values(), ids=LIST_PAGES.keys())
def test_list_pages_show_a_save_button_on_every_card(reader_client, listed, url):
    content = page(reader_client.get(url))

    main = element(content, '<main id="main"', "</main>")
    assert main.count('class="card__title"') == main.count('class="favorite-button"')
    assert main.count('class="favorite-button"') >= 9


def test_the_home_pages_cards_have_no_save_button(reader_client, reader, listed):
    FavoriteFactory(user=reader, article=listed[0])

    main = element(page(reader_client.get("/")), '<main id="main"', "</main>")

    assert main.count('class="card__title"') >= 9
    assert "favorite-button" not in main


@pytest.mark.parametrize("url", LIST_PAGES.values(), ids=LIST_PAGES.keys())
def test_list_pages_press_the_save_button_of_saved_articles_only(reader_client, reader, listed, url):
    for article in listed[::2]:
        FavoriteFactory(user=reader, article=article)

    main = element(page(reader_client.get(url)), '<main id="main"', "</main>")

    for article in listed:
        button = element(main, f'action="{favorite_url(article)}"', "</form>")
        assert button
        saved = article.pk in {a.pk for a in listed[::2]}
        assert ("Remove from favorites" if saved else "Save as Favorite") in button
        assert ("data-saved" in button) is saved


@pytest.mark.parametrize("url", LIST_PAGES.values(), ids=LIST_PAGES.keys())
def test_list_page_query_count_does_not_grow_with_a_readers_favorites(
    reader_client, reader, listed, django_assert_num_queries, url
):
    """Guards against N+1 queries: marking saved cards costs one query per list, not one per card."""
    reader_client.get(url)
    measured = count_queries(reader_client, url)

    for article in listed:
        FavoriteFactory(user=reader, article=article)
    for _ in range(30):
        FavoriteFactory(user=reader)
    reader_client.get(url)  # New articles changed the content: keep the reader's recommendations again first.

    with django_assert_num_queries(measured):
        response = reader_client.get(url)
    assert "Remove from favorites" in page(response)
