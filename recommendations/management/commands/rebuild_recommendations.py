import time
from datetime import timedelta

from django.core.management.base import BaseCommand

from recommendations import measurement
from recommendations.similarity import rebuild_content_neighbours
from recommendations.sources import rebuild_popularity
from recommendations.suggestions import rebuild_suggestions


class Command(BaseCommand):
    help = (
        "Rebuild what recommendations precompute: content neighbours, article popularity and, from both, the "
        "suggestions for readers without personal recommendations. Run it hourly: it compares only the articles "
        "whose text changed and counts only the saves made since the last run (every article and save afresh "
        "once a day); favorites, dismissals and profiles take effect at once without it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--afresh", action="store_true", help="compare every article's text and count every save afresh"
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        articles, pairs, compared = rebuild_content_neighbours(afresh=options["afresh"])
        popular = rebuild_popularity(**({"recount_every": timedelta(0)} if options["afresh"] else {}))
        suggested = rebuild_suggestions()
        forgotten = measurement.forget_old()
        self.stdout.write(
            self.style.SUCCESS(
                f"Content neighbours: {pairs} pairs for {articles} articles; popularity for {popular} articles; "
                f"{suggested} suggestions; the text of {compared} articles compared; {forgotten} measurement rows "
                "past keeping deleted "
                f"({time.perf_counter() - started:.1f} s)."
            )
        )
