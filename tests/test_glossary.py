"""The glossary: first mentions in article bodies link to plain-language definitions, the stored
bodies follow glossary changes, the glossary page lists every term, and editors get clear messages."""

import html
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import demo, services
from articles.glossary import GlossaryEntry, link_glossary_terms
from articles.models import Article, GlossaryTerm
from articles.sanitise import sanitise_html

from .factories import ArticleFactory, GlossaryTermFactory, SectionFactory
from .helpers import element, form_fields, page, sitemap_locations, text_of

INDEX = "/glossary/"
TAMOXIFEN = GlossaryEntry("tamoxifen", ("Tamoxifen", "Nolvadex"), "A hormone therapy tablet.")
TRASTUZUMAB = GlossaryEntry("trastuzumab", ("trastuzumab", "Herceptin"), "A targeted drug for HER2-positive cancer.")
HORMONE_POSITIVE = GlossaryEntry("hormone-receptor-positive", ("hormone-receptor-positive",), "Fed by hormones.")
RECEPTOR = GlossaryEntry("receptor", ("receptor",), "A protein that receives signals.")
AROMATASE_INHIBITOR = GlossaryEntry("aromatase-inhibitor", ("aromatase inhibitor",), "Lowers oestrogen.")
BIOPSY = GlossaryEntry("biopsy", ("biopsy",), "A small sample of tissue.")
LYMPH_NODE = GlossaryEntry("lymph-node", ("lymph node",), "A small gland of the immune system.")
ALL = [TAMOXIFEN, TRASTUZUMAB, HORMONE_POSITIVE, RECEPTOR, AROMATASE_INHIBITOR, BIOPSY, LYMPH_NODE]


def linked(body, entries=ALL):
    return link_glossary_terms(body, entries, index_url=INDEX)


def links(markup):
    """(slug, linked text) for every glossary link, in order."""
    return [
        (slug, html.unescape(text))
        for slug, text in re.findall(r'<a class="glossary-term" href="/glossary/#([^"]+)"[^>]*>(.*?)</a>', markup)
    ]


class _Checker(HTMLParser):
    """Every element closed in order, no link inside a link."""

    VOID = {"br", "hr", "img"}

    def __init__(self):
        super().__init__()
        self.open = []
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and "a" in self.open:
            self.problems.append("a link inside a link")
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> closes the wrong element")


def well_formed(markup):
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    return not checker.problems and not checker.open


# --- Linking rules (pure function) ---------------------------------------------------------


def test_only_the_first_mention_is_linked():
    body = "<p>Tamoxifen is a tablet.</p><p>Many people take tamoxifen for five years.</p>"

    assert links(linked(body)) == [("tamoxifen", "Tamoxifen")]


def test_a_later_mention_by_another_name_is_not_linked_again():
    body = "<p>Herceptin is a brand name.</p><p>Trastuzumab is the drug's generic name.</p>"

    assert links(linked(body)) == [("trastuzumab", "Herceptin")]


def test_another_name_links_to_its_term_entry():
    assert links(linked("<p>She was prescribed Nolvadex.</p>")) == [("tamoxifen", "Nolvadex")]


@pytest.mark.parametrize(
    "skipped",
    [
        '<p><a href="https://example.org/">tamoxifen</a></p>',
        "<h2>How tamoxifen works</h2>",
        "<h3>Tamoxifen</h3>",
        "<h4>About <em>tamoxifen</em></h4>",
        "<p><code>tamoxifen</code></p>",
        "<pre>tamoxifen\n  dose</pre>",
        "<pre><code>tamoxifen</code></pre>",
    ],
    ids=["link", "h2", "h3", "nested in h4", "code", "pre", "code in pre"],
)
def test_mentions_in_links_headings_and_code_are_left_alone_and_do_not_count(skipped):
    # Not sanitised first: bodies stored before the editor may still have h4, code and pre.
    body = skipped + "<p>Then tamoxifen in the text.</p>"

    result = linked(body)

    assert links(result) == [("tamoxifen", "tamoxifen")]
    assert result.startswith(body[: body.index("<p>Then")])


