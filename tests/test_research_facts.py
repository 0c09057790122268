"""Research facts: the structured 'About this study' card, its checks, the admin, JSON-LD and query counts."""

import io
import json
import re
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertTemplateUsed

from articles import demo, services
from articles.models import Article, ResearchFacts, StudyDrug

from .factories import (
    ArticleFactory,
    BylineFactory,
    GlossaryTermFactory,
    PersonFactory,
    ReferenceFactory,
    ResearchFactsFactory,
    StudyDrugFactory,
    UserFactory,
)
from .helpers import element, form_fields, hrefs, page, text_of
from .test_query_budgets import BUDGETS

CHANGELIST = reverse("admin:articles_article_changelist")
ARTICLE_WITHOUT_FACTS_QUERIES = BUDGETS["article"][1]
# One more: the glossary entries for the drugs' names (the facts and all their drugs come with the article).
ARTICLE_WITH_FACTS_QUERIES = ARTICLE_WITHOUT_FACTS_QUERIES + 1


def facts(**fields):
    """Unsaved research facts for an observational study, with `fields` changed."""
    return ResearchFacts(article=ArticleFactory(), **{"study_type": ResearchFacts.StudyType.OBSERVATIONAL, **fields})


def errors_of(research_facts):
    with pytest.raises(ValidationError) as raised:
        research_facts.full_clean()
    return raised.value.message_dict


def card(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return element(page(response), '<section class="box research-facts"', "</section>")


def json_ld(client, article):
    markup = page(client.get(article.get_absolute_url()))
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', markup, flags=re.DOTALL)
    assert len(scripts) == 1
    return json.loads(scripts[0])


@pytest.fixture
def full_facts(db):
    article = ArticleFactory(title="Trastuzumab trial", slug="trastuzumab-trial")
    research_facts = ResearchFactsFactory(
        article=article,
        study_type=ResearchFacts.StudyType.RANDOMISED_TRIAL,
        phase=ResearchFacts.Phase.PHASE_3,
        participants=4512,
        registry_id="NCT01234567",
        presented_at="San Antonio Breast Cancer Symposium",
        presented_on=date(2024, 12, 11),
        evidence_strength=ResearchFacts.EvidenceStrength.MODERATE,
        what_it_means="Nothing changes today.\n\nAsk your team about trials.",
    )
    services.research_facts_set_drugs(
        facts=research_facts,
        drugs=[services.DrugName("trastuzumab", "Herceptin, Ogivri"), services.DrugName("docetaxel")],
    )
    return research_facts


# --- Checks with clear messages --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("NCT01234567", "NCT01234567"),
        (" nct 0123 4567 ", "NCT01234567"),
        ("isrctn12345678", "ISRCTN12345678"),
        ("2015-001234-56", "2015-001234-56"),
        ("2023-501234-12-00", "2023-501234-12-00"),
        ("ACTRN12612000123456", "ACTRN12612000123456"),
        ("ChiCTR2000029308", "ChiCTR2000029308"),
        ("CTRI/2020/01/012345", "CTRI/2020/01/012345"),
    ],
)
def test_registry_numbers_in_known_and_other_formats_are_accepted_and_normalised(db, typed, stored):
    research_facts = facts(registry_id=typed)

    research_facts.full_clean()

    assert research_facts.registry_id == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("NCT0123456", "does not match the ClinicalTrials.gov format: write it as NCT followed by 8 digits"),
        ("NCT012345678", "ClinicalTrials.gov format"),
        ("ISRCTN-1234", "does not match the ISRCTN format"),
        ("2015-01234-56", "does not match the EudraCT format"),
        ("2023-501234-12-0", "does not match the EU CT (CTIS) format"),
        ("trial <b>one</b>", "Use only letters, digits, hyphens, dots and slashes"),
    ],
)
def test_malformed_registry_numbers_get_a_message_naming_the_format(db, typed, message):
    assert message in errors_of(facts(registry_id=typed))["registry_id"][0]


