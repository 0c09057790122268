"""Load the demo sections, people, articles and glossary from the files in articles/demo/, and demo staff
accounts (editor, medical reviewer, writer). Safe to run again."""

import os
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles import demo, demo_images, services
from articles.models import Article, ArticleTransition, Byline, GlossaryTerm, Person, Reference, ResearchFacts, Section
from articles.sanitise import sanitise_html
from images import services as image_services
from images.models import Image as LibraryImage

DEMO_EDITOR_EMAIL = "editor@newsroom.example"
DEMO_EDITOR_DEFAULT_PASSWORD = "read-the-research-2026"
# Demo staff, all with the demo editor's password, so each step of the workflow can be tried.
DEMO_STAFF = {
    "editor": ("Demo editor", DEMO_EDITOR_EMAIL, "Editors"),
    "reviewer": ("Demo medical reviewer", "reviewer@newsroom.example", "Medical reviewers"),
    "writer": ("Demo writer", "writer@newsroom.example", "Writers"),
}
APPROVAL_COMMENT = "Figures, doses and wording checked against the references."
# Every demo article's hero is an illustration drawn by articles/demo_images.py, with this credit.
HERO_CREDIT = "Illustration: Newsroom demo"


class Command(BaseCommand):
    help = (
        "Load demo content (about 30 articles and a glossary) and demo staff accounts; "
        "running it again changes nothing."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_EDITOR_PASSWORD") or DEMO_EDITOR_DEFAULT_PASSWORD
        if not settings.DEBUG and "DEMO_EDITOR_PASSWORD" not in os.environ:
            raise CommandError("Demo content is for development. With DEBUG off, set DEMO_EDITOR_PASSWORD.")
        try:
            content = demo.load()
        except demo.DemoContentError as error:
            raise CommandError(f"Demo content not loaded: {error}") from None
        with transaction.atomic():
            staff = load_demo_staff(password)
            sections = load_sections(content.sections)
            people = load_people(content.people)
            numbers = numbers_in_section(content.articles)
            created = sum(
                load_article(data, sections, people, staff, numbers[data["slug"]]) for data in content.articles
            )
            load_glossary(content.glossary)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {len(content.articles)} articles ({created} new), {len(sections)} sections, "
                f"{len(content.glossary)} glossary terms."
            )
        )
        for role, (title, _, _) in DEMO_STAFF.items():
            self.stdout.write(f"{title} — email: {staff[role].email}  password: {password}")


def load_sections(items):
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
        for data in items
    }


def load_people(items):
    return {
        data["slug"]: Person.objects.update_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "credentials": data["credentials"], "bio": data["bio"]},
        )[0]
        for data in items
    }


def morning_of(day):
    """A fixed time of day, so the demo's dates read naturally."""
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def numbers_in_section(articles):
    """Each article's place among its section's articles by publication date (0, 1, 2…), which picks its
    illustration's motif: articles next to each other in a list then show different motifs."""
    numbers, counts = {}, Counter()
    for data in sorted(articles, key=lambda data: (data["published_on"] or date.max, data["slug"])):
        numbers[data["slug"]] = counts[data["section"]]
        counts[data["section"]] += 1
    return numbers


def load_article(data, sections, people, staff, number):
    """Create or update one article; its dates are set only when it is created, and an unchanged
    article is not saved again, so readers do not see a false 'Updated' date."""
    reviewer = people[data["reviewer"]] if data["reviewer"] else None
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
        publish_at = morning_of(data["published_on"]) if data["published_on"] else None
        article = Article.objects.create(
            slug=data["slug"], last_reviewed=data["reviewed_on"], publish_at=publish_at, **content
        )
        # The demo's history starts when each article was published, not when it was loaded.
        history_start = min(publish_at, timezone.now()) if publish_at else timezone.now()
        steps = record_workflow_history(article, staff, until=history_start)
        Article.objects.filter(pk=article.pk).update(
            updated_at=history_start,
            created_at=history_start - timedelta(days=steps),
            content_updated_at=history_start,
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
    if data["research_facts"]:
        load_research_facts(article, data["research_facts"])
    illustrate(article, number)
    # Unchanged content keeps no new revision, so loading again adds none.
    services.record_revision(article=article, summary="Demo content loaded")
    return created


def load_research_facts(article, data):
    facts, _ = ResearchFacts.objects.update_or_create(
        article=article,
        defaults={field: value for field, value in data.items() if field != "drugs"},
    )
    drugs = [services.DrugName(generic, brands) for generic, brands in data["drugs"]]
    services.research_facts_set_drugs(facts=facts, drugs=drugs)


def load_glossary(items):
    """Create or update the demo glossary; a term is saved only when it changed, so running the loader
    again leaves the articles' stored bodies alone."""
    articles = {article.slug: article for article in Article.objects.only("slug")}
    for data in items:
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


def illustrate(article, number):
    """Give a demo article the illustration drawn for its section. A hero an editor chose (another credit)
    stays. The loader's own is replaced only when it would now be drawn differently (its alt text, which
    names motif and colours, differs): loading again adds nothing, and the abstract circles of earlier
    demos give way to the section's picture."""
    illustration = demo_images.Illustration(section=article.section.slug, seed=article.slug, number=number)
    former = article.hero
    if former is not None and (former.credit != HERO_CREDIT or former.alt_text == illustration.alt_text):
        return
    # Into the image library like any upload; its renditions are made when the load commits.
    article.hero = image_services.image_save(
        image=LibraryImage(
            file=ContentFile(illustration.png(), name=f"{article.slug}.png"),
            alt_text=illustration.alt_text,
            credit=HERO_CREDIT,
        )
    )
    article.save(update_fields=["hero"])
    if former is not None and not image_in_use(former):
        image_services.images_delete(images=[former])


def image_in_use(image):
    return image.hero_of.exists() or Article.objects.filter(body__contains=image.file.name).exists()


def record_workflow_history(article, staff, *, until):
    """The workflow steps that brought a new demo article to its status, a day apart and ending at
    `until`: a writer submits, a medical reviewer approves, an editor publishes. Returns how many."""
    path = [
        (Article.Status.DRAFT, Article.Status.IN_REVIEW, staff["writer"], ""),
        (Article.Status.IN_REVIEW, Article.Status.APPROVED, staff["reviewer"], APPROVAL_COMMENT),
        (Article.Status.APPROVED, Article.Status.PUBLISHED, staff["editor"], ""),
        (Article.Status.PUBLISHED, Article.Status.ARCHIVED, staff["editor"], ""),
    ]
    statuses_in_order = [Article.Status.DRAFT, *(target for _, target, _, _ in path)]
    steps = path[: statuses_in_order.index(article.status)]
    ArticleTransition.objects.bulk_create(
        ArticleTransition(
            article=article,
            from_status=source,
            to_status=target,
            actor=actor,
            comment=comment,
            created_at=until - timedelta(days=len(steps) - number),
        )
        for number, (source, target, actor, comment) in enumerate(steps, start=1)
    )
    return len(steps)


def load_demo_staff(password):
    """The demo editor, medical reviewer and writer, each in their editorial group."""
    staff = {}
    for role, (title, email, group) in DEMO_STAFF.items():
        user, _ = get_user_model().objects.get_or_create(email=email)
        # The admin greets staff by first name: the whole title says which role is signed in.
        user.first_name, user.last_name = title, ""
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=group))
        staff[role] = user
    return staff
