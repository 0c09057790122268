from csp.constants import NONE, SELF
from csp.decorators import csp
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods

from articles.models import Article
from newsroom.admin_site import CheckedAutocompleteMixin

from . import services
from .models import Delivery, Issue, IssueArticle

SEND_PERMISSION = "newsletter.send_issue"
PREFIX = "newsletter_issue"

# The preview is the email itself: its styles are inline, as mail programs need; it runs no script and loads
# nothing but the site's own images.
PREVIEW_POLICY = {
    "default-src": [NONE],
    "style-src": ["'unsafe-inline'"],
    "img-src": [SELF, "data:"],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
}


class IssueArticleForm(forms.ModelForm):
    def clean_article(self):
        article = self.cleaned_data["article"]
        if article.status != Article.Status.PUBLISHED:
            raise forms.ValidationError(
                f"“{article.title}” is not published: only articles a medical reviewer approved and an editor "
                "published can go to subscribers."
            )
        return article


class IssueArticleInline(CheckedAutocompleteMixin, admin.TabularInline):
    model = IssueArticle
    form = IssueArticleForm
    fields = ["position", "article"]
    autocomplete_fields = ["article"]
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        return len(prefilled_articles(request)) if obj is None else 0

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)


def prefilled_articles(request):
    """A new issue's articles: the research news since the last issue, newest first (once per request)."""
    if not hasattr(request, "_newsletter_prefill"):
        since = services.news_since()
        request._newsletter_prefill = list(services.research_news(since=since).values_list("pk", flat=True))
    return request._newsletter_prefill


class ScheduleForm(forms.Form):
    send_at = forms.SplitDateTimeField(
        label="Send at", widget=forms.SplitDateTimeWidget(date_attrs={"type": "date"}, time_attrs={"type": "time"})
    )

    def clean_send_at(self):
        send_at = self.cleaned_data["send_at"]
        if send_at <= timezone.now():
            raise forms.ValidationError("Choose a time in the future, or send it now.")
        return send_at


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    inlines = [IssueArticleInline]
    list_display = ["subject", "status", "send_at", "recipients", "sent", "failed", "unsubscribed_since"]
    list_filter = ["status", "is_weekly_digest"]
    search_fields = ["subject"]
    fields = ["subject", "introduction", "status", "send_at", "recipients", "started_at", "finished_at"]
    readonly_fields = ["status", "send_at", "recipients", "started_at", "finished_at"]
    change_form_template = "admin/newsletter/issue/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(ordering="sent_count")
    def sent(self, issue):
        return issue.sent_count

    @admin.display(ordering="failed_count")
    def failed(self, issue):
        return issue.failed_count

    @admin.display(description="unsubscribed since", ordering="unsubscribed_count")
    def unsubscribed_since(self, issue):
        return issue.unsubscribed_count

    def get_changeform_initial_data(self, request):
        return {"subject": services.default_subject(), **super().get_changeform_initial_data(request)}

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj.pk is None and request.method == "GET" and isinstance(inline, IssueArticleInline):
            kwargs["initial"] = [
                {"article": pk, "position": number} for number, pk in enumerate(prefilled_articles(request), 1)
            ]
        return kwargs

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path("<int:issue_id>/preview/", self.admin_site.admin_view(self.preview_view), name=f"{PREFIX}_preview"),
            path("<int:issue_id>/send/", self.admin_site.admin_view(self.send_view), name=f"{PREFIX}_send"),
            *super().get_urls(),
        ]

    def viewable_issue(self, request, issue_id):
        issue = get_object_or_404(Issue.objects.with_counts(), pk=issue_id)
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        return issue

    @method_decorator(require_GET)
    @method_decorator(csp(PREVIEW_POLICY))
    def preview_view(self, request, issue_id):
        issue = self.viewable_issue(request, issue_id)
        html, text = services.preview(issue, reader=request.user)
        if request.GET.get("format") == "text":
            return HttpResponse(text, content_type="text/plain; charset=utf-8")
        return HttpResponse(html)

    @method_decorator(require_http_methods(["GET", "POST"]))
    def send_view(self, request, issue_id):
        issue = self.viewable_issue(request, issue_id)
        may_send = request.user.has_perm(SEND_PERMISSION)
        schedule_form = ScheduleForm(request.POST if request.POST.get("action") == "schedule" else None)
        if request.method == "POST":
            if not may_send:
                raise PermissionDenied
            done = self.send_action(request, issue, request.POST.get("action"), schedule_form)
            if done:
                return redirect(reverse("admin:newsletter_issue_send", args=[issue.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "issue": issue,
            "title": f"Preview and send: {issue.subject}",
            "may_send": may_send,
            "schedule_form": schedule_form,
            "articles": services.issue_content(issue).articles,
            "failures": Delivery.objects.filter(issue=issue, state=Delivery.State.FAILED).count(),
        }
        return TemplateResponse(request, "admin/newsletter/issue/send.html", context)

    def send_action(self, request, issue, action, schedule_form):
        """Carry out one button of the send page; True when done (the page is shown again otherwise)."""
        try:
            if action == "test":
                services.send_test(issue, reader=request.user)
                messages.success(request, f"A test is on its way to {request.user.email}.")
            elif action == "now":
                services.schedule(issue, at=timezone.now())
                messages.success(request, "Sending has started. The counts below grow as it goes out.")
            elif action == "schedule":
                if not schedule_form.is_valid():
                    return False
                at = schedule_form.cleaned_data["send_at"]
                services.schedule(issue, at=at)
                messages.success(request, f"Scheduled for {timezone.localtime(at):%-d %B %Y at %H:%M}.")
            elif action == "unschedule":
                services.unschedule(issue)
                messages.success(request, "Back to draft: it will not be sent until you send or schedule it again.")
            else:
                messages.error(request, "Choose one of the buttons.")
        except services.CannotSend as refusal:
            messages.error(request, str(refusal))
        return True


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Who each issue went to, and why any failed: a record, never edited."""

    list_display = ["issue", "subscriber", "state", "sent_at", "error"]
    list_filter = ["state", "issue"]
    list_select_related = ["issue", "subscription"]
    search_fields = ["subscription__email"]
    fields = ["issue", "subscriber", "state", "sent_at", "error"]
    readonly_fields = fields

    @admin.display(description="subscriber")
    def subscriber(self, delivery):
        return delivery.subscription.email if delivery.subscription else "(deleted)"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
