from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from . import services, workflow
from .models import Article, Byline, DueForReview, Person, Reference, Section


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
    """The status list offers only the workflow moves the user may make from the article's status;
    anything else posted is refused with the workflow's reason. New articles start as drafts."""

    acting_user = None  # set for each request by ArticleAdmin.get_form

    transition_comment = forms.CharField(
        label="Comment for the timeline",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional. Saved with this status change, e.g. what needs changing or what you checked.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status_before = self.instance.status if self.instance.pk else Article.Status.DRAFT
        if "status" in self.fields:
            moves = workflow.transitions_open_to(self.acting_user, self.status_before)
            # Only the list shown is narrowed: the workflow itself judges what is posted, with its reasons.
            self.fields["status"].widget.choices = [
                (self.status_before, f"{Article.Status(self.status_before).label} (no change)"),
                *((move.target, move.label) for move in moves),
            ]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status != self.status_before:
            reason = workflow.refusal(self.acting_user, self.status_before, status)
            if reason:
                self.add_error("status", reason)
        return cleaned

    def changes_medical_fields(self):
        """Whether a medical field of the article itself changed; whitespace alone (a browser's line
        endings) is no change."""
        return any(
            name in self.changed_data and not _same_words(self[name].initial, self.cleaned_data.get(name))
            for name in Article.MEDICAL_FIELDS
        )


def _same_words(first, second):
    return isinstance(first, str) and isinstance(second, str) and first.split() == second.split()


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
    actions = ("approve_selected", "publish_selected", "unpublish_selected", "send_selected_to_review")
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("title", "slug", "section", "summary", "body", "tags")}),
        ("Medical review", {"fields": ("medical_reviewer", "last_reviewed")}),
        ("Source", {"fields": ("source",)}),
        ("Image", {"fields": ("hero_image", "hero_image_alt")}),
        (
            "Publishing",
            {
                "fields": (
                    "status",
                    "transition_comment",
                    "publish_at",
                    "embargo_note",
                    "is_featured",
                    "meta_description",
                )
            },
        ),
    )
    timeline_fieldset = ("Timeline", {"fields": ("timeline",)})

    @admin.display(description="status", ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            local = timezone.localtime(article.publish_at)
            return format_html("Scheduled for {}", local.strftime("%-d %b %Y, %H:%M"))
        return article.get_status_display()

    @admin.display(description="Status changes, oldest first")
    def timeline(self, article):
        steps = article.transitions.select_related("actor")
        if not steps:
            return "No status changes recorded yet."
        return format_html(
            '<ol class="workflow-timeline">{}</ol>',
            format_html_join(
                "",
                '<li><time datetime="{}">{}</time> — {}: {} → {}{}</li>',
                (
                    (
                        step.created_at.isoformat(),
                        timezone.localtime(step.created_at).strftime("%-d %b %Y, %H:%M"),
                        step.actor or "someone no longer on the staff",
                        step.get_from_status_display(),
                        step.get_to_status_display(),
                        format_html(". <q>{}</q>", step.comment) if step.comment else "",
                    )
                    for step in steps
                ),
            ),
        )

    def has_publish_permission(self, request):
        return request.user.has_perm(workflow.PUBLISH_PERMISSION)

    def has_approve_permission(self, request):
        return request.user.has_perm(workflow.APPROVE_PERMISSION)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is None else (*fieldsets, self.timeline_fieldset)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.acting_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "timeline"]
        if not self.has_publish_permission(request):
            readonly += ["publish_at", "is_featured"]
        if obj is not None and not workflow.transitions_open_to(request.user, obj.status):
            readonly.append("status")
        return readonly

    def save_model(self, request, obj, form, change):
        # The status is changed by the workflow in save_related, once the inlines are saved too;
        # the stored status is kept here, read under lock so a change made meanwhile is not undone.
        obj.status = (
            Article.objects.select_for_update().values_list("status", flat=True).get(pk=obj.pk)
            if change
            else form.status_before
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        # Inline rows count by their formset's prefix, which is the related name (e.g. "references").
        medical_changed = change and (
            form.changes_medical_fields()
            or any(formset.has_changed() for formset in formsets if formset.prefix in Article.MEDICAL_FIELDS)
        )
        try:
            outcome = services.article_edited(
                article=article,
                by=request.user,
                to_status=form.cleaned_data.get("status", article.status),
                comment=form.cleaned_data.get("transition_comment", ""),
                medical_content_changed=medical_changed,
            )
        except services.TransitionRefused as refused:
            self.message_user(request, f"Your edits were saved but the status was not changed: {refused.message}",
                              messages.ERROR)  # fmt: skip
            return
        if outcome.sent_back_to_review:
            self.message_user(
                request,
                f"“{article}” went back to review: its medical content changed after approval, so a medical "
                "reviewer needs to approve it again before it can be published.",
                messages.WARNING,
            )

    def transition_selected(self, request, queryset, to_status, done):
        """Move the selected articles the workflow allows; `done` reports how many, e.g. 'Published {} article(s).'"""
        outcome = services.article_transition_bulk(articles=queryset, to_status=to_status, by=request.user)
        self.message_user(request, done.format(outcome.changed), messages.SUCCESS)
        for message in outcome.skipped_messages():
            self.message_user(request, message, messages.WARNING)

    @admin.action(description="Approve selected articles (medical content checked)", permissions=["approve"])
    def approve_selected(self, request, queryset):
        self.transition_selected(request, queryset, Article.Status.APPROVED, "Approved {} article(s).")

    @admin.action(
        description="Publish selected approved articles (future publish dates stay scheduled)",
        permissions=["publish"],
    )
    def publish_selected(self, request, queryset):
        self.transition_selected(request, queryset, Article.Status.PUBLISHED, "Published {} article(s).")

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self.transition_selected(request, queryset, Article.Status.DRAFT, "Moved {} article(s) back to draft.")

    @admin.action(description="Send selected articles to review", permissions=["change"])
    def send_selected_to_review(self, request, queryset):
        self.transition_selected(request, queryset, Article.Status.IN_REVIEW, "Sent {} article(s) to review.")


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
        if article.review_due < timezone.localdate():
            return format_html("<strong>Overdue</strong> since {}", article.review_due)
        return article.review_due

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
