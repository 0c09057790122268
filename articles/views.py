from django.conf import settings
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from . import article_page, page_parts, sitemaps
from .glossary import group_by_letter
from .models import SEARCH_CANDIDATES, Article, FormerSlug, GlossaryTerm, Section, visible_tags
from .public_cache import cached_public
from .services import search_page, search_terms_from


def can_preview(user):
    """Staff who may view articles in the admin may also see unpublished ones on the site."""
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


class ArticleListMixin:
    """Paginated cards of visible articles; bad page numbers give a 404."""

    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"

    def visible_articles(self):
        return Article.objects.visible().for_cards().newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "articles" in context:  # a list of cards (the home page gathers its own parts)
            card_ids = tuple(article.pk for article in context["articles"])
            topics = (context["follow_topic"],) if "follow_topic" in context else ()
            context.update(page_parts.gather(self.request, card_ids=card_ids, topics=topics))
        return context


class HomeView(ArticleListMixin, TemplateView):
    """The front page: featured stories and the latest. Its cards carry no Save button (the article page and
    the lists of articles do), so it gathers no reader's saves."""

    template_name = "articles/home.html"
    featured_count = 3
    latest_count = 9

    def get_context_data(self, **kwargs):
        featured = list(self.visible_articles().filter(is_featured=True)[: self.featured_count])
        latest = list(self.visible_articles().exclude(pk__in=[article.pk for article in featured])[: self.latest_count])
        context = super().get_context_data(featured=featured, latest=latest, **kwargs)
        context.update(
            page_parts.gather(
                self.request,
                placements=("home",),
                recommendations=4,
            )
        )
        return context


class ArticleListView(ArticleListMixin, ListView):
    template_name = "articles/article_list.html"

    def get_queryset(self):
        return self.visible_articles()


class SectionView(ArticleListMixin, ListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return self.visible_articles().in_section(self.section)

    def get_context_data(self, **kwargs):
        topic = page_parts.topic("section", self.section.slug)
        return super().get_context_data(section=self.section, follow_topic=topic, **kwargs)


class TagView(ArticleListMixin, ListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(visible_tags(), slug=self.kwargs["slug"])
        return self.visible_articles().tagged(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, follow_topic=page_parts.topic("tag", self.tag.slug), **kwargs)


class SearchView(ArticleListMixin, TemplateView):
    template_name = "articles/search.html"

    def get_context_data(self, **kwargs):
        terms = search_terms_from(self.request.GET.get("q", ""))
        context = super().get_context_data(terms=terms, candidates=SEARCH_CANDIDATES, **kwargs)
        if terms.searchable:
            try:
                page = search_page(terms.text, self.request.GET.get("page") or 1, self.paginate_by)
            except InvalidPage as error:
                raise Http404(str(error)) from error
            context.update(
                page_obj=page, paginator=page.paginator, is_paginated=page.has_other_pages(), articles=page.object_list
            )
        return context


class ArticleDetailView(DetailView):
    """Staff who may preview get the page rendered whole (it may be a draft); every other reader gets the
    page kept for readers who are not signed in, with their own parts rendered in."""

    template_name = article_page.TEMPLATE
    context_object_name = "article"

    def get_queryset(self):
        articles = Article.objects.for_page()
        return articles if can_preview(self.request.user) else articles.visible()

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if "changes" in self.request.GET and can_preview(self.request.user):
            # Staff preview a published article's changes awaiting review at the article's own address.
            return get_object_or_404(Article.objects.for_page(), changes_for=article)
        return article

    def get(self, request, *args, **kwargs):
        if can_preview(request.user):
            try:
                return super().get(request, *args, **kwargs)
            except Http404:
                return self.former_address(Article.objects.all())
        page = article_page.public_article_page(request, self.kwargs["slug"])
        if page is None:
            return self.former_address(Article.objects.visible())
        return HttpResponse(article_page.article_page_html(request, page))

    def former_address(self, readable):
        """A permanent redirect from an address the article had before, or a 404."""
        former = FormerSlug.objects.filter(slug=self.kwargs["slug"]).values_list("article_id", flat=True).first()
        article = readable.filter(pk=former).only("slug").first() if former else None
        if article is None:
            raise Http404("No article has this address.")
        return redirect(article, permanent=True)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **article_page.article_page_context(self.request, self.object)}

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["is_preview"]:
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex"
        return response


class GlossaryView(TemplateView):
    template_name = "articles/glossary.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=group_by_letter(GlossaryTerm.objects.for_index()), **kwargs)


def xml_response(content):
    return HttpResponse(content, content_type="application/xml; charset=utf-8")


def site_origin(request):
    return f"{request.scheme}://{request.get_host()}"


@require_GET
def sitemap_index(request):
    origin = site_origin(request)
    return xml_response(cached_public(("sitemap index", origin), lambda: sitemaps.index_xml(origin)))


@require_GET
def sitemap_pages(request):
    origin = site_origin(request)
    return xml_response(cached_public(("sitemap pages", origin), lambda: sitemaps.pages_xml(origin)))


@require_GET
def sitemap_news(request):
    origin = site_origin(request)
    return xml_response(cached_public(("sitemap news", origin), lambda: sitemaps.news_xml(origin)))


@require_GET
def sitemap_articles(request, page):
    origin = site_origin(request)
    # An empty page is cached as "", so crawlers asking for pages that do not exist cost no queries either.
    content = cached_public(("sitemap articles", origin, page), lambda: sitemaps.articles_xml(origin, page) or "")
    if not content:
        raise Http404("No articles on this sitemap page.")
    return xml_response(content)


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /promotions/",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
