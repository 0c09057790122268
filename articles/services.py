import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone

from images.models import Image

from . import notifications, workflow
from .models import (
    Article,
    ArticleRevision,
    ArticleTransition,
    Byline,
    GlossaryTerm,
    Person,
    Reference,
    ResearchFacts,
    Section,
    StudyDrug,
)
from .public_cache import cached_public

SEARCH_MAX_LENGTH = 200
SEARCH_CACHE_SECONDS = 60


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


def search_page(text, number, per_page):
    """Page `number` of the visible articles matching `text`, best first: a Page of the ranked ids
    whose object_list holds that page's cards, each with its snippet. Kept briefly, so a popular search
    costs nothing; snippets are made for the page's articles only, as each reads a whole body.
    Raises InvalidPage for a page number that is not one."""

    def build():
        ids = list(Article.objects.visible().search(text).values_list("pk", flat=True))
        page = Paginator(ids, per_page).page(number)
        cards = Article.objects.visible().for_cards().filter(pk__in=page.object_list).with_snippets(text).in_bulk()
        page.object_list = [cards[pk] for pk in page.object_list if pk in cards]
        return page

    return cached_public(("search", text, number, per_page), build, SEARCH_CACHE_SECONDS)


class TransitionRefused(ValidationError):
    """A status change the workflow does not allow; its message says why, for editors to read."""


@dataclass(frozen=True)
class BulkOutcome:
    changed: int
    skipped: Counter  # reason -> number of articles
    scheduled: tuple = ()  # the publish times of the changed articles that were scheduled, not published now


@dataclass(frozen=True)
class SaveOutcome:
    """What article_save did with a change."""

    transition: ArticleTransition | None = None  # the timeline entry recorded, if any
    revision: ArticleRevision | None = None  # the revision kept, None when no content changed
    sent_back_to_review: bool = False  # approved medical content changed, so it needs approving again
    pending_changes: Article | None = None  # where a published article's medical change now waits for review
    refusal: str = ""  # why the status change asked for was not made


MEDICAL_CHANGE_COMMENT = "Medical content changed after approval"
CHANGES_SAVED_COMMENT = "Changes to the medical content saved for review; readers still see the approved version"
CHANGES_PUBLISHED_COMMENT = "Reviewed changes to the medical content published"
CHANGES_DISCARDED_COMMENT = "Changes awaiting review discarded"
CHANGES_TIMELINE_PREFIX = "Changes awaiting review"


def article_transition(*, article, to_status, by, comment="", publish_at=None):
    """Move `article` to `to_status` as `by`, if the workflow allows it (see articles.workflow), and
    record the step. Publishing uses `publish_at` when given (a future time schedules the article),
    else the article's own publish date, else now. Raises TransitionRefused with the reason."""
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        reason = workflow.refusal(by, current.status, to_status) or workflow.content_refusal(current, to_status)
        if reason:
            raise TransitionRefused(reason, code="transition_refused")
        if publish_at is not None and to_status == Article.Status.PUBLISHED and not current.is_pending_changes:
            current.publish_at = publish_at
        record = _move(current, to_status, by=by, comment=comment)
    _copy_workflow_fields(current, to=article)
    return record


def article_transition_bulk(*, articles, to_status, by, comment=""):
    """article_transition for each of `articles` the workflow allows; the others are counted by reason."""
    changed, skipped, scheduled = 0, Counter(), []
    with transaction.atomic():
        # Locked by primary key, so any selection works (joins, DISTINCT) and locks only the articles.
        for article in Article.objects.select_for_update().filter(pk__in=articles.values("pk")).order_by("pk"):
            reason = workflow.refusal(by, article.status, to_status) or workflow.content_refusal(article, to_status)
            if reason:
                skipped[reason] += 1
            else:
                _move(article, to_status, by=by, comment=comment)
                changed += 1
                if article.is_scheduled:
                    scheduled.append(article.publish_at)
    return BulkOutcome(changed, skipped, tuple(scheduled))


def article_save(*, article, by, before, to_status=None, comment="", summary=""):
    """Settle a change already written to `article` and its rows in this transaction, by any path: the
    admin's form and inlines, restoring a revision, an import or a shell. `before` is article_snapshot()
    of the article as it was, taken under lock before writing (None for a new article).

    Decides once, on normalised snapshots, whether medical content changed. A published article
    (live or scheduled) keeps its approved medical content: the change moves to its changes awaiting
    review (see article_changes_start) and the article is put back as it was. An approved article whose
    medical content changed goes back to review, even when publishing was asked. Then the workflow makes
    the status change asked for, and the revision is kept: timeline entry first, revision second."""
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        after = article_snapshot(current)
        medical_changed = before is not None and medical_content_differs(before, after)
        pending = None
        if medical_changed and current.is_published:
            pending = _divert_to_pending_changes(current, before=before, after=after, by=by)
            medical_changed = False
        record, refusal, sent_back = None, "", False
        if (
            medical_changed
            and current.status == Article.Status.APPROVED
            and to_status in (None, current.status, Article.Status.PUBLISHED)
        ):
            record = _move(current, Article.Status.IN_REVIEW, by=by, comment=_joined(MEDICAL_CHANGE_COMMENT, comment))
            sent_back = True
        elif to_status is not None and to_status != current.status:
            try:
                record = article_transition(article=current, to_status=to_status, by=by, comment=comment)
            except TransitionRefused as refused:
                refusal = refused.message
        elif pending is not None:
            record = _note(current, by=by, comment=_joined(CHANGES_SAVED_COMMENT, comment))
        revision = None
        if Article.objects.filter(pk=current.pk).exists():  # publishing changes folds them into their article
            revision = record_revision(article=current, author=by, summary=summary or ("" if before else "Created"))
    _copy_workflow_fields(current, to=article)
    return SaveOutcome(record, revision, sent_back, pending, refusal)


