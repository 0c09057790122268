import re
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import JSONBAgg
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import BooleanField, ExpressionWrapper, F, Func, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat, Greatest, JSONObject, Lower, TruncDate
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from images.body import add_image_sizes
from images.models import rendition_rows
from newsroom import links

from . import page_parts
from .glossary import (
    INDEX_PAGE_IDS,
    LETTER_ID_PREFIX,
    GlossaryEntry,
    link_glossary_terms,
    mention_stem,
    normalise_name,
)
from .registries import normalise_registry_id, registry_id_problem, registry_url
from .sanitise import html_to_text, sanitise_html

SEARCH_CONFIG = "english"
# How many matching articles search ranks at most; readers are told when there are more.
SEARCH_CANDIDATES = 120
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
        return links.reverse("articles:section", kwargs={"slug": self.slug})


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


def rows_of(rows, link, order, **fields):
    """`fields` of each of `rows` (a queryset tied to the outer article through its field `link` and
    OuterRef), in `order`, as a JSON list for an annotation: a page reads an article's few related rows in
    the query that reads the article."""
    listed = rows.order_by().values(link).annotate(rows=JSONBAgg(JSONObject(**fields), order_by=order)).values("rows")
    return Coalesce(Subquery(listed[:1], output_field=models.JSONField()), Value([], models.JSONField()))


