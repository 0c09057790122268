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
from django.utils.html import format_html

from . import services
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
            self.initial["drugs"] = "\n".join(
                services.DrugName(drug.generic_name, drug.brand_names).as_line() for drug in self.instance.drugs.all()
            )

    def clean_drugs(self):
        return services.drugs_from_text(self.cleaned_data["drugs"])

    def _save_m2m(self):
        # Runs once the facts row exists, whether the form was saved with commit=True or later.
        super()._save_m2m()
        services.research_facts_set_drugs(facts=self.instance, drugs=self.cleaned_data["drugs"])


class ResearchFactsInline(admin.StackedInline):
    model = ResearchFacts
    form = ResearchFactsForm
    extra = 1
    # One set of facts per article: Django then titles the inline with the singular name.
    verbose_name = verbose_name_plural = "Research facts (for research news)"


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
    autocomplete_fields = ("medical_reviewer",)
    inlines = (BylineInline, ReferenceInline, ResearchFactsInline)
    actions = (
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
        ("Image", {"fields": ("hero_image", "hero_image_alt")}),
        ("Publishing", {"fields": ("status", "publish_at", "embargo_note", "is_featured", "meta_description")}),
    )

    @admin.display(description="status", ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            local = timezone.localtime(article.publish_at)
            return format_html("Scheduled for {}", local.strftime("%-d %b %Y, %H:%M"))
        if article.status == Article.Status.ARCHIVED and article.archived_at:
            archived_on = timezone.localtime(article.archived_at).strftime("%-d %b %Y")
            return f"Archived on {archived_on} by {article.archived_by or 'someone since removed'}"
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

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data and obj.status == Article.Status.ARCHIVED:
            obj.archived_at, obj.archived_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """Record the revision once tags, bylines and references are saved too."""
        super().save_related(request, form, formsets, change)
        services.record_revision(article=form.instance, author=request.user, summary="" if change else "Created")

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
        count = services.article_unarchive(articles=queryset)
        self.message_user(request, f"Restored {count} archived article(s) as drafts.", messages.SUCCESS)

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
        if article.review_due < timezone.localdate():
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
