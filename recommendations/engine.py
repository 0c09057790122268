"""The ranking: plain Python over signals already fetched, so the live site and the offline
evaluation run exactly the same code.

Each candidate gets five scores between 0 and 1 — similar content, co-saves, the profile, trending
and freshness — blended with the weights of the configuration (recommendations/config.py), lowered
for what the reader turned down, then picked one by one with a penalty for repeating a section or
topic (diversity), making sure every topic the reader chose shows early. The strongest score a pick
owes its place to becomes the reason shown to the reader.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

from . import config as engine_config

NEW_ARTICLE_DAYS = 14
# Trending is scaled to the most trending candidate, but never to less than one fresh save: in a quiet hour
# an article saved once yesterday is not "trending".
TRENDING_FLOOR = 1.0
# Every topic (tag or section) the reader chose, if any candidate has it, is among the first this many picks.
CHOSEN_TOPICS_WITHIN = 20
# A trending reason says "today" when saves halve in weight within a day.
TRENDING_TODAY_HOURS = 24
# Lowering a candidate for each pick already made in its section and for each of its topics already picked,
# times the configuration's `diversity`.
SAME_SECTION_PENALTY = 0.12
SHARED_TAG_PENALTY = 0.06
DISMISSED_TAG_PENALTY = 0.12


@dataclass(frozen=True)
class Reader:
    """What a reader who opted in to personalisation has told us, as of one moment."""

    id: int
    section_ids: frozenset = frozenset()
    tag_ids: frozenset = frozenset()
    situation_section_slugs: frozenset = frozenset()
    saved: dict = field(default_factory=dict)  # article id → weight (1 for a favorite)
    dismissed: frozenset = frozenset()
    dismissed_tag_ids: frozenset = frozenset()
    paused_tag_ids: frozenset = frozenset()
    # Topics that do not suit the reader's situation (screening for a reader in treatment), less those chosen.
    unsuited_tag_ids: frozenset = frozenset()

    @property
    def has_profile(self):
        return bool(self.section_ids or self.tag_ids or self.situation_section_slugs)

    def chosen_topics(self, candidate):
        """The topics the reader chose that `candidate` is about, as ("tag", id) and ("section", id)."""
        topics = {("tag", tag_id) for tag_id in candidate.tag_ids & self.tag_ids}
        if candidate.section_id in self.section_ids:
            topics.add(("section", candidate.section_id))
        return topics


@dataclass
class Candidate:
    id: int
    section_id: int
    section_slug: str
    tag_ids: frozenset
    published_at: datetime
    similar: float = 0.0  # content similarity to the reader's saves (or the article being read)
    similar_via: int | None = None
    co_saved: float = 0.0  # co-saves with the reader's saves, weighted by their age and normalised
    co_saved_via: int | None = None
    trending: float = 0.0  # saves weighted by their age (the section's trending half-life)
    context_similar: float = 0.0


@dataclass(frozen=True)
class Recommendation:
    article_id: int
    score: float
    reason: str  # one of REASONS' keys
    reason_article_id: int | None = None
    reason_tag_id: int | None = None
    reason_section_id: int | None = None


REASONS = {
    "similar": "Because you saved “{article}”",
    "co_saved": "Readers who saved “{article}” also saved this",
    "profile_tag": "Because you follow {tag}",
    "profile_section": "Matches your interest in {section}",
    "situation": "Chosen for readers in your situation",
    "new": "New in {section}",
    "trending_today": "Trending in {section} today",
    "trending": "Trending in {section}",
    "more_from": "More from {section}",
    "related": "Related to the article you are reading",
}


def freshness(published_at, now, half_life_hours):
    age_hours = max(0.0, (now - published_at).total_seconds() / 3600)
    return 0.5 ** (age_hours / half_life_hours)


def rank(reader, candidates, *, now, limit=10, config=None):
    """The reader's top `limit` candidates, diverse, each with its reason; `config` by default from settings."""
    config = config or engine_config.current()
    weights = config.weights
    turned_down = reader.paused_tag_ids | reader.unsuited_tag_ids
    pool = [
        candidate
        for candidate in candidates
        if candidate.id not in reader.saved
        and candidate.id not in reader.dismissed
        and not (candidate.tag_ids & turned_down)
    ]
    if not pool:
        return []
    max_co_saved = max(candidate.co_saved for candidate in pool) or 1.0
    max_similar = max(candidate.similar for candidate in pool) or 1.0
    max_context_similar = max(candidate.context_similar for candidate in pool) or 1.0
    # Worked out once, not per candidate: the suggestions rebuild ranks every page of the site this way.
    log_max_trending = math.log1p(max(TRENDING_FLOOR, *(candidate.trending for candidate in pool)))
    has_profile = reader.has_profile
    scored = []
    for candidate in pool:
        parts = {
            "similar": candidate.similar / max_similar,
            "co_saved": candidate.co_saved / max_co_saved,
            "profile": profile_match(reader, candidate) if has_profile else 0.0,
            "trending": math.log1p(candidate.trending) / log_max_trending,
            "fresh": freshness(candidate.published_at, now, config.fresh_half_life_hours),
            "related": candidate.context_similar / max_context_similar,
        }
        score = sum(weighted(parts, weights).values())
        score -= DISMISSED_TAG_PENALTY * len(candidate.tag_ids & reader.dismissed_tag_ids)
        scored.append((score, candidate, parts))
    picks = diversify(reader, scored, limit, config.diversity)
    return [explain(reader, candidate, parts, score, now, config) for score, candidate, parts in picks]


