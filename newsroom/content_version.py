"""The site's content version, and the one rule for how long anything built from public content (a whole
page, a sitemap, a page of search results) may be kept in the cache.

The version is one value in the cache that every change readers could see replaces (content_changed), so
whatever was built before the change is stale at once: each cached entry carries the version it was built
under and is used only while that is still the current one. The version holds the moment it was made,
because what was read from a lagging read replica just after a change may predate the change.
"""

import logging
import uuid
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .replica import replica_was_read

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
# Losing the version only makes every cached entry stale, so it need not be kept for ever.
VERSION_SECONDS = 7 * 24 * 3600

# A change this process could not tell the cache of: told before this process next trusts an entry.
_change_untold = False


class ContentVersion(NamedTuple):
    tag: str
    made_at: float  # a timestamp


def _new_version():
    # Kept in the cache as a plain tuple, so a stored version never depends on this module's names.
    return (uuid.uuid4().hex, timezone.now().timestamp())


def content_changed():
    """Make everything cached from public content stale: now, for this transaction's own reads, and again
    once it commits, because what another process built meanwhile still read the old rows."""
    try:
        _replace_version()
    except Exception:
        # What matters is the replacement after the commit; a rolled-back change needs none.
        logger.warning("The cache is unreachable: a content change is not yet told to it.")
    transaction.on_commit(_replace_version_after_commit)


def _replace_version():
    """Raises when the cache cannot be reached."""
    global _change_untold
    # Cleared first, so that a failure in another thread meanwhile sets it again and is not lost.
    _change_untold = False
    try:
        cache.set(VERSION_KEY, _new_version(), timeout=VERSION_SECONDS)
    except Exception:
        _change_untold = True
        raise


def _replace_version_after_commit():
    try:
        _replace_version()
    except Exception:
        # Once more at once: a cache that dropped one connection often answers on the next.
        try:
            _replace_version()
        except Exception:
            logger.error(
                "The cache could not be told of a content change: pages, sitemaps and search results cached "
                "before it (an article just archived included) may be served until this process next "
                "reaches the cache, and for at most %d seconds.",
                longest_kept_seconds(),
                exc_info=True,
            )


def longest_kept_seconds():
    """How long a cached entry lives at most: a change the cache was not told of shows by then."""
    from articles.public_cache import PUBLIC_CACHE_SECONDS

    return max(settings.PAGE_CACHE_SECONDS, PUBLIC_CACHE_SECONDS)


def content_changed_signal(sender, action=None, **kwargs):
    """For rows written by more paths than one service (the admin, imports, fixtures)."""
    if action is None or action.startswith("post_"):
        content_changed()


def connect_content_signals(*models, through=()):
    """Every write to these models (and additions to these many-to-many tables) changes what readers see."""
    for model in models:
        uid = f"content-version-{model._meta.label}"
        post_save.connect(content_changed_signal, sender=model, dispatch_uid=uid)
        post_delete.connect(content_changed_signal, sender=model, dispatch_uid=uid)
    for table in through:
        m2m_changed.connect(content_changed_signal, sender=table, dispatch_uid=f"content-version-{table._meta.label}")


def read_with(key, *also):
    """The current ContentVersion and the entry cached at `key` (None if there is none), in one round trip
    to the cache, and the values at the keys `also` (a dict; empty without them). A missing version (the cache was
    emptied) is made, as if content had just changed. Raises when the cache cannot be reached."""
    if _change_untold:
        _replace_version()
    found = cache.get_many([VERSION_KEY, key, *also])
    stored = found.get(VERSION_KEY)
    if stored is None:
        made = _new_version()
        # add: a version another process has just made wins.
        cache.add(VERSION_KEY, made, timeout=VERSION_SECONDS)
        stored = cache.get(VERSION_KEY, made)
    return ContentVersion(*stored), found.get(key), {name: found.get(name) for name in also}


def seconds_left(entry, version):
    """How long a cached entry ({"version": tag, "until": timestamp, ...}) is still current; 0 when
    there is none, it was built under an older version, or its time is up."""
    if entry is None or entry["version"] != version.tag:
        return 0
    return max(0, entry["until"] - timezone.now().timestamp())


def new_entry(version, until, **content):
    """A cache entry for content built under `version`, current until `until` (a timestamp)."""
    return {"version": version.tag, "until": until, **content}


def next_scheduled_change(now):
    """When the next article or promotion is due to appear or go, or None: nothing built from public
    content may be kept past it."""
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


def kept_until(started, seconds, version=None):
    """The moment something built from public content, from `started` on, stops being current (a
    timestamp): `seconds` after `started`, or the next scheduled change if sooner. Built under `version`
    from a read replica within DATABASE_REPLICA_PIN_SECONDS of that version's change, it may hold rows from
    before the change, so it is kept only until the replica surely has them. Called once it is built."""
    until = started.timestamp() + seconds
    scheduled = next_scheduled_change(started)
    if scheduled is not None:
        until = min(until, scheduled.timestamp())
    if version is not None and replica_was_read():
        caught_up = version.made_at + settings.DATABASE_REPLICA_PIN_SECONDS
        if started.timestamp() < caught_up:
            until = min(until, caught_up)
    return until
