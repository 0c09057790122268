"""Article bodies keep the allowlisted markup and lose anything that could run in a reader's browser."""

import pytest
from django.urls import reverse
from django_prose_editor.config import EXTENSION_MAPPING, allowlist_from_extensions

from articles import demo
from articles.body_editor import body_extensions
from articles.models import Article
from articles.sanitise import ALLOWED_TAGS, sanitise_html, sanitise_report

from .factories import ArticleFactory, PersonFactory, SectionFactory
from .helpers import article_form, element, page


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


# --- What the editor writes, and what the sanitiser tells the editor ---------------------------------


def test_a_link_without_an_address_is_unwrapped_and_keeps_its_text(db):
    article = saved_body(db, '<p>See <a>the study</a> and <a href=" " title="x">the trial</a>.</p>')

    assert article.body == "<p>See the study and the trial.</p>"


def test_a_link_whose_unsafe_address_is_removed_is_unwrapped_too(db):
    article = saved_body(db, "<p><a href=\"javascript:alert('owned')\">Read more</a></p>")

    assert article.body == "<p>Read more</p>"


def test_an_image_without_alt_text_or_address_never_reaches_readers(db):
    article = saved_body(
        db,
        '<p>A</p><img src="https://example.org/scan.png"><img alt="x">'
        '<img src="https://example.org/ok.png" alt="A scan">',
    )

    assert article.body == '<p>A</p><img src="https://example.org/ok.png" alt="A scan">'


def test_the_report_names_what_was_removed():
    result = sanitise_report(
        '<p class=MsoNormal style="color:red">Kept <font face="Arial">text</font></p>'
        "<script>alert('owned')</script>"
        "<p><a href=\"javascript:alert('owned')\">link</a> <a>no address</a></p>"
        '<img src="https://example.org/media/scan.png">'
    )

    assert result.html == "<p>Kept text</p><p>link no address</p>"
    assert result.removals == [
        "the tag <font>, which the editor does not use (its text is kept)",
        "a <script> element and everything in it",
        "the class attribute on <p>",
        "the style attribute on <p>",
        "the link address “javascript:alert('owned')”: only http, https and mailto addresses are kept",
        "a link without an address (its text is kept)",
        "the image “scan.png”, which has no alt text",
    ]


def test_the_report_counts_repeats():
    result = sanitise_report('<p style="a">1</p><p style="b">2</p><p style="c">3</p>')

    assert result.removals == ["the style attribute on <p> (3 times)"]


def test_the_report_is_empty_for_what_the_editor_writes():
    written = (
        "<h2>Findings</h2><p>Women <strong>walked</strong> and <em>cycled</em>.</p>"
        '<ul><li><p>One</p></li></ul><ol start="2"><li><p>Two</p></li></ol><blockquote><p>Quote</p></blockquote>'
        '<p><a href="https://example.org/" title="The study">study</a></p>'
        '<figure><img src="https://example.org/scan.png" alt="A scan"><figcaption>Scan</figcaption></figure>'
    )

    result = sanitise_report(written)

    assert result.removals == []
    assert "<li>One</li>" in result.html
    assert sanitise_html(result.html) == result.html


@pytest.mark.parametrize("path", demo.article_paths(), ids=lambda path: path.stem)
def test_the_demo_articles_lose_nothing(path):
    _, body = demo.split_front_matter(path.read_text(), path)
    assert sanitise_report(demo.markdown_to_html(body)).removals == []


def test_the_editor_offers_exactly_the_tags_the_sanitiser_allows():
    extensions = {name: options for name, options in body_extensions().items() if name in EXTENSION_MAPPING}

    assert allowlist_from_extensions(extensions)["tags"] == ALLOWED_TAGS


# --- The admin form ------------------------------------------------------------------------------------

ADD = reverse("admin:articles_article_add")


def add_article(client, body):
    data, _ = article_form(client, ADD)
    data.update(title="Scan results", slug="scan-results", section=SectionFactory().pk, summary="A summary.", body=body)
    return client.post(ADD, data, follow=True)


def test_an_image_without_alt_text_is_refused_with_a_message_naming_it(editor_client):
    response = add_article(editor_client, '<p>Scan:</p><img src="https://example.org/media/scan.png" alt=" ">')

    assert (
        "The image “scan.png” in the body has no alt text: describe it for readers who cannot see it."
        in response.context["adminform"].form.errors["body"]
    )
    assert not Article.objects.filter(slug="scan-results").exists()


def test_the_editor_is_told_after_saving_what_was_removed(editor_client):
    response = add_article(editor_client, '<p style="color:red">Text</p><script>alert(1)</script><unknown>u</unknown>')

    assert Article.objects.get(slug="scan-results").body == "<p>Text</p>u"
    warnings = [str(message) for message in response.context["messages"] if message.level_tag == "warning"]
    assert warnings == [
        "The body was saved without what articles may not contain: a <script> element and everything in it; "
        "the tag <unknown>, which the editor does not use (its text is kept); the style attribute on <p>."
    ]


def test_nothing_is_reported_when_nothing_was_removed(editor_client):
    response = add_article(editor_client, "<p>Text</p>")

    assert [message for message in response.context["messages"] if message.level_tag == "warning"] == []


def test_the_editors_rewriting_of_a_stored_body_is_no_change(client, editor):
    stored = "<h2>Findings</h2>\n<ul>\n  <li>One</li>\n  <li>Two</li>\n</ul>"
    article = ArticleFactory(
        status=Article.Status.APPROVED, publish_at=None, body=stored, medical_reviewer=PersonFactory()
    )
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data, _ = article_form(client, url)
    data["body"] = "<h2>Findings</h2><ul><li><p>One</p></li><li><p>Two</p></li></ul>"  # as the editor writes it

    client.post(url, data)

    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert article.body == stored