def medical_content_differs(old_content, new_content):
    return bool(set(ArticleRevision.differences(old_content, new_content)) & set(Article.MEDICAL_FIELDS))


def article_changes_start(*, article, by):
    """The working copy for changing a published article's medical content, made now if there is none.
    It goes through review like any draft; publishing it copies its medical content into the article."""
    with transaction.atomic():
        live = Article.objects.select_for_update().get(pk=article.pk)
        existing = Article.objects.filter(changes_for=live).first()
        if existing is not None:
            return existing
        copy = Article.objects.create(
            changes_for=live,
            title=live.title,
            slug=f"changes-{live.pk}-{live.slug}"[: Article._meta.get_field("slug").max_length],
            summary=live.summary,
            body=live.body,
            section_id=live.section_id,
            medical_reviewer_id=live.medical_reviewer_id,
            last_reviewed=live.last_reviewed,
            source=live.source,
            hero_id=live.hero_id,
            status=Article.Status.DRAFT,
            created_by=by,
        )
        copy.tags.set(live.tags.names())
        Byline.objects.bulk_create(
            Byline(article=copy, person_id=person_id, position=position)
            for position, person_id in enumerate(
                live.bylines.order_by("position", "pk").values_list("person", flat=True)
            )
        )
        _write_medical_rows(copy, article_snapshot(live))
        record_revision(article=copy, author=by, summary=f"Changes to “{live.title}” started")
        return copy


def _divert_to_pending_changes(live, *, before, after, by):
    """Put a medical change written to a published article into its changes awaiting review, and the
    article's approved medical content back."""
    changes = article_changes_start(article=live, by=by)
    changes_before = article_snapshot(changes)
    _write_medical_content(changes, after)
    _write_medical_content(live, before)
    if changes.status != Article.Status.DRAFT and medical_content_differs(changes_before, after):
        # Changes already reviewed (or in review) need reviewing again as they now stand.
        _move(
            changes,
            Article.Status.IN_REVIEW if changes.status == Article.Status.APPROVED else changes.status,
            by=by,
            comment=MEDICAL_CHANGE_COMMENT,
        )
    record_revision(article=changes, author=by, summary="Changed through the live article")
    return changes


def _write_medical_content(article, content):
    """Write a snapshot's medical content (title, summary, body, references, research facts) onto `article`."""
    for key in Article.CONTENT_FIELDS:
        setattr(article, key, content[key])
    article.save(update_fields=[*Article.CONTENT_FIELDS, "updated_at"])
    _write_medical_rows(article, content)


def _write_medical_rows(article, content):
    article.references.all().delete()
    Reference.objects.bulk_create(Reference(article=article, **reference) for reference in content["references"])
    if "research_facts" in content:  # revisions kept before research facts existed leave them alone
        restore_research_facts(article, content["research_facts"])


def _publish_changes(changes, *, by, comment):
    """Copy approved changes into their article, which keeps its status and publish date, and fold the
    changes' timeline into the article's. The working copy is removed; the article keeps a revision."""
    live = Article.objects.select_for_update().get(pk=changes.changes_for_id)
    _write_medical_content(live, article_snapshot(changes))
    live.medical_reviewer_id, live.last_reviewed = changes.medical_reviewer_id, changes.last_reviewed
    live.save(update_fields=["medical_reviewer", "last_reviewed", "updated_at"])
    _fold_timeline(changes, into=live)
    record = _note(live, by=by, comment=_joined(CHANGES_PUBLISHED_COMMENT, comment))
    changes.delete()
    record_revision(article=live, author=by, summary="Reviewed changes published")
    return record


def _discard_changes(changes, *, by, comment):
    live = Article.objects.select_for_update().get(pk=changes.changes_for_id)
    _fold_timeline(changes, into=live)
    record = _note(live, by=by, comment=_joined(CHANGES_DISCARDED_COMMENT, comment))
    changes.delete()
    return record


def _fold_timeline(changes, *, into):
    for step in ArticleTransition.objects.filter(article=changes):
        step.article = into
        step.comment = _joined(CHANGES_TIMELINE_PREFIX, step.comment)
        step.save(update_fields=["article", "comment"])


def _note(article, *, by, comment):
    """A timeline entry for an event that is not a status change."""
    return ArticleTransition.objects.create(
        article=article, from_status=article.status, to_status=article.status, actor=by, comment=comment
    )