def test_a_phase_for_a_study_that_is_not_a_trial_is_refused_with_a_message(db):
    errors = errors_of(facts(study_type=ResearchFacts.StudyType.LABORATORY, phase=ResearchFacts.Phase.PHASE_2))

    assert errors["phase"] == [
        "Phases apply only to clinical trials: choose 'Not applicable', or change the study type to a trial."
    ]


@pytest.mark.parametrize("study_type", ResearchFacts.TRIAL_TYPES)
def test_trials_may_have_a_phase(db, study_type):
    facts(study_type=study_type, phase=ResearchFacts.Phase.PHASE_1_2).full_clean()


def test_a_study_needs_at_least_one_participant(db):
    errors = errors_of(facts(participants=0))

    assert errors["participants"] == ["A study has at least one participant; leave this empty if unknown."]


def test_the_database_keeps_the_phase_rule_too(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ResearchFactsFactory(study_type=ResearchFacts.StudyType.REVIEW, phase=ResearchFacts.Phase.PHASE_3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trastuzumab (Herceptin)", [("trastuzumab", "Herceptin")]),
        ("  trastuzumab  ( Herceptin ,  Ogivri ) \n\n docetaxel\n", [("trastuzumab", "Herceptin, Ogivri"),
                                                                   ("docetaxel", "")]),
        ("", []),
    ],
)  # fmt: skip
def test_drug_lines_are_read_as_generic_name_and_brand_names(text, expected):
    drugs = services.drugs_from_text(text)

    assert [(drug.generic_name, drug.brand_names) for drug in drugs] == expected


def test_unreadable_drug_lines_are_named_in_the_message():
    with pytest.raises(ValidationError) as raised:
        services.drugs_from_text("letrozole\ntrastuzumab (Herceptin\n(Nexavar)")

    assert raised.value.messages == [
        "Line 2 ('trastuzumab (Herceptin'): write the generic name, then any brand names in brackets, "
        "e.g. 'trastuzumab (Herceptin)'.",
        "Line 3 ('(Nexavar)'): write the generic name, then any brand names in brackets, "
        "e.g. 'trastuzumab (Herceptin)'.",
    ]


# --- The reader's card ------------------------------------------------------------------------


def test_article_without_research_facts_has_no_card(client, db):
    article = ArticleFactory()

    assert card(client, article) == ""
    assert "About this study" not in page(client.get(article.get_absolute_url()))


def test_card_shows_every_filled_fact_in_words(client, full_facts):
    text = text_of(card(client, full_facts.article))

    assert text.startswith("About this study")
    for shown in (
        "Type of study Randomised controlled trial",
        "Trial phase Phase 3",
        "People taking part 4,512",
        "Trial registry number NCT01234567 (registry record)",
        "Presented or published San Antonio Breast Cancer Symposium, 11 December 2024",
        "Drugs studied trastuzumab (Herceptin, Ogivri) docetaxel",
        "Strength of evidence Moderate (level 3 of 4). Consistent results from well-designed studies in people.",
        "What this means for you Nothing changes today. Ask your team about trials.",
    ):
        assert shown in text


def test_card_sits_above_the_article_body(client, full_facts):
    markup = page(client.get(full_facts.article.get_absolute_url()))

    assert markup.index("About this study") < markup.index('class="article__body')


def test_card_leaves_out_facts_that_were_not_filled(client, db):
    article = ResearchFactsFactory(study_type=ResearchFacts.StudyType.LABORATORY).article

    text = text_of(card(client, article))

    assert text == "About this study Type of study Laboratory or animal study"


@pytest.mark.parametrize("level", ResearchFacts.EvidenceStrength)
def test_every_evidence_level_is_explained_in_plain_words(client, db, level):
    article = ResearchFactsFactory(evidence_strength=level).article

    text = text_of(card(client, article))

    assert f"{level.label} (level {level.value} of 4). {ResearchFacts.EVIDENCE_MEANINGS[level]}" in text


