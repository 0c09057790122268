from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Article, Byline, Section, visible_tags

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    """RSS for the whole site; subclasses narrow it to a section or a tag."""

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: latest articles"

    def description(self, obj=None):
        return settings.SITE_TAGLINE

    def link(self, obj=None):
        return reverse("articles:list")

    def articles(self, obj):
        return Article.objects.visible()

    def items(self, obj=None):
        return (
            self.articles(obj)
            .select_related("section")
            .prefetch_related("tags", Prefetch("bylines", queryset=Byline.objects.select_related("person")))
            .newest_first()[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(byline.person.name for byline in item.bylines.all()) or None

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.tags.all())]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj=None):
        return obj.description or f"The latest {obj.name} articles."

    def link(self, obj=None):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.visible().in_section(obj)


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed
    subtitle = SectionFeed.description


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(visible_tags(), slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: articles tagged ‘{obj.name}’"

    def description(self, obj=None):
        return f"The latest articles about {obj.name}."

    def link(self, obj=None):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def articles(self, obj):
        return Article.objects.visible().tagged(obj)


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed
    subtitle = TagFeed.description
