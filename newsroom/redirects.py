"""Where a form sends the reader afterwards: a `next` from the request only if it is a path on this site.

Every view that honours `next` goes through here, so a bad value can only ever fall back to the page's
default: never another host, never a URL name for `redirect()` to look up, never a 500.
"""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

# Longer than any address on the site; a longer `next` is junk, not a place to return to.
NEXT_MAX_LENGTH = 2000


def local_path(target):
    """`target` when it is a path on this site such as '/articles/x/?page=2', otherwise None."""
    if not target or len(target) > NEXT_MAX_LENGTH or not target.startswith("/"):
        return None
    # Browsers read a backslash as a slash ('/\\evil.example') and drop control characters; refuse both.
    if "\\" in target or any(ord(character) < 32 or ord(character) == 127 for character in target):
        return None
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts=None) else None


def next_path(request, default):
    """The request's `next` (form field first, then query string) when it is a local path, else `default`."""
    return local_path(request.POST.get("next")) or local_path(request.GET.get("next")) or default


def redirect_next(request, default):
    return HttpResponseRedirect(next_path(request, default))


class NextPathMixin:
    """For Django's sign-in and sign-out views: their `next` passes the same check as every other form's."""

    def get_redirect_url(self):
        return next_path(self.request, "")
