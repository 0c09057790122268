import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .models import Article, ArticleRevision, Byline, GlossaryTerm, Person, Reference, ResearchFacts, Section, StudyDrug

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


def article_archive(*, articles, by):
    """Soft delete: take articles off the site and out of the working lists, removing nothing.
    They keep their content and revisions and can be restored with article_unarchive."""
    now = timezone.now()
    return articles.exclude(status=Article.Status.ARCHIVED).update(
        status=Article.Status.ARCHIVED, archived_at=now, archived_by=by, updated_at=now
    )


def article_unarchive(*, articles):
    """Bring archived articles back as drafts; putting them on the site again is a separate decision."""
    return articles.filter(status=Article.Status.ARCHIVED).update(
        status=Article.Status.DRAFT, updated_at=timezone.now()
    )


# --- Revisions -------------------------------------------------------------------------------


def article_snapshot(article):
    """The article's editable content as plain JSON values (the shape of ArticleRevision.content)."""
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "section": article.section_id,
        "tags": sorted(article.tags.names()),
        "bylines": list(article.bylines.order_by("position", "pk").values_list("person_id", flat=True)),
        "medical_reviewer": article.medical_reviewer_id,
        "last_reviewed": article.last_reviewed.isoformat() if article.last_reviewed else None,
        "source": article.source,
        "references": list(article.references.order_by("position", "pk").values("citation", "url", "position")),
        "hero_image": article.hero_image.name or "",
        "hero_image_alt": article.hero_image_alt,
        "meta_description": article.meta_description,
        "embargo_note": article.embargo_note,
        "research_facts": research_facts_snapshot(article),
        "status": article.status,
        # In UTC, so the same moment entered in local time compares equal.
        "publish_at": article.publish_at.astimezone(UTC).isoformat() if article.publish_at else None,
        "is_featured": article.is_featured,
    }


RESEARCH_FACT_KEYS = (
    "study_type", "phase", "participants", "registry_id", "presented_at", "evidence_strength", "what_it_means",
)  # fmt: skip


def research_facts_snapshot(article):
    """The study's facts and drugs as plain JSON values, or None when the article has none.
    Read afresh: the admin saves them in an inline after the article itself."""
    facts = ResearchFacts.objects.filter(pk=article.pk).prefetch_related("drugs").first()
    if facts is None:
        return None
    return {
        **{key: getattr(facts, key) for key in RESEARCH_FACT_KEYS},
        "presented_on": facts.presented_on.isoformat() if facts.presented_on else None,
        "drugs": [[drug.generic_name, drug.brand_names] for drug in facts.drugs.all()],
    }


def restore_research_facts(article, snapshot):
    if snapshot is None:
        ResearchFacts.objects.filter(pk=article.pk).delete()
        return
    presented_on = date.fromisoformat(snapshot["presented_on"]) if snapshot["presented_on"] else None
    facts, _ = ResearchFacts.objects.update_or_create(
        article=article,
        defaults={**{key: snapshot[key] for key in RESEARCH_FACT_KEYS}, "presented_on": presented_on},
    )
    research_facts_set_drugs(facts=facts, drugs=[DrugName(*names) for names in snapshot["drugs"]])


def record_revision(*, article, author=None, summary=""):
    """Keep the article's saved content as its next revision. A save that changed no content keeps
    nothing (returns None), so saving twice does not fill the history with identical revisions."""
    with transaction.atomic():
        # Lock the article row so two saves at once cannot take the same number.
        Article.objects.select_for_update().filter(pk=article.pk).exists()
        content = article_snapshot(article)
        latest = article.revisions.order_by("-number").only("number", "content").first()
        if latest is None:
            changed, number, summary = [], 1, summary or "First recorded version"
        else:
            changed, number = ArticleRevision.differences(latest.content, content), latest.number + 1
            if not changed:
                return None
        return ArticleRevision.objects.create(
            article=article, number=number, author=author, summary=summary, changed_fields=changed, content=content
        )


@dataclass(frozen=True)
class RestoreResult:
    revision: ArticleRevision | None  # the revision the restore made; None when nothing changed
    notes: tuple[str, ...]  # parts of the old revision that could not come back, and why


def restore_revision(*, revision, by):
    """Write an old revision's content back onto its article and record that as a new revision.

    Status, publish date and 'featured' stay as they are: restoring content never publishes or
    unpublishes. Things that no longer exist (a deleted section or person, a slug now used by another
    article, a removed image file) are left as they are now and reported in `notes`."""
    content = revision.content
    notes = []
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        for key in ("title", "summary", "body", "source", "meta_description", "embargo_note", "hero_image_alt"):
            setattr(article, key, content[key])
        if Article.objects.filter(slug=content["slug"]).exclude(pk=article.pk).exists():
            notes.append(f"The address '{content['slug']}' now belongs to another article, so it was kept as it is.")
        else:
            article.slug = content["slug"]
        section = Section.objects.filter(pk=content["section"]).first()
        if section is None:
            notes.append("That revision's section no longer exists, so the section was kept as it is.")
        else:
            article.section = section
        reviewer_id = content["medical_reviewer"]
        if reviewer_id is None or Person.objects.filter(pk=reviewer_id).exists():
            article.medical_reviewer_id = reviewer_id
            article.last_reviewed = date.fromisoformat(content["last_reviewed"]) if content["last_reviewed"] else None
        else:
            notes.append("That revision's medical reviewer no longer exists, so the review was kept as it is.")
        if not content["hero_image"] or default_storage.exists(content["hero_image"]):
            article.hero_image = content["hero_image"]
        else:
            notes.append("That revision's hero image file is gone, so the image was kept as it is.")
        # The one place a restore writes the article: an ordinary save, so sanitising, the search
        # vector, former-slug redirects and any rule about changed content apply as for an edit.
        article.save()
        article.tags.set(content["tags"])
        people = Person.objects.in_bulk(content["bylines"])
        if len(people) < len(set(content["bylines"])):
            notes.append("Some of that revision's bylines name people who no longer exist; they were left out.")
        article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(article=article, person=people[person_id], position=position)
            for position, person_id in enumerate(content["bylines"])
            if person_id in people
        )
        article.references.all().delete()
        Reference.objects.bulk_create(Reference(article=article, **reference) for reference in content["references"])
        if "research_facts" in content:  # revisions kept before research facts existed leave them alone
            restore_research_facts(article, content["research_facts"])
        new_revision = record_revision(article=article, author=by, summary=f"Restored revision {revision.number}")
    return RestoreResult(revision=new_revision, notes=tuple(notes))


def glossary_term_save(*, term):
    """Save a glossary term and empty the stored bodies of articles that mention it by an old or new
    name: they are rendered again, lazily, on their next view (one UPDATE here, however many)."""
    with transaction.atomic():
        before = GlossaryTerm.objects.filter(pk=term.pk).first() if term.pk else None
        term.save()
        forget_rendered_bodies(names=[*term.names, *(before.names if before else ())])
    return term


def glossary_terms_delete(*, terms):
    """Delete glossary terms and empty the stored bodies that may link them."""
    with transaction.atomic():
        names = [name for term in terms for name in term.names]
        count, _ = terms.delete()
        forget_rendered_bodies(names=names)
    return count


def forget_rendered_bodies(*, names):
    """Articles store their body with glossary links; empty it where a change to these names may alter it.
    updated_at is left alone: readers' text has not changed."""
    return Article.objects.mentioning(names).exclude(body_rendered="").update(body_rendered="")
