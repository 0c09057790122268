"""Article bodies keep the allowlisted markup and lose anything that could run in a reader's browser."""

import pytest
from django.urls import reverse

from .factories import ArticleFactory
from .helpers import element, page


def saved_body(db, body):
    article = ArticleFactory(body=body)
    article.refresh_from_db()
    return article


def rendered_body(client, article):
    """The article body as it appears inside the article page."""
    content = page(client.get(reverse("articles:detail", kwargs={"slug": article.slug})))
    body = element(content, '<div class="article__body prose">', "</div>")
    assert body, "the article page has a body element"
    return content, body


UNSAFE_BODIES = {
    "script": '<p>Before</p><script>alert("owned")</script><p>After</p>',
    "onclick": "<p onclick=\"alert('owned')\">Click me</p>",
    "onerror": '<p><img src="https://example.org/x.png" onerror="alert(\'owned\')" alt="x"></p>',
    "javascript link": "<p><a href=\"javascript:alert('owned')\">link</a></p>",
    "javascript link, mixed case": "<p><a href=\"JaVaScRiPt:alert('owned')\">link</a></p>",
    "javascript link, entity-encoded": "<p><a href=\"&#106;avascript:alert('owned')\">link</a></p>",
    "javascript link, tab inside": "<p><a href=\"java&#x09;script:alert('owned')\">link</a></p>",
    "data link": '<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a></p>',
    "data image": '<p><img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="x"></p>',
    "style tag": "<style>body { display: none }</style><p>Text</p>",
    "style attribute": '<p style="background:url(javascript:alert(1))">Text</p>',
    "iframe": '<iframe src="https://evil.example/owned"></iframe><p>Text</p>',
}

FORBIDDEN_FRAGMENTS = {
    "script": ["<script", "alert("],
    "onclick": ["onclick", "alert("],
    "onerror": ["onerror", "alert("],
    "javascript link": ["javascript:", "alert("],
    "javascript link, mixed case": ["javascript:", "alert("],
    "javascript link, entity-encoded": ["javascript:", "&#106;avascript", "alert("],
    "javascript link, tab inside": ["script:", "alert("],
    "data link": ["data:"],
    "data image": ["data:"],
    "style tag": ["<style", "display: none"],
    "style attribute": ["style=", "javascript:"],
    "iframe": ["<iframe", "evil.example"],
}


@pytest.mark.parametrize("case", UNSAFE_BODIES.keys())
def test_unsafe_markup_is_removed_on_save(db, case):
    article = saved_body(db, UNSAFE_BODIES[case])

    for fragment in FORBIDDEN_FRAGMENTS[case]:
        assert fragment not in article.body.lower()


@pytest.mark.parametrize("case", UNSAFE_BODIES.keys())
def test_unsafe_markup_never_appears_in_the_article_page(client, db, case):
    article = ArticleFactory(body=UNSAFE_BODIES[case])

    content, body = rendered_body(client, article)

    for fragment in FORBIDDEN_FRAGMENTS[case]:
        assert fragment not in body.lower()
    assert "alert(" not in content
    assert "onclick" not in content
    assert "onerror" not in content
    assert "<script>" not in content
    assert "<iframe" not in content


def test_script_content_is_removed_not_just_the_tags(db):
    article = saved_body(db, "<p>Kept</p><script>var secret = 'owned';</script>")

    assert "owned" not in article.body
    assert "secret" not in article.body_text
    assert "Kept" in article.body


def test_style_content_is_removed_not_just_the_tags(db):
    article = saved_body(db, "<style>.x { color: red }</style><p>Kept</p>")

    assert "color: red" not in article.body
    assert "color" not in article.body_text


def test_unsafe_link_keeps_its_text(db):
    article = saved_body(db, "<p><a href=\"javascript:alert('owned')\">Read more</a></p>")

    assert "Read more" in article.body
    assert "href" not in article.body


ALLOWED_MARKUP = (
    "<h2>What the study found</h2>"
    "<p>Women taking <strong>tamoxifen</strong> did well.</p>"
    '<p>See <a href="https://example.org/study">the study</a>.</p>'
    "<ul><li>First point</li><li>Second point</li></ul>"
    "<blockquote>A quotation from the lead researcher.</blockquote>"
)


@pytest.mark.parametrize(
    "kept",
    [
        "<h2>What the study found</h2>",
        "<p>Women taking <strong>tamoxifen</strong> did well.</p>",
        "<ul><li>First point</li><li>Second point</li></ul>",
        "<blockquote>A quotation from the lead researcher.</blockquote>",
    ],
)
def test_allowed_markup_is_kept(db, kept):
    article = saved_body(db, ALLOWED_MARKUP)

    assert kept in article.body


def test_https_link_is_kept_with_a_safe_rel(db):
    article = saved_body(db, ALLOWED_MARKUP)

    assert '<a href="https://example.org/study" rel="noopener noreferrer">the study</a>' in article.body


def test_allowed_markup_is_rendered_in_the_article_page(client, db):
    article = ArticleFactory(body=ALLOWED_MARKUP)

    _, body = rendered_body(client, article)

    assert "<strong>tamoxifen</strong>" in body
    assert '<a href="https://example.org/study" rel="noopener noreferrer">the study</a>' in body
    assert "<ul><li>First point</li><li>Second point</li></ul>" in body
    assert "<blockquote>A quotation from the lead researcher.</blockquote>" in body


def test_body_text_has_no_tags(db):
    article = saved_body(db, ALLOWED_MARKUP + UNSAFE_BODIES["onclick"])

    assert "<" not in article.body_text
    assert ">" not in article.body_text
    assert "tamoxifen did well." in article.body_text


def test_body_text_keeps_words_of_adjacent_blocks_apart(db):
    article = saved_body(db, ALLOWED_MARKUP)

    words = article.body_text.split()
    assert "found" in words
    assert "Women" in words
    assert "point" in words
    assert "Second" in words


def test_body_text_decodes_entities(db):
    article = saved_body(db, "<p>Risk fell by &gt; 10% &amp; more</p>")

    assert article.body_text == "Risk fell by > 10% & more"


def test_body_is_sanitised_again_when_an_existing_article_is_edited(db):
    article = ArticleFactory()
    article.body = "<p>Edited</p><script>alert('owned')</script>"
    article.save()

    article.refresh_from_db()
    assert "<script" not in article.body
    assert "Edited" in article.body
