from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.html import format_html

from . import services
from .models import Article, Byline, DueForReview, Person, Reference, Section

PUBLISH_PERMISSION = "articles.publish_article"


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "credentials")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "credentials")


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ("person",)
    verbose_name = "byline"
    verbose_name_plural = "bylines (in the order shown to readers)"


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 1
    fields = ("position", "citation", "url")
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})},
        # A link typed without a scheme is taken as https://, as Django 6 will do.
        models.URLField: {"assume_scheme": "https"},
    }


class ArticleAdminForm(forms.ModelForm):
    """Writers and reviewers may move an article between draft and review, never onto the site."""

    can_publish = True
    unpublished_statuses = (Article.Status.DRAFT, Article.Status.IN_REVIEW)

    def clean(self):
        cleaned = super().clean()
        if self.can_publish or "status" not in self.fields:
            return cleaned
        status = cleaned.get("status")
        was_status = self.instance.status if self.instance.pk else None
        if status not in self.unpublished_statuses and status != was_status:
            self.add_error("status", "Only editors can publish, schedule or archive articles. Send it to review.")
        return cleaned


class PublicationFilter(admin.SimpleListFilter):
    """Where an article stands for readers: on the site now, scheduled for later, or not published."""

    title = "publication"
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("live", "On the site now"), ("scheduled", "Scheduled"), ("unpublished", "Not published")]

    def queryset(self, request, queryset):
        published = queryset.filter(status=Article.Status.PUBLISHED)
        if self.value() == "live":
            return queryset.visible()
        if self.value() == "scheduled":
            return published.filter(publish_at__gt=timezone.now()).order_by("publish_at")
        if self.value() == "unpublished":
            return queryset.exclude(status=Article.Status.PUBLISHED)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = (
        "title",
        "status_label",
        "section",
        "publish_at",
        "medical_reviewer",
        "last_reviewed",
        "is_featured",
    )
    list_filter = (PublicationFilter, "status", "section", "is_featured", "medical_reviewer")
    list_select_related = ("section", "medical_reviewer")
    search_fields = ("title", "summary", "slug", "tags__name")
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("medical_reviewer",)
    inlines = (BylineInline, ReferenceInline)
    actions = ("publish_selected", "unpublish_selected", "send_selected_to_review")
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("title", "slug", "section", "summary", "body", "tags")}),
        ("Medical review", {"fields": ("medical_reviewer", "last_reviewed")}),
        ("Source", {"fields": ("source",)}),
        ("Image", {"fields": ("hero_image", "hero_image_alt")}),
        ("Publishing", {"fields": ("status", "publish_at", "embargo_note", "is_featured", "meta_description")}),
    )

    @admin.display(description="status", ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            local = timezone.localtime(article.publish_at)
            return format_html("Scheduled for {}", local.strftime("%-d %b %Y, %H:%M"))
        return article.get_status_display()

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.can_publish = self.has_publish_permission(request)
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly += ["publish_at", "is_featured"]
            if obj is not None and obj.status not in ArticleAdminForm.unpublished_statuses:
                readonly.append("status")
        return readonly

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [(value, label) for value, label in Article.Status.choices
                                 if value in ArticleAdminForm.unpublished_statuses]  # fmt: skip
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.action(
        description="Publish selected articles (future publish dates stay scheduled)", permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        count = services.article_publish(articles=queryset)
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        count = services.article_unpublish(articles=queryset)
        self.message_user(request, f"Unpublished {count} article(s); they are drafts again.", messages.SUCCESS)

    @admin.action(description="Send selected articles to review", permissions=["change"])
    def send_selected_to_review(self, request, queryset):
        selected = queryset.count()
        if not self.has_publish_permission(request):
            # Sending a published article to review takes it off the site, which only editors may do.
            queryset = queryset.filter(status=Article.Status.DRAFT)
        count = services.article_send_to_review(articles=queryset)
        self.message_user(request, f"Sent {count} article(s) to review.", messages.SUCCESS)
        if count < selected:
            self.message_user(
                request,
                f"{selected - count} article(s) were left as they were: already in review, or not drafts "
                "(only editors can send published or archived articles back to review).",
                messages.WARNING,
            )


@admin.register(DueForReview)
class DueForReviewAdmin(admin.ModelAdmin):
    """Published articles whose medical review is overdue or due within 30 days, soonest first."""

    list_display = ("title", "section", "medical_reviewer", "last_reviewed", "review_due_display")
    list_select_related = ("section", "medical_reviewer")
    list_filter = ("section", "medical_reviewer")
    search_fields = ("title",)

    def get_queryset(self, request):
        return DueForReview.objects.due_for_review()

    def get_ordering(self, request):
        return ["review_due", "pk"]

    @admin.display(description="review due", ordering="review_due")
    def review_due_display(self, article):
        if article.review_overdue:
            return format_html("<strong>Overdue</strong> since {}", article.review_due)
        return article.review_due

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
