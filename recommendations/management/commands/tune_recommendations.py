import json
import pprint
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from recommendations import evaluation, tuning

from .evaluate_recommendations import add_log_arguments, log_options


class Command(BaseCommand):
    help = (
        "Choose the recommendation engine's weights and half-lives (settings.RECOMMENDATIONS) on a reading log: "
        "only the interactions before the test period are used, and the result is printed as a settings block. "
        "Score it on the test period with `evaluate_recommendations --test-from` and the same moment. The files "
        "are those evaluate_recommendations reads."
    )

    def add_arguments(self, parser):
        add_log_arguments(
            parser, test_from_help="where the test period starts (default: the latest 25%% of interactions)"
        )
        parser.add_argument(
            "--readers", type=int, default=4000, help="validation readers to tune on, a fixed sample (default 4000)"
        )
        parser.add_argument("--rounds", type=int, default=1, help="passes over every setting (default 1)")

    def handle(self, *args, **options):
        for name in ("readers", "rounds"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        log, weights, test_from, workers = log_options(self, options)
        try:
            test_from = test_from or tuning.default_test_from(
                options["articles"], options["interactions"], weights=weights
            )
            if test_from is None:
                raise evaluation.InputError(f"{options['interactions']}: no interaction to tune on.")
            best, ndcg, trials = tuning.tune(
                options["articles"],
                options["interactions"],
                test_from=test_from,
                readers=options["readers"],
                rounds=options["rounds"],
                k=options["k"],
                weights=weights,
                popularity_every_hours=options["popularity_every"],
                workers=workers,
                log=log,
            )
        except evaluation.InputError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            result = {
                "test_from": test_from.isoformat(),
                "validation_ndcg_at_k": ndcg,
                "trials": [asdict(trial) for trial in trials],
                "settings": asdict(best),
            }
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(
            f"Validation NDCG@{options['k']}: {trials[0].ndcg:.4f} with the settings, {ndcg:.4f} with these:\n\n"
            f"RECOMMENDATIONS = {pprint.pformat(asdict(best), sort_dicts=False, width=100)}\n\n"
            f"Score them on the test period: manage.py evaluate_recommendations --articles {options['articles']} "
            f"--interactions {options['interactions']} --test-from {test_from.isoformat()}"
        )
