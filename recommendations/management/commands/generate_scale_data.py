from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from recommendations import scale_data


class Command(BaseCommand):
    help = (
        "Fill the current database with synthetic articles, readers and favorites at a realistic scale, for "
        "measuring recommendations (see benchmarks/recommendations_latency.py). A development tool: it refuses "
        "to run when DEBUG is off or the database already has articles, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=20_000, help="published articles (default 20000)")
        parser.add_argument("--readers", type=int, default=100_000, help="readers, each with a profile (100000)")
        parser.add_argument("--favorites", type=int, default=1_000_000, help="favorites (default 1000000)")
        parser.add_argument("--seed", type=int, default=42, help="random seed; the same seed gives the same data")
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off or articles already in the database"
        )

    def handle(self, *args, **options):
        self.check_allowed(options["force"])
        for name in ("articles", "readers", "favorites"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        try:
            seconds = scale_data.generate(
                articles=options["articles"],
                readers=options["readers"],
                favorites=options["favorites"],
                seed=options["seed"],
                report=lambda line: self.stdout.write(f"  {line}"),
            )
        except scale_data.DoesNotFit as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Generated the scale data in {seconds['total']} s."))

    def check_allowed(self, force):
        # Bulk data in a real site's database would be hard to take out again: make it deliberate.
        if force:
            return
        if not settings.DEBUG:
            raise CommandError("DEBUG is off, so this may be a live site. Use --force if you really mean it.")
        if Article.objects.exists():
            raise CommandError("The database already has articles. Use --force to add the scale data anyway.")