def test_an_existing_glossary_link_is_not_linked_again():
    body = linked("<p>Tamoxifen again.</p>")

    assert linked(body) == body


def test_the_original_case_is_kept():
    assert links(linked("<p>TAMOXIFEN and Aromatase Inhibitor</p>")) == [
        ("tamoxifen", "TAMOXIFEN"),
        ("aromatase-inhibitor", "Aromatase Inhibitor"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aromatase inhibitors lower oestrogen.", ("aromatase-inhibitor", "Aromatase inhibitors")),
        ("Two biopsies were taken.", ("biopsy", "biopsies")),
        ("Swollen lymph nodes.", ("lymph-node", "lymph nodes")),
        ("Cells have receptors.", ("receptor", "receptors")),
    ],
)
def test_simple_plurals_count_as_mentions(text, expected):
    assert links(linked(f"<p>{text}</p>")) == [expected]


def test_plural_es_counts_as_a_mention():
    entry = GlossaryEntry("virus", ("virus",), "A tiny germ.")

    assert links(linked("<p>Some viruses and a virus.</p>", [entry])) == [("virus", "viruses")]


@pytest.mark.parametrize("text", ["tamoxifenol", "pretamoxifen", "tamoxifen2", "receptorial", "biopsying"])
def test_only_whole_words_match(text):
    assert links(linked(f"<p>A {text} test.</p>")) == []


def test_a_hyphenated_neighbour_still_ends_a_word():
    assert links(linked("<p>A tamoxifen-based regimen.</p>")) == [("tamoxifen", "tamoxifen")]


def test_the_longest_name_wins_over_a_shorter_term_inside_it():
    body = "<p>Hormone-receptor-positive cancers have a receptor for oestrogen.</p>"

    assert links(linked(body)) == [
        ("hormone-receptor-positive", "Hormone-receptor-positive"),
        ("receptor", "receptor"),
    ]


def test_a_later_mention_of_a_long_name_does_not_link_the_short_term_inside_it():
    body = "<p>Hormone-receptor-positive, again hormone-receptor-positive.</p><p>A receptor.</p>"

    assert links(linked(body)) == [
        ("hormone-receptor-positive", "Hormone-receptor-positive"),
        ("receptor", "receptor"),
    ]


def test_overlapping_names_link_the_one_that_starts_first():
    secondary = GlossaryEntry("secondary-breast-cancer", ("secondary breast cancer",), "Cancer that has spread.")
    early = GlossaryEntry("breast-cancer", ("breast cancer",), "Cancer that starts in the breast.")

    result = linked("<p>Secondary breast cancer differs from early breast cancer.</p>", [early, secondary])

    assert links(result) == [
        ("secondary-breast-cancer", "Secondary breast cancer"),
        ("breast-cancer", "breast cancer"),
    ]


def test_names_inside_inline_tags_and_next_to_entities_are_linked():
    body = sanitise_html("<p>R&amp;D: <strong>tamoxifen</strong> &lt;and&gt; <em>an aromatase&nbsp;inhibitor</em></p>")

    result = linked(body)

    assert links(result) == [("tamoxifen", "tamoxifen"), ("aromatase-inhibitor", "aromatase\xa0inhibitor")]
    assert "<strong><a " in result and "R&amp;D" in result and "&lt;and&gt;" in result


BODIES = [
    "<p>Tamoxifen &amp; trastuzumab (Herceptin) &lt;3&gt; “quotes” – dashes\xa0and spaces.</p>",
    "<h2>Biopsy</h2><p>A <a href='https://example.org/b'>biopsy</a>, then a biopsy.</p>",
    "<ul><li><strong>Aromatase <em>inhibitor</em></strong></li><li>aromatase inhibitors</li></ul>",
    "<figure><img src='https://example.org/x.png' alt='receptor'>"
    "<figcaption>Receptor in a lymph node</figcaption></figure>",
    "<blockquote cite='https://example.org/'><p>hormone-receptor-positive</p></blockquote>",
    "<p>Text<br>tamoxifen<img src='https://example.org/x.png' alt='tamoxifen'></p><hr><pre>receptor</pre>",
]


