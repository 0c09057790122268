"""The reviewer's diff of two revisions: readable text paired by paragraph, changed numbers and drug names
marked, references and research facts field by field, the HTML source on request, everything escaped."""

import re

from django.urls import reverse

from articles import services
from articles.diff import content_diff
from articles.models import ResearchFacts

from .factories import ArticleFactory, GlossaryTermFactory, ReferenceFactory, ResearchFactsFactory, StudyDrugFactory
from .helpers import element, page, text_of


def compare_url(article, old, new, query=""):
    return reverse("admin:articles_article_compare", args=[article.pk]) + f"?old={old}&new={new}{query}"


def revise(article, author=None, **changes):
    for name, value in changes.items():
        setattr(article, name, value)
    article.save()
    return services.record_revision(article=article, author=author)


def number(value):
    return f'<span class="diff-number"><span class="visually-hidden">number: </span>{value}</span>'


def drug(value):
    return f'<span class="diff-drug"><span class="visually-hidden">drug or glossary term: </span>{value}</span>'


def block(content, anchor):
    """The diff's block with this id."""
    return element(content, f'id="{anchor}"', "</div>")


def blocks(content):
    """Each shown block of the body's diff: its label and text as read aloud."""
    return [
        text_of(block) for block in re.findall(r'class="content-diff__block [^>]*>(.*?)</(?:div|p)>', content, re.S)
    ]


def rows(table):
    """The cells of each row of a table but its head, as read aloud."""
    return [
        [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]
    ]


SURVIVAL_BEFORE = "<p>Median progression-free survival was 2.4 months with letrozole alone.</p>"
SURVIVAL_AFTER = "<p>Median progression-free survival was 2.6 months with letrozole alone.</p>"
INSERTED = "<p>The trial enrolled women whose cancer had spread to the bones or liver.</p>"


def test_a_changed_number_stays_paired_with_its_paragraph_when_a_paragraph_is_inserted_before_it(editor_client, editor):
    article = ArticleFactory(body=f"<h2>Findings</h2>{SURVIVAL_BEFORE}<p>Side effects were mild.</p>")
    revise(article, editor)
    revise(article, editor, body=f"<h2>Findings</h2>{INSERTED}{SURVIVAL_AFTER}<p>Side effects were mild.</p>")

    content = page(editor_client.get(compare_url(article, 1, 2)))

    assert f"survival was <del>{number('2.4')}</del><ins>{number('2.6')}</ins> months" in content
    assert blocks(content) == [
        "Heading, unchanged Findings",
        "Added paragraph The trial enrolled women whose cancer had spread to the bones or liver.",
        "Changed paragraph Median progression-free survival was number: 2.4number: 2.6 months with letrozole alone.",
        "Paragraph, unchanged Side effects were mild.",
    ]
    assert "<ins>The trial enrolled women whose cancer had spread to the bones or liver.</ins>" in content


def test_changed_numbers_are_listed_above_the_diff_with_a_link_to_their_paragraph(editor_client, editor):
    article = ArticleFactory(summary="Risk fell by 12%.", body=SURVIVAL_BEFORE)
    revise(article, editor)
    revise(article, editor, summary="Risk fell by 15%.", body=f"{INSERTED}{SURVIVAL_AFTER}")

    content = page(editor_client.get(compare_url(article, 1, 2)))

    listed = text_of(element(content, '<ul class="content-diff__numbers">', "</ul>"))
    assert listed == "Summary: 12% → 15% Body, paragraph: 2.4 → 2.6"
    anchor = element(content, '<a href="#diff-body-', '">').removeprefix('<a href="#').removesuffix('">')
    assert "survival was" in block(content, anchor)


def test_a_dissimilar_paragraph_is_shown_whole_as_removed_and_added_not_word_by_word(editor_client, editor):
    article = ArticleFactory(body="<p>Start.</p><p>Women were followed for five years.</p><p>End.</p>")
    revise(article, editor)
    revise(article, editor, body="<p>Start.</p><p>Radiotherapy after surgery halves the risk.</p><p>End.</p>")

    content = page(editor_client.get(compare_url(article, 1, 2)))

    assert blocks(content) == [
        "Paragraph, unchanged Start.",
        "Removed paragraph Women were followed for five years.",
        "Added paragraph Radiotherapy after surgery halves the risk.",
        "Paragraph, unchanged End.",
    ]


