import time

from django.core.management.base import BaseCommand

from recommendations.similarity import rebuild_content_neighbours
from recommendations.sources import rebuild_popularity


class Command(BaseCommand):
    help = (
        "Rebuild what recommendations precompute: content neighbours and article popularity. "
        "Run it on a schedule (e.g. hourly); favorites, dismissals and profiles take effect at once without it."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        articles, pairs = rebuild_content_neighbours()
        popular = rebuild_popularity()
        self.stdout.write(
            self.style.SUCCESS(
                f"Content neighbours: {pairs} pairs for {articles} articles; popularity for {popular} articles "
                f"({time.perf_counter() - started:.1f} s)."
            )
        )
