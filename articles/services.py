import re
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import Article, GlossaryTerm

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