def _copy_workflow_fields(source, *, to):
    to.status, to.publish_at, to.updated_at = source.status, source.publish_at, source.updated_at
    to.version = source.version


def _joined(automatic, comment):
    return f"{automatic}: {comment}" if comment else automatic


def _move(article, to_status, *, by, comment):
    """Apply a status change that has been checked, and record it. For changes awaiting review,
    publishing copies them into their article and archiving discards them."""
    if article.is_pending_changes and to_status == Article.Status.PUBLISHED:
        return _publish_changes(article, by=by, comment=comment)
    if article.is_pending_changes and to_status == Article.Status.ARCHIVED:
        return _discard_changes(article, by=by, comment=comment)
    record = ArticleTransition.objects.create(
        article=article, from_status=article.status, to_status=to_status, actor=by, comment=comment
    )
    article.status = to_status
    changed = ["status", "publish_at", "updated_at"]
    if to_status == Article.Status.ARCHIVED:
        article.archived_at, article.archived_by = record.created_at, by
        changed += ["archived_at", "archived_by"]
    if to_status == Article.Status.APPROVED:
        # Approval is the medical review: readers see its date.
        article.last_reviewed = timezone.localdate(record.created_at)
        changed.append("last_reviewed")
    article.fill_publish_date(now=record.created_at)
    article.save(update_fields=changed)
    notifications.move_notify(article=article, move=record)
    return record


def review_reminders_send(*, today=None):
    """Tell the medical reviewer and the editors of each published article whose medical review is overdue
    (Article.objects.due_for_review's rule), in the admin and by email: once per article, person and ISO week,
    however often it runs. Returns how many notifications were made."""
    today = today or timezone.localdate()
    overdue = (
        Article.objects.due_for_review(within_days=0, today=today)
        .filter(review_overdue=True)
        .annotate(last_approver_id=notifications.latest_approver())
        .only("title", "changes_for")
    )
    return sum(
        len(notifications.review_overdue_notify(article=article, reviewer_id=article.last_approver_id, today=today))
        for article in overdue
    )


@dataclass(frozen=True)
class DrugName:
    generic_name: str
    brand_names: str = ""


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
    """Soft delete, a move in the workflow table: take articles off the site and out of the working
    lists, removing nothing. They keep their content and revisions, come back with article_unarchive,
    and the timeline records who archived them. Changes awaiting review are discarded instead."""
    return article_transition_bulk(
        articles=articles,
        to_status=Article.Status.ARCHIVED,
        by=by,
        comment="Deleted in the admin: archived, restorable",
    )


def article_unarchive(*, articles, by):
    """Bring archived articles back as drafts; putting them on the site again is a separate decision.
    Selected articles that are not archived are left alone (counted as skipped)."""
    archived = list(articles.filter(status=Article.Status.ARCHIVED).values_list("pk", flat=True))
    outcome = article_transition_bulk(
        articles=Article.objects.filter(pk__in=archived), to_status=Article.Status.DRAFT, by=by,
        comment="Restored from the archive",
    )  # fmt: skip
    if others := articles.exclude(pk__in=archived).count():
        outcome.skipped["they are not archived"] += others
    return outcome


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
        "hero": article.hero_id,
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
    outcome: SaveOutcome  # what saving the restored content did (revision, review, changes awaiting review)
    notes: tuple[str, ...]  # parts of the old revision that could not come back, and why


def restore_revision(*, revision, by):
    """Write an old revision's content back onto its article, through article_save like any edit.

    Status, publish date, 'featured' and the medical review (who reviewed it and when) stay as they
    are: restoring content never publishes, unpublishes or approves. On a published article the
    medical content comes back as changes awaiting review. Things that no longer exist (a deleted
    section or person, a slug now used by another article, a removed image file) are left as they
    are now and reported in `notes`."""
    content = revision.content
    notes = []
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        before = article_snapshot(article)
        for key in ("title", "summary", "body", "source", "meta_description", "embargo_note"):
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
        hero_id, hero_note = hero_to_restore(content)
        if hero_note:
            notes.append(hero_note)
        else:
            article.hero_id = hero_id
        # An ordinary save, so sanitising, the search vector and former-slug redirects apply as for an edit.
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
        _write_medical_rows(article, content)
        summary = f"Restored revision {revision.number}"
        outcome = article_save(article=article, by=by, before=before, comment=summary, summary=summary)
    return RestoreResult(outcome=outcome, notes=tuple(notes))


def hero_to_restore(content):
    """(the revision's hero image id, None), or (None, why it cannot come back). Revisions kept before
    the image library name the hero image's file, which the library may hold."""
    if "hero" in content:
        hero_id = content["hero"]
        if hero_id is None or Image.objects.filter(pk=hero_id).exists():
            return hero_id, None
    elif not content.get("hero_image"):
        return None, None
    else:
        hero_id = Image.objects.filter(file=content["hero_image"]).values_list("pk", flat=True).first()
        if hero_id is not None:
            return hero_id, None
    return None, "That revision's hero image is no longer in the image library, so the image was kept as it is."


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
