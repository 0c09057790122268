"""The engine's weights and half-lives: one block, settings.RECOMMENDATIONS, read into an EngineConfig.

- weights: how much each signal counts (engine.rank): `similar` (words and topics alike the reader's saves),
  `co_saved` (saved by readers who saved the same), `profile` (the reader's chosen topics and situation),
  `trending` (recent saves) and `fresh` (recently published).
- trending_half_life_hours: a save counts half as much for trending after this many hours, by section slug
  ("default" for the others): research news ages in hours, explainers over weeks.
- co_save_half_life_hours: a co-reader's save counts half as much after this many hours.
- fresh_half_life_hours: an article's freshness halves every this many hours after publication.
- diversity: how strongly a pick from a section or topic already picked is held back (1 as designed; the
  tuning may halve or double it, never drop it: readers asked for variety, not only what they read most).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings

SIGNALS = ("similar", "co_saved", "profile", "trending", "fresh")


class ConfigError(ValueError):
    """A recommendation setting that cannot be used, described for whoever wrote it."""


@dataclass(frozen=True)
class EngineConfig:
    weights: dict
    trending_half_life_hours: dict
    co_save_half_life_hours: float
    fresh_half_life_hours: float
    diversity: float

    def __post_init__(self):
        if set(self.weights) != set(SIGNALS):
            raise ConfigError(f"RECOMMENDATIONS weights: give one for each of {', '.join(SIGNALS)}.")
        if any(not isinstance(value, int | float) or value < 0 for value in self.weights.values()):
            raise ConfigError("RECOMMENDATIONS weights must be numbers of 0 or more.")
        half_lives = [*self.trending_half_life_hours.values(), self.co_save_half_life_hours, self.fresh_half_life_hours]
        if any(not isinstance(value, int | float) or value <= 0 for value in half_lives):
            raise ConfigError("RECOMMENDATIONS half-lives must be numbers of hours above 0.")
        if not isinstance(self.diversity, int | float) or self.diversity <= 0:
            raise ConfigError("RECOMMENDATIONS diversity must be a number above 0.")
        if "default" not in self.trending_half_life_hours:
            raise ConfigError("RECOMMENDATIONS trending_half_life_hours needs a 'default'.")

    def trending_half_life(self, section_slug):
        """Hours, for an article in the section `section_slug`."""
        return self.trending_half_life_hours.get(section_slug, self.trending_half_life_hours["default"])


def current():
    """The configuration in settings.RECOMMENDATIONS."""
    try:
        return EngineConfig(**settings.RECOMMENDATIONS)
    except TypeError as error:
        raise ConfigError(f"RECOMMENDATIONS: {error}") from None


CONTROL, TREATMENT = "A", "B"


@dataclass(frozen=True)
class Arm:
    """Which configuration a reader's recommendations come from: A (settings.RECOMMENDATIONS) or, in an A/B
    test, B for the readers it picks."""

    name: str  # CONTROL or TREATMENT
    test: str  # the A/B test's name; "" when none runs
    config: EngineConfig


def ab_test():
    """settings.RECOMMENDATIONS_AB_TEST checked: None, or (name, share of readers in B, B's EngineConfig).
    B must count trending with A's half-lives, since both read the one popularity snapshot."""
    test = settings.RECOMMENDATIONS_AB_TEST
    if not test:
        return None
    try:
        name, share, block = test["name"], float(test["share"]), test["settings"]
    except (KeyError, TypeError, ValueError):
        raise ConfigError("RECOMMENDATIONS_AB_TEST needs a name, a share (0 to 1) and settings.") from None
    if not (name and 0 <= share <= 1):
        raise ConfigError("RECOMMENDATIONS_AB_TEST needs a name, a share (0 to 1) and settings.")
    try:
        config = EngineConfig(**block)
    except TypeError as error:
        raise ConfigError(f"RECOMMENDATIONS_AB_TEST settings: {error}") from None
    if config.trending_half_life_hours != current().trending_half_life_hours:
        raise ConfigError(
            "RECOMMENDATIONS_AB_TEST settings: trending_half_life_hours must be those of RECOMMENDATIONS "
            "(both arms read one popularity snapshot)."
        )
    return name, share, config


def in_treatment(test_name, share, user_id):
    """Whether a reader is in B: a stable hash of the test's name and the reader's id, below `share`, so a
    reader stays in one arm for the whole test and a new test splits readers afresh."""
    digest = hashlib.sha256(f"{test_name}:{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def arm_for(user_id):
    test = ab_test()
    if test is None:
        return Arm(CONTROL, "", current())
    name, share, config = test
    if in_treatment(name, share, user_id):
        return Arm(TREATMENT, name, config)
    return Arm(CONTROL, name, current())
