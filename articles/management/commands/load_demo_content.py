"""Load the demo sections, people and articles, and a demo editor account. Safe to run again."""

import io
import os
import random
from datetime import date, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from articles import demo_content, services
from articles.models import Article, Byline, GlossaryTerm, Person, Reference, ResearchFacts, Section
from articles.sanitise import sanitise_html
from promotions.demo_content import load_demo_promotions

DEMO_EDITOR_EMAIL = "editor@newsroom.example"
DEMO_EDITOR_DEFAULT_PASSWORD = "read-the-research-2026"
HERO_ALT = "An abstract illustration of overlapping circles in shades of pink and plum."


class Command(BaseCommand):
    help = (
        "Load demo content (about 30 articles and a few promotions) and a demo editor account; "
        "running it again changes nothing."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_EDITOR_PASSWORD") or DEMO_EDITOR_DEFAULT_PASSWORD
        if not settings.DEBUG and "DEMO_EDITOR_PASSWORD" not in os.environ:
            raise CommandError("Demo content is for development. With DEBUG off, set DEMO_EDITOR_PASSWORD.")
        with transaction.atomic():
            sections = load_sections()
            people = load_people()
            created = sum(load_article(data, sections, people) for data in demo_content.ARTICLES)
            load_glossary()
            new_promotions = load_demo_promotions(sections)
            editor = load_demo_editor(password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {len(demo_content.ARTICLES)} articles ({created} new), {len(sections)} sections, "
                f"{len(demo_content.GLOSSARY)} glossary terms, promotions ({new_promotions} new)."
            )
        )
        self.stdout.write(f"Demo editor — email: {editor.email}  password: {password}")


def load_sections():
    return {
        data["slug"]: Section.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "order": data["order"],
                "shows_age_notice": data.get("shows_age_notice", False),
            },
        )[0]
        for data in demo_content.SECTIONS
    }


def load_people():
    return {
        data["slug"]: Person.objects.update_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "credentials": data["credentials"], "bio": data["bio"]},
        )[0]
        for data in demo_content.PEOPLE
    }


def days_ago(days):
    """A fixed time of day, so the demo's dates read naturally."""
    moment = timezone.localtime() - timedelta(days=days)
    return timezone.make_aware(timezone.datetime.combine(moment.date(), time(9, 30)))


def load_article(data, sections, people):
    """Create or update one article; its dates are set only when it is created, and an unchanged
    article is not saved again, so readers do not see a false 'Updated' date."""
    reviewer = people[data["reviewer"]] if data["reviewer"] else None
    reviewed_on = (timezone.localdate() - timedelta(days=data["reviewed_days_ago"])) if reviewer is not None else None
    content = {
        "title": data["title"],
        "summary": data["summary"],
        "body": data["body"],
        "section": sections[data["section"]],
        "source": data["source"],
        "medical_reviewer": reviewer,
        "status": data["status"],
        "is_featured": data["featured"],
    }
    article = Article.objects.filter(slug=data["slug"]).first()
    created = article is None
    if created:
        publish_at = days_ago(data["published_days_ago"])
        article = Article.objects.create(slug=data["slug"], last_reviewed=reviewed_on, publish_at=publish_at, **content)
        # The demo's history starts when each article was published, not when it was loaded.
        history_start = min(publish_at, timezone.now())
        Article.objects.filter(pk=article.pk).update(
            updated_at=history_start, created_at=history_start, content_updated_at=history_start
        )
    else:
        content["body"] = sanitise_html(content["body"])
        changed = [field for field, value in content.items() if getattr(article, field) != value]
        if changed:
            for field in changed:
                setattr(article, field, content[field])
            article.save()
    article.tags.set(data["tags"])
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, person=people[slug], position=position) for position, slug in enumerate(data["authors"])
    )
    article.references.all().delete()
    Reference.objects.bulk_create(
        Reference(article=article, citation=ref["citation"], url=ref["url"], position=position)
        for position, ref in enumerate(data["references"])
    )
    if facts := demo_content.RESEARCH_FACTS.get(article.slug):
        load_research_facts(article, facts)
    if data["featured"] and not article.hero_image:
        article.hero_image.save(f"{article.slug}.png", ContentFile(abstract_image(seed=article.slug)), save=False)
        article.hero_image_alt = HERO_ALT
        article.save(update_fields=["hero_image", "hero_image_alt"])
    # Unchanged content keeps no new revision, so loading again adds none.
    services.record_revision(article=article, summary="Demo content loaded")
    return created


def load_research_facts(article, data):
    presented_on = data.get("presented_on")
    facts, _ = ResearchFacts.objects.update_or_create(
        article=article,
        defaults={
            "study_type": data["study_type"],
            "phase": data.get("phase", ResearchFacts.Phase.NOT_APPLICABLE),
            "participants": data.get("participants"),
            "presented_at": data.get("presented_at", ""),
            "presented_on": date(*presented_on) if presented_on else None,
            "evidence_strength": data["evidence_strength"],
            "what_it_means": data["what_it_means"],
        },
    )
    drugs = [services.DrugName(generic, brands) for generic, brands in data.get("drugs", [])]
    services.research_facts_set_drugs(facts=facts, drugs=drugs)


def load_glossary():
    """Create or update the demo glossary; a term is saved only when it changed, so running the loader
    again leaves the articles' stored bodies alone."""
    articles = {article.slug: article for article in Article.objects.only("slug")}
    for data in demo_content.GLOSSARY:
        values = {
            "term": data["term"],
            "other_names": data["other_names"],
            "definition": data["definition"],
            "learn_more": articles.get(data["learn_more"]),
        }
        term = GlossaryTerm.objects.filter(slug=data["slug"]).first() or GlossaryTerm(slug=data["slug"])
        if term.pk is None or any(getattr(term, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(term, field, value)
            term.full_clean()
            services.glossary_term_save(term=term)


def abstract_image(seed, size=(1200, 630)):
    """A generated illustration (no downloads), sized for link previews."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, (247, 238, 242))
    draw = ImageDraw.Draw(image, "RGBA")
    palette = [(138, 31, 79), (214, 92, 140), (240, 170, 196), (100, 21, 57), (250, 210, 225)]
    for _ in range(14):
        radius = rng.randint(60, 260)
        x, y = rng.randint(0, size[0]), rng.randint(0, size[1])
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*rng.choice(palette), 110))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def load_demo_editor(password):
    editor, _ = get_user_model().objects.get_or_create(
        email=DEMO_EDITOR_EMAIL, defaults={"first_name": "Demo", "last_name": "Editor", "is_staff": True}
    )
    editor.is_staff = True
    editor.is_active = True
    editor.set_password(password)
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"))
    return editor
