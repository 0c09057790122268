"""Who may reach what: the expected answer to every URL pattern for every role, read against the URL
configuration, so a new URL without a row here fails test_every_url_pattern_has_a_row.

MATRIX has a row per request: the URL name (the route, for patterns without a name), the request, and
the status each role must get. The request is "METHOD [case] [field=value ...]": the case picks the
pattern's arguments from tests/site_map.py real_arguments() (a visible article, a draft...), and the
fields are the query string of a GET or the body of a POST (sent without CSRF checks: this table is
about permissions; tests/test_fuzz.py posts with and without tokens). The admin's pages for each model
follow ADMIN_MODELS instead, unless MATRIX names them.

A failing row lists what each role got, request by request: compare it with what the role should get
before copying anything into the table.
"""

from collections import defaultdict
from urllib.parse import urlencode

import pytest
from django.db import transaction

from .helpers import page
from .site_map import READER_A_LINKS, READER_A_SECRETS, ROLES, real_arguments, routes

SIGN_IN = "→ sign-in"  # 302 to the reader's sign-in page
ADMIN_SIGN_IN = "→ admin sign-in"  # 302 to the admin's sign-in page
REDIRECT = "→"  # a redirect anywhere else
FORM = "200|302"  # an admin form shown again with its errors, or saved
A, S, R = SIGN_IN, ADMIN_SIGN_IN, REDIRECT
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
N = 404

