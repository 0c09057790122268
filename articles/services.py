import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Article, StudyDrug

SEARCH_MAX_LENGTH = 200


@dataclass(frozen=True)
class SearchTerms:
    text: str
    message: str = ""

    @property
    def searchable(self):
        return bool(self.text)


def search_terms_from(raw) -> SearchTerms:
    """Turn what a reader typed into safe search text, or a message saying why there is none."""
    text = "".join(ch for ch in (raw or "") if unicodedata.category(ch)[0] != "C" or ch in " \t")
    text = " ".join(text.split())
    if not text:
        return SearchTerms("", "Type a word or two to search, for example ‘tamoxifen’ or ‘screening’.")
    message = ""
    if len(text) > SEARCH_MAX_LENGTH:
        text = text[:SEARCH_MAX_LENGTH].rsplit(" ", 1)[0] or text[:SEARCH_MAX_LENGTH]
        message = f"Your search was long, so we used its first {SEARCH_MAX_LENGTH} characters."
    if not re.search(r"\w", text):
        return SearchTerms("", "Search needs letters or numbers; punctuation alone matches nothing.")
    return SearchTerms(text, message)


def article_publish(*, articles, at=None):
    """Publish now, or keep a future publish time that an editor already set (scheduling)."""
    now = timezone.now()
    with transaction.atomic():
        count = 0
        for article in articles.select_for_update(of=("self",)):
            article.status = Article.Status.PUBLISHED
            if at is not None:
                article.publish_at = at
            elif article.publish_at is None:
                article.publish_at = now
            article.save(update_fields=["status", "publish_at", "updated_at"])
            count += 1
    return count


def article_unpublish(*, articles):
    """Take articles off the site, back to draft; their content is kept."""
    return articles.exclude(status=Article.Status.DRAFT).update(status=Article.Status.DRAFT, updated_at=timezone.now())


def article_send_to_review(*, articles):
    """Ask for (medical) review; a published article leaves the site until it is published again."""
    return articles.exclude(status=Article.Status.IN_REVIEW).update(
        status=Article.Status.IN_REVIEW, updated_at=timezone.now()
    )


@dataclass(frozen=True)
class DrugName:
    generic_name: str
    brand_names: str = ""

    def as_line(self):
        return f"{self.generic_name} ({self.brand_names})" if self.brand_names else self.generic_name


DRUG_LINE = re.compile(r"(?P<generic>[^()]+?)\s*(?:\((?P<brands>[^()]*)\))?")
DRUG_NAME_FIELDS = {name: StudyDrug._meta.get_field(name).max_length for name in ("generic_name", "brand_names")}


def drugs_from_text(text):
    """One drug per line, its generic name first and any brand names in brackets:
    'trastuzumab (Herceptin)'. Raises ValidationError naming each line it cannot read."""
    drugs, problems = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = " ".join(line.split())
        if not line:
            continue
        match = DRUG_LINE.fullmatch(line)
        if not match:
            problems.append(
                f"Line {number} ('{line}'): write the generic name, then any brand names in brackets, "
                "e.g. 'trastuzumab (Herceptin)'."
            )
            continue
        brands = ", ".join(name.strip() for name in (match["brands"] or "").split(",") if name.strip())
        drug = DrugName(match["generic"], brands)
        if len(drug.generic_name) > DRUG_NAME_FIELDS["generic_name"] or len(brands) > DRUG_NAME_FIELDS["brand_names"]:
            problems.append(f"Line {number}: the names are too long; is it two drugs on one line?")
            continue
        drugs.append(drug)
    if problems:
        raise ValidationError(problems)
    return drugs


def research_facts_set_drugs(*, facts, drugs):
    """Replace the study's drugs (DrugName items, in order) and keep the article's search vector in step."""
    with transaction.atomic():
        facts.drugs.all().delete()
        StudyDrug.objects.bulk_create(
            StudyDrug(facts=facts, generic_name=drug.generic_name, brand_names=drug.brand_names, position=position)
            for position, drug in enumerate(drugs)
        )
        Article.refresh_search_vectors([facts.pk])
