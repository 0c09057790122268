import json
import math
import signal
import sys

from django.core.management.base import BaseCommand, CommandError

from recommendations import evaluation


def add_log_arguments(parser, *, test_from_help):
    """The arguments of the commands that read a reading log (this one and tune_recommendations)."""
    parser.add_argument("--articles", required=True, metavar="CSV", help="the articles file")
    parser.add_argument("--interactions", required=True, metavar="CSV", help="the interactions file")
    parser.add_argument("--k", type=int, default=10, help="recommendations per reader (default 10)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument(
        "--weights",
        default="",
        metavar="EVENT=W,...",
        help="weight per event, e.g. like=2,bookmark=3 (default 1 for every event; 0 drops an event type)",
    )
    parser.add_argument(
        "--popularity-every",
        type=float,
        default=1,
        metavar="HOURS",
        help="how often the engine's popularity snapshot is moved forward, in hours of the data's time "
        "(default 1, as `rebuild_recommendations` hourly on the site)",
    )
    parser.add_argument("--test-from", metavar="TIME", help=test_from_help + " (ISO 8601 or Unix seconds)")
    parser.add_argument(
        "--workers", type=int, default=None, help="processes evaluating readers side by side (default: 1 per core)"
    )


def log_options(command, options):
    """The options add_log_arguments() added, checked and read: a `log` function, the event weights, the start
    of the test period (or None) and the number of workers. A stopped run (kill, a CI time-out) still drops its
    scratch schema: exiting runs the cleanup."""
    if options["workers"] is not None and options["workers"] < 1:
        raise CommandError("--workers must be at least 1.")
    if options["k"] < 1:
        raise CommandError("--k must be at least 1.")
    if not (math.isfinite(options["popularity_every"]) and options["popularity_every"] > 0):
        raise CommandError("--popularity-every must be a positive number of hours.")
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        weights = evaluation.parse_weights(options["weights"])
        test_from = evaluation.option_time("--test-from", options["test_from"]) if options["test_from"] else None
    except evaluation.InputError as error:
        raise CommandError(str(error)) from error
    log = command.stderr.write if options["verbosity"] > 0 else lambda message: None
    return log, weights, test_from, evaluation.worker_count(options["workers"])


class Command(BaseCommand):
    help = (
        "Evaluate the recommendation engine offline beside simple baselines: the most read articles of all time "
        "and of the last hour, 3 hours, 24 hours and 7 days before each reader's moment, and item-kNN. Each reader's "
        "last 20% of distinct articles (by first interaction) are held out; the engine is asked, as of the moment "
        "the reader first opened one of them, for its top k. Runs in a scratch PostgreSQL schema that is dropped "
        "afterwards. articles CSV: id, title, text[, tags ('|'-separated), section, published_at]; interactions "
        "CSV: user_id, article_id, timestamp[, event]. Times are ISO 8601 (UTC if no offset) or Unix seconds."
    )

    def add_arguments(self, parser):
        add_log_arguments(
            parser, test_from_help="score only readers whose moment is no earlier (after tune_recommendations)"
        )

    def handle(self, *args, **options):
        log, weights, test_from, workers = log_options(self, options)
        try:
            report = evaluation.run(
                options["articles"],
                options["interactions"],
                k=options["k"],
                weights=weights,
                popularity_every_hours=options["popularity_every"],
                workers=workers,
                test_from=test_from,
                log=log,
            )
        except evaluation.InputError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(report, indent=2) if options["json"] else evaluation.format_report(report))