def test_list_items_headings_and_table_cells_are_compared_as_their_text():
    table = "<table><tr><td>Letrozole</td><td>{}</td></tr></table>"
    old = {"body": "<ul><li>Hot <em>flushes</em></li></ul>" + table.format("1,234")}
    new = {"body": "<ul><li>Hot <strong>flushes</strong>, tiredness</li></ul>" + table.format("1,243")}

    diff = content_diff(old, new)

    assert [(line.kind, line.label, line.html) for line in diff.body] == [
        ("changed", "List item", "Hot flushes<ins>, tiredness</ins>"),
        ("same", "Table cell", "Letrozole"),
        ("changed", "Table cell", f"<del>{number('1,234')}</del><ins>{number('1,243')}</ins>"),
    ]


def test_numbers_with_decimals_percentages_and_ranges_are_marked_whole():
    diff = content_diff(
        {"summary": "Hazard ratio 0.71 (95% CI 0.61–0.84) in 1,234 women"},
        {"summary": "Hazard ratio 0.69 (95% CI 0.58–0.84) in 1,250 women"},
    )

    assert diff.summary.html == (
        f"Hazard ratio <del>{number('0.71')}</del><ins>{number('0.69')}</ins> (95% CI "
        f"<del>{number('0.61')}</del><ins>{number('0.58')}</ins>–0.84) in "
        f"<del>{number('1,234')}</del><ins>{number('1,250')}</ins> women"
    )
    assert [(change.old, change.new) for change in diff.numbers] == [
        (("0.71",), ("0.69",)),
        (("0.61",), ("0.58",)),
        (("1,234",), ("1,250",)),
    ]


def test_drug_names_from_the_glossary_and_the_research_facts_are_marked_in_changed_text_only(editor_client, editor):
    GlossaryTermFactory(term="Tamoxifen", other_names="Nolvadex")
    article = ArticleFactory(body="<p>Tamoxifen stays the same.</p><p>Women took a placebo every day.</p>")
    StudyDrugFactory(facts=ResearchFactsFactory(article=article), generic_name="ribociclib", brand_names="Kisqali")
    revise(article, editor)
    revise(article, editor, body="<p>Tamoxifen stays the same.</p><p>Women took Nolvadex or Kisqali every day.</p>")

    content = page(editor_client.get(compare_url(article, 1, 2)))

    assert f"Women took <del>a placebo</del><ins>{drug('Nolvadex')} or {drug('Kisqali')}</ins> every day." in content
    assert "Paragraph, unchanged Tamoxifen stays the same." in blocks(content)
    assert drug("Tamoxifen") not in content
    assert "drug or glossary term: </span>Tamoxifen" not in content


def test_a_drug_name_inside_a_longer_word_is_not_marked_and_plurals_are():
    diff = content_diff(
        {"summary": "No change."}, {"summary": "Retamoxifenate and two tamoxifens."}, drug_names=["tamoxifen"]
    )

    assert diff.summary.html == f"<del>No change</del><ins>Retamoxifenate and two {drug('tamoxifens')}</ins>."


def test_references_are_compared_citation_and_link_apart(editor_client, editor):
    article = ArticleFactory()
    kept = ReferenceFactory(article=article, citation="Kept A. Unchanged study. BMJ 2020.", position=0)
    edited = ReferenceFactory(
        article=article, citation="Smith J. Letrozole trial. Lancet 2024.", url="https://doi.org/10.1/a", position=1
    )
    gone = ReferenceFactory(article=article, citation="Old B. Dropped review. JAMA 2019.", position=2)
    revise(article, editor)
    edited.citation, edited.url = "Smith J. Letrozole trial. Lancet 2025.", "https://doi.org/10.1/b"
    edited.save()
    gone.delete()
    ReferenceFactory(article=article, citation="New C. Added cohort. NEJM 2025.", url="", position=3)
    revise(article, editor)

    content = page(editor_client.get(compare_url(article, 1, 2)))

    table = element(content, '<table class="content-diff__table">', "</table>")
    assert kept.citation not in table
    assert rows(table) == [
        ["Changed", "2", "Smith J. Letrozole trial. Lancet number: 2024number: 2025.", "https://doi.org/10.1/ab"],
        ["Removed", "3", "Old B. Dropped review. JAMA number: 2019.", "https://example.org/study"],
        ["Added", "3", "New C. Added cohort. NEJM number: 2025.", "—"],
    ]
    assert "https://doi.org/10.1/<del>a</del><ins>b</ins>" in table