@pytest.mark.parametrize(
    ("registry_id", "link"),
    [
        ("NCT01234567", "https://clinicaltrials.gov/study/NCT01234567"),
        ("ISRCTN12345678", "https://www.isrctn.com/ISRCTN12345678"),
        ("2023-501234-12-00", "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT=2023-501234-12-00"),
    ],
)
def test_registry_numbers_in_known_formats_link_to_their_registry_record(client, db, registry_id, link):
    article = ResearchFactsFactory(registry_id=registry_id).article

    assert hrefs(card(client, article)) == [link]


@pytest.mark.parametrize("registry_id", ["2015-001234-56", "ACTRN12612000123456"])
def test_other_registry_numbers_are_shown_without_a_link(client, db, registry_id):
    article = ResearchFactsFactory(registry_id=registry_id).article

    markup = card(client, article)

    assert registry_id in text_of(markup)
    assert hrefs(markup) == []


def test_each_drug_name_is_rendered_through_the_drug_name_include(client, full_facts):
    response = client.get(full_facts.article.get_absolute_url())

    assertTemplateUsed(response, "articles/includes/drug_name.html", count=2)


def test_drug_names_link_to_their_glossary_entries_by_any_name(client, db):
    facts = ResearchFactsFactory()
    StudyDrugFactory(facts=facts, generic_name="trastuzumab", brand_names="Herceptin", position=0)
    StudyDrugFactory(facts=facts, generic_name="testinib", brand_names="", position=1)
    GlossaryTermFactory(term="Herceptin", slug="herceptin", other_names="Trastuzumab", definition="A targeted drug.")

    markup = card(client, facts.article)

    glossary = reverse("articles:glossary")
    assert hrefs(markup) == [f"{glossary}#herceptin", f"{glossary}#herceptin"]
    assert 'title="A targeted drug."' in markup
    assert "testinib" in text_of(markup)


def test_what_it_means_is_shown_as_text_not_markup(client, db):
    article = ResearchFactsFactory(what_it_means="<script>alert(1)</script>").article

    assert "<script>alert(1)" not in card(client, article)


# --- JSON-LD ----------------------------------------------------------------------------------


def test_json_ld_describes_a_randomised_trial_with_its_drugs(client, full_facts):
    study = json_ld(client, full_facts.article)["about"]

    assert study == {
        "@type": "MedicalTrial",
        "description": "Randomised controlled trial",
        "healthCondition": {"@type": "MedicalCondition", "name": "Breast cancer"},
        "trialDesign": "https://schema.org/RandomizedTrial",
        "phase": "Phase 3",
        "identifier": "NCT01234567",
        "sameAs": "https://clinicaltrials.gov/study/NCT01234567",
        "studySubject": [
            {
                "@type": "Drug",
                "name": "trastuzumab",
                "nonProprietaryName": "trastuzumab",
                "proprietaryName": ["Herceptin", "Ogivri"],
            },
            {"@type": "Drug", "name": "docetaxel", "nonProprietaryName": "docetaxel"},
        ],
        "subjectOf": {
            "@type": "CreativeWork",
            "name": "Findings presented or published at San Antonio Breast Cancer Symposium",
            "datePublished": "2024-12-11",
        },
    }


@pytest.mark.parametrize(
    ("study_type", "schema_type"),
    [
        (ResearchFacts.StudyType.NON_RANDOMISED_TRIAL, "MedicalTrial"),
        (ResearchFacts.StudyType.OBSERVATIONAL, "MedicalObservationalStudy"),
        (ResearchFacts.StudyType.LABORATORY, "MedicalStudy"),
        (ResearchFacts.StudyType.REVIEW, "MedicalStudy"),
        (ResearchFacts.StudyType.OTHER, "MedicalStudy"),
    ],
)
def test_json_ld_study_type_follows_the_kind_of_study(client, db, study_type, schema_type):
    article = ResearchFactsFactory(study_type=study_type, participants=120).article

    study = json_ld(client, article)["about"]

    assert study["@type"] == schema_type
    assert "trialDesign" not in study
    assert "120" not in json.dumps(study), "schema.org has no property for the number of participants"


