"""Caching what is built from published content (sitemaps, search results) in Django's cache.

Every entry lives at most PUBLIC_CACHE_SECONDS and never past the next scheduled publish time, so a
scheduled article appears exactly on time."""

import hashlib
import logging

from django.core.cache import cache
from django.utils import timezone

from .models import Article

logger = logging.getLogger(__name__)

PUBLIC_CACHE_SECONDS = 300


def public_cache_key(*parts):
    """The cache key for something built from published content and `parts` (strings and numbers).
    The one place to add a site-wide content version, so that a publish, edit or archive makes every
    such entry stale at once. Hashed, because parts may be long or hold any character."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return f"public:{digest}"


def seconds_until_next_publish(limit):
    """`limit`, or the whole seconds left before a scheduled article goes live if that is sooner (0:
    too soon to cache at all). Rounded down: an entry may expire early, never late."""
    next_publish = Article.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True).first()
    if next_publish is None:
        return limit
    return min(limit, int((next_publish - timezone.now()).total_seconds()))


def cached_public(parts, build, timeout=PUBLIC_CACHE_SECONDS):
    """The value cached for `parts`, else `build()`, cached. A cache that cannot be reached only costs
    the building: readers still get the page."""
    key = public_cache_key(*parts)
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("Cache unreachable: building %s uncached", parts[0], exc_info=True)
        return build()
    if value is None:
        value = build()
        if (seconds := seconds_until_next_publish(timeout)) > 0:
            try:
                cache.set(key, value, seconds)
            except Exception:
                logger.warning("Cache unreachable: %s not stored", parts[0], exc_info=True)
    return value
