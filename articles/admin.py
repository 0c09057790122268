from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.fields.json import KT
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from images.body import foreign_images_problem

from . import services, workflow
from .diff import body_diff, word_diff
from .models import (
    Article,
    ArticleRevision,
    Byline,
    DueForReview,
    GlossaryTerm,
    Person,
    Reference,
    ResearchFacts,
    Section,
)

SENT_BACK_TO_REVIEW = (
    "“{article}” went back to review: its medical content changed after approval, so a medical reviewer "
    "needs to approve it again before it can be published."
)


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


class MedicalContentInline:
    """Rows that are medical content: read-only for writers once the article is published."""

    def has_add_permission(self, request, obj=None):
        return ArticleAdmin.may_edit_medical_content(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return ArticleAdmin.may_edit_medical_content(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return ArticleAdmin.may_edit_medical_content(request, obj) and super().has_delete_permission(request, obj)


class ReferenceInline(MedicalContentInline, admin.TabularInline):
    model = Reference
    extra = 1
    fields = ("position", "citation", "url")
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})},
        # A link typed without a scheme is taken as https://, as Django 6 will do.
        models.URLField: {"assume_scheme": "https"},
    }


class ResearchFactsForm(forms.ModelForm):
    """The study's facts, with its drugs typed one per line and saved as rows (Django has no nested inlines)."""

    drugs = forms.CharField(
        label="Drugs studied",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One drug per line: the generic name, then any brand names in brackets, e.g. "
        "'trastuzumab (Herceptin)' or 'anastrozole (Arimidex)'. Readers see them in this order.",
    )

    class Meta:
        model = ResearchFacts
        fields = (
            "study_type", "phase", "participants", "registry_id", "presented_at", "presented_on",
            "drugs", "evidence_strength", "what_it_means",
        )  # fmt: skip
        widgets = {"what_it_means": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.initial["drugs"] = "\n".join(str(drug) for drug in self.instance.drugs.all())

    def clean_drugs(self):
        return services.drugs_from_text(self.cleaned_data["drugs"])

    def _save_m2m(self):
        # Runs once the facts row exists, whether the form was saved with commit=True or later.
        super()._save_m2m()
        services.research_facts_set_drugs(facts=self.instance, drugs=self.cleaned_data["drugs"])


class ResearchFactsInline(MedicalContentInline, admin.StackedInline):
    model = ResearchFacts
    form = ResearchFactsForm
    extra = 1
    # One set of facts per article: Django then titles the inline with the singular name.
    verbose_name = verbose_name_plural = "Research facts (for research news)"

    readonly_fields = ("drug_lines",)

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != "drug_lines"]
        if self.has_change_permission(request, obj):
            return fields
        # Read-only, the typed drugs box would name the related manager: show the drugs themselves.
        return [("drug_lines" if name == "drugs" else name) for name in fields]

    @admin.display(description="Drugs studied")
    def drug_lines(self, facts):
        return ", ".join(str(drug) for drug in facts.drugs.all())


