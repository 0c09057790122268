"""CSRF protection that lets the anonymous forms of shared, cached pages work without a token.

A page served to every anonymous reader cannot carry a per-visitor token. For the few actions on such
pages (save as favorite, follow a topic, the helpful vote and its comment, the newsletter box), a POST is
accepted when the browser itself says it comes from this site: the `Origin` header names this site
exactly, or, if a browser sends no Origin, `Sec-Fetch-Site: same-origin`. Browsers set both on form posts
and no page can forge them, so this is the OWASP defence "verifying origin with standard headers". Any
other POST to these actions, including one from another site, keeps Django's token check, and every other
form keeps its token as before.
"""

from functools import wraps

from django.core.exceptions import DisallowedHost
from django.middleware import csrf


def csrf_same_origin(view):
    """Accept a POST to this view from this site's own pages without a CSRF token (see above)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.csrf_same_origin = True
    return wrapped


class CsrfViewMiddleware(csrf.CsrfViewMiddleware):
    def process_view(self, request, callback, callback_args, callback_kwargs):
        if getattr(callback, "csrf_same_origin", False) and request.method == "POST" and self._same_origin(request):
            return self._accept(request)
        return super().process_view(request, callback, callback_args, callback_kwargs)

    def _same_origin(self, request):
        origin = request.META.get("HTTP_ORIGIN")
        if origin is None:
            return request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"
        scheme = "https" if request.is_secure() else "http"
        try:
            return origin == f"{scheme}://{request.get_host()}" or origin in self.allowed_origins_exact
        except DisallowedHost:
            return False
