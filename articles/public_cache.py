"""Caching what is built from published content (sitemaps, search results) in Django's cache.

Each entry carries the site's content version, so a publish, edit or archive makes it stale at once, and
is kept by the same rule as a cached page (newsroom/content_version.py): at most PUBLIC_CACHE_SECONDS and
never past the next scheduled change, so a scheduled article appears exactly on time."""

import hashlib
import logging

from django.core.cache import cache
from django.utils import timezone

from newsroom import content_version

logger = logging.getLogger(__name__)

PUBLIC_CACHE_SECONDS = 300


def public_cache_key(*parts):
    """The cache key for something built from published content and `parts` (strings and numbers).
    Hashed, because parts may be long or hold any character."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return f"public:{digest}"


def cached_public(parts, build, timeout=PUBLIC_CACHE_SECONDS, *, bound_to=None):
    """The value cached for `parts`, else `build()`, cached. A cache that cannot be reached only costs
    the building: readers still get the page.

    `bound_to` binds the entry to one more version besides the content's (a reader's, for what is built
    from their saves): (the key holding it, a function that makes it when it is missing). Read in the same
    round trip as the entry."""
    key = public_cache_key(*parts)
    started = timezone.now()
    also = (bound_to[0],) if bound_to else ()
    try:
        # The versions come with the entry: one round trip.
        version, entry, found = content_version.read_with(key, *also)
        bound = (found[bound_to[0]] or bound_to[1]()) if bound_to else None
    except Exception:
        logger.warning("Cache unreachable: building %s uncached", parts[0], exc_info=True)
        return build()
    if bound_to and bound is None:
        return build()  # the cache lost the version as soon as it was made: nothing can be kept against it
    if content_version.seconds_left(entry, version) > 0 and entry.get("bound") == bound:
        return entry["value"]
    value = build()
    until = content_version.kept_until(started, timeout, version)
    # The cache counts whole seconds: less than one left is not worth storing.
    if (seconds := until - timezone.now().timestamp()) >= 1:
        try:
            cache.set(key, content_version.new_entry(version, until, value=value, bound=bound), seconds)
        except Exception:
            logger.warning("Cache unreachable: %s not stored", parts[0], exc_info=True)
    return value
