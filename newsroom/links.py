"""URLs reversed once per process. Reversing a route name is pure work on the URL patterns, the same for
the same arguments every time, yet a reading page asks for dozens; the {% url %} tag (see
newsroom/templatetags/links.py) and the models' get_absolute_url() come here instead. A changed URL
configuration (tests' override_settings) clears what was kept."""

import functools

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

# Article addresses are among the arguments, so the most recently used are kept, not all of them.
KEPT_URLS = 20_000


@functools.lru_cache(maxsize=KEPT_URLS)
def _reversed(viewname, args, kwargs, current_app, script_prefix, urlconf):
    return django_reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


def reverse(viewname, *, args=(), kwargs=None, current_app=None):
    """django.urls.reverse(), kept: the key holds everything the answer depends on."""
    frozen_kwargs = tuple(sorted((kwargs or {}).items()))
    try:
        return _reversed(viewname, tuple(args), frozen_kwargs, current_app, get_script_prefix(), get_urlconf())
    except TypeError:  # an argument that cannot be a key (a list): not worth keeping
        return django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)


def site_url(path):
    """An absolute address on the site for an email written without a request to take it from: `path` (from
    reverse()) on SITE_URL."""
    from django.conf import settings

    return settings.SITE_URL + path


def forget_urls(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


setting_changed.connect(forget_urls, dispatch_uid="newsroom-links-forget")
