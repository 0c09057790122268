from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
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

    def best_for_page(self, *, placements, section_id=None, tag_ids=()):
        """At most one promotion per placement, the best match for a page.

        A promotion with no target sections or tags may show on any page. A targeted one shows only on
        an article in one of its sections or with one of its tags, and counts one match for the section
        and one per shared tag; more matches win, so a targeted promotion beats an untargeted one.
        Pages that are not articles (home) pass no section or tags, so only untargeted ones show there.
        Ties go to the higher weight, then the most recent start, then the newest promotion."""
        section_links = self.model.target_sections.through.objects.filter(promotion_id=OuterRef("pk"))
        tag_links = self.model.target_tags.through.objects.filter(promotion_id=OuterRef("pk"))
        matches = Value(0)
        if section_id is not None:
            matches = Case(When(Exists(section_links.filter(section_id=section_id)), then=Value(1)), default=Value(0))
        if tag_ids:
            shared_tags = tag_links.filter(tag_id__in=tag_ids).values("promotion_id").annotate(n=Count("*"))
            matches = matches + Coalesce(Subquery(shared_tags.values("n")), Value(0))
        untargeted = ~Exists(section_links) & ~Exists(tag_links)
        return (
            self.filter(placement__in=placements)
            .annotate(target_matches=matches)
            .filter(untargeted | Q(target_matches__gt=0))
            .order_by("placement", "-target_matches", "-weight", "-starts_at", "-pk")
            .distinct("placement")
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
    image = models.ImageField(upload_to="promotions/%Y/%m/", blank=True)
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