@pytest.mark.parametrize("raw", BODIES)
def test_output_is_well_formed_keeps_the_text_and_survives_the_sanitiser_unchanged(raw):
    body = sanitise_html(raw)

    result = linked(body)

    assert links(result), "the body has something to link"
    assert well_formed(result)
    assert text_of(result) == text_of(body)
    assert sanitise_html(result) == result


def test_a_hostile_definition_is_escaped():
    entry = GlossaryEntry("tamoxifen", ("tamoxifen",), "\"><script>alert(1)</script> & 'quoted'")

    result = linked("<p>tamoxifen</p>", [entry])

    assert "<script" not in result
    assert "title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; 'quoted'\"" in result
    assert sanitise_html(result) == result


def test_a_hostile_term_name_is_matched_as_text_and_stays_escaped():
    entry = GlossaryEntry("odd", ('<script>"x"', "a(b"), "Odd.")
    body = sanitise_html('<p>Say &lt;script&gt;"x" and a(b.</p>')

    result = linked(body, [entry])

    assert links(result) == [("odd", '<script>"x"')]
    assert "<script" not in result
    assert sanitise_html(result) == result


def test_without_terms_the_body_is_unchanged():
    assert linked("<p>Tamoxifen</p>", []) == "<p>Tamoxifen</p>"


def test_the_sanitiser_keeps_the_glossary_class_and_drops_any_other():
    cleaned = sanitise_html('<p><a class="glossary-term other" href="/x">a</a><em class="glossary-term">b</em></p>')

    assert 'class="glossary-term"' in cleaned
    assert "other" not in cleaned
    assert "<em>b</em>" in cleaned


# --- Stored bodies follow the glossary --------------------------------------------------------


def article_body(client, article):
    content = page(client.get(article.get_absolute_url()))
    return element(content, '<div class="article__body prose">', "</div>")


@pytest.fixture
def tamoxifen(db):
    return services.glossary_term_save(
        term=GlossaryTerm(term="Tamoxifen", slug="tamoxifen", other_names="Nolvadex", definition="A tablet.")
    )


def test_saving_an_article_stores_the_linked_body_and_keeps_the_body_as_written(tamoxifen):
    article = ArticleFactory(body="<p>Tamoxifen and tamoxifen.</p>")

    article.refresh_from_db()

    assert article.body == "<p>Tamoxifen and tamoxifen.</p>"
    assert links(article.body_rendered) == [("tamoxifen", "Tamoxifen")]


def test_the_article_page_shows_the_linked_body(client, tamoxifen):
    article = ArticleFactory(body="<p>Nolvadex is tamoxifen.</p>")

    body = article_body(client, article)

    assert '<a class="glossary-term" href="/glossary/#tamoxifen" title="A tablet." rel="noopener noreferrer">' in body
    assert links(body) == [("tamoxifen", "Nolvadex")]


def test_a_new_term_links_its_first_mention_in_existing_articles(client, db):
    article = ArticleFactory(body="<p>Herceptin and trastuzumab.</p>")
    assert links(article_body(client, article)) == []

    services.glossary_term_save(
        term=GlossaryTerm(term="Trastuzumab", slug="trastuzumab", other_names="Herceptin", definition="A drug.")
    )

    assert links(article_body(client, article)) == [("trastuzumab", "Herceptin")]


def test_an_edited_term_is_linked_by_its_new_name_and_definition(client, tamoxifen):
    article = ArticleFactory(body="<p>Soltamox is a liquid form.</p>")
    other = ArticleFactory(body="<p>Tamoxifen here.</p>")

    tamoxifen.other_names = "Soltamox"
    tamoxifen.definition = "A tablet or a liquid."
    services.glossary_term_save(term=tamoxifen)

    assert links(article_body(client, article)) == [("tamoxifen", "Soltamox")]
    assert 'title="A tablet or a liquid."' in article_body(client, other)


def test_a_removed_name_is_no_longer_linked(client, tamoxifen):
    article = ArticleFactory(body="<p>Nolvadex is a brand.</p>")
    assert links(article_body(client, article)) == [("tamoxifen", "Nolvadex")]

    tamoxifen.other_names = ""
    services.glossary_term_save(term=tamoxifen)

    assert links(article_body(client, article)) == []


