"""A published article's old address keeps working after its slug changes."""

from articles.models import FormerSlug

from .factories import ArticleFactory


def test_old_address_redirects_permanently_to_the_new_one(client, db):
    article = ArticleFactory(slug="old-address")
    article.slug = "new-address"
    article.save()

    response = client.get("/articles/old-address/")

    assert response.status_code == 301
    assert response["Location"] == "/articles/new-address/"


def test_every_earlier_address_redirects_to_the_current_one(client, db):
    article = ArticleFactory(slug="first")
    for slug in ("second", "third"):
        article.slug = slug
        article.save()

    assert client.get("/articles/first/")["Location"] == "/articles/third/"
    assert client.get("/articles/second/")["Location"] == "/articles/third/"


def test_changing_back_to_an_old_slug_makes_no_redirect_loop(client, db):
    article = ArticleFactory(slug="alpha")
    article.slug = "beta"
    article.save()
    article.slug = "alpha"
    article.save()

    assert client.get("/articles/alpha/").status_code == 200
    assert client.get("/articles/beta/")["Location"] == "/articles/alpha/"
    assert not FormerSlug.objects.filter(slug="alpha").exists()


def test_a_new_article_can_take_a_former_slug_and_is_shown_there(client, db):
    moved = ArticleFactory(slug="shared-name")
    moved.slug = "moved-away"
    moved.save()

    ArticleFactory(slug="shared-name", title="The new article at this address")

    response = client.get("/articles/shared-name/")
    assert response.status_code == 200
    assert "The new article at this address" in response.content.decode()


def test_a_draft_renamed_before_publishing_leaves_no_redirect(client, db):
    draft = ArticleFactory(slug="working-title", draft=True)
    draft.slug = "final-title"
    draft.save()

    assert not FormerSlug.objects.exists()
    assert client.get("/articles/working-title/").status_code == 404


def test_old_address_of_an_article_taken_down_is_not_found(client, db):
    article = ArticleFactory(slug="before")
    article.slug = "after"
    article.save()
    article.status = article.Status.ARCHIVED
    article.save()

    assert client.get("/articles/before/").status_code == 404
