from django.urls import reverse

from .factories import ArticleFactory


def test_article_page_shows_a_published_article(client, db):
    article = ArticleFactory(title="Sorafenib and anastrozole", tags=["hormone therapy"])
    response = client.get(reverse("articles:detail", kwargs={"slug": article.slug}))
    assert response.status_code == 200
    assert "Sorafenib and anastrozole" in response.content.decode()
