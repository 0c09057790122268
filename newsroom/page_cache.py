"""Whole reading pages for anonymous readers, cached and shared, and the headers that let browsers and
shared caches (a CDN) keep them too.

A page is cached under its address with the site-wide content version read before it was rendered;
every content change replaces the version, so older entries are never served again. An entry is also
kept no longer than the next scheduled change (an article or promotion due to start or end), so
scheduled content appears on time without a cron job; and one read from a read replica just after a
change, no longer than the replica may lag behind. These rules are newsroom/content_version.py's, shared
with the cached sitemaps and search results. The cache being down costs speed only: every cache call
falls through to rendering the page.

A change the cache cannot be told of (unreachable when the change commits, and again at once) is logged
as an ERROR, and this process tells it before it next uses a cached entry. Until then, other processes
may serve pages cached before the change, an archived article's included, but none longer than
PAGE_CACHE_SECONDS after it was rendered (PUBLIC_CACHE_SECONDS for sitemaps and search results). Narrowing
that further would cost a database query on every cached page. A cache restarted empty serves nothing
old: the version went with the entries.
"""

import functools
import hashlib
import logging

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.deprecation import MiddlewareMixin

from accounts.services import VOTER_COOKIE

from . import content_version

logger = logging.getLogger(__name__)

# Pages that read nothing of the reader: the same bytes for every anonymous visitor.
CACHEABLE_PAGES = {
    "articles:home",
    "articles:list",
    "articles:detail",
    "articles:section",
    "articles:tag",
    "articles:glossary",
    "articles:about",
    "articles:privacy",
    "articles:feed_rss",
    "articles:feed_atom",
    "articles:section_feed_rss",
    "articles:section_feed_atom",
    "articles:tag_feed_rss",
    "articles:tag_feed_atom",
    "sitemap",
    "robots_txt",
}

# Headers a view sets that belong to the page; everything else is added per request by the middleware
# around this one (security headers, Vary).
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")


def is_shared_request(request):
    """A GET of a page that shows nothing personal: no signed-in reader, no pending messages, no
    remembered vote. Decided from the cookies alone, so a cached page costs no session query."""
    personal = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name, VOTER_COOKIE)
    return request.method in {"GET", "HEAD"} and not any(name in request.COOKIES for name in personal)


def page_key(request):
    digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page-cache:page:{digest}"


def shared_cache_control(response, seconds_left):
    """Public, and no cache downstream (browser or CDN) keeps it past the moment it stops being current."""
    control = settings.PAGE_CACHE_CONTROL
    seconds_left = max(0, int(seconds_left))
    patch_cache_control(
        response,
        public=True,
        max_age=min(control["max_age"], seconds_left),
        s_maxage=min(control["s_maxage"], seconds_left),
        stale_while_revalidate=control["stale_while_revalidate"],
        stale_if_error=control["stale_if_error"],
    )
    patch_vary_headers(response, ["Cookie"])


@functools.lru_cache(maxsize=4096)
def view_name_at(urlconf, path):
    """The name of the view serving `path`, or None: kept per process, since the addresses never change
    while it runs and most requests are for a few pages (the bound keeps made-up addresses from filling
    memory)."""
    try:
        return resolve(path, urlconf).view_name
    except Resolver404:
        return None


class CachedPageMiddleware(MiddlewareMixin):
    """Serves anonymous reading pages from the cache, with an ETag that answers 304. It stands above the
    session, CSRF, authentication and message middleware (see MIDDLEWARE), which a page from the cache
    does not need; PageCacheMiddleware, beneath them, stores pages and gives them their headers."""

    def process_request(self, request):
        if view_name_at(settings.ROOT_URLCONF, request.path_info) not in CACHEABLE_PAGES:
            return None
        request.page_cache = {"shared": is_shared_request(request), "started": timezone.now()}
        if not request.page_cache["shared"] or not settings.PAGE_CACHE_SECONDS:
            return None
        key = page_key(request)
        try:
            version, entry, _ = content_version.read_with(key)
        except Exception:
            logger.warning("The page cache is unreachable: pages are rendered each time.")
            return None
        request.page_cache.update(key=key, version=version)
        seconds_left = content_version.seconds_left(entry, version)
        if seconds_left <= 0:
            return None
        request.promotions_shown = entry["promotions"]
        response = HttpResponse(entry["content"], headers=entry["headers"])
        response["ETag"] = entry["etag"]
        response["X-Page-Cache"] = "hit"
        shared_cache_control(response, seconds_left)
        return get_conditional_response(request, etag=entry["etag"], response=response)


class PageCacheMiddleware(MiddlewareMixin):
    """Stores the anonymous reading pages CachedPageMiddleware did not find, and marks every reading page
    public (anonymous) or private (signed in), with an ETag that answers 304. It stands beneath the read
    replica's middleware, so that a page built from the replica is kept no longer than it may lag."""

    def process_response(self, request, response):
        state = getattr(request, "page_cache", None)
        if state is None:
            return response
        if not state["shared"]:
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
            return response
        if response.status_code != 200 or response.streaming or response.has_header("X-Page-Cache"):
            return response
        if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or self._has_new_messages(request):
            patch_cache_control(response, private=True, no_store=True)
            return response
        if "Cache-Control" in response:
            # The view chose its own (a staff preview is private).
            return response
        etag = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        response["ETag"] = etag
        now = timezone.now()
        seconds = settings.PAGE_CACHE_SECONDS
        version = state.get("version")
        until = content_version.kept_until(state["started"], seconds, version) if seconds else now.timestamp()
        shared_cache_control(response, until - now.timestamp())
        if version is not None and until - now.timestamp() >= 1:
            self._store(request, response, state, etag, until)
        response["X-Page-Cache"] = "miss"
        return get_conditional_response(request, etag=etag, response=response)

    def _has_new_messages(self, request):
        storage = getattr(request, "_messages", None)
        return bool(storage is not None and storage._queued_messages)

    def _store(self, request, response, state, etag, until):
        entry = content_version.new_entry(
            state["version"],
            until,
            content=response.content,
            headers={name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
            etag=etag,
            promotions=list(getattr(request, "promotions_shown", ())),
        )
        try:
            cache.set(state["key"], entry, timeout=until - timezone.now().timestamp())
        except Exception:
            logger.warning("The page cache is unreachable: this page was not kept.")
