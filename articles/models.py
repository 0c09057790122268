from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import BooleanField, ExpressionWrapper, F, Func, Q, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from .sanitise import html_to_text, sanitise_html

SEARCH_CONFIG = "english"
# Private-use characters never occur in articles, so they can mark highlighted words safely.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="One or two sentences shown at the top of the section page.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Sections are listed in the menu in this order.")
    review_interval_months = models.PositiveSmallIntegerField(
        default=12,
        db_default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Articles here are due for medical review this many months after their last review.",
    )
    shows_age_notice = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Tell readers when an article is older than the review interval (right for research news).",
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Person(models.Model):
    """Someone credited on articles (a writer or a medical reviewer); not necessarily a user."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    credentials = models.CharField(
        max_length=120, blank=True, help_text="Shown after the name, e.g. 'MD, FRCP' or 'Science writer'."
    )
    bio = models.TextField(blank=True, help_text="A short biography, two or three sentences.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class ArticleQuerySet(models.QuerySet):
    def visible(self, at=None):
        """The one rule for what readers may see: published, and its publish time has come."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=at or timezone.now())

    def in_section(self, section):
        return self.filter(section=section)

    def tagged(self, tag):
        return self.filter(tags=tag)

    def newest_first(self):
        return self.order_by("-publish_at", "-pk")

    def for_cards(self):
        """What an article card shows, fetched up front so a list costs the same whatever its length."""
        return self.select_related("section").only(
            "title", "slug", "summary", "publish_at", "hero_image", "hero_image_alt",
            "section__name", "section__slug",
        )  # fmt: skip

    def for_page(self):
        return self.select_related("section", "medical_reviewer").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("person").order_by("position")),
            "references",
            "tags",
        )

    def related_to(self, article, tag_ids):
        """Articles sharing a tag or the section with `article`, newest first."""
        return (
            self.exclude(pk=article.pk)
            .filter(Q(section_id=article.section_id) | Q(pk__in=TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Article), tag_id__in=tag_ids
            ).values("object_id")))
            .newest_first()
        )  # fmt: skip

    def due_for_review(self, *, within_days=30, today=None):
        """Published articles whose medical review is overdue or due within `within_days`, soonest first,
        with `review_due` and `review_overdue`. Due means the section's review interval after the last
        review (or, never reviewed, publication)."""
        today = today or timezone.localdate()
        last = Coalesce("last_reviewed", TruncDate("publish_at"))
        interval = Func(F("section__review_interval_months"), template="make_interval(months => %(expressions)s)")
        due = Cast(ExpressionWrapper(last + interval, output_field=models.DateTimeField()), models.DateField())
        return (
            self.filter(status=Article.Status.PUBLISHED, publish_at__isnull=False)
            .annotate(review_due=due)
            .filter(review_due__lte=today + timedelta(days=within_days))
            .annotate(review_overdue=ExpressionWrapper(Q(review_due__lt=today), output_field=BooleanField()))
            .order_by("review_due", "pk")
        )

    def search(self, text):
        """Full-text matches for `text`, title matches first, then by rank and date."""
        query = search_query(text)
        return (
            self.filter(search_vector=query)
            .annotate(
                title_match=TitleMatch("search_vector", query),
                rank=SearchRank(F("search_vector"), query),
            )
            .order_by("-title_match", "-rank", "-publish_at", "-pk")
        )

    def with_snippets(self, text):
        """A passage of summary and body around the matched words, which are marked with
        HIGHLIGHT_START/HIGHLIGHT_STOP so the passage can be escaped before they become <mark>."""
        return self.annotate(
            snippet=SearchHeadline(
                Concat("summary", Value(" "), "body_text", output_field=TextField()),
                search_query(text),
                config=SEARCH_CONFIG,
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_STOP,
                max_fragments=2,
                min_words=12,
                max_words=30,
            )
        )


