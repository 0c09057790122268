"""Rate limits shared by every server process, kept in PostgreSQL.

Cache-based limiters need Redis or memcached to count atomically; Newsroom needs only PostgreSQL,
where one upsert counts a request atomically.
"""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db import connection
from django.shortcuts import render
from django.utils import timezone

from .models import RateLimitCounter


def email_key(email):
    """An email address in one case, so 'Reader@x' and 'reader@x' share a count."""
    return email.strip().lower()


def sign_in_username(request, credentials):
    """The email a sign-in attempt is for, as django-axes counts it."""
    return email_key((credentials or {}).get("username", ""))


def sign_in_account_hit(email):
    """Count one password check for `email` from any address; True while within the account's ceiling.

    Keyed by the email typed, whether or not an account uses it, so the ceiling tells no one which do.
    """
    return hit(
        f"sign-in-account:{email_key(email)}",
        limit=settings.SIGN_IN_ACCOUNT_LIMIT,
        per_seconds=int(settings.SIGN_IN_ACCOUNT_WINDOW.total_seconds()),
    )


def client_ip(request):
    """The client's address; behind our HTTPS proxy, the one that proxy saw."""
    if settings.SECURE_PROXY_SSL_HEADER and request.META.get("HTTP_X_FORWARDED_FOR"):
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(key, *, limit, per_seconds):
    """Count one request for `key`; True while the window's count is within `limit`."""
    now = timezone.now()
    window_start = now - timedelta(seconds=now.timestamp() % per_seconds)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {RateLimitCounter._meta.db_table} (key, window_start, count) VALUES (%s, %s, 1)
            ON CONFLICT (key, window_start) DO UPDATE SET count = {RateLimitCounter._meta.db_table}.count + 1
            RETURNING count
            """,
            [key[:200], window_start],
        )
        (count,) = cursor.fetchone()
    return count <= limit


def forget_old_windows(older_than=timedelta(days=1)):
    """Drop finished windows (hourly, on the task queue), so the table stays small."""
    return RateLimitCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()[0]


def rate_limited(scope, *, limit, per_seconds, methods=("POST",)):
    """Refuse a view's requests beyond `limit` per client address in each window, with a clear page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            key = f"{scope}:{client_ip(request)}"
            if request.method in methods and not hit(key, limit=limit, per_seconds=per_seconds):
                response = render(
                    request, "accounts/rate_limited.html", {"retry_minutes": max(1, per_seconds // 60)}, status=429
                )
                response["Retry-After"] = str(per_seconds)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