def test_a_reference_that_only_moved_is_shown_as_moved():
    first = {"citation": "First. 2020.", "url": "", "position": 0}
    second = {"citation": "Second. 2021.", "url": "https://example.org/2", "position": 1}

    diff = content_diff({"references": [first, second]}, {"references": [second, first]})

    assert [(line.kind, line.number) for line in diff.references] == [("moved", "2 → 1")]


def test_research_facts_are_compared_field_by_field_with_their_labels(editor_client, editor):
    article = ArticleFactory()
    facts = ResearchFactsFactory(
        article=article,
        study_type=ResearchFacts.StudyType.RANDOMISED_TRIAL,
        phase=ResearchFacts.Phase.PHASE_2,
        participants=1200,
        evidence_strength=ResearchFacts.EvidenceStrength.EMERGING,
        what_it_means="Nothing changes yet.",
    )
    StudyDrugFactory(facts=facts, generic_name="trastuzumab", brand_names="Herceptin")
    StudyDrugFactory(facts=facts, generic_name="pertuzumab")
    revise(article, editor)
    facts.phase, facts.participants = ResearchFacts.Phase.PHASE_3, 1500
    facts.evidence_strength, facts.what_it_means = (
        ResearchFacts.EvidenceStrength.MODERATE,
        "Nothing changes yet for you.",
    )
    facts.save()
    services.research_facts_set_drugs(
        facts=facts, drugs=[services.DrugName("trastuzumab", "Herceptin"), services.DrugName("letrozole", "")]
    )
    revise(article, editor)

    content = page(editor_client.get(compare_url(article, 1, 2)))

    heading = element(content, "<h2>Research facts", "</h2>")
    table = element(content[content.index(heading) :], "<table", "</table>")
    assert rows(table) == [
        ["Phase", "Phase number: 2 Phase number: 3"],
        ["Number of participants", "number: 1200 number: 1500"],
        ["Evidence strength", "Emerging Moderate"],
        ["What this means for you", "Nothing changes yet for you."],
        ["Drugs added", "drug or glossary term: letrozole"],
        ["Drugs removed", "drug or glossary term: pertuzumab"],
    ]
    assert "<del>Emerging</del> <ins>Moderate</ins>" in table
    assert "Nothing changes yet <ins>for you</ins>." in table
    assert "Study type" not in table


def test_research_facts_added_to_an_article_show_every_field_given():
    facts = {
        "study_type": "observational", "phase": "", "participants": None, "registry_id": "NCT01234567",
        "presented_at": "", "presented_on": "2024-12-10", "evidence_strength": None, "what_it_means": "",
        "drugs": [["anastrozole", "Arimidex"]],
    }  # fmt: skip

    diff = content_diff({"research_facts": None}, {"research_facts": facts})

    assert diff.facts.state == "added"
    assert [(line.label, text_of(line.html)) for line in diff.facts.fields] == [
        ("Study type", "Observational study (cohort or case-control)"),
        ("Phase", "Not applicable or not reported"),
        ("Trial registry number", "NCT01234567"),
        ("Presented or published on", "number: 10 Dec number: 2024"),
    ]
    assert [text_of(item) for item in diff.facts.drugs_added] == [
        "drug or glossary term: anastrozole (drug or glossary term: Arimidex)"
    ]


def test_hostile_text_is_escaped_everywhere(editor_client, editor):
    article = ArticleFactory(body="<p>Safe text.</p>")
    facts = ResearchFactsFactory(article=article)
    revise(article, editor)
    hostile = '<img src=x onerror="alert(1)">'
    facts.presented_at = hostile
    facts.save()
    services.research_facts_set_drugs(facts=facts, drugs=[services.DrugName("<script>alert(2)</script>", "a|(b")])
    ReferenceFactory(article=article, citation=f"{hostile} 2024", url="javascript:alert(3)")
    revise(
        article,
        editor,
        title=f"{hostile} Tamoxifen",
        summary="<script>alert(4)</script>",
        body="<p>Safe text &lt;script&gt;alert(5)&lt;/script&gt; and a|(b.</p>",
    )

    for query in ("", "&view=html"):
        content = page(editor_client.get(compare_url(article, 1, 2, query)))
        diff = element(content, '<div class="content-diff">', "<h2>Other parts</h2>")

        assert "<img" not in diff and "<script" not in diff
        assert 'href="javascript' not in diff
        assert "&lt;img src=x onerror=&quot;alert(" in diff
        assert "&lt;script&gt;alert(" in diff
    readable = page(editor_client.get(compare_url(article, 1, 2)))
    assert f"<ins>{drug('&lt;script&gt;alert(2)&lt;/script&gt;')} ({drug('a|(b')})</ins>" in readable
    assert f"&lt;script&gt;alert({number('5')})&lt;/script&gt; and" in readable


