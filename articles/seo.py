"""Structured data for search engines: schema.org MedicalWebPage for an article."""

from django.conf import settings

from .models import ResearchFacts

BREAST_CANCER = {"@type": "MedicalCondition", "name": "Breast cancer"}
STUDY_SCHEMA_TYPES = {
    ResearchFacts.StudyType.RANDOMISED_TRIAL: "MedicalTrial",
    ResearchFacts.StudyType.NON_RANDOMISED_TRIAL: "MedicalTrial",
    ResearchFacts.StudyType.OBSERVATIONAL: "MedicalObservationalStudy",
}


def person_data(person):
    data = {"@type": "Person", "name": person.name}
    if person.credentials:
        data["description"] = person.credentials
    return data


def article_structured_data(article, request):
    """schema.org data naming who wrote the article, who reviewed it and when."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "headline": article.title,
        "name": article.title,
        "description": article.description,
        "inLanguage": settings.LANGUAGE_CODE,
        "author": [person_data(byline.person) for byline in article.byline_list],
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "about": BREAST_CANCER,
        "keywords": [tag.name for tag in article.tag_list],
        "articleSection": article.section.name,
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME, "url": request.build_absolute_uri("/")},
    }
    if article.publish_at:
        data["datePublished"] = article.publish_at.isoformat()
    if article.updated_at:
        data["dateModified"] = article.updated_at.isoformat()
    if article.medical_reviewer:
        data["reviewedBy"] = person_data(article.medical_reviewer)
    if article.last_reviewed:
        data["lastReviewed"] = article.last_reviewed.isoformat()
    if picture := article.hero_picture:
        data["image"] = request.build_absolute_uri(picture.share_url)
    if facts := article.research_facts_or_none:
        data["about"] = study_data(facts, article.drug_list)
    return data


def drug_data(drug):
    data = {"@type": "Drug", "name": drug.generic_name, "nonProprietaryName": drug.generic_name}
    if brands := drug.brand_name_list:
        data["proprietaryName"] = brands[0] if len(brands) == 1 else brands
    return data


def study_data(facts, drugs):
    """The study the article reports, as a schema.org MedicalStudy (a MedicalTrial for trials).
    The number of participants is left out: schema.org has no property for it."""
    data = {
        "@type": STUDY_SCHEMA_TYPES.get(facts.study_type, "MedicalStudy"),
        "description": facts.get_study_type_display(),
        "healthCondition": BREAST_CANCER,
    }
    if facts.study_type == ResearchFacts.StudyType.RANDOMISED_TRIAL:
        data["trialDesign"] = "https://schema.org/RandomizedTrial"
    if facts.phase:
        data["phase"] = facts.get_phase_display()
    if facts.registry_id:
        data["identifier"] = facts.registry_id
    if facts.registry_url:
        data["sameAs"] = facts.registry_url
    if drugs:
        data["studySubject"] = [drug_data(drug) for drug in drugs]
    if facts.presented_at or facts.presented_on:
        where = f" at {facts.presented_at}" if facts.presented_at else ""
        report = {"@type": "CreativeWork", "name": f"Findings presented or published{where}"}
        if facts.presented_on:
            report["datePublished"] = facts.presented_on.isoformat()
        data["subjectOf"] = report
    return data