class ArticleQuerySet(models.QuerySet):
    def visible(self, at=None):
        """The one rule for what readers may see: published, and its publish time has come.
        Raw SQL states it with visible_sql(), written beside it."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=at or timezone.now())

    def scheduled(self, at=None):
        """Published, with a publish time still to come: readers see it from then on."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=at or timezone.now())

    def published(self):
        """Live or scheduled: the approved medical content, changed only through a review."""
        return self.filter(status=Article.Status.PUBLISHED)

    def visible_or_kept(self, kept):
        """Visible articles, plus any a reader keeps a row for (`kept`: their own favorites or dismissals)
        though it was taken down since. Every other hidden article stays out, so its id reads as unknown."""
        return self.filter(Q(pk__in=self.visible().values("pk")) | Q(pk__in=kept.values("article_id")))

    def with_last_change(self):
        """Annotates `last_changed`: when readers last saw the article change, its publication or the
        latest change to its title, summary or body (not the updated_at of every save)."""
        return self.annotate(last_changed=Greatest("publish_at", "content_updated_at"))

    def in_section(self, section):
        return self.filter(section=section)

    def tagged(self, tag):
        return self.filter(tags=tag)

    def newest_first(self):
        return self.order_by("-publish_at", "-pk")

    def for_cards(self):
        """What an article card shows, fetched up front so a list costs the same whatever its length."""
        return (
            self.select_related("section", "hero")
            .only(
                "title", "slug", "summary", "publish_at", "section__name", "section__slug",
                "hero__file", "hero__alt_text", "hero__credit", "hero__width", "hero__height",
            )
            .annotate(hero_renditions=rendition_rows("hero"))
        )  # fmt: skip

    def for_page(self):
        """Everything the article page shows, in one query: research facts joined; bylines, references,
        topics and drugs as JSON rows (see Article.byline_list and the others)."""
        pages = self.select_related("section", "medical_reviewer", "research_facts", "hero")
        article_type = ContentType.objects.get_for_model(Article)
        return pages.annotate(
            hero_renditions=rendition_rows("hero"),
            byline_rows=rows_of(
                Byline.objects.filter(article=OuterRef("pk")), "article",
                ("position", "id"),
                id="id", position="position", person_id="person_id",
                name="person__name", credentials="person__credentials",
            ),
            reference_rows=rows_of(
                Reference.objects.filter(article=OuterRef("pk")), "article",
                ("position", "id"),
                id="id", position="position", citation="citation", url="url",
            ),
            tag_rows=rows_of(
                TaggedItem.objects.filter(content_type=article_type, object_id=OuterRef("pk")), "object_id",
                ("id",),
                id="tag_id", name="tag__name", slug="tag__slug",
            ),
            drug_rows=rows_of(
                StudyDrug.objects.filter(facts__article=OuterRef("pk")), "facts",
                ("position", "id"),
                id="id", facts_id="facts_id", position="position",
                generic_name="generic_name", brand_names="brand_names",
            ),
        )  # fmt: skip

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
            self.published()
            .filter(publish_at__isnull=False)
            .annotate(review_due=due)
            .filter(review_due__lte=today + timedelta(days=within_days))
            .annotate(review_overdue=ExpressionWrapper(Q(review_due__lt=today), output_field=BooleanField()))
            .order_by("review_due", "pk")
        )

    def mentioning(self, names):
        """Articles whose text may mention one of `names` (a generous match: any case, inside words)."""
        stems = {mention_stem(name) for name in names} - {""}
        if not stems:
            return self.none()
        return self.filter(models.Q.create([("body_text__icontains", stem) for stem in stems], connector="OR"))

    def fill_rendered_bodies(self, chunk=500):
        """Render and store every empty body_rendered now, e.g. after a bulk load, rather than on each
        article's first view. Returns how many were filled."""
        pending = self.filter(body_rendered="").exclude(body="")
        entries = GlossaryTerm.objects.entries()
        copied = 0
        if not entries:
            # Nothing to link: a body without images is shown as written.
            copied = pending.exclude(body__contains="<img").update(body_rendered=F("body"))
        ids = list(pending.values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            articles = list(Article.objects.filter(pk__in=ids[start : start + chunk]).only("body"))
            for article in articles:
                article.body_rendered = article.render_body(entries)
            Article.objects.bulk_update(articles, ["body_rendered"])
        return copied + len(ids)

    def search(self, text, candidates=SEARCH_CANDIDATES):
        """Full-text matches for `text`, title matches first, then by rank and date. Only the newest
        `candidates` articles holding the words are ranked, so a word in every article costs no more
        than a rare one: ranking reads each article's whole search vector."""
        query = search_query(text)
        found = self.filter(search_vector=IndexQuery(text)).newest_first().values("pk")[:candidates]
        return (
            self.filter(pk__in=found, search_vector=query)
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


def visible_sql(alias, at_parameter):
    """The visible() rule as an SQL condition on the articles table aliased `alias`, comparing the
    publish time with the named parameter `at_parameter`, for the few queries written in SQL."""
    return f"{alias}.status = '{Article.Status.PUBLISHED.value}' AND {alias}.publish_at <= %({at_parameter})s"


def visible_tags():
    """Tags on at least one article readers can see. A tag used only on drafts or embargoed articles is
    not for readers, not even its name."""
    return Tag.objects.filter(pk__in=Article.objects.visible().values("tags"))


def search_query(text):
    """Readers' search syntax: words, "quoted phrases", OR, and -excluded words."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


class IndexQuery(SearchQuery):
    """The reader's query with each phrase's words asked for anywhere in the article rather than side by
    side. The GIN index answers it without reading any article's search vector; a phrase needs them read
    to check the words' positions, for every article holding the words, which at 100,000 articles took
    most of a second. Candidates found by it are then checked with the phrase."""

    def __init__(self, text):
        super().__init__(text, search_type="websearch", config=SEARCH_CONFIG)

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        return f"regexp_replace(({sql})::text, '<(-|[0-9]+)>', '&', 'g')::tsquery", params


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
        APPROVED = "approved", "Approved"  # medically approved, waiting for an editor to publish it
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The last part of the article's address, as in /articles/this-part/."
    )
    summary = models.TextField(
        max_length=600, help_text="Two or three plain sentences: what was found and what it means for readers."
    )
    body = models.TextField(
        help_text="The article. Scripts, styles, event handlers and unsafe links are removed on save."
    )
    body_text = models.TextField(editable=False, blank=True)
    # The body as readers see it, with glossary links; emptied when a glossary change may alter it
    # and filled again by the next view (fill_rendered_body).
    body_rendered = models.TextField(editable=False, blank=True, default="", db_default="")
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
    hero = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hero_of",
        verbose_name="hero image",
        help_text="Shown above the article and on its cards, chosen from the image library (type to search its "
        "alt text or credit); its alt text and credit come with it. Upload new images under Image library.",
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
    # The latest archiving (soft delete); kept when the article comes back, as a record of it.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    # Whose article it is on the editors' dashboard ("My work"): set when it is added in the admin.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    embargo_note = models.TextField(
        blank=True,
        db_default="",  # bulk loaders (COPY) that name only the columns they fill keep working
        help_text="Conditions on publishing, e.g. 'Embargoed until 17:00 CET on 9 December, the meeting's "
        "press release time'. Shown to editors only.",
    )
    is_featured = models.BooleanField("featured", default=False, help_text="Featured articles lead the home page.")
    # Set on a working copy that holds changes to a published or scheduled article's medical content
    # while they wait for review: readers keep seeing the approved article until the changes are
    # approved and published into it (services.article_save, services.article_changes_start).
    changes_for = models.OneToOneField(
        "self", null=True, blank=True, editable=False, on_delete=models.CASCADE, related_name="pending_changes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    content_updated_at = models.DateTimeField(
        null=True, editable=False, help_text="When the title, summary or body last changed."
    )
    # Raised by every save of the row, so an edit form opened at an older version knows it is out of date.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    # Kept in the row, not the TOAST table (migration 0021): search checks the newest articles' vectors
    # one by one, and fetching each from the TOAST table took three quarters of that walk.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and archive articles"),
            ("approve_article", "Can approve medical content"),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_gin"),
            models.Index(fields=["status", "-publish_at"], name="article_visible_idx"),
            models.Index(fields=["section", "status", "-publish_at"], name="article_section_idx"),
            models.Index(fields=["is_featured", "status", "-publish_at"], name="article_featured_idx"),
            # The sitemaps read visible articles by id range from this index alone (an index-only scan).
            models.Index(
                fields=["id"],
                include=["publish_at", "content_updated_at", "slug"],
                condition=Q(status="published"),
                name="article_sitemap_idx",
            ),
            # Recommendation candidates are checked for visibility and given their section from this index alone.
            models.Index(
                fields=["id"],
                include=["section", "publish_at"],
                condition=Q(status="published"),
                name="article_recommendable_idx",
            ),
        ]
        constraints = [
            # Changes awaiting review are published only by copying them into their article.
            models.CheckConstraint(
                condition=Q(changes_for__isnull=True) | ~Q(status="published"),
                name="article_changes_never_published",
            ),
        ]

    def __str__(self):
        return self.title

    CONTENT_FIELDS = ("title", "summary", "body")
    # What a medical reviewer approves: field names and the related names of rows edited with the article.
    # Changing any of them after approval sends the article back to review (see services.article_edited).
    MEDICAL_FIELDS = (*CONTENT_FIELDS, "references", "research_facts")
    TRACKED_FIELDS = (*CONTENT_FIELDS, "slug")

    def save(self, *args, **kwargs):
        self.body = sanitise_html(self.body)
        self.body_text = html_to_text(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.body_rendered = self.render_body()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "body_text", "body_rendered"}
        self.fill_publish_date()
        loaded = getattr(self, "_loaded_content", {})
        content_changed = any(getattr(self, name) != loaded[name] for name in self.CONTENT_FIELDS if name in loaded)
        if self.content_updated_at is None or content_changed:
            self.content_updated_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "content_updated_at"}
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
        self._loaded_content = {name: self.__dict__[name] for name in self.TRACKED_FIELDS if name in self.__dict__}
        self.keep_former_slug(loaded.get("slug"))
        Article.refresh_search_vectors([self.pk])

    def get_absolute_url(self):
        return links.reverse("articles:detail", kwargs={"slug": self.slug})

    def render_body(self, entries=None):
        """The body with the first mention of each glossary term (all of them unless `entries` are given)
        linked to its glossary entry, and library images sized for every screen."""
        if entries is None:
            entries = GlossaryTerm.objects.entries()
        return add_image_sizes(link_glossary_terms(self.body, entries, index_url=links.reverse("articles:glossary")))

    def fill_rendered_body(self):
        """Render and store a body_rendered left empty by a glossary change or a bulk loader. Stored
        only while the body is still the one rendered, so a concurrent edit is never overwritten."""
        if self.body_rendered or not self.body:
            return
        self.body_rendered = self.render_body()
        Article.objects.filter(pk=self.pk, body=self.body).update(body_rendered=self.body_rendered)

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
        """The same rule as ArticleQuerySet.scheduled(), for one article."""
        return self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at > timezone.now()

    @property
    def is_published(self):
        """The same rule as ArticleQuerySet.published(), for one article."""
        return self.status == self.Status.PUBLISHED

    @property
    def is_pending_changes(self):
        return self.changes_for_id is not None

    @property
    def preview_url(self):
        """Where staff see the article as readers would; changes awaiting review are shown at the
        address of the article they change."""
        if self.is_pending_changes:
            return self.changes_for.get_absolute_url() + "?changes"
        return self.get_absolute_url()

    def fill_publish_date(self, now=None):
        """Publishing without a publish date means now."""
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = now or timezone.now()

    @property
    def age_in_months(self):
        """Whole months since publication, for the 'more than N months old' notice."""
        if not self.publish_at:
            return 0
        published, today = timezone.localtime(self.publish_at).date(), timezone.localdate()
        return (today.year - published.year) * 12 + today.month - published.month - (today.day < published.day)

    @property
    def age_in_words(self):
        """'18 months', or whole years from two years on ('more than 218 months' is hard to take in)."""
        months = self.age_in_months
        if months >= 24:
            return f"{months // 12} years"
        return f"{months} month{pluralize(months)}"

    @property
    def shows_age_notice(self):
        return self.section.shows_age_notice and self.age_in_months >= self.section.review_interval_months

    @property
    def research_facts_or_none(self):
        """The study's facts, or None for an article without them (no query after for_page())."""
        try:
            return self.research_facts
        except ObjectDoesNotExist:
            return None

    @cached_property
    def byline_list(self):
        """The bylines in order, with their people: from for_page()'s rows, else one query."""
        rows = self.__dict__.get("byline_rows")
        if rows is None:
            return list(self.bylines.select_related("person"))
        return [
            Byline(
                id=row["id"],
                article_id=self.pk,
                position=row["position"],
                person=Person(id=row["person_id"], name=row["name"], credentials=row["credentials"]),
            )
            for row in rows
        ]

    @cached_property
    def reference_list(self):
        """The references in order: from for_page()'s rows, else one query."""
        rows = self.__dict__.get("reference_rows")
        if rows is None:
            return list(self.references.all())
        return [Reference(article_id=self.pk, **row) for row in rows]

    @cached_property
    def tag_list(self):
        """The article's topics in the order they were given: from for_page()'s rows, else one query."""
        rows = self.__dict__.get("tag_rows")
        if rows is None:
            return list(self.tags.order_by("taggit_taggeditem_items__id"))
        return [Tag(**row) for row in rows]

    @cached_property
    def drug_list(self):
        """The drugs the study tested, in order (none without research facts): from for_page()'s rows, else
        one query."""
        rows = self.__dict__.get("drug_rows")
        if rows is None:
            facts = self.research_facts_or_none
            return list(facts.drugs.all()) if facts is not None else []
        return [StudyDrug(**row) for row in rows]

    def drug_glossary(self):
        """Glossary entries for the names of the drugs studied, by lower-case name, to link them in the
        research facts card: one query, none for an article without drugs (after for_page())."""
        names = [name for drug in self.drug_list for name in (drug.generic_name, *drug.brand_name_list)]
        return GlossaryTerm.objects.entries_by_name(names) if names else {}

    @property
    def hero_picture(self):
        """The hero image as readers see it; for_cards() and for_page() fetch its renditions with the article."""
        if self.hero_id is None:
            return None
        return self.hero.picture(self.__dict__.get("hero_renditions"))

    @property
    def description(self):
        return self.meta_description or self.summary

    @property
    def was_updated(self):
        """True when the article changed on a later day than it was published."""
        return bool(self.publish_at and self.updated_at and self.updated_at.date() > self.publish_at.date())

    def clean(self):
        errors = {}
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
        if former and former != self.slug and self.is_published:
            FormerSlug.objects.update_or_create(slug=former, defaults={"article": self})

    @staticmethod
    def refresh_search_vectors(article_ids):
        """Rebuild the search vectors: title weighs most, then tags, summary and the study's drugs, then the body."""
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
                    || setweight(to_tsvector(%(config)s, coalesce((
                        SELECT string_agg(d.generic_name || ' ' || d.brand_names, ' ') FROM articles_studydrug d
                        WHERE d.facts_id = a.id
                    ), '')), 'B')
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


class ArticleTransition(models.Model):
    """One step in an article's workflow: who moved it from which status to which, when, and why.
    An entry whose statuses are equal notes an edit that did not change the status."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Article.Status.choices)
    to_status = models.CharField(max_length=12, choices=Article.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


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


class ResearchFacts(models.Model):
    """The facts of the study a research-news article reports, shown to readers as 'About this study'."""

    class StudyType(models.TextChoices):
        RANDOMISED_TRIAL = "randomised-trial", "Randomised controlled trial"
        NON_RANDOMISED_TRIAL = "non-randomised-trial", "Non-randomised or single-arm trial"
        OBSERVATIONAL = "observational", "Observational study (cohort or case-control)"
        LABORATORY = "laboratory", "Laboratory or animal study"
        REVIEW = "review", "Systematic review or meta-analysis"
        OTHER = "other", "Other"

    TRIAL_TYPES = (StudyType.RANDOMISED_TRIAL, StudyType.NON_RANDOMISED_TRIAL)

    class Phase(models.TextChoices):
        NOT_APPLICABLE = "", "Not applicable or not reported"
        PHASE_1 = "1", "Phase 1"
        PHASE_1_2 = "1/2", "Phase 1/2"
        PHASE_2 = "2", "Phase 2"
        PHASE_3 = "3", "Phase 3"
        PHASE_4 = "4", "Phase 4"

    class EvidenceStrength(models.IntegerChoices):
        EARLY = 1, "Early"
        EMERGING = 2, "Emerging"
        MODERATE = 3, "Moderate"
        STRONG = 4, "Strong"

    EVIDENCE_MEANINGS = {
        EvidenceStrength.EARLY: "First findings, for example from the laboratory, animals or a handful of people. "
        "They show what is worth studying next, not what to do now.",
        EvidenceStrength.EMERGING: "Promising results in people, but from small or early studies. Larger studies "
        "are needed before anyone can be sure.",
        EvidenceStrength.MODERATE: "Consistent results from well-designed studies in people. Further research "
        "could still change the picture.",
        EvidenceStrength.STRONG: "Clear, consistent results from large, well-run trials or reviews of several "
        "trials. More research is unlikely to change the conclusion.",
    }

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="research_facts")
    study_type = models.CharField(max_length=24, choices=StudyType.choices)
    phase = models.CharField(
        max_length=4,
        choices=Phase.choices,
        blank=True,
        default=Phase.NOT_APPLICABLE,
        help_text="Only for clinical trials.",
    )
    participants = models.PositiveIntegerField(
        "number of participants",
        null=True,
        blank=True,
        validators=[MinValueValidator(1, "A study has at least one participant; leave this empty if unknown.")],
        help_text="People who took part (for laboratory studies, leave empty unless people took part).",
    )
    registry_id = models.CharField(
        "trial registry number",
        max_length=40,
        blank=True,
        help_text="e.g. NCT01234567 (ClinicalTrials.gov), ISRCTN12345678, 2015-001234-56 (EudraCT) or "
        "2023-501234-12-00 (EU CT). Readers get a link to the registry record for these formats.",
    )
    presented_at = models.CharField(
        "presented or published at",
        max_length=200,
        blank=True,
        help_text="The meeting or journal, e.g. 'San Antonio Breast Cancer Symposium' or 'The Lancet Oncology'.",
    )
    presented_on = models.DateField(
        "presented or published on", null=True, blank=True, help_text="The day of the presentation or publication."
    )
    evidence_strength = models.PositiveSmallIntegerField(
        choices=EvidenceStrength.choices,
        null=True,
        blank=True,
        help_text="Readers see the level with its meaning: "
        + " ".join(f"{level.label}: {meaning}" for level, meaning in EVIDENCE_MEANINGS.items()),
    )
    what_it_means = models.TextField(
        "what this means for you",
        blank=True,
        max_length=1000,
        help_text="A few plain sentences for readers, e.g. whether anything changes for them now.",
    )

    class Meta:
        verbose_name = "research facts"
        verbose_name_plural = "research facts"
        constraints = [
            models.CheckConstraint(condition=Q(participants__gte=1), name="research_facts_participants_positive"),
            models.CheckConstraint(
                condition=Q(phase="") | Q(study_type__in=["randomised-trial", "non-randomised-trial"]),
                name="research_facts_phase_only_for_trials",
            ),
        ]

    def __str__(self):
        return f"Research facts: {self.get_study_type_display()}"

    @property
    def is_trial(self):
        return self.study_type in self.TRIAL_TYPES

    @property
    def evidence_meaning(self):
        return self.EVIDENCE_MEANINGS.get(self.evidence_strength, "")

    @property
    def registry_url(self):
        return registry_url(self.registry_id)

    def clean(self):
        errors = {}
        self.registry_id = normalise_registry_id(self.registry_id)
        if problem := registry_id_problem(self.registry_id):
            errors["registry_id"] = problem
        if self.phase and not self.is_trial:
            errors["phase"] = (
                "Phases apply only to clinical trials: choose 'Not applicable', or change the study type to a trial."
            )
        if errors:
            raise ValidationError(errors)


class StudyDrug(models.Model):
    """A drug the study tested, by its generic name and any brand names."""

    facts = models.ForeignKey(ResearchFacts, on_delete=models.CASCADE, related_name="drugs")
    generic_name = models.CharField(max_length=120, help_text="e.g. trastuzumab")
    brand_names = models.CharField(max_length=200, blank=True, help_text="Comma-separated, e.g. Herceptin")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.generic_name} ({self.brand_names})" if self.brand_names else self.generic_name

    @property
    def brand_name_list(self):
        return split_names(self.brand_names)

    @property
    def topic(self):
        """The drug as readers follow it: by its generic name, which studies write in any case."""
        return page_parts.topic("drug", drug_name_key(self.generic_name))


def drug_name_key(name):
    """'Tamoxifen ' -> 'tamoxifen': one drug however a study's row writes it."""
    return " ".join(name.split()).lower()


BLOCK_TAG_SPACE = re.compile(
    r"\s*(</?(?:p|br|hr|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|figure|figcaption|table"
    r"|caption|thead|tbody|tfoot|tr|th|td)\b[^>]*>)\s*",
    re.IGNORECASE,
)


def comparable(value):
    """`value` (a snapshot's text, list or dict) as readers would perceive it, for comparing two versions:
    a browser's CRLF line endings, surrounding spaces and spaces between blocks are no change."""
    if isinstance(value, str):
        return BLOCK_TAG_SPACE.sub(r"\1", " ".join(value.split()))
    if isinstance(value, list | tuple):
        return [comparable(item) for item in value]
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    return value


class ArticleRevision(models.Model):
    """The article's editable content as it was after one save, so editors can compare and restore it.

    `content` is a snapshot made by services.article_snapshot(); its keys are the ones below."""

    # Content keys with the words editors see; a revision is kept only when one of these changed.
    FIELD_LABELS = {
        "title": "title",
        "slug": "address (slug)",
        "summary": "summary",
        "body": "body",
        "section": "section",
        "tags": "tags",
        "bylines": "bylines",
        "medical_reviewer": "medical reviewer",
        "last_reviewed": "last reviewed",
        "source": "source",
        "references": "references",
        "hero": "hero image",
        "meta_description": "meta description",
        "embargo_note": "embargo note",
        "research_facts": "research facts",
    }
    # Kept for the record but not content: publishing decisions belong to editors' publishing
    # actions, so they neither make a revision on their own nor come back on a restore.
    PUBLISHING_KEYS = ("status", "publish_at", "is_featured")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(help_text="1 for the article's first revision, then 2, 3…")
    created_at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=200, blank=True, help_text="Why it was made, e.g. 'Restored revision 3'.")
    changed_fields = models.JSONField(
        default=list, blank=True, help_text="Content keys that differ from the previous revision."
    )
    content = models.JSONField()

    class Meta:
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number")]

    def __str__(self):
        return f"Revision {self.number} of article {self.article_id}"

    @classmethod
    def differences(cls, old_content, new_content):
        """The content keys (in FIELD_LABELS order) whose values differ between two snapshots, ignoring
        differences readers cannot see: line endings, runs of spaces, spaces around block tags."""
        return [key for key in cls.FIELD_LABELS if comparable(old_content.get(key)) != comparable(new_content.get(key))]

    @classmethod
    def labels(cls, keys):
        return [cls.FIELD_LABELS[key] for key in keys if key in cls.FIELD_LABELS]

    @property
    def changed_labels(self):
        return self.labels(self.changed_fields)


class EditingPresence(models.Model):
    """A member of staff with an article's change form open, kept alive by the form's heartbeat."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="presence_unique_user")]

    def __str__(self):
        return f"{self.user} editing article {self.article_id}"


class AutosavedDraft(models.Model):
    """What one user had typed in an article's change form and not saved: private to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(help_text="The form's fields as [name, value] pairs, inline rows included.")
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="autosave_unique_user_article")]

    def __str__(self):
        return f"Autosave of article {self.article_id} by {self.user}"


