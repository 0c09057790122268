"""How recommendations do on the live site, for editors: of the recommendations shown, the share opened
(click-through) and the share saved (save-through), by week, surface and reason; and in an A/B test,
the difference between the arms with a 95% confidence interval.

A showing counts as opened when the reader opened that article from the same surface within OPEN_WITHIN
after it, and as saved when they saved the article within SAVE_WITHIN. The arms are compared reader by
reader (each reader's share of showings opened, then the arms' means), because one reader's showings are
not independent of each other; the interval is Welch's, with the normal approximation.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from accounts.models import Favorite

from .models import RecommendationFollowed, RecommendationShown, Surface

OPEN_WITHIN = timedelta(days=1)
SAVE_WITHIN = timedelta(days=7)
WEEKS = 12
Z_95 = 1.96


@dataclass(frozen=True)
class Rates:
    shown: int
    opened: int
    saved: int

    @property
    def click_through(self):
        return self.opened / self.shown if self.shown else None

    @property
    def save_through(self):
        return self.saved / self.shown if self.shown else None


@dataclass(frozen=True)
class WeekRow(Rates):
    week: datetime
    surface: str
    reason: str

    @property
    def surface_label(self):
        return Surface(self.surface).label


@dataclass(frozen=True)
class ArmRow(Rates):
    test: str
    arm: str
    readers: int
    mean_reader_click_through: float | None
    variance: float | None


@dataclass(frozen=True)
class Comparison:
    test: str
    difference: float  # B's mean reader click-through minus A's
    low: float
    high: float

    @property
    def verdict(self):
        if self.low > 0:
            return "B opened more often"
        if self.high < 0:
            return "A opened more often"
        return "no clear difference yet"


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def outcomes_sql():
    """Each showing since %(since)s, with whether it was opened and saved."""
    return f"""
        SELECT s.*,
            EXISTS (SELECT 1 FROM {table(RecommendationFollowed)} f
                    WHERE f.user_id = s.user_id AND f.article_id = s.article_id AND f.surface = s.surface
                    AND f.followed_at >= s.shown_at AND f.followed_at < s.shown_at + %(open_within)s) AS opened,
            EXISTS (SELECT 1 FROM {table(Favorite)} v
                    WHERE v.user_id = s.user_id AND v.article_id = s.article_id
                    AND v.created_at >= s.shown_at AND v.created_at < s.shown_at + %(save_within)s) AS saved
        FROM {table(RecommendationShown)} s WHERE s.shown_at >= %(since)s
    """


def rows(sql, now):
    params = {"since": now - timedelta(weeks=WEEKS), "open_within": OPEN_WITHIN, "save_within": SAVE_WITHIN}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def by_week(*, now=None):
    """WeekRows for the last WEEKS weeks, newest first."""
    sql = f"""
        SELECT date_trunc('week', shown_at), surface, reason, count(*), count(*) FILTER (WHERE opened),
            count(*) FILTER (WHERE saved)
        FROM ({outcomes_sql()}) o GROUP BY 1, 2, 3 ORDER BY 1 DESC, 2, 4 DESC, 3
    """
    return [
        WeekRow(week=week, surface=surface, reason=reason, shown=shown, opened=opened, saved=saved)
        for week, surface, reason, shown, opened, saved in rows(sql, now or timezone.now())
    ]


def arms(*, now=None):
    """ArmRows of every A/B test with showings in the last WEEKS weeks, and a Comparison of each test's two
    arms once both have at least two readers."""
    sql = f"""
        SELECT test, arm, sum(shown), sum(opened), sum(saved), count(*), avg(opened::float8 / shown),
            var_samp(opened::float8 / shown)
        FROM (
            SELECT test, arm, user_id, count(*) AS shown, count(*) FILTER (WHERE opened) AS opened,
                count(*) FILTER (WHERE saved) AS saved
            FROM ({outcomes_sql()}) o WHERE test <> '' GROUP BY 1, 2, 3
        ) readers GROUP BY 1, 2 ORDER BY 1, 2
    """
    found = [
        ArmRow(
            test=test,
            arm=arm,
            shown=int(shown),
            opened=int(opened),
            saved=int(saved),
            readers=readers,
            mean_reader_click_through=mean,
            variance=variance,
        )
        for test, arm, shown, opened, saved, readers, mean, variance in rows(sql, now or timezone.now())
    ]
    return found, comparisons(found)


def comparisons(arm_rows):
    by_test = {}
    for row in arm_rows:
        by_test.setdefault(row.test, {})[row.arm] = row
    found = []
    for test, pair in by_test.items():
        a, b = pair.get("A"), pair.get("B")
        if not (a and b and a.readers > 1 and b.readers > 1):
            continue
        difference = b.mean_reader_click_through - a.mean_reader_click_through
        margin = Z_95 * math.sqrt(a.variance / a.readers + b.variance / b.readers)
        found.append(Comparison(test=test, difference=difference, low=difference - margin, high=difference + margin))
    return found
