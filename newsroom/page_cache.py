"""Whole reading pages for anonymous readers, cached and shared, and the headers that let browsers and
shared caches (a CDN) keep them too.

A page is cached under its address with the site-wide content version read before it was rendered;
every content change replaces the version (content_changed), so older entries are never served again.
An entry is also kept no longer than the next scheduled change (an article or promotion due to start or
end), so scheduled content appears on time without a cron job. The cache being down costs speed only:
every cache call falls through to rendering the page.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.deprecation import MiddlewareMixin

from accounts.services import VOTER_COOKIE

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
# Losing the version only makes every cached page stale, so it need not be kept for ever.
VERSION_SECONDS = 7 * 24 * 3600

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


def content_changed():
    """Make every cached page stale: now, for this transaction's own reads, and again once it commits,
    because a page rendered meanwhile by another process still read the old rows."""
    _new_version()
    transaction.on_commit(_new_version)


def content_changed_signal(sender, action=None, **kwargs):
    """For rows written by more paths than one service (the admin, imports, fixtures)."""
    if action is None or action.startswith("post_"):
        content_changed()


def connect_content_signals(*models, through=()):
    """Every write to these models (and additions to these many-to-many tables) changes what readers see."""
    for model in models:
        post_save.connect(content_changed_signal, sender=model, dispatch_uid=f"page-cache-{model._meta.label}")
        post_delete.connect(content_changed_signal, sender=model, dispatch_uid=f"page-cache-{model._meta.label}")
    for table in through:
        m2m_changed.connect(content_changed_signal, sender=table, dispatch_uid=f"page-cache-{table._meta.label}")


def _new_version():
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=VERSION_SECONDS)
    except Exception:
        # Entries still end within PAGE_CACHE_SECONDS, and a version that cannot be read serves nothing.
        logger.warning("The page cache is unreachable: cached pages may show old content for a while.")


def next_scheduled_change(now):
    """When the next article or promotion is due to appear or go, or None: no page may be kept past it."""
    from articles.models import Article
    from promotions.models import Promotion

    # One query for the three indexed minimums.
    first = [
        Article.objects.scheduled(now).order_by("publish_at").values_list("publish_at")[:1],
        Promotion.objects.filter(starts_at__gt=now).order_by("starts_at").values_list("starts_at")[:1],
        Promotion.objects.filter(ends_at__gt=now).order_by("ends_at").values_list("ends_at")[:1],
    ]
    moments = [moment for (moment,) in first[0].union(*first[1:], all=True)]
    return min(moments, default=None)


def is_shared_request(request):
    """A GET of a page that shows nothing personal: no signed-in reader, no pending messages, no
    remembered vote. Decided from the cookies alone, so a cached page costs no session query."""
    personal = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name, VOTER_COOKIE)
    return request.method in {"GET", "HEAD"} and not any(name in request.COOKIES for name in personal)


def page_key(request):
    digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page-cache:page:{digest}"


def kept_until(now):
    """The moment a page rendered at `now` stops being current: PAGE_CACHE_SECONDS on, or the next
    scheduled change if sooner."""
    until = now.timestamp() + settings.PAGE_CACHE_SECONDS
    scheduled = next_scheduled_change(now)
    return until if scheduled is None else min(until, scheduled.timestamp())


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


class PageCacheMiddleware(MiddlewareMixin):
    """Serves anonymous reading pages from the cache, stores them, and marks every reading page public
    (anonymous) or private (signed in), with an ETag that answers 304."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.view_name not in CACHEABLE_PAGES:
            return None
        request.page_cache = {"shared": is_shared_request(request)}
        if not request.page_cache["shared"] or not settings.PAGE_CACHE_SECONDS:
            return None
        key = page_key(request)
        try:
            found = cache.get_many([VERSION_KEY, key])
        except Exception:
            logger.warning("The page cache is unreachable: pages are rendered each time.")
            return None
        version = found.get(VERSION_KEY)
        if version is None:
            version = uuid.uuid4().hex
            try:
                # add: a version another process has just set wins.
                cache.add(VERSION_KEY, version, timeout=VERSION_SECONDS)
                version = cache.get(VERSION_KEY, version)
            except Exception:
                return None
        request.page_cache.update(key=key, version=version)
        entry = found.get(key)
        seconds_left = entry["until"] - timezone.now().timestamp() if entry else 0
        if entry is None or entry["version"] != version or seconds_left <= 0:
            return None
        request.promotions_shown = entry["promotions"]
        response = HttpResponse(entry["content"], headers=entry["headers"])
        response["ETag"] = entry["etag"]
        response["X-Page-Cache"] = "hit"
        shared_cache_control(response, seconds_left)
        return get_conditional_response(request, etag=entry["etag"], response=response)

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
        until = kept_until(now) if settings.PAGE_CACHE_SECONDS else now.timestamp()
        shared_cache_control(response, until - now.timestamp())
        if "version" in state and until - now.timestamp() >= 1:
            self._store(request, response, state, etag, until)
        response["X-Page-Cache"] = "miss"
        return get_conditional_response(request, etag=etag, response=response)

    def _has_new_messages(self, request):
        storage = getattr(request, "_messages", None)
        return bool(storage is not None and storage._queued_messages)

    def _store(self, request, response, state, etag, until):
        entry = {
            "version": state["version"],
            "until": until,
            "content": response.content,
            "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
            "etag": etag,
            "promotions": list(getattr(request, "promotions_shown", ())),
        }
        try:
            cache.set(state["key"], entry, timeout=until - timezone.now().timestamp())
        except Exception:
            logger.warning("The page cache is unreachable: this page was not kept.")
