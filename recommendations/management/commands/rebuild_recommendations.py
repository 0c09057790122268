import time

from django.core.management.base import BaseCommand

from recommendations.services import rebuild_precomputed


class Command(BaseCommand):
    help = (
        "Rebuild what recommendations precompute: content neighbours, article popularity and, from both, the "
        "suggestions for readers without personal recommendations. The task queue runs it hourly (the "
        "recommendations.tasks.rebuild_recommendations periodic task); it compares only the articles whose text "
        "changed and counts only the saves made since the last run (every article and save afresh once a day); "
        "favorites, dismissals and profiles take effect at once without it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--afresh", action="store_true", help="compare every article's text and count every save afresh"
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        rebuilt = rebuild_precomputed(afresh=options["afresh"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Content neighbours: {rebuilt.pairs} pairs for {rebuilt.articles} articles; popularity for "
                f"{rebuilt.popular} articles; {rebuilt.suggested} suggestions; the text of {rebuilt.compared} "
                f"articles compared; {rebuilt.forgotten} measurement rows past keeping deleted "
                f"({time.perf_counter() - started:.1f} s)."
            )
        )
