"""Every URL pattern of the site and every role, for the access matrix and the fuzz test.

`routes()` reads the patterns from the URL configuration, so a new URL shows up in both tests by
itself; `build_site()` makes a small site with one thing of each kind and a user for each role;
`real_arguments()` fills a pattern's arguments from that site, case by case (a visible article, a
draft...), and refuses a pattern whose arguments it does not know, so a new kind of argument is
noticed rather than skipped.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import services as account_services
from articles import services as article_services
from articles.models import FormerSlug
from articles.sitemaps import SITEMAP_PAGE_SIZE
from newsletter.models import Delivery, Issue, IssueArticle
from outbox.services import queue_email
from recommendations.models import RecommendationShown
from recommendations.tasks import rebuild_recommendations

from .conftest import restore_editorial_groups
from .factories import (
    ArticleFactory,
    BylineFactory,
    DismissalFactory,
    FavoriteFactory,
    FollowFactory,
    GlossaryTermFactory,
    HelpfulnessVoteFactory,
    ImageFactory,
    NewsletterSubscriptionFactory,
    PausedTopicFactory,
    ProfileFactory,
    PromotionFactory,
    ReferenceFactory,
    ResearchFactsFactory,
    SectionFactory,
    SurveyResponseFactory,
    UserFactory,
)

ROLES = ("anonymous", "reader_a", "reader_b", "writer", "reviewer", "editor", "superuser")
STAFF_GROUPS = {"writer": "Writers", "reviewer": "Medical reviewers", "editor": "Editors"}

# Words only reader A's own pages may show: reader B, and everyone's public pages, must never.
READER_A_EMAIL = "reader.a.private@example.org"
READER_A_SECRETS = (READER_A_EMAIL, "Reader A's private survey note", "Reader A's private vote note")
# The pages of links emailed to reader A: whoever holds one of her tokens may see her address.
READER_A_LINKS = {"accounts:confirm_email", "accounts:newsletter_confirm", "accounts:newsletter_unsubscribe",
                  "accounts:password_reset_confirm", "accounts:sign_in_link_open"}  # fmt: skip


@dataclass(frozen=True)
class Route:
    """One URL pattern: `key` is its full name (namespace:name), or its route when it has no name."""

    key: str
    route: str
    parameters: tuple
    name: str | None
    model_admin: admin.ModelAdmin | None

    def path(self, values):
        """The address with `values` (strings, percent-encoded here) in place of the parameters,
        whether or not they match the converters: junk is meant to reach the resolver."""
        pending = dict(values)

        def fill(match):
            return quote(str(pending.pop(match.group(1))), safe="")

        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", fill, self.route)
        text = re.sub(r"<(?:\w+:)?(\w+)>", fill, text)
        return "/" + text.replace("^", "").replace("$", "")

    def reverse(self, values):
        if self.name is None:
            return self.path(values)
        return reverse(self.key, kwargs=values)


def _model_admin_for(route):
    for model, model_admin in admin.site._registry.items():
        if route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model_admin
    return None


def routes():
    """Every URL pattern, the admin's included (and media files', served only while DEBUG is on), in the
    order Django tries them."""
    found = []

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace) if part)
                walk(pattern, route, inner)
                continue
            assert isinstance(pattern, URLPattern)
            name = ":".join(part for part in (namespace, pattern.name) if part) if pattern.name else None
            parameters = tuple(re.findall(r"\(\?P<(\w+)>", route) + re.findall(r"<(?:\w+:)?(\w+)>", route))
            found.append(Route(name or route, route, parameters, name, _model_admin_for(route)))

    walk(get_resolver(), "", "")
    return found


@dataclass
class Site:
    """What build_site() made: users by role, and things by kind."""

    users: dict = field(default_factory=dict)
    articles: dict = field(default_factory=dict)
    cookies: dict = field(default_factory=dict)
    things: dict = field(default_factory=dict)

    def client(self, role, **kwargs):
        """A fresh test client signed in as `role` (with a CSRF cookie), so what one request does to
        its session (signing out, say) never carries over to the next."""
        client = Client(**kwargs)
        for name, morsel in self.cookies[role].items():
            client.cookies[name] = morsel.value
        return client

    def csrf_token(self, role):
        return self.cookies[role]["csrftoken"].value


def build_site():
    """A small site: articles in every state, one reader (A) with things of her own, one (B) without,
    a user per staff role, and one row for every model the admin shows."""
    restore_editorial_groups()
    site = Site()
    users = site.users
    users["reader_a"] = UserFactory(email=READER_A_EMAIL)
    users["reader_b"] = UserFactory(email="reader.b@example.org")
    for role, group in STAFF_GROUPS.items():
        # Addresses of their own, so tests of the same module can still use the conftest users.
        users[role] = UserFactory(
            email=f"{role}.site@example.org", is_staff=True, groups=[Group.objects.get(name=group)]
        )
    users["superuser"] = UserFactory(email="superuser.site@example.org", is_staff=True, is_superuser=True)

    section = SectionFactory(name="Screening", slug="screening")
    image = ImageFactory()
    overdue = timezone.localdate() - timedelta(days=3 * 365)
    visible = ArticleFactory(title="A visible study", slug="visible-study", section=section, hero=image,
                             tags=["genomics"], last_reviewed=overdue)  # fmt: skip
    BylineFactory(article=visible)
    ReferenceFactory(article=visible)
    ResearchFactsFactory(article=visible, every_fact=True)
    FormerSlug.objects.create(slug="old-visible-study", article=visible)
    articles = site.articles
    articles["visible"] = visible
    articles["draft"] = ArticleFactory(draft=True, title="A secret draft", slug="secret-draft", section=section,
                                       created_by=users["writer"])  # fmt: skip
    articles["in_review"] = ArticleFactory(in_review=True, title="A study in review", slug="in-review", section=section)
    articles["scheduled"] = ArticleFactory(scheduled=True, title="An embargoed study", slug="embargoed",
                                           section=section)  # fmt: skip
    articles["archived"] = ArticleFactory(archived=True, title="An archived study", slug="archived", section=section)
    articles["other"] = ArticleFactory(title="Another visible study", slug="another-study", section=section,
                                       tags=["screening"])  # fmt: skip
    for number in range(2):
        articles["draft"].summary = f"Summary, version {number + 1}."
        articles["draft"].save()
        article_services.record_revision(article=articles["draft"], author=users["writer"])
    tag = visible.tags.get()
    other_tag = articles["other"].tags.get()

    reader_a = users["reader_a"]
    ProfileFactory(user=reader_a, sections=[section], tags=[tag])
    ProfileFactory(user=users["reader_b"])
    FavoriteFactory(user=reader_a, article=visible)
    FollowFactory(user=reader_a, tag=tag, frequency="weekly")
    DismissalFactory(user=reader_a, article=articles["other"])
    PausedTopicFactory(user=reader_a, tag=other_tag)
    SurveyResponseFactory(user=reader_a, comment=READER_A_SECRETS[1])
    RecommendationShown.objects.create(
        user=reader_a, article=visible, surface="home", position=1, reason="trending", arm="A", shown_at=timezone.now()
    )
    HelpfulnessVoteFactory(article=visible, user=reader_a, comment=READER_A_SECRETS[2])
    HelpfulnessVoteFactory(article=visible, is_helpful=False)
    subscription = NewsletterSubscriptionFactory(email=READER_A_EMAIL, pending=True)
    GlossaryTermFactory(term="Tamoxifen", slug="tamoxifen")
    rebuild_recommendations.defer(timestamp=0)  # a job waiting in the task queue
    queue_email(to="someone@example.org", subject="Waiting", body="An email not yet delivered")
    issue = Issue.objects.create(subject="Research news, a draft issue")
    IssueArticle.objects.create(issue=issue, article=visible, position=1)
    Delivery.objects.create(issue=issue, subscription=subscription)

    now = timezone.now()
    attempt = {"user_agent": "test", "ip_address": "203.0.113.9", "username": "someone@example.org",
               "http_accept": "*/*", "path_info": "/accounts/sign-in/"}  # fmt: skip
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**attempt, logout_time=now)
    AccessFailureLog.objects.create(**attempt, locked_out=False)

    site.things = {
        "section": section,
        "tag": tag,
        "promotion": PromotionFactory(),
        "ended_promotion": PromotionFactory(starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=1)),
        "confirm_token": signing.dumps(
            {"user": reader_a.pk, "email": reader_a.email}, salt=account_services.CONFIRM_EMAIL_SALT
        ),
        "newsletter_confirm": signing.dumps(subscription.pk, salt=account_services.NEWSLETTER_CONFIRM_SALT),
        "newsletter_unsubscribe": signing.dumps(subscription.pk, salt=account_services.NEWSLETTER_UNSUBSCRIBE_SALT),
        "uidb64": urlsafe_base64_encode(force_bytes(reader_a.pk)),
        "reset_token": default_token_generator.make_token(reader_a),
    }

    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        # Any page with a form sets the CSRF cookie.
        assert client.get(reverse("accounts:newsletter")).status_code == 200
        site.cookies[role] = client.cookies
    # Made once she has signed in: signing in uses up the links made before.
    site.things["sign_in_link"] = signing.dumps(
        {"user": reader_a.pk, "stamp": account_services.sign_in_link_stamp(reader_a), "next": ""},
        salt=account_services.SIGN_IN_LINK_SALT,
    )
    return site


def admin_object(model_admin, site):
    """The first row an admin list shows to the superuser (build_site() makes one of each)."""
    request = RequestFactory().get("/admin/")
    request.user = site.users["superuser"]
    return model_admin.get_queryset(request).order_by("pk").first()


def sitemap_page(article):
    """The article sitemap page that lists `article`."""
    return (article.pk - 1) // SITEMAP_PAGE_SIZE + 1


def real_arguments(route, site):
    """[(case, values)]: the arguments that make `route` an address of something in `site`.
    Several cases where the answer depends on what the argument points to (a draft, a visible article)."""
    articles, things = site.articles, site.things
    article_type = ContentType.objects.get_for_model(articles["visible"])
    parameters = set(route.parameters)
    if not parameters:
        return [("", {})]
    if route.model_admin is not None:
        pk = admin_object(route.model_admin, site).pk
        if route.model_admin.model._meta.label == "articles.Article":
            pk = articles["draft"].pk
        values = {"object_id": str(pk), "id": str(pk), "number": "1", "issue_id": str(pk)}
        if not parameters <= set(values):
            raise LookupError(f"No real arguments for {route.key}: add them to tests/site_map.py real_arguments().")
        return [("", {name: values[name] for name in route.parameters})]
    if parameters == {"article_id"}:
        return [(state, {"article_id": article.pk}) for state, article in articles.items()]
    if parameters == {"slug"}:
        if route.route.startswith("articles/"):
            cases = [(state, {"slug": article.slug}) for state, article in articles.items()]
            return [*cases, ("former slug", {"slug": "old-visible-study"})]
        kind = route.route.split("/")[0]
        return [("", {"slug": {"sections": things["section"], "tags": things["tag"]}[kind].slug})]
    known = {
        "accounts:confirm_email": [("", {"token": things["confirm_token"]})],
        "accounts:newsletter_confirm": [("", {"token": things["newsletter_confirm"]})],
        "accounts:newsletter_unsubscribe": [("", {"token": things["newsletter_unsubscribe"]})],
        "accounts:password_reset_confirm": [("", {"uidb64": things["uidb64"], "token": things["reset_token"]})],
        "accounts:sign_in_link_open": [("", {"token": things["sign_in_link"]})],
        "recommendations:pause_topic": [("", {"tag_id": things["tag"].pk})],
        "sitemap_articles": [("", {"page": sitemap_page(articles["visible"])}), ("beyond the last", {"page": 999999})],
        "promotions:go": [("showing", {"pk": things["promotion"].pk}), ("ended", {"pk": things["ended_promotion"].pk})],
        "admin:view_on_site": [
            (state, {"content_type_id": article_type.pk, "object_id": articles[state].pk})
            for state in ("visible", "draft")
        ],
        "admin:app_list": [("", {"app_label": "articles"})],
        "admin/(?P<url>.*)$": [("", {"url": "nowhere/"})],
        "^media/(?P<path>.*)$": [("missing file", {"path": "images/not-uploaded.jpg"})],
    }
    if route.key not in known:
        raise LookupError(f"No real arguments for {route.key}: add them to tests/site_map.py real_arguments().")
    return [(case, {name: str(value) for name, value in values.items()}) for case, values in known[route.key]]
