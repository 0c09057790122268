"""Load the demo promotions. They target demo sections, so load_demo_content runs first."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Section
from promotions.demo_content import PROMOTIONS, load_demo_promotions


class Command(BaseCommand):
    help = "Load the demo promotions (after load_demo_content); running it again changes nothing."

    def handle(self, *args, **options):
        sections = Section.objects.in_bulk(field_name="slug")
        missing = {slug for data in PROMOTIONS for slug in data["target_sections"]} - set(sections)
        if missing:
            raise CommandError(
                f"The demo sections {', '.join(sorted(missing))} are missing: run manage.py load_demo_content first."
            )
        with transaction.atomic():
            created = load_demo_promotions(sections)
        self.stdout.write(self.style.SUCCESS(f"Demo promotions: {len(PROMOTIONS)} ({created} new)."))
