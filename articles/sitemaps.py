"""The XML sitemaps: an index, the reading pages and sections, the articles in pages of at most
SITEMAP_PAGE_SIZE, and a Google News sitemap of the latest research news.

Written as strings rather than with django.contrib.sitemaps: its paginator counts and pages with
OFFSET, and it renders a template and calls reverse() for every URL, which took seconds at 100,000
articles. Here article page N holds the visible articles with ids from (N-1)*SITEMAP_PAGE_SIZE+1 to
N*SITEMAP_PAGE_SIZE, one index range scan; a page keeps its address and its articles as the site grows."""

from datetime import UTC, timedelta
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import ExpressionWrapper, F, IntegerField, Max
from django.urls import reverse
from django.utils import timezone

from .models import Article, Section

SITEMAP_PAGE_SIZE = 10_000
NEWS_SECTION_SLUG = "research-news"
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 addresses from one news sitemap.
READING_PAGES = ("articles:home", "articles:list", "articles:glossary", "articles:about")

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
SLUG_PLACEHOLDER = "slug-placeholder"


def w3c_datetime(moment):
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def article_urls(origin):
    """A function giving an article's absolute address from its slug, with one reverse() for them all."""
    before, after = (origin + reverse("articles:detail", kwargs={"slug": SLUG_PLACEHOLDER})).split(SLUG_PLACEHOLDER)
    return lambda slug: f"{before}{slug}{after}"


def url_entry(location, lastmod=None):
    lastmod_tag = f"<lastmod>{w3c_datetime(lastmod)}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(location)}</loc>{lastmod_tag}</url>"


def urlset(entries, namespaces=""):
    return f'{XML_DECLARATION}<urlset xmlns="{SITEMAP_NS}"{namespaces}>\n' + "\n".join(entries) + "\n</urlset>\n"


def article_page_numbers():
    """[(page number, latest change on it)] for the article sitemap pages that list any article."""
    page = ExpressionWrapper((F("pk") - 1) / SITEMAP_PAGE_SIZE + 1, output_field=IntegerField())
    return list(
        Article.objects.visible()
        .with_last_change()
        .annotate(page=page)
        .values("page")
        .annotate(lastmod=Max("last_changed"))
        .order_by("page")
        .values_list("page", "lastmod")
    )


def index_xml(origin):
    """The sitemap index: the reading pages, the news sitemap and every article page."""
    entries = [
        f"<sitemap><loc>{escape(origin + reverse(name))}</loc></sitemap>" for name in ("sitemap_pages", "sitemap_news")
    ]
    for number, lastmod in article_page_numbers():
        location = escape(origin + reverse("sitemap_articles", kwargs={"page": number}))
        entries.append(f"<sitemap><loc>{location}</loc><lastmod>{w3c_datetime(lastmod)}</lastmod></sitemap>")
    return f'{XML_DECLARATION}<sitemapindex xmlns="{SITEMAP_NS}">\n' + "\n".join(entries) + "\n</sitemapindex>\n"


def articles_xml(origin, page):
    """Article sitemap page `page`, or None if it lists no article."""
    first = (page - 1) * SITEMAP_PAGE_SIZE + 1
    rows = (
        Article.objects.visible()
        .filter(pk__range=(first, first + SITEMAP_PAGE_SIZE - 1))
        .with_last_change()
        .order_by("pk")
        .values_list("slug", "last_changed")
    )
    url_for = article_urls(origin)
    entries = [url_entry(url_for(slug), lastmod) for slug, lastmod in rows]
    return urlset(entries) if entries else None


def pages_xml(origin):
    """The home page, the article list, the glossary, the about page and every section."""
    locations = [origin + reverse(name) for name in READING_PAGES]
    locations += [origin + section.get_absolute_url() for section in Section.objects.only("slug")]
    return urlset(url_entry(location) for location in locations)


def news_xml(origin, now=None):
    """Google News: the research news published in the last two days, newest first."""
    now = now or timezone.now()
    rows = (
        Article.objects.visible(at=now)
        .filter(section__slug=NEWS_SECTION_SLUG, publish_at__gt=now - NEWS_WINDOW)
        .newest_first()
        .values_list("slug", "title", "publish_at")[:NEWS_LIMIT]
    )
    url_for = article_urls(origin)
    publication = (
        f"<news:publication><news:name>{escape(settings.SITE_NAME)}</news:name>"
        f"<news:language>{settings.LANGUAGE_CODE.split('-')[0]}</news:language></news:publication>"
    )
    entries = [
        f"<url><loc>{escape(url_for(slug))}</loc><news:news>{publication}"
        f"<news:publication_date>{w3c_datetime(published)}</news:publication_date>"
        f"<news:title>{escape(title)}</news:title></news:news></url>"
        for slug, title, published in rows
    ]
    return urlset(entries, namespaces=f' xmlns:news="{NEWS_NS}"')
