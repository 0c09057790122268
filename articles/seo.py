"""Structured data for search engines: schema.org MedicalWebPage for an article."""

from django.conf import settings


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
        "author": [person_data(byline.person) for byline in article.bylines.all()],
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "about": {"@type": "MedicalCondition", "name": "Breast cancer"},
        "keywords": [tag.name for tag in article.tags.all()],
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
    if article.hero_image:
        data["image"] = request.build_absolute_uri(article.hero_image.url)
    return data