def test_json_ld_of_an_article_without_facts_is_about_breast_cancer(client, db):
    article = ArticleFactory()

    assert json_ld(client, article)["about"] == {"@type": "MedicalCondition", "name": "Breast cancer"}


# --- Search -----------------------------------------------------------------------------------


def test_site_search_finds_an_article_by_its_drugs_generic_and_brand_names(full_facts):
    found = Article.objects.visible().search

    assert list(found("docetaxel")) == [full_facts.article]
    assert list(found("Ogivri")) == [full_facts.article]


def test_removing_research_facts_removes_their_drugs_from_site_search(full_facts):
    full_facts.delete()

    assert not Article.objects.visible().search("docetaxel").exists()


# --- The editors' admin -----------------------------------------------------------------------


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def change_form(client, article):
    """What a browser submits from the article's change page, unchanged, as a flat dict."""
    data, _ = form_fields(page(client.get(change_url(article))), "article_form")
    return {name: values if len(values) > 1 else (values[0] if values else "") for name, values in data.items()}


FACTS = "research_facts-0-"


def test_editor_adds_research_facts_and_drugs_on_the_article_page(editor_client, db):
    article = ArticleFactory(approved=True)
    data = change_form(editor_client, article)
    data.update({
        f"{FACTS}study_type": ResearchFacts.StudyType.RANDOMISED_TRIAL,
        f"{FACTS}phase": ResearchFacts.Phase.PHASE_2,
        f"{FACTS}participants": "310",
        f"{FACTS}registry_id": "nct 01234567",
        f"{FACTS}drugs": "trastuzumab (Herceptin)\r\npertuzumab (Perjeta)",
        f"{FACTS}evidence_strength": "2",
    })  # fmt: skip

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302
    research_facts = ResearchFacts.objects.get(article=article)
    assert research_facts.registry_id == "NCT01234567"
    assert [str(drug) for drug in research_facts.drugs.all()] == ["trastuzumab (Herceptin)", "pertuzumab (Perjeta)"]
    assert Article.objects.search("Perjeta").filter(pk=article.pk).exists()


def test_editor_changes_the_drugs_and_the_old_rows_go(editor_client, full_facts):
    Article.objects.filter(pk=full_facts.pk).update(status=Article.Status.DRAFT)
    data = change_form(editor_client, full_facts.article)
    assert data[f"{FACTS}drugs"] == "trastuzumab (Herceptin, Ogivri)\r\ndocetaxel"
    data[f"{FACTS}drugs"] = "paclitaxel"

    editor_client.post(change_url(full_facts.article), data)

    assert list(StudyDrug.objects.values_list("generic_name", flat=True)) == ["paclitaxel"]


def test_article_change_page_has_the_research_facts_section(editor_client, full_facts):
    Article.objects.filter(pk=full_facts.pk).update(status=Article.Status.DRAFT)
    content = page(editor_client.get(change_url(full_facts.article)))

    assert "Research facts (for research news)" in content
    assert "One drug per line" in content


def test_saving_an_article_without_facts_unchanged_creates_none(editor_client, db):
    article = ArticleFactory()

    response = editor_client.post(change_url(article), change_form(editor_client, article))

    assert response.status_code == 302
    assert not ResearchFacts.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("registry_id", "NCT123", "does not match the ClinicalTrials.gov format"),
        ("phase", ResearchFacts.Phase.PHASE_1, "Phases apply only to clinical trials"),
        ("participants", "0", "A study has at least one participant"),
        ("drugs", "trastuzumab (Herceptin", "Line 1 (&#x27;trastuzumab (Herceptin&#x27;)"),
    ],
)
def test_bad_research_facts_in_the_admin_get_a_message_and_nothing_is_saved(editor_client, db, field, value, message):
    article = ArticleFactory(title="Original title", draft=True)
    data = change_form(editor_client, article)
    data.update({f"{FACTS}study_type": ResearchFacts.StudyType.OBSERVATIONAL, f"{FACTS}{field}": value, "title": "New"})

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 200
    assert message in page(response)
    assert not ResearchFacts.objects.exists()
    article.refresh_from_db()
    assert article.title == "Original title"


