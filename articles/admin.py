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
from django.utils.safestring import mark_safe
from js_asset import Media as NoncedMedia

from images.body import foreign_images_problem
from newsroom.admin_site import CheckedAutocompleteMixin

from . import admin_messages, admin_tags, body_editor, services, workflow
from .admin_editing import ArticleEditingMixin, VersionCheckedForm
from .diff import content_diff, glossary_names
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

CHANGES_AWAIT_REVIEW = (
    "The change to the medical content of “{article}” is saved as changes awaiting review: readers keep "
    "seeing the approved version until a medical reviewer approves the changes and an editor publishes them."
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


class BylineInline(CheckedAutocompleteMixin, admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ("person",)
    verbose_name = "byline"
    verbose_name_plural = "bylines (in the order shown to readers)"


class MedicalContentInline:
    """Rows that are medical content: read-only once the article is published (changes go through review)."""

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


class ArticleAdminForm(VersionCheckedForm):
    """The status list offers only the workflow moves the user may make from the article's status;
    anything else posted is refused with the workflow's reason. New articles start as drafts."""

    acting_user = None  # set for each request by ArticleAdmin.get_form

    transition_comment = forms.CharField(
        label="Comment for the timeline",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional. Saved with this status change, e.g. what needs changing or what you checked.",
    )

    class Meta:
        widgets = {"body": body_editor.BodyEditorWidget}

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

    def clean_tags(self):
        return admin_tags.existing_tags_only(self.cleaned_data["tags"], user=self.acting_user)

    def clean_body(self):
        """Every problem with the body's images at once: only library images (an image from any other
        address could track readers), each with alt text."""
        problems = [problem] if (problem := foreign_images_problem(self.cleaned_data["body"])) else []
        try:
            body = body_editor.clean_body(self)
        except forms.ValidationError as refused:
            problems += refused.error_list
        if problems:
            raise forms.ValidationError(problems)
        return body


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
        if self.value() == "live":
            return queryset.visible()
        if self.value() == "scheduled":
            return queryset.scheduled().order_by("publish_at")
        if self.value() == "unpublished":
            return queryset.exclude(status=Article.Status.PUBLISHED)
        return queryset


@admin.register(Article)
class ArticleAdmin(ArticleEditingMixin, CheckedAutocompleteMixin, admin.ModelAdmin):
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

    def view_on_site(self, article):
        return article.preview_url

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
        if article.is_pending_changes:
            return f"Changes to a published article: {article.get_status_display().lower()}"
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
        if obj is not None and obj.is_pending_changes or not self.may_edit_medical_content(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    @staticmethod
    def may_edit_medical_content(request, obj):
        """A published article's medical content is what a reviewer approved: it changes only through
        its changes awaiting review, which are edited as an article of their own."""
        return obj is None or not (obj.is_published or hasattr(obj, "pending_changes"))

    changes_fieldsets = (
        (None, {"fields": ("title", "summary", "body")}),
        ("Medical review", {"fields": ("medical_reviewer", "last_reviewed")}),
        ("Review", {"fields": ("status", "transition_comment")}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return super().get_fieldsets(request, obj)
        if obj.is_pending_changes:
            return (*self.changes_fieldsets, self.timeline_fieldset)
        fieldsets = super().get_fieldsets(request, obj)
        if not self.may_edit_medical_content(request, obj):
            # The approved body is shown as readers see it, not as its HTML source.
            fieldsets = [
                (name, {**options, "fields": tuple("body_as_published" if field == "body" else field
                                                   for field in options["fields"])})
                for name, options in fieldsets
            ]  # fmt: skip
        return (*fieldsets, self.timeline_fieldset)

    @admin.display(description="body")
    def body_as_published(self, article):
        # Safe to show as markup: Article.save() sanitises every stored body.
        return mark_safe(article.body)

    def get_inlines(self, request, obj):
        # Changes awaiting review hold medical content only; bylines belong to the article itself.
        if obj is not None and obj.is_pending_changes:
            return [inline for inline in self.inlines if issubclass(inline, MedicalContentInline)]
        return self.inlines

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The body editor's import map is an inline script: it carries the request's CSP nonce.
        context["media"] = NoncedMedia.from_media(context["media"], nonce=request.csp_nonce)
        if obj is not None and (obj.is_published or obj.is_pending_changes):
            context["changes_panel"] = self.changes_panel(obj, html_view=request.GET.get("view") == "html")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changes_panel(self, article, *, html_view=False):
        """On a published article: its live state and its changes awaiting review, compared. On the
        changes themselves: which article they will change, and the same comparison."""
        live = article.changes_for if article.is_pending_changes else article
        changes = article if article.is_pending_changes else getattr(article, "pending_changes", None)
        diff = None
        if changes is not None:
            live_content = services.article_snapshot(live)
            # Only the medical content differs by design; the copy's own address and the like are not changes.
            changes_content = services.article_snapshot(changes)
            changes_content = {**live_content, **{key: changes_content[key] for key in Article.MEDICAL_FIELDS}}
            diff = content_diff(live_content, changes_content, drug_names=glossary_names())
        return {
            "live": live,
            "changes": changes,
            "on_changes": article.is_pending_changes,
            "start_url": reverse("admin:articles_article_changes", args=[live.pk]),
            "diff": diff,
            "html_view": html_view,
        }

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.acting_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "timeline", "body_as_published"]
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

    def save_form(self, request, form, change):
        article = super().save_form(request, form, change)
        if not change:
            article.created_by = request.user
        return article

    def save_model(self, request, obj, form, change):
        # The status is changed by the workflow in save_related, once the inlines are saved too; the
        # stored status is kept here, and the stored content noted, read under lock so a change made
        # meanwhile is neither undone nor missed.
        if change:
            stored = Article.objects.select_for_update().get(pk=obj.pk)
            form.content_before, obj.status = services.article_snapshot(stored), stored.status
        else:
            form.content_before, obj.status = None, form.status_before
        super().save_model(request, obj, form, change)
        body_editor.report_removals(request, form)

    def save_related(self, request, form, formsets, change):
        """Once tags, bylines, references and research facts are saved too, the one change service
        decides what the edit means (see services.article_save)."""
        super().save_related(request, form, formsets, change)
        article = form.instance
        outcome = services.article_save(
            article=article,
            by=request.user,
            before=form.content_before,
            to_status=form.cleaned_data.get("status"),
            comment=form.cleaned_data.get("transition_comment", ""),
        )
        if outcome.refusal:
            self.message_user(request, f"Your edits were saved but the status was not changed: {outcome.refusal}",
                              messages.ERROR)  # fmt: skip
        self.report_save(request, article, outcome)

    def report_save(self, request, article, outcome):
        if outcome.sent_back_to_review:
            self.message_user(request, SENT_BACK_TO_REVIEW.format(article=article), messages.WARNING)
        if outcome.pending_changes is not None:
            self.message_user(request, CHANGES_AWAIT_REVIEW.format(article=article), messages.WARNING)
        for text, level in admin_messages.after_save(article=article, outcome=outcome):
            self.message_user(request, text, level)

    def response_change(self, request, obj):
        if obj.is_pending_changes and not Article.objects.filter(pk=obj.pk).exists():
            # Publishing the changes folded them into their article: go back to it.
            self.message_user(request, f"The reviewed changes are now part of “{obj.changes_for}”.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.changes_for_id]))
        return super().response_change(request, obj)

    def changes_view(self, request, object_id):
        """Start changing a published article's medical content (or carry on): its changes awaiting review."""
        article = self.article_or_refuse(request, object_id, change=True)
        if request.method != "POST" or not article.is_published:
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        changes = services.article_changes_start(article=article, by=request.user)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[changes.pk]))

    def transition_selected(self, request, queryset, to_status):
        """Move the selected articles the workflow allows, and say how many moved and why others did not."""
        outcome = services.article_transition_bulk(articles=queryset, to_status=to_status, by=request.user)
        for text, level in admin_messages.after_bulk(to_status=to_status, outcome=outcome):
            self.message_user(request, text, level)

    @admin.action(description="Approve selected articles (medical content checked)", permissions=["approve"])
    def approve_selected(self, request, queryset):
        self.transition_selected(request, queryset, Article.Status.APPROVED)

    @admin.action(
        description="Publish selected approved articles (future publish dates stay scheduled)",
        permissions=["publish"],
    )
    def publish_selected(self, request, queryset):
        self.transition_selected(request, queryset, Article.Status.PUBLISHED)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self.transition_selected(request, queryset, Article.Status.DRAFT)

    @admin.action(description="Send selected articles to review", permissions=["change"])
    def send_selected_to_review(self, request, queryset):
        self.transition_selected(request, queryset, Article.Status.IN_REVIEW)

    # --- Soft delete: only superusers really delete; for everyone else Delete archives --------

    def has_delete_permission(self, request, obj=None):
        # Archiving is a move in the workflow table, with the permission the table names.
        if request.user.is_superuser:
            return super().has_delete_permission(request, obj)
        return workflow.may_move_to(request.user, Article.Status.ARCHIVED)

    def has_archive_permission(self, request):
        return workflow.may_move_to(request.user, Article.Status.ARCHIVED)

    def has_unarchive_permission(self, request):
        return workflow.may_move_from(request.user, Article.Status.ARCHIVED)

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
            outcome = services.article_archive(articles=Article.objects.filter(pk=article.pk), by=request.user)
            if outcome.changed:
                self.log_change(request, article, "Archived (instead of deleting).")
            for text, level in admin_messages.after_archive(outcome, title=article.title):
                self.message_user(request, text, level)
            if article.is_pending_changes:
                return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.changes_for_id]))
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

    @admin.action(description="Archive selected articles (off the site, restorable)", permissions=["archive"])
    def archive_selected(self, request, queryset):
        if request.POST.get("confirmed") != "yes":
            return self.archive_confirmation(request, list(queryset), single=False)
        outcome = services.article_archive(articles=queryset, by=request.user)
        for text, level in admin_messages.after_archive(outcome):
            self.message_user(request, text, level)
        return None

    @admin.action(description="Restore archived articles (back to draft)", permissions=["unarchive"])
    def unarchive_selected(self, request, queryset):
        outcome = services.article_unarchive(articles=queryset, by=request.user)
        for text, level in admin_messages.after_unarchive(outcome):
            self.message_user(request, text, level)

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
        changes_url = path(
            "<path:object_id>/changes/", self.admin_site.admin_view(self.changes_view), name="articles_article_changes"
        )
        return [*revision_urls, changes_url, *super().get_urls()]

    def article_or_refuse(self, request, object_id, *, change=False):
        """The article at `object_id` for staff who may view it (or change it, with `change`): else 404 or 403.
        Used by every page of the article's own beyond the admin's (revisions, changes, editing notices)."""
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
        article = self.article_or_refuse(request, object_id)
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
        article = self.article_or_refuse(request, object_id)
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
            "diff": content_diff(old.content, new.content, drug_names=glossary_names()),
            "html_view": request.GET.get("view") == "html",
        }
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    def restore_view(self, request, object_id, number):
        """A confirmation page; restoring happens only on its POST."""
        article = self.article_or_refuse(request, object_id, change=True)
        revision = get_object_or_404(article.revisions, number=number)
        if request.method == "POST":
            result = services.restore_revision(revision=revision, by=request.user)
            if result.outcome.revision is None and result.outcome.pending_changes is None:
                self.message_user(request, f"The article already matched revision {number}; nothing changed.")
            elif result.outcome.revision is not None:
                self.message_user(
                    request,
                    f"Revision {number} restored, and kept as revision {result.outcome.revision.number}.",
                    messages.SUCCESS,
                )
            self.report_save(request, article, result.outcome)
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
class GlossaryTermAdmin(CheckedAutocompleteMixin, admin.ModelAdmin):
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
