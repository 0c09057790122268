from django.contrib import admin
from django.db.models import Avg, Count
from django.db.models.functions import TruncMonth

from . import report
from .models import Dismissal, MostDismissed, RecommendationShown, SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    """Answers to 'Are these recommendations helpful?', with the monthly trend above the list."""

    change_list_template = "admin/recommendations/surveyresponse/change_list.html"
    list_display = ("created_at", "rating", "more_of", "less_of", "comment")
    list_filter = ("rating",)
    date_hierarchy = "created_at"
    search_fields = ("comment",)
    fields = ("rating", "more_of", "less_of", "comment", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        by_month = (
            SurveyResponse.objects.annotate(month=TruncMonth("created_at"))
            .values("month")
            .annotate(answers=Count("pk"), average=Avg("rating"))
            .order_by("-month")[:24]
        )
        return super().changelist_view(request, {**(extra_context or {}), "by_month": by_month})


@admin.register(MostDismissed)
class MostDismissedAdmin(admin.ModelAdmin):
    list_display = ("title", "section", "dismissals_count")
    list_select_related = ("section",)
    list_filter = ("section",)
    search_fields = ("title",)

    def get_queryset(self, request):
        # Not super(): it would order by get_ordering() before the count exists.
        return MostDismissed.objects.annotate(dismissal_count=Count("dismissals")).filter(dismissal_count__gt=0)

    def get_ordering(self, request):
        return ["-dismissal_count", "title"]

    @admin.display(description="readers not interested", ordering="dismissal_count")
    def dismissals_count(self, article):
        return article.dismissal_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dismissal)
class DismissalAdmin(admin.ModelAdmin):
    list_display = ("article", "created_at")
    list_select_related = ("article",)
    date_hierarchy = "created_at"
    search_fields = ("article__title",)
    fields = ("article", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(RecommendationShown)
class RecommendationShownAdmin(admin.ModelAdmin):
    """Recommendations shown to readers, read-only, with click-through and save-through above the list
    (recommendations/report.py) and, during an A/B test, the arms compared."""

    change_list_template = "admin/recommendations/recommendationshown/change_list.html"
    list_display = ("shown_at", "article", "surface", "position", "reason", "test", "arm")
    list_select_related = ("article",)
    list_filter = ("surface", "reason", "arm")
    date_hierarchy = "shown_at"
    fields = list_display
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        arm_rows, comparisons = report.arms()
        context = {
            "weeks": report.by_week(),
            "arm_rows": arm_rows,
            "comparisons": comparisons,
            "open_within": report.OPEN_WITHIN,
            "save_within": report.SAVE_WITHIN,
        }
        return super().changelist_view(request, {**(extra_context or {}), **context})
