"""Choosing the engine's weights and half-lives (settings.RECOMMENDATIONS) on a reading log, honestly.

The log is cut at the start of its test period: the tuning sees only what happened before (the validation
period, split per reader as the evaluation splits it), and `manage.py evaluate_recommendations --test-from`
then scores the chosen configuration on readers of the test period alone. Tuning on the test period would
report a score no reader would see.

The search is a coordinate search from the configuration in settings: each setting in turn is multiplied by
a few factors, and a change is kept only when it raises NDCG@k on the validation readers by more than
MIN_GAIN, so noise does not steer the settings.
"""

import random
from dataclasses import dataclass, replace
from datetime import UTC

from . import config as engine_config
from .evaluation import evaluate, prepared, read_articles, read_interactions

TEST_SHARE = 0.25  # of the interactions, the latest: the default test period
MIN_GAIN = 0.01  # relative
HALF_LIFE_FACTORS = (0.25, 4.0)
WEIGHT_FACTORS = (0.0, 0.5, 2.0)
DIVERSITY_FACTORS = (0.5, 2.0)  # never 0: see config.py


def scaled_trending(config, factor):
    hours = {slug: value * factor for slug, value in config.trending_half_life_hours.items()}
    return replace(config, trending_half_life_hours=hours)


def scaled_weight(signal):
    def change(config, factor):
        return replace(config, weights={**config.weights, signal: config.weights[signal] * factor})

    return change


def scaled_field(name):
    def change(config, factor):
        return replace(config, **{name: getattr(config, name) * factor})

    return change


# (what is changed, how, by which factors)
STEPS = [
    ("trending half-lives", scaled_trending, HALF_LIFE_FACTORS),
    ("co-save half-life", scaled_field("co_save_half_life_hours"), HALF_LIFE_FACTORS),
    ("freshness half-life", scaled_field("fresh_half_life_hours"), HALF_LIFE_FACTORS),
    ("diversity", scaled_field("diversity"), DIVERSITY_FACTORS),
    *(
        (f"weight of {signal}", scaled_weight(signal), WEIGHT_FACTORS)
        for signal in ("trending", "co_saved", "similar", "fresh")
    ),
]


@dataclass(frozen=True)
class Trial:
    change: str
    ndcg: float
    kept: bool


def default_test_from(articles_path, interactions_path, *, weights=None):
    """The moment from which the latest TEST_SHARE of the (known, weighted) interactions happened."""
    articles = read_articles(articles_path)
    interactions = read_interactions(interactions_path, {article.id for article in articles}, weights or {})
    moments = sorted(event[2] for event in interactions.events)
    return moments[int(len(moments) * (1 - TEST_SHARE))].astimezone(UTC) if moments else None


def tune(
    articles_path,
    interactions_path,
    *,
    test_from,
    log,
    readers=None,
    k=10,
    weights=None,
    workers=1,
    popularity_every_hours=1,
    rounds=1,
):
    """The best configuration found on the validation period before `test_from`, its validation NDCG@k, and
    every trial, starting from the configuration in settings."""
    with prepared(articles_path, interactions_path, log=log, weights=weights, until=test_from) as data:
        cases = data.cases
        if readers and len(cases) > readers:
            chosen = sorted(random.Random(0).sample(range(len(cases)), readers))
            cases = [cases[number] for number in chosen]
        log(f"Tuning on {len(cases)} readers of the validation period, before {test_from.isoformat()}.")

        def score(config):
            results, _ = evaluate(
                data,
                cases,
                methods=("engine",),
                config=config,
                k=k,
                popularity_every_hours=popularity_every_hours,
                workers=workers,
                log=lambda message: None,
            )
            return results["engine"].summary(len(data.articles))["ndcg_at_k"]

        best = engine_config.current()
        best_ndcg = score(best)
        trials = [Trial("the settings", best_ndcg, True)]
        log(f"  the settings: NDCG@{k} {best_ndcg:.4f}")
        for _ in range(rounds):
            for what, change, factors in STEPS:
                for factor in factors:
                    tried = change(best, factor)
                    ndcg = score(tried)
                    kept = ndcg > best_ndcg * (1 + MIN_GAIN)
                    trials.append(Trial(f"{what} ×{factor:g}", ndcg, kept))
                    log(f"  {what} ×{factor:g}: NDCG@{k} {ndcg:.4f}{' (kept)' if kept else ''}")
                    if kept:
                        best, best_ndcg = tried, ndcg
                        break  # the other factors are tried from here in the next round
    return best, best_ndcg, trials
