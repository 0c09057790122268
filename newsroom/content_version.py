"""The site's content version, and the one rule for how long anything built from public content (a whole
page, a sitemap, a page of search results) may be kept in the cache.

The version is one value in the cache that every change readers could see replaces (content_changed), so
whatever was built before the change is stale at once: each cached entry carries the version it was built
under and is used only while that is still the current one.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
# Losing the version only makes every cached entry stale, so it need not be kept for ever.
VERSION_SECONDS = 7 * 24 * 3600


def content_changed():
    """Make everything cached from public content stale: now, for this transaction's own reads, and again
    once it commits, because what another process built meanwhile still read the old rows."""
    _replace_version()
    transaction.on_commit(_replace_version)


def _replace_version():
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=VERSION_SECONDS)
    except Exception:
        # Entries still end within their lifetime, and a version that cannot be read serves nothing.
        logger.warning("The cache is unreachable: cached pages may show old content for a while.")


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


def read_with(key):
    """The current content version and the entry cached at `key` (None if there is none), in one round trip
    to the cache. A missing version (the cache was emptied) is made. Raises when the cache cannot be
    reached."""
    found = cache.get_many([VERSION_KEY, key])
    stored = found.get(VERSION_KEY)
    if stored is None:
        made = uuid.uuid4().hex
        # add: a version another process has just made wins.
        cache.add(VERSION_KEY, made, timeout=VERSION_SECONDS)
        stored = cache.get(VERSION_KEY, made)
    return stored, found.get(key)


def seconds_left(entry, version):
    """How long a cached entry ({"version": tag, "until": timestamp, ...}) is still current; 0 when
    there is none, it was built under an older version, or its time is up."""
    if entry is None or entry["version"] != version:
        return 0
    return max(0, entry["until"] - timezone.now().timestamp())


def new_entry(version, until, **content):
    """A cache entry for content built under `version`, current until `until` (a timestamp)."""
    return {"version": version, "until": until, **content}


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


def kept_until(started, seconds):
    """The moment something built from public content, from `started` on, stops being current (a
    timestamp): `seconds` after `started`, or the next scheduled change if sooner."""
    until = started.timestamp() + seconds
    scheduled = next_scheduled_change(started)
    return until if scheduled is None else min(until, scheduled.timestamp())