def test_a_deleted_term_is_no_longer_linked(client, tamoxifen):
    article = ArticleFactory(body="<p>Tamoxifen here.</p>")
    assert links(article_body(client, article))

    services.glossary_terms_delete(terms=GlossaryTerm.objects.filter(pk=tamoxifen.pk))

    assert links(article_body(client, article)) == []
    assert Article.objects.get(pk=article.pk).body_rendered == "<p>Tamoxifen here.</p>"


def test_a_term_change_empties_only_the_bodies_that_mention_it(tamoxifen):
    mentions = ArticleFactory(body="<p>Tamoxifen here.</p>")
    unrelated = ArticleFactory(body="<p>Nothing to link.</p>")

    services.glossary_term_save(term=GlossaryTerm(term="Biopsy", slug="biopsy", definition="A sample."))
    tamoxifen.definition = "A daily tablet."
    services.glossary_term_save(term=tamoxifen)

    stored = dict(Article.objects.values_list("pk", "body_rendered"))
    assert stored[mentions.pk] == ""
    assert stored[unrelated.pk] == "<p>Nothing to link.</p>"


def test_a_term_change_does_not_mark_articles_as_updated(tamoxifen):
    article = ArticleFactory(body="<p>Tamoxifen here.</p>")
    updated_at = Article.objects.get(pk=article.pk).updated_at

    tamoxifen.definition = "A daily tablet."
    services.glossary_term_save(term=tamoxifen)

    assert Article.objects.get(pk=article.pk).updated_at == updated_at


def test_a_bulk_loaded_article_is_rendered_on_its_first_view_and_stored(client, tamoxifen):
    article = ArticleFactory(body="<p>Tamoxifen here.</p>")
    Article.objects.filter(pk=article.pk).update(body_rendered="")

    assert links(article_body(client, article)) == [("tamoxifen", "Tamoxifen")]
    assert links(Article.objects.get(pk=article.pk).body_rendered) == [("tamoxifen", "Tamoxifen")]


def test_bulk_loaded_bodies_can_be_rendered_all_at_once(tamoxifen):
    section = SectionFactory()
    loaded = Article.objects.bulk_create(
        [ArticleFactory.build(body=f"<p>Tamoxifen, number {number}.</p>", section=section) for number in range(3)]
    )
    already = ArticleFactory(body="<p>Stored already.</p>")

    assert Article.objects.fill_rendered_bodies() == 3

    for article in Article.objects.filter(pk__in=[article.pk for article in loaded]):
        assert links(article.body_rendered) == [("tamoxifen", "Tamoxifen")]
    assert Article.objects.get(pk=already.pk).body_rendered == "<p>Stored already.</p>"


def test_without_glossary_terms_bulk_loaded_bodies_are_stored_as_written(db, django_assert_num_queries):
    section = SectionFactory()
    Article.objects.bulk_create([ArticleFactory.build(body="<p>Tamoxifen.</p>", section=section) for _ in range(3)])

    with django_assert_num_queries(3):  # The glossary, one UPDATE, then the bodies with images (none).
        assert Article.objects.fill_rendered_bodies() == 3

    assert set(Article.objects.values_list("body_rendered", flat=True)) == {"<p>Tamoxifen.</p>"}


def test_a_stale_render_never_overwrites_a_newer_body(tamoxifen):
    article = ArticleFactory(body="<p>Tamoxifen here.</p>")
    viewed = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(body_rendered="")
    viewed.body_rendered = ""
    edited = Article.objects.get(pk=article.pk)
    edited.body = "<p>A newer body about tamoxifen.</p>"
    edited.save()

    viewed.fill_rendered_body()

    assert "newer body" in Article.objects.get(pk=article.pk).body_rendered