class GlossaryTermQuerySet(models.QuerySet):
    def for_index(self):
        """What the glossary page shows, in one query whatever the number of terms."""
        return self.select_related("learn_more").only(
            "term", "slug", "other_names", "definition",
            "learn_more__slug", "learn_more__title", "learn_more__status", "learn_more__publish_at",
        )  # fmt: skip

    def entries_by_name(self, names):
        """The entries of the terms known by any of `names`, by lower-case name, for linking names outside
        the body. Only terms that may match are read (a name inside other_names), however big the glossary."""
        wanted = {name.lower() for name in names}
        candidates = self.none()
        for name in wanted:
            candidates |= self.filter(Q(term__iexact=name) | Q(other_names__icontains=name))
        return {name.lower(): entry for entry in candidates.entries() for name in entry.names if name.lower() in wanted}

    def entries(self):
        """Every term as the body linker needs it."""
        return [
            GlossaryEntry(slug=slug, names=names_of(term, other_names), definition=definition)
            for term, slug, other_names, definition in self.values_list("term", "slug", "other_names", "definition")
        ]


def split_names(text):
    """'Herceptin,  trastuzumab ,' -> ['Herceptin', 'trastuzumab']."""
    return [normalise_name(name) for name in text.split(",") if normalise_name(name)]