# fmt: off
MATRIX = [
    # URL name                          request                              anon  rdrA  rdrB  wrtr  revw  edit  super
    ("articles:home",                   "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("articles:home",                   "POST",                               405,  405,  405,  405,  405,  405,  405),
    ("articles:list",                   "GET page=1",                         200,  200,  200,  200,  200,  200,  200),
    ("articles:list",                   "GET page=99",                        N,    N,    N,    N,    N,    N,    N),
    ("articles:detail",                 "GET visible",                        200,  200,  200,  200,  200,  200,  200),
    ("articles:detail",                 "GET other",                          200,  200,  200,  200,  200,  200,  200),
    # Hidden articles: readers get the same 404 as for an address that never existed; staff preview them.
    ("articles:detail",                 "GET draft",                          N,    N,    N,    200,  200,  200,  200),
    ("articles:detail",                 "GET in_review",                      N,    N,    N,    200,  200,  200,  200),
    ("articles:detail",                 "GET scheduled",                      N,    N,    N,    200,  200,  200,  200),
    ("articles:detail",                 "GET archived",                       N,    N,    N,    200,  200,  200,  200),
    ("articles:detail",                 "GET former slug",                    R,    R,    R,    R,    R,    R,    R),
    ("articles:section",                "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("articles:tag",                    "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("articles:search",                 "GET q=tamoxifen",                    200,  200,  200,  200,  200,  200,  200),
    ("articles:glossary",               "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("articles:about",                  "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("articles:privacy",                "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("articles:feed_rss",               "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("articles:feed_atom",              "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("articles:section_feed_rss",       "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("articles:section_feed_atom",      "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("articles:tag_feed_rss",           "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("articles:tag_feed_atom",          "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("sitemap",                         "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("sitemap_pages",                   "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("sitemap_news",                    "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("sitemap_articles",                "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("sitemap_articles",                "GET beyond the last",                N,    N,    N,    N,    N,    N,    N),
    ("robots_txt",                      "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("favicon",                         "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("web_manifest",                    "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("healthz",                         "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("readyz",                          "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("promotions:go",                   "GET showing",                        R,    R,    R,    R,    R,    R,    R),
    ("promotions:go",                   "GET ended",                          N,    N,    N,    N,    N,    N,    N),
    ("promotions:go",                   "POST showing",                       405,  405,  405,  405,  405,  405,  405),
    ("recommendations:list",            "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("recommendations:how",             "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("recommendations:survey",          "GET",                                A,    200,  200,  200,  200,  200,  200),
    ("recommendations:not_interested",  "GET visible",                        A,    405,  405,  405,  405,  405,  405),
    ("recommendations:not_interested",  "POST visible",                       A,    R,    R,    R,    R,    R,    R),
    ("recommendations:not_interested",  "POST visible next=x",                A,    R,    R,    R,    R,    R,    R),
    ("recommendations:not_interested",  "POST draft",                         A,    N,    N,    N,    N,    N,    N),
    ("recommendations:not_interested",  "POST draft undo=1",                  A,    N,    N,    N,    N,    N,    N),
    ("recommendations:not_interested",  "POST scheduled undo=1",              A,    N,    N,    N,    N,    N,    N),
    ("recommendations:pause_topic",     "POST",                               A,    R,    R,    R,    R,    R,    R),
    ("recommendations:open",            "GET visible from=home",              R,    R,    R,    R,    R,    R,    R),
    ("recommendations:open",            "GET draft",                          N,    N,    N,    N,    N,    N,    N),
    ("recommendations:open",            "POST visible",                       405,  405,  405,  405,  405,  405,  405),
    ("recommendations:pause_topic",     "POST next=x",                        A,    R,    R,    R,    R,    R,    R),
    ("accounts:join",                   "GET",                                200,  R,    R,    R,    R,    R,    R),
    ("accounts:sign_in",                "GET",                                200,  R,    R,    R,    R,    R,    R),
    ("accounts:sign_in_link",           "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("accounts:sign_in_link",           "POST email=reader.b@example.org",    200,  200,  200,  200,  200,  200,  200),
    # Reader A's emailed sign-in link: whoever holds it sees a button, and pressing it signs in as her.
    ("accounts:sign_in_link_open",      "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("accounts:sign_in_link_open",      "POST",                               R,    R,    R,    R,    R,    R,    R),
    ("accounts:sign_out",               "GET",                                405,  405,  405,  405,  405,  405,  405),
    ("accounts:sign_out",               "POST",                               R,    R,    R,    R,    R,    R,    R),
    # A confirmation link is for its own reader: anyone else is asked to sign in.
    ("accounts:confirm_email",          "GET",                                A,    R,    A,    A,    A,    A,    A),
    ("accounts:resend_confirmation",    "POST",                               A,    R,    R,    R,    R,    R,    R),
    ("accounts:profile",                "GET",                                A,    200,  200,  200,  200,  200,  200),
    ("accounts:profile",                "POST next=x",                        A,    R,    R,    R,    R,    R,    R),
    ("accounts:favorites",              "GET",                                A,    200,  200,  200,  200,  200,  200),
    ("accounts:favorites",              "GET page=9",                         A,    N,    N,    N,    N,    N,    N),
    ("accounts:favorite",               "GET visible",                        405,  405,  405,  405,  405,  405,  405),
    ("accounts:favorite",               "POST visible",                       400,  400,  400,  400,  400,  400,  400),
    ("accounts:favorite",               "POST visible action=save",           A,    R,    R,    R,    R,    R,    R),
    ("accounts:favorite",               "POST visible action=save next=x",    A,    R,    R,    R,    R,    R,    R),
    ("accounts:favorite",               "POST visible action=remove",         A,    R,    R,    R,    R,    R,    R),
    ("accounts:favorite",               "POST draft action=save",             N,    N,    N,    N,    N,    N,    N),
    ("accounts:favorite",               "POST in_review action=save",         N,    N,    N,    N,    N,    N,    N),
    ("accounts:favorite",               "POST draft action=remove",           N,    N,    N,    N,    N,    N,    N),
    ("accounts:favorite",               "POST scheduled action=remove",       N,    N,    N,    N,    N,    N,    N),
    # Follow a topic: readers not signed in are asked to; junk gets a message on the page it came from.
    ("accounts:follow",                 "GET",                                405,  405,  405,  405,  405,  405,  405),
    ("accounts:follow",                 "POST",                               R,    R,    R,    R,    R,    R,    R),
    ("accounts:follow",                 "POST topic=section:screening action=follow",
                                                                              A,    R,    R,    R,    R,    R,    R),
    ("accounts:follow",                 "POST topic=tag:genomics action=follow frequency=weekly",
                                                                              A,    R,    R,    R,    R,    R,    R),
    ("accounts:follow",                 "POST topic=tag:genomics action=unfollow",
                                                                              A,    R,    R,    R,    R,    R,    R),
    ("accounts:follow",                 "POST topic=drug:nonsense action=follow",
                                                                              R,    R,    R,    R,    R,    R,    R),
    ("accounts:vote",                   "POST visible helpful=yes",           R,    R,    R,    R,    R,    R,    R),
    ("accounts:vote",                   "POST visible helpful=maybe",         400,  400,  400,  400,  400,  400,  400),
    ("accounts:vote",                   "POST draft helpful=yes",             N,    N,    N,    N,    N,    N,    N),
    ("accounts:vote",                   "POST scheduled helpful=yes",         N,    N,    N,    N,    N,    N,    N),
    ("accounts:vote_comment",           "POST visible comment=Clearer",       R,    R,    R,    R,    R,    R,    R),
    ("accounts:vote_comment",           "POST in_review comment=Clearer",     N,    N,    N,    N,    N,    N,    N),
    ("accounts:newsletter",             "GET next=x",                         200,  200,  200,  200,  200,  200,  200),
    ("accounts:newsletter",             "POST email=new@example.org next=x",  R,    R,    R,    R,    R,    R,    R),
    ("accounts:newsletter_confirm",     "GET",                                R,    R,    R,    R,    R,    R,    R),
    ("accounts:newsletter_unsubscribe", "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("accounts:newsletter_unsubscribe", "POST",                               200,  200,  200,  200,  200,  200,  200),
    ("accounts:download_data",          "GET",                                A,    200,  200,  200,  200,  200,  200),
    ("accounts:delete_account",         "GET",                                A,    200,  200,  200,  200,  200,  200),
    ("accounts:password_change",        "GET",                                A,    200,  200,  200,  200,  200,  200),
    ("accounts:password_change_done",   "GET",                                A,    200,  200,  200,  200,  200,  200),
    ("accounts:password_reset",         "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("accounts:password_reset_done",    "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("accounts:password_reset_confirm", "GET",                                200,  200,  200,  200,  200,  200,  200),
    ("accounts:password_reset_complete", "GET",                               200,  200,  200,  200,  200,  200,  200),
    # The admin: only staff; what each may do inside follows their groups' permissions.
    ("admin:index",                     "GET",                                S,    S,    S,    200,  200,  200,  200),
    ("admin:login",                     "GET",                                A,    403,  403,  R,    R,    R,    R),
    ("admin:logout",                    "POST",                               R,    R,    R,    R,    R,    R,    R),
    ("admin:password_change",           "GET",                                S,    S,    S,    200,  200,  200,  200),
    ("admin:password_change_done",      "GET",                                S,    S,    S,    200,  200,  200,  200),
    ("admin:jsi18n",                    "GET",                                S,    S,    S,    200,  200,  200,  200),
    ("admin:app_list",                  "GET",                                S,    S,    S,    200,  200,  200,  200),
    ("admin/(?P<url>.*)$",              "GET",                                S,    S,    S,    N,    N,    N,    N),
    ("admin:autocomplete",              "GET",                                S,    S,    S,    403,  403,  403,  403),
    ("admin:autocomplete",              "GET app_label=articles model_name=article field_name=hero",
                                                                              S,    S,    S,    200,  200,  200,  200),
    ("admin:view_on_site",              "GET visible",                        S,    S,    S,    R,    R,    R,    R),
    ("admin:view_on_site",              "GET draft",                          S,    S,    S,    R,    R,    R,    R),
    ("admin:auth_user_password_change", "GET",                                S,    S,    S,    403,  403,  403,  200),
    ("admin:images_image_choose",       "GET",                                S,    S,    S,    200,  200,  200,  200),
    ("admin:taggit_tag_merge_tags",     "GET",                                S,    S,    S,    403,  403,  R,    R),
    ("admin:articles_article_compare",  "GET old=1 new=2",                    S,    S,    S,    200,  200,  200,  200),
    ("admin:articles_article_restore",  "GET",                                S,    S,    S,    200,  200,  200,  200),
    ("admin:articles_article_restore",  "POST",                               S,    S,    S,    R,    R,    R,    R),
    ("admin:articles_article_changes",  "POST",                               S,    S,    S,    R,    R,    R,    R),
    ("admin:articles_article_presence", "POST",                               S,    S,    S,    200,  200,  200,  200),
    ("admin:articles_article_autosave", "GET",                                S,    S,    S,    N,    N,    N,    N),
    # The newsletter's preview and send page: editors' work; writers and reviewers are staff without it.
    ("admin:newsletter_issue_preview",  "GET",                                S,    S,    S,    403,  403,  200,  200),
    ("admin:newsletter_issue_send",     "GET",                                S,    S,    S,    403,  403,  200,  200),
    ("admin:newsletter_issue_send",     "POST action=test",                   S,    S,    S,    403,  403,  R,    R),
    ("admin:articles_article_autosave", "POST",                               S,    S,    S,    400,  400,  400,  400),
    ("admin:articles_article_autosave_discard", "POST",                       S,    S,    S,    N,    N,    N,    N),
    # Each member of staff's own notifications: marked read from the desk, their emails turned off or on.
    ("admin:notifications_read",        "GET",                                S,    S,    S,    405,  405,  405,  405),
    ("admin:notifications_read",        "POST",                               S,    S,    S,    R,    R,    R,    R),
    ("admin:notifications_read",        "POST notification=1",                S,    S,    S,    R,    R,    R,    R),
    ("admin:notifications_email",       "GET",                                S,    S,    S,    200,  200,  200,  200),
    ("admin:notifications_email",       "POST email=on",                      S,    S,    S,    R,    R,    R,    R),
    # Uploaded files, served by Django only while DEBUG is on (production serves them itself).
    ("^media/(?P<path>.*)$",            "GET missing file",                   N,    N,    N,    N,    N,    N,    N),
]

# What each staff role may do with each model in the admin: v view (list, history, change page),
# a add, c change (post the change form), d delete (for articles: archive, or delete for superusers).
ADMIN_MODELS = {
    # model                                writer  reviewer editor  superuser
    "auth.group":                          ("",     "",      "",     "vacd"),
    "axes.accessattempt":                  ("",     "",      "",     "vcd"),
    "axes.accesslog":                      ("",     "",      "",     "vcd"),
    "axes.accessfailurelog":               ("",     "",      "",     "vcd"),
    "accounts.user":                       ("",     "",      "",     "vacd"),
    "accounts.profile":                    ("",     "",      "",     "vacd"),
    "accounts.favorite":                   ("",     "",      "v",    "vacd"),
    "accounts.newslettersubscription":     ("",     "",      "",     "vacd"),
    "accounts.follow":                     ("",     "",      "",     "vcd"),
    "accounts.helpfulnessvote":            ("",     "",      "v",    "vcd"),
    "accounts.articlehelpfulness":         ("",     "",      "v",    "v"),
    "images.image":                        ("vac",  "vac",   "vacd", "vacd"),
    "taggit.tag":                          ("v",    "v",     "vacd", "vacd"),
    "articles.section":                    ("v",    "v",     "vacd", "vacd"),
    "articles.person":                     ("v",    "v",     "vacd", "vacd"),
    "articles.article":                    ("vac",  "vc",    "vacd", "vacd"),
    "articles.dueforreview":               ("",     "v",     "v",    "v"),
    "articles.glossaryterm":               ("v",    "v",     "vacd", "vacd"),
    "recommendations.surveyresponse":      ("",     "",      "v",    "vcd"),
    "recommendations.mostdismissed":       ("",     "",      "",     "v"),
    "recommendations.dismissal":           ("",     "",      "",     "vcd"),
    "recommendations.recommendationshown": ("",     "",      "v",    "vd"),
    "promotions.promotion":                ("",     "",      "vacd", "vacd"),
    # The task queue's jobs: seen, never edited, in the admin (Procrastinate's read-only pages).
    "procrastinate.procrastinatejob":      ("",     "",      "",     "v"),
    # Every email sent or waiting: a record, never edited.
    "outbox.email":                        ("",     "",      "",     "vd"),
    # Research news issues, edited while drafts; who each went to, a record.
    "newsletter.issue":                    ("",     "",      "vacd", "vacd"),
    "newsletter.delivery":                 ("",     "",      "v",    "vd"),
}
# fmt: on

# The admin's own pages for a model: (request, the letter that allows it, status when allowed).
ADMIN_MODEL_PAGES = {
    "changelist": [("GET", "v", 200)],
    "add": [("GET", "a", 200)],
    "history": [("GET", "v", 200)],
    "delete": [("GET", "d", 200)],
    "change": [("GET", "v", 200), ("POST", "c", FORM)],
}


def admin_model_rows(route):
    """Rows for the admin's standard pages of a model, from ADMIN_MODELS; [] for any other page."""
    opts = route.model_admin.model._meta
    letters = ADMIN_MODELS.get(f"{opts.app_label}.{opts.model_name}")
    if letters is None:
        return []
    if route.name is None and route.route.endswith("<path:object_id>/"):
        # The admin's old address of an object: a redirect to its change page, for all staff.
        return [("GET", (S, S, S, R, R, R, R))]
    page_name = route.key.removeprefix(f"admin:{opts.app_label}_{opts.model_name}_")
    rows = []
    for request, letter, allowed in ADMIN_MODEL_PAGES.get(page_name, []):
        rows.append((request, (S, S, S, *(allowed if letter in role else 403 for role in letters))))
    return rows


def expected_rows():
    """URL key -> [(request, statuses by role)], from MATRIX and, for the admin's model pages, ADMIN_MODELS."""
    rows = defaultdict(list)
    for key, request, *statuses in MATRIX:
        rows[key].append((request, tuple(statuses)))
    for route in routes():
        if route.model_admin is not None and route.key not in rows:
            rows[route.key] = admin_model_rows(route)
    return rows


def parse(request):
    """'POST draft action=remove' -> ('POST', 'draft', {'action': 'remove'})."""
    method, *words = request.split()
    case = " ".join(word for word in words if "=" not in word)
    fields = dict(word.split("=", 1) for word in words if "=" in word)
    return method, case, fields


def outcome(response):
    """The response as the matrix writes it."""
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith("/accounts/sign-in/"):
            return SIGN_IN
        if location.startswith("/admin/login/?next="):
            return ADMIN_SIGN_IN
        return REDIRECT
    return response.status_code


def matches(expected, got):
    if expected == FORM:
        return got in (200, REDIRECT)
    return expected == got


def send(site, role, method, url, fields):
    """One request as `role`, undone afterwards so every cell of the matrix starts from the same site."""
    client = site.client(role, raise_request_exception=False)
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, fields)
        else:
            response = client.generic(method, url, urlencode(fields), FORM_CONTENT_TYPE)
        transaction.set_rollback(True)
    return response


ROUTES = routes()


def test_every_url_pattern_has_a_row():
    """A new URL must say here who may reach it."""
    rows = expected_rows()
    missing = [route.key for route in ROUTES if not rows.get(route.key)]
    assert not missing, "Add rows to MATRIX (tests/test_access_matrix.py) for: " + ", ".join(missing)


# Patterns present only while DEBUG is on when the URL configuration is first read.
DEBUG_ONLY = {"^media/(?P<path>.*)$"}


def test_no_row_names_a_url_pattern_that_is_gone():
    known = {route.key for route in ROUTES} | DEBUG_ONLY
    stale = sorted({key for key, *_ in MATRIX} - known)
    models = {f"{route.model_admin.model._meta.app_label}.{route.model_admin.model._meta.model_name}"
              for route in ROUTES if route.model_admin}  # fmt: skip
    stale += sorted(set(ADMIN_MODELS) - models)
    assert not stale, f"No such URL pattern or admin model any more: {stale}"


@pytest.mark.parametrize("route", ROUTES, ids=[route.key for route in ROUTES])
def test_each_role_gets_the_expected_answer(route, whole_site, db):
    rows = expected_rows()[route.key]
    assert rows, f"No row for {route.key}"
    cases = dict(real_arguments(route, whole_site))
    wrong = []
    for request, statuses in rows:
        method, case, fields = parse(request)
        url = route.reverse(cases[case])
        for role, expected in zip(ROLES, statuses, strict=True):
            got = outcome(send(whole_site, role, method, url, fields))
            if not matches(expected, got):
                wrong.append(f"{request} {url} as {role}: expected {expected}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_reader_b_and_visitors_never_see_reader_a_things(whole_site, db):
    """Reader A's email, survey and vote comments show on her own pages only: never to reader B or to a
    visitor, on any page of the site (but the links emailed to her, which hold her secret tokens)."""
    mine = page(send(whole_site, "reader_a", "GET", "/accounts/my-data.json", {}))
    assert all(secret in mine for secret in READER_A_SECRETS)
    leaks = []
    for route in ROUTES:
        if route.key in READER_A_LINKS:
            continue
        for _case, values in real_arguments(route, whole_site):
            url = route.reverse(values)
            for role in ("anonymous", "reader_b"):
                response = send(whole_site, role, "GET", url, {})
                if response.get("Content-Type", "").startswith("image/"):
                    continue  # the site's icon: no text in it
                shown = page(response)
                leaks += [f"{url} as {role} shows {secret!r}" for secret in READER_A_SECRETS if secret in shown]
    assert not leaks, "\n".join(leaks)
