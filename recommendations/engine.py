"""The ranking: plain Python over signals already fetched, so the live site and the offline
evaluation run exactly the same code.

Each candidate gets five scores between 0 and 1 — similar content, co-saves, the profile,
popularity and freshness — blended with fixed weights, lowered for what the reader turned down,
then picked one by one with a penalty for repeating a section or topic (diversity). The strongest
score a pick owes its place to becomes the reason shown to the reader.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

WEIGHTS = {"similar": 0.9, "co_saved": 1.0, "profile": 0.8, "popular": 0.35, "fresh": 0.25}
FRESH_HALF_LIFE_DAYS = 21
NEW_ARTICLE_DAYS = 14
SAME_SECTION_PENALTY = 0.12
SHARED_TAG_PENALTY = 0.06
DISMISSED_TAG_PENALTY = 0.12
CONTEXT_WEIGHT = 0.6


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

    @property
    def has_profile(self):
        return bool(self.section_ids or self.tag_ids or self.situation_section_slugs)


@dataclass
class Candidate:
    id: int
    section_id: int
    section_slug: str
    tag_ids: frozenset
    published_at: datetime
    similar: float = 0.0  # content similarity to the reader's saves (or the article being read)
    similar_via: int | None = None
    co_saved: float = 0.0  # normalised co-saves with the reader's saves
    co_saved_via: int | None = None
    popularity: float = 0.0  # recency-weighted saves
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
    "co_saved": "Popular with readers who saved “{article}”",
    "profile_tag": "Matches your interest in {tag}",
    "profile_section": "Matches your interest in {section}",
    "situation": "Chosen for readers in your situation",
    "new": "New in {section}",
    "popular": "Popular with readers",
    "more_from": "More from {section}",
    "related": "Related to the article you are reading",
}


def freshness(published_at, now):
    age_days = max(0.0, (now - published_at).total_seconds() / 86400)
    return 0.5 ** (age_days / FRESH_HALF_LIFE_DAYS)


def rank(reader, candidates, *, now, limit=10):
    """The reader's top `limit` candidates, diverse, each with its reason."""
    pool = [
        candidate
        for candidate in candidates
        if candidate.id not in reader.saved
        and candidate.id not in reader.dismissed
        and not (candidate.tag_ids & reader.paused_tag_ids)
    ]
    if not pool:
        return []
    max_co_saved = max(candidate.co_saved for candidate in pool) or 1.0
    max_similar = max(candidate.similar for candidate in pool) or 1.0
    max_popularity = max(candidate.popularity for candidate in pool)
    # Worked out once, not per candidate: the suggestions rebuild ranks every page of the site this way.
    log_max_popularity = math.log1p(max_popularity)
    has_profile = reader.has_profile
    scored = []
    for candidate in pool:
        parts = {
            "similar": candidate.similar / max_similar,
            "co_saved": candidate.co_saved / max_co_saved,
            "profile": profile_match(reader, candidate) if has_profile else 0.0,
            "popular": math.log1p(candidate.popularity) / log_max_popularity if max_popularity else 0.0,
            "fresh": freshness(candidate.published_at, now),
        }
        score = sum(WEIGHTS[name] * value for name, value in parts.items())
        score += CONTEXT_WEIGHT * candidate.context_similar
        score -= DISMISSED_TAG_PENALTY * len(candidate.tag_ids & reader.dismissed_tag_ids)
        scored.append((score, candidate, parts))
    return [explain(reader, candidate, parts, score, now) for score, candidate, parts in diversify(scored, limit)]


def profile_match(reader, candidate):
    """How well an article fits the topics and situation a reader chose (0 to 1)."""
    topic_tags = min(1.0, len(candidate.tag_ids & reader.tag_ids) / 2)
    section = 1.0 if candidate.section_id in reader.section_ids else 0.0
    situation = 1.0 if candidate.section_slug in reader.situation_section_slugs else 0.0
    return min(1.0, 0.5 * topic_tags + 0.35 * section + 0.25 * situation)


def diversify(scored, limit):
    """Pick the best remaining candidate, lowering those that repeat a chosen section or topic."""
    remaining = sorted(scored, key=lambda item: (-item[0], -item[1].id))
    chosen = []
    sections = {}
    tags = {}
    while remaining and len(chosen) < limit:
        best_index, best_value = 0, None
        for index, (score, candidate, _parts) in enumerate(remaining):
            if best_value is not None and score <= best_value:
                break  # The rest score no higher, and penalties only lower a score: none can do better.
            value = (
                score
                - SAME_SECTION_PENALTY * sections.get(candidate.section_id, 0)
                - SHARED_TAG_PENALTY * sum(tags.get(tag_id, 0) for tag_id in candidate.tag_ids)
            )
            if best_value is None or value > best_value:
                best_index, best_value = index, value
        score, candidate, parts = remaining.pop(best_index)
        chosen.append((score, candidate, parts))
        sections[candidate.section_id] = sections.get(candidate.section_id, 0) + 1
        for tag_id in candidate.tag_ids:
            tags[tag_id] = tags.get(tag_id, 0) + 1
    return chosen


def explain(reader, candidate, parts, score, now):
    """The reason is the signal that contributed most to the article's score."""
    contributions = {name: WEIGHTS[name] * value for name, value in parts.items()}
    contributions["related"] = CONTEXT_WEIGHT * candidate.context_similar
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
    if (now - candidate.published_at).days < NEW_ARTICLE_DAYS:
        return Recommendation(candidate.id, score, "new", reason_section_id=candidate.section_id)
    if candidate.popularity > 0:
        return Recommendation(candidate.id, score, "popular")
    return Recommendation(candidate.id, score, "more_from", reason_section_id=candidate.section_id)
