"""The error pages, and answering when PostgreSQL does not: a 503 that tells readers and proxies to come
back, and the two probes a load balancer asks.

The 503 comes from Django's 500 handler, because it is the one place every failure reaches: an
exception in a view, a template or any middleware. Like the 400 and 500 pages it renders a standalone
template with no context processors and no static files, so it needs neither the database, the cache nor
collectstatic; its inline style carries the request's CSP nonce.
"""

import sys

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, QueryDict
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# Long enough for a database restart or a failover; proxies and crawlers honour it.
RETRY_AFTER_SECONDS = 30
READINESS_KEY = "readyz"


def database_unreachable(exception):
    """Whether an exception means the database cannot be reached (refused, dropped, restarting) rather
    than a bug: psycopg reports those as OperationalError or InterfaceError."""
    return isinstance(exception, (OperationalError, InterfaceError))


def standalone_page(request, template_name, status):
    """An error page that needs nothing but its template. The CSP middleware has not seen the request
    when a middleware before it failed; then no policy is sent either, and no nonce is needed."""
    nonce = getattr(request, "csp_nonce", "")
    return HttpResponse(loader.get_template(template_name).render({"csp_nonce": str(nonce)}), status=status)


def service_unavailable(request):
    response = standalone_page(request, "503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # A shared cache must not keep the outage: it should keep serving its stale copy instead.
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: a 503 page when the database is unreachable, the 500 page otherwise. Django
    calls it while handling the exception, so sys.exception() is the failure."""
    if database_unreachable(sys.exception()):
        return service_unavailable(request)
    return standalone_page(request, "500.html", 500)


def bad_request(request, exception):
    """Django's 400 page, for a request whose body Django refused. Django leaves such a body unread when
    it declares a charset other than UTF-8, and the page's CSRF step would read it again and fail:
    the refusal became a server error."""
    request.POST = QueryDict()
    return standalone_page(request, "400.html", 400)


def csrf_failure(request, reason=""):
    """A post Django's CSRF check refused (settings.CSRF_FAILURE_VIEW): a form from another site, or one
    from a browser that neither sent its page's token nor said where the form came from."""
    return standalone_page(request, "403_csrf.html", 403)


@never_cache
@require_safe
def healthz(request):
    """The process answers: no database, no cache, so a database outage does not get every app server
    taken out of the pool (and restarted) at once."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    """Ready to serve: the database and the cache both answer. A 503 names what does not."""
    failing = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        failing.append("database")
    try:
        cache.set(READINESS_KEY, "1", timeout=10)
        if cache.get(READINESS_KEY) != "1":
            failing.append("cache")
    # Each cache backend raises its own errors (redis, memcached, OS errors): any of them means not ready.
    except Exception:
        failing.append("cache")
    if failing:
        return HttpResponse("".join(f"{name} unreachable\n" for name in failing), content_type="text/plain", status=503)
    return HttpResponse("ready\n", content_type="text/plain")
