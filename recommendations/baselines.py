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


@dataclass(frozen=True)
class FirstRead:
    seconds: float  # Unix time
    reader: str
    article: int  # the article's index


class CoReads:
    """Which articles were read by the same readers before a moment that only moves forward.

    Every pair of articles one reader read is listed up front under each of its two articles, stamped with
    the time of the later read (when the pair came to be), in order of article and then time: the pairs of an
    article counted at a moment are the start of its block, found by a binary search. Nothing is counted
    event by event, and a moment's scores cost a few array operations."""

    def __init__(self, first_reads, articles, half_life=None):
        self.articles = articles
        self.half_life = None if half_life is None else half_life.total_seconds()
        reads = sorted(first_reads, key=lambda read: read.seconds)
        self.read_seconds = np.array([read.seconds for read in reads], dtype=np.float64)
        self.read_articles = np.array([read.article for read in reads], dtype=np.int64)
        by_reader = defaultdict(list)
        for number, read in enumerate(reads):
            by_reader[read.reader].append(number)
        # reader → the positions in `reads` of their first reads, in the order they were made
        self.histories = {reader: np.array(numbers) for reader, numbers in by_reader.items()}
        earlier, later = [], []
        for numbers in self.histories.values():
            first, second = np.triu_indices(len(numbers), 1)
            earlier.append(numbers[first])
            later.append(numbers[second])
        earlier = np.concatenate(earlier) if earlier else np.zeros(0, dtype=np.int64)
        later = np.concatenate(later) if later else np.zeros(0, dtype=np.int64)
        # Each pair both ways: (article, other article, when the later of the two was read).
        article = np.concatenate([self.read_articles[earlier], self.read_articles[later]])
        other = np.concatenate([self.read_articles[later], self.read_articles[earlier]])
        seconds = np.concatenate([self.read_seconds[later], self.read_seconds[later]])
        order = np.lexsort((seconds, article))
        self.pair_other, self.pair_seconds = other[order], seconds[order]
        self.block_start = np.searchsorted(article[order], np.arange(articles + 1))
        self.readers = np.zeros(articles)  # how many read each article before the moment
        self.added = 0
        self.moment = float("-inf")

    def advance(self, seconds):
        """Count the first reads before `seconds` (Unix time), no earlier than the last moment asked."""
        self.moment = moved_forward(self.moment, seconds)
        added = int(np.searchsorted(self.read_seconds, seconds))
        np.add.at(self.readers, self.read_articles[self.added : added], 1)
        self.added = added

    def top(self, reader, read, k):
        """The `k` articles most similar to the reader's last articles, leaving out those in `read`; ties go
        to the lower index."""
        numbers = self.histories.get(reader, np.zeros(0, dtype=np.int64))
        numbers = numbers[numbers < self.added][-HISTORY_ITEMS:]
        others, weights = [], []
        for article in self.read_articles[numbers]:
            start, end = self.block_start[article], self.block_start[article + 1]
            end = start + int(np.searchsorted(self.pair_seconds[start:end], self.moment))
            together = (
                np.ones(end - start)
                if self.half_life is None
                else np.exp2((self.pair_seconds[start:end] - self.moment) / self.half_life)
            )
            others.append(self.pair_other[start:end])
            weights.append(together / np.sqrt(self.readers[article]))
        if not others:
            return []
        together = np.bincount(np.concatenate(others), np.concatenate(weights), minlength=self.articles)
        scores = np.divide(together, np.sqrt(self.readers), out=np.zeros(self.articles), where=self.readers > 0)
        return highest(scores, read, k, at_least=np.finfo(float).tiny)
