"""Demo readers with favorites, so the demo site's recommendations have co-saves to work with."""

import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Favorite, Profile
from articles.models import Article, Section

DEMO_READERS = 40
DEMO_EDITOR_EMAIL = "editor@newsroom.example"


class Command(BaseCommand):
    help = "Create demo readers who saved articles on topics they like, and turn on the demo editor's recommendations."

    def handle(self, *args, **options):
        articles = list(Article.objects.visible().prefetch_related("tags").order_by("pk"))
        if not articles:
            self.stdout.write("No visible articles: load demo content first.")
            return
        rng = random.Random(2008)
        users = get_user_model().objects
        with transaction.atomic():
            for number in range(DEMO_READERS):
                reader, created = users.get_or_create(email=f"demo-reader-{number}@newsroom.example")
                if created:
                    reader.set_unusable_password()
                    reader.save(update_fields=["password"])
                    Profile.objects.create(user=reader, personalisation=True)
                    save_by_taste(reader, articles, rng)
            editor = users.filter(email=DEMO_EDITOR_EMAIL).first()
            if editor is not None:
                profile, _ = Profile.objects.get_or_create(user=editor)
                profile.personalisation = True
                profile.save(update_fields=["personalisation"])
                profile.sections.add(*Section.objects.filter(slug__in=["research-news", "living-well"]))
                for article in articles[:2]:
                    Favorite.objects.get_or_create(user=editor, article=article)
        self.stdout.write(self.style.SUCCESS(f"Demo readers: {DEMO_READERS}, each with saved articles."))


def save_by_taste(reader, articles, rng):
    """A reader likes two topics and saves a few articles about them, plus the odd other one."""
    tags = sorted({tag.name for article in articles for tag in article.tags.all()})
    liked = set(rng.sample(tags, 2))
    chosen = [article for article in articles if liked & {tag.name for tag in article.tags.all()}]
    chosen = rng.sample(chosen, min(len(chosen), rng.randint(2, 5))) + [rng.choice(articles)]
    Favorite.objects.bulk_create([Favorite(user=reader, article=article) for article in chosen], ignore_conflicts=True)