def names_of(term, other_names):
    """The term and its other names, without repeats (ignoring case)."""
    names = {}
    for name in [normalise_name(term), *split_names(other_names)]:
        names.setdefault(name.lower(), name)
    return tuple(names.values())


class GlossaryTerm(models.Model):
    """A word readers may not know, explained in plain language; article bodies link its first mention."""

    term = models.CharField(
        max_length=100,
        help_text="The name the entry is listed under, e.g. 'Trastuzumab' or 'Hormone-receptor-positive'.",
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The entry's anchor on the glossary page (/glossary/#slug). Changing it breaks links to it from "
        "outside the site.",
    )
    other_names = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other names readers may meet, separated by commas: brand names, the generic (chemical) name, "
        "abbreviations. E.g. for trastuzumab: 'Herceptin'. Plurals (-s, -es, -ies) are recognised without "
        "listing them.",
    )
    definition = models.TextField(
        max_length=600,
        help_text="Two or three plain sentences without jargon. Readers see it on the glossary page and when "
        "they point at or focus a linked word in an article.",
    )
    learn_more = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="learn more article",
        help_text="Optional: an article on this site that explains more. Shown only while it is published.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = GlossaryTermQuerySet.as_manager()

    class Meta:
        ordering = [Lower("term")]
        constraints = [
            models.UniqueConstraint(
                Lower("term"),
                name="glossary_term_unique_name",
                violation_error_message="There is already a glossary term with this name (capitals do not count).",
            )
        ]

    def __str__(self):
        return self.term

    @property
    def names(self):
        return names_of(self.term, self.other_names)

    @property
    def other_name_list(self):
        return list(self.names[1:])

    def clean(self):
        errors = {}
        if self.term and not any(character.isalnum() for character in self.term):
            errors["term"] = "The term needs letters or numbers."
        unreadable = [name for name in split_names(self.other_names) if not any(c.isalnum() for c in name)]
        if unreadable:
            errors["other_names"] = f"‘{unreadable[0]}’ is not a name: each name needs letters or numbers."
        if self.slug in INDEX_PAGE_IDS or self.slug.startswith(LETTER_ID_PREFIX):
            errors["slug"] = f"The glossary page already uses ‘{self.slug}’; add a word, e.g. ‘{self.slug}-term’."
        errors.update(self.name_clashes())
        if errors:
            raise ValidationError(errors)

    def name_clashes(self):
        """A name may belong to one term only, or readers could not tell which entry a word links to.
        Two terms with the same main name are left to the unique constraint, which says so itself."""
        term = normalise_name(self.term).lower()
        taken = {}
        for other in GlossaryTerm.objects.exclude(pk=self.pk).only("term", "other_names"):
            for name in other.names[1:]:
                taken.setdefault(name.lower(), (other.term, "another name of"))
            taken.setdefault(normalise_name(other.term).lower(), (other.term, "the name of"))
        errors = {}
        if term in taken and taken[term][1] == "another name of":
            errors["term"] = f"‘{self.term}’ is already another name of the glossary term ‘{taken[term][0]}’."
        for name in split_names(self.other_names):
            if name.lower() in taken:
                owner, relation = taken[name.lower()]
                errors["other_names"] = f"‘{name}’ is already {relation} the glossary term ‘{owner}’."
                break
        return errors


class StaffNotification(models.Model):
    """Something a member of staff should know about an article: shown on their desk in the admin until they
    mark it read, and emailed unless they turned email off (StaffNotificationPreference)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"
        REVIEW_OVERDUE = "review_overdue", "Medical review overdue"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField()
    # What happened and for whom, e.g. "move:12:user:3": one notification, and one email (its send key), per event
    # and person however often the event is told.
    key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The desk lists each person's unread notifications, newest first.
            models.Index(
                fields=["recipient", "-created_at"], condition=Q(read_at__isnull=True), name="staffnotification_unread"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient_id}: {self.message[:60]}"


class StaffNotificationPreference(models.Model):
    """A member of staff's choice about notification emails; without a row, they are emailed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    email = models.BooleanField(
        "email me my notifications",
        default=True,
        help_text="Notifications still appear on your desk in the admin when this is off.",
    )

    def __str__(self):
        return f"Notification emails {'on' if self.email else 'off'} for {self.user_id}"