def test_writers_may_add_research_facts_and_reviewers_may_change_them(writer, reviewer):
    assert writer.has_perms(["articles.add_researchfacts", "articles.change_researchfacts"])
    assert not writer.has_perm("articles.delete_researchfacts")
    assert reviewer.has_perm("articles.change_researchfacts")
    assert not reviewer.has_perm("articles.add_researchfacts")


def test_writer_sees_and_saves_the_research_facts_form(writer_client, db):
    article = ArticleFactory(draft=True)
    data = change_form(writer_client, article)
    data.update({f"{FACTS}study_type": ResearchFacts.StudyType.LABORATORY, f"{FACTS}drugs": "lapatinib (Tyverb)"})

    response = writer_client.post(change_url(article), data)

    assert response.status_code == 302
    assert article.research_facts.drugs.get().brand_names == "Tyverb"


@pytest.fixture
def studies(db):
    """Three articles with different studies and one without research facts."""
    trial = ResearchFactsFactory(
        article=ArticleFactory(title="Trial"),
        study_type=ResearchFacts.StudyType.RANDOMISED_TRIAL,
        phase=ResearchFacts.Phase.PHASE_3,
        registry_id="NCT07654321",
        evidence_strength=ResearchFacts.EvidenceStrength.STRONG,
    )
    StudyDrugFactory(facts=trial, generic_name="ribociclib", brand_names="Kisqali")
    cohort = ResearchFactsFactory(
        article=ArticleFactory(title="Cohort"), evidence_strength=ResearchFacts.EvidenceStrength.MODERATE
    )
    lab = ResearchFactsFactory(article=ArticleFactory(title="Lab"), study_type=ResearchFacts.StudyType.LABORATORY)
    StudyDrugFactory(facts=lab, generic_name="ribociclib")
    ArticleFactory(title="Explainer")
    return {"trial": trial.article, "cohort": cohort.article, "lab": lab.article}


def changelist_titles(client, **query):
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    return sorted(article.title for article in response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"research_facts__study_type__exact": "randomised-trial"}, ["Trial"]),
        ({"research_facts__study_type__exact": "laboratory"}, ["Lab"]),
        ({"research_facts__phase__exact": "3"}, ["Trial"]),
        ({"research_facts__evidence_strength__exact": "3"}, ["Cohort"]),
        ({"has_research_facts": "yes"}, ["Cohort", "Lab", "Trial"]),
        ({"has_research_facts": "no"}, ["Explainer"]),
        ({"q": "nct07654321"}, ["Trial"]),
        ({"q": "ribociclib"}, ["Lab", "Trial"]),
        ({"q": "Kisqali"}, ["Trial"]),
    ],
)
def test_article_changelist_filters_and_searches_research_facts(superuser_client, studies, query, titles):
    assert changelist_titles(superuser_client, **query) == titles


def test_changelist_offers_the_research_facts_filters(superuser_client, studies):
    content = page(superuser_client.get(CHANGELIST))

    for label in ("By study type", "By phase", "By evidence strength", "By research facts", "Phase 1/2", "Strong"):
        assert label in content


# --- Query counts -----------------------------------------------------------------------------


