from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag

from articles.models import Section

# A path on this site: one leading slash, never "//" or "/\", which browsers read as another host.
SITE_PATH_PATTERN = r"^/(?![/\\])\S*$"
LINK_MESSAGE = "Use a path on this site such as /accounts/newsletter/, or a full address starting with https://."


def validate_link(value):
    """Readers are sent to this address, so only this site's paths and https:// addresses are allowed."""
    if value.startswith("/"):
        RegexValidator(SITE_PATH_PATTERN, message=LINK_MESSAGE)(value)
    else:
        URLValidator(schemes=["https"], message=LINK_MESSAGE)(value)


class PromotionQuerySet(models.QuerySet):
    def active(self, at=None):
        """Showing at `at` (default now): started, and not yet ended (no end date runs on)."""
        at = at or timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at), starts_at__lte=at)

    def best_for_page(self, *, placements, section_id=None, tag_ids=(), at=None):
        """At most one promotion per placement, the best match for a page, among those active at `at`.

        A promotion with no target sections or tags may show on any page. A targeted one shows only on
        an article in one of its sections or with one of its tags, and counts one match for the section
        and one per shared tag; more matches win, so a targeted promotion beats an untargeted one.
        Pages that are not articles (home) pass no section or tags, so only untargeted ones show there.
        Ties go to the higher weight, then the most recent start, then the newest promotion.

        Written in SQL because every article page runs it: the same query built by the ORM took longer
        to compile than to run. "Active" is the rule of active() above."""
        promotion = self.model
        sections = promotion.target_sections.through._meta.db_table
        tags = promotion.target_tags.through._meta.db_table
        return self.model.objects.raw(
            f"""
            SELECT DISTINCT ON (p.placement) p.*, matched.target_matches
            FROM {promotion._meta.db_table} AS p
            CROSS JOIN LATERAL (SELECT
                (SELECT count(*) FROM {sections} s WHERE s.promotion_id = p.id AND s.section_id = %(section)s)
                + (SELECT count(*) FROM {tags} t WHERE t.promotion_id = p.id AND t.tag_id = ANY(%(tags)s))
                AS target_matches
            ) AS matched
            WHERE p.placement = ANY(%(placements)s)
                AND p.starts_at <= %(at)s AND (p.ends_at IS NULL OR p.ends_at > %(at)s)
                AND (matched.target_matches > 0 OR (
                    NOT EXISTS (SELECT 1 FROM {sections} s WHERE s.promotion_id = p.id)
                    AND NOT EXISTS (SELECT 1 FROM {tags} t WHERE t.promotion_id = p.id)))
            ORDER BY p.placement, matched.target_matches DESC, p.weight DESC, p.starts_at DESC, p.id DESC
            """,
            {
                "section": section_id,
                "tags": list(tag_ids),
                "placements": list(placements),
                "at": at or timezone.now(),
            },
        )


class Promotion(models.Model):
    """One of the charity's own campaigns (the newsletter, a helpline, an event) in a slot on the site."""

    class Placement(models.TextChoices):
        ARTICLE_SIDEBAR = "article_sidebar", "Article page: sidebar"
        BELOW_ARTICLE = "below_article", "Article page: below the article"
        HOME = "home", "Home page"

    headline = models.CharField(max_length=120)
    text = models.TextField(
        "short text", max_length=300, blank=True, help_text="Optional: one or two sentences under the headline."
    )
    image = models.ImageField(
        upload_to="promotions/%Y/%m/", blank=True, width_field="image_width", height_field="image_height"
    )
    # Kept with the file so the page gives the browser the image's size without opening the file.
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        "image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the image for readers who cannot see it. Required when there is an image.",
    )
    link = models.CharField(
        max_length=500,
        validators=[validate_link],
        help_text="Where readers go: a path on this site such as /accounts/newsletter/, or an https:// address.",
    )
    call_to_action = models.CharField(
        "call-to-action label", max_length=60, help_text="The words of the link, e.g. 'Sign up for the newsletter'."
    )
    placement = models.CharField(max_length=20, choices=Placement.choices)
    starts_at = models.DateTimeField("starts", default=timezone.now, help_text="Readers see it from this moment.")
    ends_at = models.DateTimeField(
        "ends", null=True, blank=True, help_text="It stops showing at this moment; leave empty to keep it running."
    )
    target_sections = models.ManyToManyField(
        Section,
        blank=True,
        related_name="+",
        help_text="Show it only on articles in these sections or with the tags below. "
        "Leave both empty to show it on every page with its placement.",
    )
    target_tags = models.ManyToManyField(
        Tag, blank=True, related_name="+", help_text="Show it only on articles with these tags (or sections above)."
    )
    weight = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="From 1 to 100. When several promotions match a page equally well, the heaviest is shown.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PromotionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["placement", "starts_at"], name="promotion_placement_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(link__regex=r"^(https://\S+|/(?![/\\])\S*)$"),
                name="promotion_link_safe",
                violation_error_message=LINK_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="promotion_ends_after_start",
                violation_error_message="The end must come after the start.",
            ),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""),
                name="promotion_image_has_alt",
                violation_error_message="Describe the image for readers who cannot see it.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100),
                name="promotion_weight_range",
                violation_error_message="The weight is a whole number from 1 to 100.",
            ),
        ]

    def __str__(self):
        return self.headline

    def is_active_at(self, at):
        """The same rule as PromotionQuerySet.active(), for one promotion."""
        return self.starts_at <= at and (self.ends_at is None or self.ends_at > at)

    @property
    def is_active(self):
        return self.is_active_at(timezone.now())

    def clean(self):
        errors = {}
        if self.image and not self.image_alt.strip():
            errors["image_alt"] = "Describe the image for readers who cannot see it."
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The end must come after the start."
        if errors:
            raise ValidationError(errors)


class PromotionDailyCount(models.Model):
    """How often a promotion was shown and followed on one day (the newsroom's time zone); nothing
    about who saw or clicked it is kept."""

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="daily_counts")
    date = models.DateField()
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["promotion", "date"], name="promotion_daily_count_unique")]

    def __str__(self):
        return f"Counts for {self.date:%Y-%m-%d}"