class HasResearchFactsFilter(admin.SimpleListFilter):
    title = "research facts"
    parameter_name = "has_research_facts"

    def lookups(self, request, model_admin):
        return [("yes", "Has research facts"), ("no", "No research facts")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(research_facts__isnull=self.value() == "no")
        return queryset


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
            if not reason:
                if "medical_reviewer" in self.fields:  # named in this same save
                    self.instance.medical_reviewer = cleaned.get("medical_reviewer")
                reason = workflow.content_refusal(self.instance, status)
            if reason:
                self.add_error("status", reason)
        return cleaned

    def clean_body(self):
        # Only library images: an image from any other address could track readers.
        if problem := foreign_images_problem(self.cleaned_data["body"]):
            raise forms.ValidationError(problem)
        return self.cleaned_data["body"]

    def changes_medical_fields(self):
        """Whether a medical field of the article itself changed; whitespace alone (a browser's line
        endings) is no change."""
        return any(
            name in self.changed_data and not _same_words(self[name].initial, self.cleaned_data.get(name))
            for name in Article.MEDICAL_FIELDS
        )


def _same_words(first, second):
    return isinstance(first, str) and isinstance(second, str) and first.split() == second.split()


class RevisionPairForm(forms.Form):
    """Two revision numbers to compare, as the history page's radio buttons send them."""

    old = forms.IntegerField(min_value=1)
    new = forms.IntegerField(min_value=1)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned["old"] == cleaned["new"]:
            raise forms.ValidationError("Choose two different revisions to compare.")
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
    list_filter = (
        PublicationFilter, "status", "section", "is_featured", "medical_reviewer", HasResearchFactsFilter,
        "research_facts__study_type", "research_facts__phase", "research_facts__evidence_strength",
    )  # fmt: skip
    list_select_related = ("section", "medical_reviewer", "archived_by")
    search_fields = (
        "title", "summary", "slug", "tags__name", "research_facts__registry_id",
        "research_facts__drugs__generic_name", "research_facts__drugs__brand_names",
    )  # fmt: skip
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("medical_reviewer", "hero")
    inlines = (BylineInline, ReferenceInline, ResearchFactsInline)
    actions = (
        "approve_selected",
        "publish_selected",
        "unpublish_selected",
        "send_selected_to_review",
        "archive_selected",
        "unarchive_selected",
    )
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("title", "slug", "section", "summary", "body", "tags")}),
        ("Medical review", {"fields": ("medical_reviewer", "last_reviewed")}),
        ("Source", {"fields": ("source",)}),
        ("Image", {"fields": ("hero",)}),
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
        if article.status == Article.Status.ARCHIVED and article.archived_at:
            archived_on = timezone.localtime(article.archived_at).strftime("%-d %b %Y")
            return f"Archived on {archived_on} by {article.archived_by or 'someone since removed'}"
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

    def get_prepopulated_fields(self, request, obj=None):
        # The slug follows the title as it is typed, which cannot happen while the title is read-only.
        return super().get_prepopulated_fields(request, obj) if self.may_edit_medical_content(request, obj) else {}

    @staticmethod
    def may_edit_medical_content(request, obj):
        return (
            obj is None
            or obj.status != Article.Status.PUBLISHED
            or (workflow.may_edit_published_medical_content(request.user))
        )

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
        if not self.has_approve_permission(request):
            # Who checked the article, and when, is the medical reviewers' to say (approval sets the date).
            readonly += ["medical_reviewer", "last_reviewed"]
        if not self.may_edit_medical_content(request, obj):
            readonly += list(Article.CONTENT_FIELDS)
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
        """Once tags, bylines, references and research facts are saved too: let the workflow make the
        status change asked for and apply its rule for changed medical content, then keep a revision
        (so it notes the status the save ended with)."""
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
            outcome = None
            self.message_user(request, f"Your edits were saved but the status was not changed: {refused.message}",
                              messages.ERROR)  # fmt: skip
        services.record_revision(article=article, author=request.user, summary="" if change else "Created")
        if outcome and outcome.sent_back_to_review:
            self.message_user(request, SENT_BACK_TO_REVIEW.format(article=article), messages.WARNING)

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

    # --- Soft delete: only superusers really delete ------------------------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        if request.user.is_superuser:
            return super().delete_view(request, object_id, extra_context)
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_delete_permission(request, article):
            raise PermissionDenied
        if request.method == "POST":
            services.article_archive(articles=Article.objects.filter(pk=article.pk), by=request.user)
            self.log_change(request, article, "Archived (instead of deleting).")
            self.message_user(
                request,
                format_html("“{}” was archived: it is off the site and can be restored.", article.title),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:articles_article_changelist"))
        return self.archive_confirmation(request, [article], single=True)

    def archive_confirmation(self, request, articles, *, single):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Archive this article?" if single else "Archive these articles?",
            "articles": articles,
            "single": single,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/archive_confirmation.html", context)

    @admin.action(description="Archive selected articles (off the site, restorable)", permissions=["delete"])
    def archive_selected(self, request, queryset):
        if request.POST.get("confirmed") != "yes":
            return self.archive_confirmation(request, list(queryset), single=False)
        count = services.article_archive(articles=queryset, by=request.user)
        self.message_user(
            request,
            f"Archived {count} article(s): they are off the site and can be restored with “Restore archived articles”.",
            messages.SUCCESS,
        )
        return None

    @admin.action(description="Restore archived articles (back to draft)", permissions=["delete"])
    def unarchive_selected(self, request, queryset):
        selected = queryset.count()
        count = services.article_unarchive(articles=queryset, by=request.user)
        self.message_user(request, f"Restored {count} archived article(s) as drafts.", messages.SUCCESS)
        if count < selected:
            self.message_user(
                request, f"{selected - count} selected article(s) were not archived, so they stay as they are.",
                messages.WARNING,
            )  # fmt: skip

    # --- Revisions: history, compare, restore -------------------------------------------------

    def get_urls(self):
        revision_urls = [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:number>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
        ]
        return revision_urls + super().get_urls()

    def article_for_revisions(self, request, object_id, *, change=False):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        allowed = (
            self.has_change_permission(request, article)
            if change
            else self.has_view_or_change_permission(request, article)
        )
        if not allowed:
            raise PermissionDenied
        return article

    def revision_context(self, request, article, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "title": title,
            "history_url": reverse("admin:articles_article_history", args=[article.pk]),
            "can_change": self.has_change_permission(request, article),
        }

    def history_view(self, request, object_id, extra_context=None):
        """Every revision of the article: who saved it, when, what changed; compare two, restore one."""
        article = self.article_for_revisions(request, object_id)
        revisions = list(
            article.revisions.select_related("author")
            .only("number", "created_at", "summary", "changed_fields", "author__email", "article_id")
            .annotate(status_then=KT("content__status"))
        )
        status_labels = dict(Article.Status.choices)
        for revision in revisions:
            revision.status_label = status_labels.get(revision.status_then, revision.status_then)
        context = {
            **self.revision_context(request, article, f"Revisions of “{article.title}”"),
            "revisions": revisions,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/article/revision_history.html", context)

    def compare_view(self, request, object_id):
        article = self.article_for_revisions(request, object_id)
        pair = RevisionPairForm(request.GET)
        if not pair.is_valid():
            for error in pair.non_field_errors() or ["Choose two revisions to compare."]:
                self.message_user(request, error, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))
        numbers = sorted([pair.cleaned_data["old"], pair.cleaned_data["new"]])
        found = {
            revision.number: revision
            for revision in article.revisions.select_related("author").filter(number__in=numbers)
        }
        if len(found) < 2:
            raise Http404("This article has no revision with that number.")
        old, new = found[numbers[0]], found[numbers[1]]
        context = {
            **self.revision_context(request, article, f"Revision {old.number} compared with revision {new.number}"),
            "old": old,
            "new": new,
            "title_diff": word_diff(old.content["title"], new.content["title"]),
            "summary_diff": word_diff(old.content["summary"], new.content["summary"]),
            "body_lines": body_diff(old.content["body"], new.content["body"]),
            "other_changes": ArticleRevision.labels(
                [
                    key
                    for key in ArticleRevision.differences(old.content, new.content)
                    if key not in {"title", "summary", "body"}
                ]
            ),
        }
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    def restore_view(self, request, object_id, number):
        """A confirmation page; restoring happens only on its POST."""
        article = self.article_for_revisions(request, object_id, change=True)
        revision = get_object_or_404(article.revisions, number=number)
        if request.method == "POST":
            result = services.restore_revision(revision=revision, by=request.user)
            if result.revision is None:
                self.message_user(request, f"The article already matched revision {number}; nothing changed.")
            else:
                self.message_user(
                    request,
                    f"Revision {number} restored, and kept as revision {result.revision.number}.",
                    messages.SUCCESS,
                )
            if result.sent_back_to_review:
                self.message_user(request, SENT_BACK_TO_REVIEW.format(article=article), messages.WARNING)
            for note in result.notes:
                self.message_user(request, note, messages.WARNING)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        current = services.article_snapshot(article)
        context = {
            **self.revision_context(request, article, f"Restore revision {revision.number}?"),
            "revision": revision,
            "changes": ArticleRevision.labels(ArticleRevision.differences(current, revision.content)),
        }
        return TemplateResponse(request, "admin/articles/article/revision_restore.html", context)


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


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    """Saving or deleting a term goes through the services, which refresh the article bodies that use it."""

    list_display = ("term", "other_names", "updated_at")
    search_fields = ("term", "other_names", "definition")
    prepopulated_fields = {"slug": ("term",)}
    autocomplete_fields = ("learn_more",)
    fieldsets = (
        (
            None,
            {
                "fields": ("term", "slug", "other_names", "definition", "learn_more"),
                "description": "Article pages link the first mention of each term, or of any of its other names, "
                "to its entry on the glossary page (/glossary/). Mentions in headings, links and code are left "
                "as they are. Capitals do not matter.",
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        services.glossary_term_save(term=obj)

    def delete_model(self, request, obj):
        services.glossary_terms_delete(terms=GlossaryTerm.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.glossary_terms_delete(terms=queryset)
