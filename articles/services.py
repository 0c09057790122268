import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from . import workflow
from .models import Article, ArticleTransition

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


class TransitionRefused(ValidationError):
    """A status change the workflow does not allow; its message says why, for editors to read."""


@dataclass(frozen=True)
class BulkOutcome:
    changed: int
    skipped: Counter  # reason -> number of articles

    def skipped_messages(self):
        return [f"{count} article(s) left as they were: {reason}" for reason, count in self.skipped.items()]


@dataclass(frozen=True)
class EditOutcome:
    transition: ArticleTransition | None = None  # the step recorded, if any
    sent_back_to_review: bool = False  # because the edit changed approved medical content


MEDICAL_CHANGE_COMMENT = "Medical content changed after approval"
LIVE_EDIT_COMMENT = "Edited after publication"


def article_transition(*, article, to_status, by, comment="", publish_at=None):
    """Move `article` to `to_status` as `by`, if the workflow allows it (see articles.workflow), and
    record the step. Publishing uses `publish_at` when given (a future time schedules the article),
    else the article's own publish date, else now. Raises TransitionRefused with the reason."""
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        reason = workflow.refusal(by, current.status, to_status)
        if reason:
            raise TransitionRefused(reason, code="transition_refused")
        if publish_at is not None and to_status == Article.Status.PUBLISHED:
            current.publish_at = publish_at
        record = _move(current, to_status, by=by, comment=comment)
    _copy_workflow_fields(current, to=article)
    return record


def article_transition_bulk(*, articles, to_status, by, comment=""):
    """article_transition for each of `articles` the workflow allows; the others are counted by reason."""
    changed, skipped = 0, Counter()
    with transaction.atomic():
        # Locked by primary key, so any selection works (joins, DISTINCT) and locks only the articles.
        for article in Article.objects.select_for_update().filter(pk__in=articles.values("pk")).order_by("pk"):
            reason = workflow.refusal(by, article.status, to_status)
            if reason:
                skipped[reason] += 1
            else:
                _move(article, to_status, by=by, comment=comment)
                changed += 1
    return BulkOutcome(changed, skipped)


def article_edited(*, article, by, to_status, comment="", medical_content_changed=False):
    """The workflow's part of saving an edit that is already stored: make the status change asked
    for, and apply the rule for medical content. Approved, or published but not yet live, articles
    whose medical content changed go back to review (unscheduled), even when publishing was asked
    for; a live article stays live and the edit is noted in its timeline. Moves other than
    publishing are made as asked, since they take the article out of the approved state anyway."""
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        needs_review_again = medical_content_changed and (
            current.status == Article.Status.APPROVED or current.is_scheduled
        )
        if to_status != current.status and not (needs_review_again and to_status == Article.Status.PUBLISHED):
            return EditOutcome(article_transition(article=article, to_status=to_status, by=by, comment=comment))
        if needs_review_again:
            if current.is_scheduled:
                current.publish_at = None
            record = _move(current, Article.Status.IN_REVIEW, by=by, comment=_joined(MEDICAL_CHANGE_COMMENT, comment))
            outcome = EditOutcome(record, sent_back_to_review=True)
        elif medical_content_changed and current.is_visible:
            record = _move(current, current.status, by=by, comment=_joined(LIVE_EDIT_COMMENT, comment))
            outcome = EditOutcome(record)
        else:
            return EditOutcome()
    _copy_workflow_fields(current, to=article)
    return outcome


def _copy_workflow_fields(source, *, to):
    to.status, to.publish_at, to.updated_at = source.status, source.publish_at, source.updated_at


def _joined(automatic, comment):
    return f"{automatic}: {comment}" if comment else automatic


def _move(article, to_status, *, by, comment):
    """Apply a status change that has been checked, and record it; publishing without a date means now."""
    record = ArticleTransition.objects.create(
        article=article, from_status=article.status, to_status=to_status, actor=by, comment=comment
    )
    article.status = to_status
    if to_status == Article.Status.PUBLISHED and article.publish_at is None:
        article.publish_at = record.created_at
    article.save(update_fields=["status", "publish_at", "updated_at"])
    return record