def test_the_article_page_runs_no_extra_query_once_its_body_is_stored(client, db, django_assert_num_queries):
    """Guards the article page's budget: glossary links cost nothing once the body is stored."""
    article = ArticleFactory(body="<p>Tamoxifen here.</p>")
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as without_glossary:
        client.get(article.get_absolute_url())
    baseline = len(without_glossary)  # Read now: the next request clears the connection's query log.
    services.glossary_term_save(term=GlossaryTerm(term="Tamoxifen", slug="tamoxifen", definition="A tablet."))
    for number in range(10):
        GlossaryTermFactory(term=f"Word{number}", slug=f"word-{number}")
    client.get(article.get_absolute_url())  # The first view after the change renders and stores the body.

    with django_assert_num_queries(baseline):
        response = client.get(article.get_absolute_url())

    assert links(page(response)) == [("tamoxifen", "Tamoxifen")]


# --- The glossary page ------------------------------------------------------------------------


def test_glossary_page_lists_terms_alphabetically_by_letter_with_anchors(client, db):
    learn_more = ArticleFactory(title="All about hormone therapy", slug="hormone-therapy")
    GlossaryTermFactory(term="trastuzumab", slug="trastuzumab", other_names="Herceptin", definition="A drug.")
    GlossaryTermFactory(term="Tamoxifen", slug="tamoxifen", definition="A tablet.", learn_more=learn_more)
    GlossaryTermFactory(term="Biopsy", slug="biopsy", definition="A sample.")
    GlossaryTermFactory(term="5-FU", slug="five-fu", definition="A chemotherapy drug.")

    content = page(client.get(reverse("articles:glossary")))

    letters = element(content, '<nav class="letter-index"', "</nav>")
    assert re.findall(r'href="#([^"]+)"', letters) == ["letter-b", "letter-t", "letter-other"]
    assert re.findall(r'<dt id="([^"]+)">', content) == ["biopsy", "tamoxifen", "trastuzumab", "five-fu"]
    assert '<h2 id="letter-t">T</h2>' in content
    assert "Also called: Herceptin" in content
    assert "A sample." in content
    assert 'href="/articles/hormone-therapy/"' in content


def test_glossary_page_hides_a_learn_more_article_readers_cannot_see(client, db):
    draft = ArticleFactory(draft=True, title="Unfinished draft", slug="unfinished")
    GlossaryTermFactory(term="Tamoxifen", slug="tamoxifen", learn_more=draft)

    content = page(client.get(reverse("articles:glossary")))

    assert "Unfinished draft" not in content
    assert "/articles/unfinished/" not in content


def test_glossary_page_escapes_what_editors_typed(client, db):
    GlossaryTermFactory(term="<script>alert(1)</script>", slug="odd", definition="<b>bold</b>")

    content = page(client.get(reverse("articles:glossary")))

    assert "<script>alert(1)" not in content
    assert "&lt;b&gt;bold&lt;/b&gt;" in content


def test_glossary_page_says_so_when_empty(client, db):
    assert "There are no entries yet" in page(client.get(reverse("articles:glossary")))


def test_glossary_page_query_count_does_not_grow_with_terms(client, db, django_assert_num_queries, settings):
    """Guards against N+1: learn-more articles come with the terms in one query (rendered each time)."""
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(3):
        GlossaryTermFactory(learn_more=ArticleFactory())
    client.get(reverse("articles:glossary"))
    with django_assert_num_queries(2):
        client.get(reverse("articles:glossary"))

    for number in range(20):
        GlossaryTermFactory(learn_more=ArticleFactory(), other_names=f"Alias{number}")

    with django_assert_num_queries(2):
        response = client.get(reverse("articles:glossary"))

    assert page(response).count("<dt ") == 23


def test_glossary_is_linked_from_every_page_and_listed_in_the_sitemap(client, db):
    assert 'href="/glossary/"' in page(client.get(reverse("articles:home")))
    assert "http://testserver/glossary/" in sitemap_locations(client)


# --- Editors' admin ---------------------------------------------------------------------------

ADD = reverse("admin:articles_glossaryterm_add")


def add_term(client, **fields):
    data, _ = form_fields(page(client.get(ADD)), "glossaryterm_form")
    data = {name: values[0] if values else "" for name, values in data.items()}
    data.update(fields)
    return client.post(ADD, data)


