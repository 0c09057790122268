"""Security headers: a strict Content-Security-Policy (django-csp), Permissions-Policy and
Cross-Origin-Opener-Policy. Reader pages carry no nonce, so their HTML and headers are the same for every
reader and a shared cache can serve them; the admin's inline import map and the error pages' inline
styles carry the nonce of their own response's policy."""

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import django_prose_editor
import pytest
from django.conf import settings
from django.test import Client

from .factories import ArticleFactory, GlossaryTermFactory
from .helpers import page

JAVASCRIPT_TYPES = {"", "module", "importmap", "text/javascript", "application/javascript"}


class _ScriptParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline = []
        self.styles = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            self.inline.append(attributes)
        elif tag == "style":
            self.styles.append(attributes)


def inline_scripts_and_styles(markup):
    parser = _ScriptParser()
    parser.feed(markup)
    return parser.inline, parser.styles


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def header_nonce(response):
    found = re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return found[0] if found else None


@pytest.fixture
def article(db):
    GlossaryTermFactory(term="radiotherapy", slug="radiotherapy")
    return ArticleFactory(body="<p>Five sessions of radiotherapy.</p>", tags=["radiotherapy"])


def reader_paths(article):
    return ["/", "/articles/", article.get_absolute_url(), article.section.get_absolute_url(),
            "/tags/radiotherapy/", "/search/?q=radiotherapy", "/glossary/", "/about/"]  # fmt: skip


def test_reader_pages_send_a_strict_policy_without_unsafe_inline_scripts(client, article):
    for path in reader_paths(article):
        policy = directives(client.get(path))

        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"], path
        assert "'unsafe-inline'" not in policy["style-src"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]


def test_reader_pages_have_no_inline_script_to_nonce_only_data_blocks(client, article):
    """So the page and its policy are the same bytes for every anonymous reader: cacheable whole."""
    response = client.get(article.get_absolute_url())
    scripts, styles = inline_scripts_and_styles(page(response))

    assert [script.get("type") for script in scripts] == ["application/ld+json"]
    assert styles == []
    assert header_nonce(response) is None


def test_two_anonymous_readers_get_the_same_policy(article):
    first, second = Client().get(article.get_absolute_url()), Client().get(article.get_absolute_url())

    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]


def test_every_page_sends_permissions_policy_and_cross_origin_opener_policy(client, article):
    response = client.get(article.get_absolute_url())

    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_inline_script_in_the_article_form_carries_the_policy_nonce(superuser_client, article):
    draft = ArticleFactory(draft=True)
    response = superuser_client.get(f"/admin/articles/article/{draft.pk}/change/")
    nonce = header_nonce(response)
    scripts, styles = inline_scripts_and_styles(page(response))
    executable = [script for script in scripts if script.get("type", "") in JAVASCRIPT_TYPES]

    assert nonce
    assert "importmap" in [script.get("type") for script in executable]
    assert [script.get("nonce") for script in executable] == [nonce] * len(executable)
    assert styles == []


def test_two_requests_for_the_article_form_get_different_nonces(superuser_client, article):
    draft = ArticleFactory(draft=True)
    url = f"/admin/articles/article/{draft.pk}/change/"

    assert header_nonce(superuser_client.get(url)) != header_nonce(superuser_client.get(url))


def test_the_bad_request_page_style_carries_the_policy_nonce(db):
    response = Client(HTTP_HOST="evil.example").get("/")
    nonce = header_nonce(response)
    _, styles = inline_scripts_and_styles(page(response))

    assert response.status_code == 400
    assert nonce
    assert [style.get("nonce") for style in styles] == [nonce]


def test_the_body_editors_base_css_hash_matches_the_installed_editor():
    """The policy allows Tiptap's run-time <style> by its hash; a new editor version with other CSS fails here."""
    editor = Path(django_prose_editor.__file__).parent / "static" / "django_prose_editor" / "editor.js"
    css = re.search(r"`(\.ProseMirror \{\n  position: relative;.*?)`", editor.read_text(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()

    assert f"'sha256-{digest}'" == settings.TIPTAP_BASE_CSS
