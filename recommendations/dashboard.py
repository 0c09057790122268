"""The recommendation survey on the editors' dashboard: the last 30 days of answers to 'Are these
recommendations helpful?' in one aggregate query."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone

from articles.dashboard import EDITORIAL_PERMISSIONS, may_see

from .models import SurveyResponse

SURVEY_RECENT_DAYS = 30
RATINGS = range(5, 0, -1)
SURVEY_PERMISSIONS = (*EDITORIAL_PERMISSIONS, "recommendations.view_surveyresponse")


@dataclass(frozen=True)
class RatingCount:
    rating: int
    count: int
    percent: int  # of all answers in the period


@dataclass(frozen=True)
class Wish:
    label: str
    more: int
    less: int


@dataclass(frozen=True)
class SurveySummary:
    days: int
    answers: int
    average: float | None
    ratings: list  # a RatingCount per rating, 5 down to 1
    wishes: list  # a Wish for each kind of article readers asked for more or less of, most wanted first


def survey_summary(*, now):
    since = now - timedelta(days=SURVEY_RECENT_DAYS)
    kinds = SurveyResponse.Wish
    totals = SurveyResponse.objects.filter(created_at__gte=since).aggregate(
        answers=Count("pk"),
        average=Avg("rating"),
        **{f"rating_{rating}": Count("pk", filter=Q(rating=rating)) for rating in RATINGS},
        **{f"more_{kind}": Count("pk", filter=Q(more_of__contains=[kind])) for kind in kinds.values},
        **{f"less_{kind}": Count("pk", filter=Q(less_of__contains=[kind])) for kind in kinds.values},
    )
    answers = totals["answers"]
    counts = {rating: totals[f"rating_{rating}"] for rating in RATINGS}
    wishes = [Wish(kind.label, totals[f"more_{kind.value}"], totals[f"less_{kind.value}"]) for kind in kinds]
    return SurveySummary(
        days=SURVEY_RECENT_DAYS,
        answers=answers,
        average=totals["average"],
        ratings=[
            RatingCount(rating, count, round(100 * count / answers) if answers else 0)
            for rating, count in counts.items()
        ],
        wishes=sorted((wish for wish in wishes if wish.more or wish.less), key=lambda wish: (-wish.more, wish.less)),
    )


def survey_panels(*, user, now=None):
    """The survey panel, if `user` may open the survey answers in the admin."""
    if not may_see(user, SURVEY_PERMISSIONS):
        return {}
    return {"survey": survey_summary(now=now or timezone.now())}
