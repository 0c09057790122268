from django import forms
from django.contrib import admin
from django.db.models import ExpressionWrapper, F, FloatField, Sum
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from newsroom.admin_site import CheckedAutocompleteMixin

from .models import Promotion, PromotionDailyCount


def click_through_rate(clicks, impressions):
    return f"{clicks / impressions:.1%}" if impressions else "–"


class PromotionAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        targeted = cleaned.get("target_sections") or cleaned.get("target_tags")
        if cleaned.get("placement") == Promotion.Placement.HOME and targeted:
            self.add_error(
                "placement",
                "The home page shows only untargeted promotions. Choose an article placement, "
                "or remove the target sections and tags.",
            )
        return cleaned


class ShowingFilter(admin.SimpleListFilter):
    """Where a promotion stands now: showing, scheduled for later, or ended."""

    title = "showing"
    parameter_name = "showing"

    def lookups(self, request, model_admin):
        return [("now", "Showing now"), ("scheduled", "Scheduled"), ("ended", "Ended")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "now":
            return queryset.active(now)
        if self.value() == "scheduled":
            return queryset.filter(starts_at__gt=now)
        if self.value() == "ended":
            return queryset.filter(ends_at__lte=now)
        return queryset


class DailyCountInline(admin.TabularInline):
    """The counts day by day, read-only: they are written only by the site."""

    model = PromotionDailyCount
    fields = ("date", "impressions", "clicks", "click_through")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "day"
    verbose_name_plural = "impressions and clicks per day (newest first)"

    @admin.display(description="click-through rate")
    def click_through(self, count):
        return click_through_rate(count.clicks, count.impressions)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Promotion)
class PromotionAdmin(CheckedAutocompleteMixin, admin.ModelAdmin):
    form = PromotionAdminForm
    list_display = (
        "headline",
        "placement",
        "starts_at",
        "ends_at",
        "showing_now",
        "weight",
        "targeting",
        "impressions",
        "clicks",
        "click_through",
    )
    list_filter = (ShowingFilter, "placement")
    search_fields = ("headline",)
    autocomplete_fields = ("target_sections", "target_tags")
    inlines = (DailyCountInline,)
    fieldsets = (
        (None, {"fields": ("headline", "text", "link", "call_to_action")}),
        ("Image", {"fields": ("image", "image_alt")}),
        ("Where and when", {"fields": ("placement", "starts_at", "ends_at", "weight")}),
        ("Targeting (optional)", {"fields": ("target_sections", "target_tags")}),
    )

    def get_queryset(self, request):
        # Totals are summed in the list's own query, so the page costs the same however many rows.
        impressions = Coalesce(Sum("daily_counts__impressions"), 0)
        clicks = Coalesce(Sum("daily_counts__clicks"), 0)
        return (
            super()
            .get_queryset(request)
            .prefetch_related("target_sections", "target_tags")
            .annotate(total_impressions=impressions, total_clicks=clicks)
            .annotate(
                click_through_rate=ExpressionWrapper(
                    F("total_clicks") * 1.0 / NullIf(F("total_impressions"), 0), output_field=FloatField()
                )
            )
        )

    @admin.display(description="showing now", boolean=True)
    def showing_now(self, promotion):
        return promotion.is_active

    @admin.display(description="targeting")
    def targeting(self, promotion):
        names = [section.name for section in promotion.target_sections.all()]
        names += [f"#{tag.name}" for tag in promotion.target_tags.all()]
        return ", ".join(names) or "Untargeted"

    @admin.display(description="impressions", ordering="total_impressions")
    def impressions(self, promotion):
        return promotion.total_impressions

    @admin.display(description="clicks", ordering="total_clicks")
    def clicks(self, promotion):
        return promotion.total_clicks

    @admin.display(description="click-through rate", ordering="click_through_rate")
    def click_through(self, promotion):
        return click_through_rate(promotion.total_clicks, promotion.total_impressions)
