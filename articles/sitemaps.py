from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Section


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Article.objects.visible().only("slug", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class SectionSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Section.objects.all()


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["articles:home", "articles:list", "articles:glossary", "articles:about"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "pages": PageSitemap}
