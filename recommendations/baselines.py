"""The simple baselines the offline evaluation shows beside the engine (recommendations/evaluation.py).

Each is computed as of a reader's moment T from the events strictly before T, by anyone, so nothing from
the future can reach it: the readers are visited in order of T and the counts are moved forward to each
T, adding the events that happened since the last one and dropping those that left a window.
"""

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
        if seconds < self.moment:
            raise ValueError("The moment only moves forward: visit readers in order of their moment.")
        self.moment = seconds
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
        counts = self.counts[name]
        wanted = min(len(counts), k + len(read))
        if wanted == 0:
            return []
        # Every article as read as the wanted-th most read, so that ties are settled by index, not by chance;
        # counts that were added and taken away again may be a rounding error away from zero.
        threshold = max(float(-np.partition(-counts, wanted - 1)[wanted - 1]), READ_AT_ALL)
        best = np.flatnonzero(counts >= threshold).tolist()
        ranked = sorted(best, key=lambda index: (-counts[index], index))
        return [index for index in ranked if index not in read][:k]