def article_with_credits(slug):
    """An article shaped like the one in test_query_budgets.py, with a related article beside it."""
    article = ArticleFactory(slug=slug, medical_reviewer=PersonFactory(), tags=["genomics", "trials"])
    for position in range(2):
        BylineFactory(article=article, position=position)
        ReferenceFactory(article=article, position=position)
    ArticleFactory(section=article.section, tags=["genomics"])
    call_command(
        "rebuild_recommendations", stdout=io.StringIO()
    )  # suggestions ranked, as the hourly rebuild leaves a site
    return article


def test_article_page_without_facts_stays_within_its_budget(client, db, django_assert_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 0  # The budget is for rendering the page.
    article = article_with_credits("no-facts")
    client.get(article.get_absolute_url())
    cache.clear()  # Measure building the kept page, not reading it.

    with django_assert_num_queries(ARTICLE_WITHOUT_FACTS_QUERIES):
        client.get(article.get_absolute_url())


def test_article_page_with_facts_costs_one_query_more_however_many_drugs(
    client, db, django_assert_num_queries, settings
):
    """Guards against N+1: the facts and all the drugs come with the article (building the kept page, not
    reading it from the cache)."""
    settings.PAGE_CACHE_SECONDS = 0
    article = article_with_credits("with-facts")
    research_facts = ResearchFactsFactory(article=article, registry_id="NCT01234567")
    StudyDrugFactory(facts=research_facts)
    client.get(article.get_absolute_url())
    cache.clear()  # Measure building the kept page, not reading it.
    with django_assert_num_queries(ARTICLE_WITH_FACTS_QUERIES):
        client.get(article.get_absolute_url())

    for position in range(1, 8):
        StudyDrugFactory(facts=research_facts, position=position)

    cache.clear()
    with django_assert_num_queries(ARTICLE_WITH_FACTS_QUERIES):
        response = client.get(article.get_absolute_url())
    drugs_studied = element(card(client, article), '<ul class="research-facts__drugs">', "</ul>")
    assert text_of(drugs_studied).count("testinib") == 8
    assert response.status_code == 200


def test_filtered_changelist_query_count_does_not_grow_with_articles(
    superuser_client, studies, django_assert_num_queries
):
    """Guards against N+1 on the editors' list filtered by research facts."""
    query = {"has_research_facts": "yes", "q": "ribociclib"}
    superuser_client.get(CHANGELIST, query)
    with CaptureQueriesContext(connection) as before:
        superuser_client.get(CHANGELIST, query)

    for _ in range(5):
        StudyDrugFactory(facts=ResearchFactsFactory(), generic_name="ribociclib")

    with django_assert_num_queries(len(before.captured_queries)):
        superuser_client.get(CHANGELIST, query)


# --- Demo content -----------------------------------------------------------------------------


def test_demo_research_news_has_research_facts_and_loading_again_changes_nothing(db, settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_content", stdout=io.StringIO())
    counts = (ResearchFacts.objects.count(), StudyDrug.objects.count())

    call_command("load_demo_content", stdout=io.StringIO())

    assert (ResearchFacts.objects.count(), StudyDrug.objects.count()) == counts
    assert 5 <= counts[0] == sum(1 for article in demo.load().articles if article["research_facts"]) <= 8
    assert not ResearchFacts.objects.exclude(article__section__slug="research-news").exists()
    sorafenib = ResearchFacts.objects.get(article__slug="sorafenib-anastrozole-resistance-asco-2008")
    assert (sorafenib.participants, [str(drug) for drug in sorafenib.drugs.all()]) == (
        27,
        ["sorafenib (Nexavar)", "anastrozole (Arimidex)"],
    )


def test_staff_who_may_only_view_see_the_drugs_read_only(client, db):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "view_researchfacts", "view_studydrug"])
    )
    facts = ResearchFactsFactory()
    StudyDrugFactory(facts=facts, generic_name="trastuzumab", brand_names="Herceptin")
    client.force_login(viewer)

    response = client.get(reverse("admin:articles_article_change", args=[facts.article.pk]))

    assert response.status_code == 200
    assert "trastuzumab (Herceptin)" in text_of(page(response))