def weighted(parts, weights):
    """Each signal's contribution to the score. The article being read is content the reader chose, as a
    save is: its neighbours weigh as the neighbours of the reader's saves do."""
    return {name: weights["similar" if name == "related" else name] * value for name, value in parts.items()}


def profile_match(reader, candidate):
    """How well an article fits the topics and situation a reader chose (0 to 1): a chosen tag fits
    best, a chosen section well, a section suited to the situation a little; a second chosen tag adds."""
    shared_tags = len(candidate.tag_ids & reader.tag_ids)
    tag = 0.85 + 0.15 * min(1, shared_tags - 1) if shared_tags else 0.0
    section = 0.7 if candidate.section_id in reader.section_ids else 0.0
    situation = 0.4 if candidate.section_slug in reader.situation_section_slugs else 0.0
    return max(tag, section, situation)


def diversify(reader, scored, limit, diversity):
    """Pick the best remaining candidate, lowering those that repeat a chosen section or topic; while
    the picks left before CHOSEN_TOPICS_WITHIN are only enough for the reader's chosen topics not yet
    shown, pick the best candidate that shows one of them."""
    remaining = sorted(scored, key=lambda item: (-item[0], -item[1].id))
    chosen = []
    sections = {}
    tags = {}
    # Only topics some candidate is about can be shown.
    unshown = set().union(*(reader.chosen_topics(candidate) for _, candidate, _ in remaining))
    while remaining and len(chosen) < limit:
        must_show = len(unshown) >= CHOSEN_TOPICS_WITHIN - len(chosen)
        best_index, best_value = None, None
        for index, (score, candidate, _parts) in enumerate(remaining):
            if best_value is not None and score <= best_value:
                break  # The rest score no higher, and penalties only lower a score: none can do better.
            if must_show and not reader.chosen_topics(candidate) & unshown:
                continue
            value = (
                score
                - diversity * SAME_SECTION_PENALTY * sections.get(candidate.section_id, 0)
                - diversity * SHARED_TAG_PENALTY * sum(tags.get(tag_id, 0) for tag_id in candidate.tag_ids)
            )
            if best_value is None or value > best_value:
                best_index, best_value = index, value
        score, candidate, parts = remaining.pop(best_index)
        chosen.append((score, candidate, parts))
        unshown -= reader.chosen_topics(candidate)
        sections[candidate.section_id] = sections.get(candidate.section_id, 0) + 1
        for tag_id in candidate.tag_ids:
            tags[tag_id] = tags.get(tag_id, 0) + 1
    return chosen


def explain(reader, candidate, parts, score, now, config):
    """The reason is the signal that contributed most to the article's score."""
    contributions = weighted(parts, config.weights)
    strongest = max(contributions, key=contributions.get)
    if strongest == "related" and contributions["related"] > 0:
        return Recommendation(candidate.id, score, "related")
    if strongest == "similar" and candidate.similar_via is not None:
        return Recommendation(candidate.id, score, "similar", reason_article_id=candidate.similar_via)
    if strongest == "co_saved" and candidate.co_saved_via is not None:
        return Recommendation(candidate.id, score, "co_saved", reason_article_id=candidate.co_saved_via)
    if strongest == "profile" and parts["profile"] > 0:
        shared = sorted(candidate.tag_ids & reader.tag_ids)
        if shared:
            return Recommendation(candidate.id, score, "profile_tag", reason_tag_id=shared[0])
        if candidate.section_id in reader.section_ids:
            return Recommendation(candidate.id, score, "profile_section", reason_section_id=candidate.section_id)
        return Recommendation(candidate.id, score, "situation")
    is_new = (now - candidate.published_at).days < NEW_ARTICLE_DAYS
    if candidate.trending > 0 and (strongest == "trending" or not is_new):
        today = config.trending_half_life(candidate.section_slug) <= TRENDING_TODAY_HOURS
        return Recommendation(
            candidate.id, score, "trending_today" if today else "trending", reason_section_id=candidate.section_id
        )
    if is_new:
        return Recommendation(candidate.id, score, "new", reason_section_id=candidate.section_id)
    return Recommendation(candidate.id, score, "more_from", reason_section_id=candidate.section_id)
