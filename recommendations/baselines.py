"""The simple baselines the offline evaluation shows beside the engine (recommendations/evaluation.py):
the most read articles in a window, and the articles most read by the same readers (item-kNN).

Each is computed as of a reader's moment T from the events strictly before T, by anyone, so nothing from
the future can reach it: the readers are visited in order of T and the counts are moved forward to each
T, adding the events that happened since the last one and dropping those that left a window.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

# Most read (summed event weights) in the window before T; None: every event before T.
POPULARITY_WINDOWS = {
    "most_popular": None,
    "popular_1h": timedelta(hours=1),
    "popular_3h": timedelta(hours=3),
    "popular_24h": timedelta(hours=24),
    "popular_7d": timedelta(days=7),
}


READ_AT_ALL = 1e-9


def moved_forward(moment, seconds):
    """`seconds`, the new moment of a count that cannot go back in time."""
    if seconds < moment:
        raise ValueError("The moment only moves forward: visit readers in order of their moment.")
    return seconds


@dataclass(frozen=True)
class Event:
    seconds: float  # Unix time
    article: int  # the article's index in 0..articles-1
    weight: float


class RecentPopularity:
    """How much each article was read in each window before a moment that only moves forward."""

    def __init__(self, events, articles, windows=POPULARITY_WINDOWS):
        self.events = sorted(events, key=lambda event: event.seconds)
        self.windows = {name: None if span is None else span.total_seconds() for name, span in windows.items()}
        self.counts = {name: np.zeros(articles) for name in windows}
        self.added = 0  # events[:added] are counted
        self.dropped = dict.fromkeys(windows, 0)  # events[:dropped[name]] have left that window
        self.moment = float("-inf")

    def advance(self, seconds):
        """Count what happened before `seconds` (Unix time), no earlier than the last moment asked."""
        self.moment = moved_forward(self.moment, seconds)
        while self.added < len(self.events) and self.events[self.added].seconds < seconds:
            event = self.events[self.added]
            for counts in self.counts.values():
                counts[event.article] += event.weight
            self.added += 1
        for name, span in self.windows.items():
            if span is None:
                continue
            counts, start = self.counts[name], seconds - span
            while self.dropped[name] < self.added and self.events[self.dropped[name]].seconds < start:
                event = self.events[self.dropped[name]]
                counts[event.article] -= event.weight
                self.dropped[name] += 1

    def top(self, name, read, k):
        """The indexes of the `k` articles most read in the window `name`, leaving out those in `read`
        and those nobody read in it; ties go to the lower index."""
        # Counts added and taken away again may be a rounding error away from zero.
        return highest(self.counts[name], read, k, at_least=READ_AT_ALL)


def highest(scores, read, k, *, at_least):
    """The indexes of the `k` highest `scores` of at least `at_least`, leaving out those in `read`; ties
    go to the lower index."""
    wanted = min(len(scores), k + len(read))
    if wanted == 0:
        return []
    # Every index scored as high as the wanted-th, so that ties are settled by index, not by chance.
    threshold = max(float(-np.partition(-scores, wanted - 1)[wanted - 1]), at_least)
    best = np.flatnonzero(scores >= threshold).tolist()
    ranked = sorted(best, key=lambda index: (-scores[index], index))
    return [index for index in ranked if index not in read][:k]


# Articles read by the same readers (item-kNN): co-reads over the square root of the two articles' readers
# (cosine), summed over the reader's last HISTORY_ITEMS articles. The recent variant weighs each co-read by
# how recent it is (the later of its two reads), so a pair read together lately outweighs one read together
# long ago.
HISTORY_ITEMS = 10
CO_READ_METHODS = {"item_knn": None, "item_knn_recent": timedelta(hours=24)}  # half-life
# A co-read's weight is kept as 2 ** (time since a reference / half-life) and rescaled before it overflows a
# float; scores are all in the same scale, so the ranking does not depend on it.
MAX_EXPONENT = 500


@dataclass(frozen=True)
class FirstRead:
    seconds: float  # Unix time
    reader: str
    article: int  # the article's index


class CoReads:
    """Which articles were read by the same readers before a moment that only moves forward."""

    def __init__(self, first_reads, articles, half_life=None):
        self.first_reads = sorted(first_reads, key=lambda read: read.seconds)
        self.articles = articles
        self.half_life = None if half_life is None else half_life.total_seconds()
        self.co = defaultdict(lambda: defaultdict(float))  # article → article → weight of their co-reads
        self.readers = np.zeros(articles)  # how many read each article
        self.histories = defaultdict(list)  # reader → their articles, in the order they first read them
        self.added = 0
        self.moment = float("-inf")
        self.reference = self.first_reads[0].seconds if self.first_reads else 0.0

    def weight(self, seconds):
        if self.half_life is None:
            return 1.0
        exponent = (seconds - self.reference) / self.half_life
        if exponent > MAX_EXPONENT:
            factor = 2.0**-exponent
            for neighbours in self.co.values():
                for other in neighbours:
                    neighbours[other] *= factor
            self.reference, exponent = seconds, 0.0
        return 2.0**exponent

    def advance(self, seconds):
        """Count the first reads before `seconds` (Unix time), no earlier than the last moment asked."""
        self.moment = moved_forward(self.moment, seconds)
        while self.added < len(self.first_reads) and self.first_reads[self.added].seconds < seconds:
            read = self.first_reads[self.added]
            weight = self.weight(read.seconds)
            for earlier in self.histories[read.reader]:
                self.co[read.article][earlier] += weight
                self.co[earlier][read.article] += weight
            self.readers[read.article] += 1
            self.histories[read.reader].append(read.article)
            self.added += 1

    def top(self, reader, read, k):
        """The `k` articles most similar to the reader's last articles, leaving out those in `read`; ties go
        to the lower index."""
        scores = np.zeros(self.articles)
        for article in self.histories[reader][-HISTORY_ITEMS:]:
            neighbours = self.co[article]
            others = np.fromiter(neighbours.keys(), dtype=np.int64, count=len(neighbours))
            together = np.fromiter(neighbours.values(), dtype=np.float64, count=len(neighbours))
            scores[others] += together / np.sqrt(self.readers[article] * self.readers[others])
        return highest(scores, read, k, at_least=np.finfo(float).tiny)