def test_the_html_view_shows_a_word_diff_of_the_source(editor_client, editor):
    article = ArticleFactory(body="<p>Doctors gave tamoxifen daily.</p>")
    revise(article, editor)
    revise(article, editor, body="<p>Doctors gave <strong>low-dose</strong> tamoxifen daily.</p>")

    readable = page(editor_client.get(compare_url(article, 1, 2)))
    source = page(editor_client.get(compare_url(article, 1, 2, "&view=html")))

    assert "Doctors gave <ins>low-dose</ins> tamoxifen daily." in readable
    assert "&lt;strong&gt;" not in readable
    assert "Doctors gave<ins> &lt;strong&gt;low-dose&lt;/strong&gt;</ins> tamoxifen daily." in source
    assert '<a href="?old=1&amp;new=2&amp;view=html">HTML source</a>' in readable
    assert '<a href="?old=1&amp;new=2">Readable text</a>' in source


def test_an_unknown_view_shows_the_readable_text(editor_client, editor):
    article = ArticleFactory(body="<p>One.</p>")
    revise(article, editor)
    revise(article, editor, body="<p>Two.</p>")

    response = editor_client.get(compare_url(article, 1, 2, "&view=%3Cscript%3E"))

    assert response.status_code == 200
    assert "<strong>Readable text</strong>" in page(response)


def test_a_change_to_markup_alone_says_so_and_points_to_the_source(editor_client, editor):
    article = ArticleFactory(body='<p>See <a href="https://example.org/a">the study</a>.</p>')
    revise(article, editor)
    revise(article, editor, body='<p>See <a href="https://example.org/b">the study</a>.</p>')

    content = page(editor_client.get(compare_url(article, 1, 2)))
    source = page(editor_client.get(compare_url(article, 1, 2, "&view=html")))

    assert "only the markup changed" in content
    assert "<del>&lt;a href=&quot;https://example.org/a&quot;" in source


def test_the_diff_of_identical_snapshots_says_nothing_changed(db):
    article = ArticleFactory(body="<p>Same.</p>")
    snapshot = services.article_snapshot(article)

    diff = content_diff(snapshot, snapshot)

    assert (diff.title.changed, diff.summary.changed, diff.body, diff.references, diff.other_changes) == (
        False, False, [], [], []
    )  # fmt: skip
    assert diff.facts.state == "absent" and diff.numbers == []


def test_a_find_and_replace_through_a_long_body_pairs_every_paragraph_with_its_old_version():
    paragraphs = [f"Paragraph {index} says women took tamoxifen for five years in this study." for index in range(300)]

    diff = content_diff(
        {"body": "".join(f"<p>{text}</p>" for text in paragraphs)},
        {"body": "".join(f"<p>{text.replace('tamoxifen', 'letrozole')}</p>" for text in paragraphs)},
    )

    assert [line.kind for line in diff.body] == ["changed"] * 300
    assert (
        diff.body[299].html
        == "Paragraph 299 says women took <del>tamoxifen</del><ins>letrozole</ins> for five years in this study."
    )


def test_pairing_stops_at_its_budget_and_shows_the_rest_whole_so_a_huge_edit_stays_quick():
    old = "".join(f"<p>Old paragraph {index} about treatment and care.</p>" for index in range(1200))
    new = "".join(f"<p>New paragraph {index} about treatment and care.</p>" for index in range(1200))

    diff = content_diff({"body": old}, {"body": new})

    kinds = [line.kind for line in diff.body]
    assert kinds.count("changed") == 1000 and kinds.count("removed") == kinds.count("added") == 200


def test_an_image_is_compared_by_its_alt_text():
    figure = '<figure><img src="https://example.org/a.png" alt="{}"><figcaption>Survival by group</figcaption></figure>'

    diff = content_diff(
        {"body": figure.format("Chart of survival at 2 years")}, {"body": figure.format("Chart of survival at 5 years")}
    )

    assert [(line.kind, line.label, line.html) for line in diff.body] == [
        ("changed", "Image", f"[Image: Chart of survival at <del>{number('2')}</del><ins>{number('5')}</ins> years]"),
        ("same", "Figure caption", "Survival by group"),
    ]
