"""Recommendations for a reader, and the reader's controls over them."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag

from accounts.services import kept_for_reader, reader_changed
from articles.models import Article

from . import config as engine_config
from . import engine, measurement, sources
from .models import Dismissal, PausedTopic, Suggestion, Surface, SurveyResponse
from .similarity import rebuild_content_neighbours
from .suggestions import rebuild_suggestions

SURVEY_QUIET_DAYS = 90
SURVEY_MIN_SAVES = 1


@dataclass(frozen=True)
class Recommended:
    article: Article
    reason: str  # in words
    reason_key: str = ""  # engine.REASONS' key, for measurement
    test: str = ""  # the A/B test and arm it came from (config.Arm)
    arm: str = ""


def recommendations_for(user, *, limit=10, context_article=None, as_of=None, with_topics=False):
    """Personal recommendations for a reader who opted in; None for anyone else (no data is read)."""
    if not user.is_authenticated:
        return None
    reader = sources.load_reader(user.pk, as_of=as_of)
    if reader is None:
        return None
    arm = engine_config.arm_for(user.pk)
    candidates = sources.load_candidates(
        reader, as_of=as_of, context_article_id=context_article.pk if context_article else None, config=arm.config
    )
    ranked = engine.rank(reader, candidates, now=as_of or timezone.now(), limit=limit, config=arm.config)
    return with_articles_and_reasons(ranked, with_topics=with_topics, arm=arm)


def suggestions(*, limit=5, context_article=None):
    """Non-personal suggestions: related to the article being read, new and popular, as the last
    rebuild ranked them for the page (recommendations/suggestions.py), among the articles visible now.
    One query; a second, for the newest articles, only when there is nothing to show (a site never
    rebuilt, or every article suggested on the page taken down since)."""
    context_id = context_article.pk if context_article else None
    shown = Article.objects.visible().for_cards().exclude(pk=context_id)
    ranked = (
        shown.filter(suggested_in__in=Suggestion.objects.for_context(context_id))
        .annotate(suggested_at=F("suggested_in__position"), suggested_because=F("suggested_in__reason"))
        .order_by("suggested_at")[:limit]
    )
    if ranked:
        return [Recommended(article=article, reason=article.suggested_because) for article in ranked]
    new = engine.REASONS["new"]
    return [
        Recommended(article=article, reason=new.format(section=article.section.name))
        for article in shown.order_by("-publish_at", "-pk")[:limit]
    ]


def with_articles_and_reasons(ranked, *, with_topics=False, arm=None):
    """The ranked articles ready for cards, each with its reason in words (two queries; three with
    the articles' topics, which the full page offers to pause)."""
    wanted = {item.article_id for item in ranked} | {
        item.reason_article_id for item in ranked if item.reason_article_id
    }
    articles = Article.objects.filter(pk__in=wanted).for_cards()
    articles = (articles.prefetch_related("tags") if with_topics else articles).in_bulk()
    tag_ids = {item.reason_tag_id for item in ranked if item.reason_tag_id}
    tags = Tag.objects.in_bulk(tag_ids) if tag_ids else {}
    recommended = []
    for item in ranked:
        article = articles.get(item.article_id)
        if article is None:
            continue
        reason = engine.REASONS[item.reason].format(
            article=getattr(articles.get(item.reason_article_id), "title", ""),
            tag=getattr(tags.get(item.reason_tag_id), "name", ""),
            section=article.section.name,
        )
        recommended.append(
            Recommended(
                article=article,
                reason=reason,
                reason_key=item.reason,
                test=arm.test if arm else "",
                arm=arm.name if arm else "",
            )
        )
    return recommended


def dismiss(*, reader, article):
    Dismissal.objects.bulk_create([Dismissal(user=reader, article=article)], ignore_conflicts=True)
    reader_changed(reader.pk)


def undo_dismiss(*, reader, article):
    Dismissal.objects.filter(user=reader, article=article).delete()
    reader_changed(reader.pk)


def topic_pause(*, reader, tag):
    PausedTopic.objects.bulk_create([PausedTopic(user=reader, tag=tag)], ignore_conflicts=True)
    reader_changed(reader.pk)


def topic_resume(*, reader, tag):
    PausedTopic.objects.filter(user=reader, tag=tag).delete()
    reader_changed(reader.pk)


def survey_wanted(reader):
    """Offer the survey sparingly: to readers who have recommendations to judge, never within
    SURVEY_QUIET_DAYS of an answer (and, see survey_due, not again in a session where it was put off)."""
    recent = SurveyResponse.objects.filter(
        user=reader, created_at__gte=timezone.now() - timedelta(days=SURVEY_QUIET_DAYS)
    ).exists()
    return not recent and reader.favorites.count() >= SURVEY_MIN_SAVES


def kept_survey_wanted(reader):
    """survey_wanted(), kept for the reader until they change something (a save, an answer: reader_changed), so
    the pages beside whose recommendations it is offered ask the database once per reader, not once per page."""
    return kept_for_reader(reader, ("survey wanted",), lambda: survey_wanted(reader))


def survey_put_off(session):
    return bool(session.get("survey_put_off"))


def survey_due(*, reader, session):
    return not survey_put_off(session) and survey_wanted(reader)


def survey_answer(*, reader, rating, more_of, less_of, comment):
    with transaction.atomic():
        answer = SurveyResponse.objects.create(
            user=reader, rating=rating, more_of=more_of, less_of=less_of, comment=comment.strip()
        )
    reader_changed(reader.pk)  # what is kept for the reader offered the survey
    return answer


def reader_data(user):
    """This app's part of 'Download my data'."""
    return {
        "recommendation_survey_answers": [
            {
                "rating": response.rating,
                "more_of": [SurveyResponse.Wish(value).label for value in response.more_of],
                "less_of": [SurveyResponse.Wish(value).label for value in response.less_of],
                "comment": response.comment,
                "answered": response.created_at,
            }
            for response in SurveyResponse.objects.filter(user=user).order_by("-created_at")
        ],
        "articles_marked_not_interested": list(
            Dismissal.objects.filter(user=user).order_by("-created_at").values_list("article__title", flat=True)
        ),
        "paused_topics": list(PausedTopic.objects.filter(user=user).values_list("tag__name", flat=True)),
    }


def kept_recommendations_for(user, *, limit, context_article=None):
    """recommendations_for(), kept for a few minutes: until the reader saves, dismisses, pauses or changes
    their profile (reader_changed), the site's content changes, or the keeping time runs out."""
    if not user.is_authenticated:
        return None
    parts = ("recommendations", getattr(context_article, "pk", 0), limit)
    return kept_for_reader(user, parts, lambda: recommendations_for(user, limit=limit, context_article=context_article))


def note_recommendations_shown(page, context):
    """The personal recommendations the page shows (kept ones too), noted for measurement."""
    recs = context.get("recs") or {}
    if recs.get("personal"):
        measurement.note_shown(page.request, recs["personal"], recs["surface"])


def recommendation_page_parts(page):
    """'Recommended for you': personal for a reader who opted in, else suggestions that use no personal
    data; and on the profile page, the topics the reader paused."""
    parts = {}
    if page.recommendations:
        personal = kept_recommendations_for(page.request.user, limit=page.recommendations, context_article=page.article)
        if personal is not None:
            parts["recs"] = {"personal": personal, "surface": Surface.ARTICLE if page.article else Surface.HOME}
            # Beside the recommendations, as on the recommendations page; kept with them, so the reader's
            # session (put off for now) is asked when the page is shown (the box's template).
            parts["recs"]["offer_survey"] = bool(personal) and kept_survey_wanted(page.request.user)
        else:
            parts["recs"] = {"suggestions": suggestions(limit=page.recommendations, context_article=page.article)}
    if page.profile_controls:
        paused = PausedTopic.objects.filter(user=page.request.user).select_related("tag").order_by("tag__name")
        parts["paused_topics"] = list(paused)
    return parts


@dataclass(frozen=True)
class Rebuilt:
    """What one rebuild of the precomputed signals did."""

    articles: int  # articles with content neighbours
    pairs: int  # content-neighbour pairs
    compared: int  # articles whose text was compared
    popular: int  # articles whose popularity was counted
    suggested: int  # suggestions for readers without personal recommendations
    forgotten: int  # measurement rows past keeping, deleted


def rebuild_precomputed(*, afresh=False):
    """Rebuild what recommendations precompute: content neighbours, popularity and co-saves, and from them the
    suggestions; and forget measurements past keeping. Hourly, it compares only the articles whose text changed
    and counts only the saves since the last run (every save afresh once a day); `afresh`: everything now."""
    articles, pairs, compared = rebuild_content_neighbours(afresh=afresh)
    popular = sources.rebuild_popularity(**({"recount_every": timedelta(0)} if afresh else {}))
    suggested = rebuild_suggestions()
    return Rebuilt(articles, pairs, compared, popular, suggested, measurement.forget_old())
