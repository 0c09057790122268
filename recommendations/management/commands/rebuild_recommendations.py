import time

from django.core.management.base import BaseCommand

from recommendations.similarity import rebuild_content_neighbours
from recommendations.sources import rebuild_popularity
from recommendations.suggestions import rebuild_suggestions


class Command(BaseCommand):
    help = (
        "Rebuild what recommendations precompute: content neighbours, article popularity and, from both, the "
        "suggestions for readers without personal recommendations. Run it on a schedule (e.g. hourly); "
        "favorites, dismissals and profiles take effect at once without it."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        articles, pairs = rebuild_content_neighbours()
        popular = rebuild_popularity()
        suggested = rebuild_suggestions()
        self.stdout.write(
            self.style.SUCCESS(
                f"Content neighbours: {pairs} pairs for {articles} articles; popularity for {popular} articles; "
                f"{suggested} suggestions ({time.perf_counter() - started:.1f} s)."
            )
        )