def search_query(text):
    """Readers' search syntax: words, "quoted phrases", OR, and -excluded words."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


class TitleMatch(Func):
    """True when the query matches the title, which alone carries weight A in the search vector."""

    template = "ts_filter(%(expressions)s, '{a}') @@ %(query)s"
    output_field = BooleanField()

    def __init__(self, vector, query):
        super().__init__(vector)
        self.query = query

    def as_sql(self, compiler, conn, **extra):
        query_sql, query_params = compiler.compile(self.query)
        sql, params = super().as_sql(compiler, conn, query=query_sql, **extra)
        return sql, (*params, *query_params)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The article's address: /articles/<slug>/.")
    summary = models.TextField(
        max_length=600, help_text="Two or three plain sentences: what was found and what it means for readers."
    )
    body = models.TextField(
        help_text="The article. Scripts, styles, event handlers and unsafe links are removed on save."
    )
    body_text = models.TextField(editable=False, blank=True)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(blank=True, help_text="Comma-separated, e.g. 'hormone therapy, metastatic'.")
    authors = models.ManyToManyField(Person, through="Byline", related_name="articles", blank=True)
    medical_reviewer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewed_articles"
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="The date the medical reviewer last checked this article."
    )
    source = models.CharField(
        max_length=255,
        blank=True,
        help_text="Where the findings come from, e.g. '2008 ASCO Breast Cancer Symposium'.",
    )
    hero_image = models.ImageField(upload_to="articles/%Y/%m/", blank=True)
    hero_image_alt = models.CharField(
        "hero image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the image for readers who cannot see it. Required when there is an image.",
    )
    meta_description = models.CharField(
        max_length=300, blank=True, help_text="For search engines and link previews; the summary is used if empty."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "publish date",
        null=True,
        blank=True,
        help_text="Readers see a published article from this moment; a future time schedules it. "
        "Filled with the current time when an article is published without one.",
    )
    embargo_note = models.TextField(
        blank=True,
        db_default="",  # bulk loaders (COPY) that name only the columns they fill keep working
        help_text="Conditions on publishing, e.g. 'Embargoed until 17:00 CET on 9 December, the meeting's "
        "press release time'. Shown to editors only.",
    )
    is_featured = models.BooleanField("featured", default=False, help_text="Featured articles lead the home page.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    content_updated_at = models.DateTimeField(
        null=True, editable=False, help_text="When the title, summary or body last changed."
    )
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        permissions = [("publish_article", "Can publish, schedule, unpublish and archive articles")]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_gin"),
            models.Index(fields=["status", "-publish_at"], name="article_visible_idx"),
            models.Index(fields=["section", "status", "-publish_at"], name="article_section_idx"),
            models.Index(fields=["is_featured", "status", "-publish_at"], name="article_featured_idx"),
        ]

    def __str__(self):
        return self.title

    CONTENT_FIELDS = ("title", "summary", "body")
    TRACKED_FIELDS = (*CONTENT_FIELDS, "slug")

    def save(self, *args, **kwargs):
        self.body = sanitise_html(self.body)
        self.body_text = html_to_text(self.body)
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        loaded = getattr(self, "_loaded_content", {})
        content_changed = any(getattr(self, name) != loaded[name] for name in self.CONTENT_FIELDS if name in loaded)
        if self.content_updated_at is None or content_changed:
            self.content_updated_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "content_updated_at"}
        super().save(*args, **kwargs)
        self._loaded_content = {name: self.__dict__[name] for name in self.TRACKED_FIELDS if name in self.__dict__}
        self.keep_former_slug(loaded.get("slug"))
        Article.refresh_search_vectors([self.pk])

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        # Read __dict__, not attributes: a deferred field must not cost a query here.
        article._loaded_content = {
            name: article.__dict__[name] for name in cls.TRACKED_FIELDS if name in article.__dict__
        }
        return article

    @property
    def is_visible(self):
        """The same rule as ArticleQuerySet.visible(), for one article."""
        return (
            self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at > timezone.now()

    @property
    def age_in_months(self):
        """Whole months since publication, for the 'more than N months old' notice."""
        if not self.publish_at:
            return 0
        published, today = timezone.localtime(self.publish_at).date(), timezone.localdate()
        return (today.year - published.year) * 12 + today.month - published.month - (today.day < published.day)

    @property
    def shows_age_notice(self):
        return self.section.shows_age_notice and self.age_in_months >= self.section.review_interval_months

    @property
    def description(self):
        return self.meta_description or self.summary

    @property
    def was_updated(self):
        """True when the article changed on a later day than it was published."""
        return bool(self.publish_at and self.updated_at and self.updated_at.date() > self.publish_at.date())

    def clean(self):
        errors = {}
        if self.hero_image and not self.hero_image_alt.strip():
            errors["hero_image_alt"] = "Describe the image for readers who cannot see it."
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            errors["last_reviewed"] = "The review date cannot be in the future."
        if self.last_reviewed and not self.medical_reviewer_id:
            errors["medical_reviewer"] = "Name the medical reviewer who reviewed the article on this date."
        if errors:
            raise ValidationError(errors)

    def keep_former_slug(self, former):
        """A published article's old address keeps working: readers are redirected to the new one.
        The current slug is never a former one, so redirects cannot loop."""
        FormerSlug.objects.filter(slug=self.slug).delete()
        if former and former != self.slug and self.status == self.Status.PUBLISHED:
            FormerSlug.objects.update_or_create(slug=former, defaults={"article": self})

    @staticmethod
    def refresh_search_vectors(article_ids):
        """Rebuild the search vectors: title weighs most, then tags and summary, then the body."""
        content_type = ContentType.objects.get_for_model(Article)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE articles_article AS a SET search_vector =
                    setweight(to_tsvector(%(config)s, a.title), 'A')
                    || setweight(to_tsvector(%(config)s, coalesce((
                        SELECT string_agg(t.name, ' ') FROM taggit_taggeditem ti
                        JOIN taggit_tag t ON t.id = ti.tag_id
                        WHERE ti.content_type_id = %(content_type)s AND ti.object_id = a.id
                    ), '')), 'B')
                    || setweight(to_tsvector(%(config)s, a.summary), 'B')
                    || setweight(to_tsvector(%(config)s, a.body_text), 'C')
                WHERE a.id = ANY(%(ids)s)
                """,
                {"config": SEARCH_CONFIG, "content_type": content_type.pk, "ids": list(article_ids)},
            )


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["article", "person"], name="byline_unique_person")]

    def __str__(self):
        return str(self.person)


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    citation = models.TextField(help_text="Authors, title, journal or meeting, year.")
    url = models.URLField("link", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.citation[:80]


class FormerSlug(models.Model):
    """An address a published article used to have; readers following it are redirected."""

    slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="former_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.slug} → {self.article_id}"


class DueForReview(Article):
    """Articles seen by when their medical review is due, for the editors' admin."""

    class Meta:
        proxy = True
        verbose_name = "article due for medical review"
        verbose_name_plural = "due for medical review"