def test_editor_adds_a_term_and_articles_link_it(editor_client, client, db):
    article = ArticleFactory(body="<p>Herceptin was given.</p>")

    response = add_term(
        editor_client, term="Trastuzumab", slug="trastuzumab", other_names="Herceptin", definition="A drug."
    )

    assert response.status_code == 302
    client.logout()
    assert links(article_body(client, article)) == [("trastuzumab", "Herceptin")]


def test_editor_deletes_a_term_and_articles_stop_linking_it(editor_client, tamoxifen):
    article = ArticleFactory(body="<p>Tamoxifen here.</p>")

    response = editor_client.post(reverse("admin:articles_glossaryterm_delete", args=[tamoxifen.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).body_rendered == ""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"term": "Nolvadex", "slug": "nolvadex"},
            "‘Nolvadex’ is already another name of the glossary term ‘Tamoxifen’.",
        ),
        (
            {"term": "Soltamox", "slug": "soltamox", "other_names": "Liquid tamoxifen, TAMOXIFEN"},
            "‘TAMOXIFEN’ is already the name of the glossary term ‘Tamoxifen’.",
        ),
        (
            {"term": "Soltamox", "slug": "soltamox", "other_names": "nolvadex"},
            "‘nolvadex’ is already another name of the glossary term ‘Tamoxifen’.",
        ),
        (
            {"term": "TAMOXIFEN", "slug": "tamoxifen-2"},
            "There is already a glossary term with this name (capitals do not count).",
        ),
        ({"term": "Main", "slug": "main"}, "The glossary page already uses ‘main’; add a word, e.g. ‘main-term’."),
        ({"term": "Letter", "slug": "letter-a"}, "The glossary page already uses ‘letter-a’"),
        ({"term": "Soltamox", "slug": "soltamox", "other_names": "liquid, ---"}, "‘---’ is not a name"),
        ({"term": "???", "slug": "question"}, "The term needs letters or numbers."),
    ],
    ids=[
        "term is another's other name",
        "other name is another's term",
        "other names clash",
        "same term",
        "reserved slug",
        "letter slug",
        "unreadable other name",
        "unreadable term",
    ],  # fmt: skip
)
def test_admin_explains_invalid_terms(editor_client, tamoxifen, fields, message):
    response = add_term(editor_client, definition="A definition.", **fields)

    assert response.status_code == 200
    assert message in html.unescape(page(response))
    assert GlossaryTerm.objects.count() == 1


def test_editing_a_term_keeps_its_own_names(editor_client, tamoxifen):
    url = reverse("admin:articles_glossaryterm_change", args=[tamoxifen.pk])
    data, _ = form_fields(page(editor_client.get(url)), "glossaryterm_form")
    data = {name: values[0] if values else "" for name, values in data.items()}
    data["other_names"] = "Nolvadex, Soltamox"

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert GlossaryTerm.objects.get().other_names == "Nolvadex, Soltamox"


def test_editors_keep_the_glossary_and_writers_and_reviewers_may_only_view_it(editor, writer, reviewer):
    assert editor.has_perms([f"articles.{action}_glossaryterm" for action in ("add", "change", "delete", "view")])
    for user in (writer, reviewer):
        assert user.has_perm("articles.view_glossaryterm")
        assert not user.has_perm("articles.change_glossaryterm")
        assert not user.has_perm("articles.add_glossaryterm")


# --- Demo content -----------------------------------------------------------------------------


def test_demo_glossary_loads_once_and_demo_articles_link_it(db, client, settings, tmp_path, capsys):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_content")
    stored = dict(Article.objects.values_list("pk", "body_rendered"))

    call_command("load_demo_content")

    assert GlossaryTerm.objects.count() == len(demo.load().glossary) >= 10
    assert dict(Article.objects.values_list("pk", "body_rendered")) == stored
    article = Article.objects.get(slug="sorafenib-anastrozole-resistance-asco-2008")
    assert ("kinase-inhibitor", "kinase inhibitor") in links(article_body(client, article))
    for term in GlossaryTerm.objects.all():
        term.full_clean()
