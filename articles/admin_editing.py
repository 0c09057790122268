"""The article admin's safeguards against lost edits (logic in editing.py, behaviour in
static/js/admin-editing.js):

- VersionCheckedForm: a change form carries the article's version it was opened at, and a save over
  a newer version is refused with who changed what since, keeping everything the user typed.
- ArticleEditingMixin: the change form's URLs for presence ("… is editing this article") and the
  user's private autosave, and the context the change form's template needs for them.
"""

import json

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from . import editing
from .models import Article, AutosavedDraft


class FormGuardField(forms.CharField):
    """A hidden value the form carries for the edit check. Never an edit itself, so it is left out
    of the form's changed fields (and of the admin's change message)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, strip=True, **kwargs)

    def has_changed(self, initial, data):
        return False


class VersionCheckedForm(forms.ModelForm):
    """An article change form that refuses to save over a version newer than the one it was opened at."""

    # The moment the form was opened: what others did after it is what the refusal lists.
    opened_at = FormGuardField()
    version = FormGuardField()
    edit_conflict = None  # an editing.EditConflict once a save was refused

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.update(version=self.instance.version, opened_at=timezone.now().isoformat())

    def clean_version(self):
        if self.instance.pk is None:
            return None
        text = self.cleaned_data["version"]
        opened_version = int(text) if text.isdigit() else None
        conflict = editing.edit_conflict(
            article_id=self.instance.pk,
            opened_version=opened_version,
            opened_at=editing.opened_at_from(self.cleaned_data.get("opened_at")),
            user=getattr(self, "acting_user", None),
        )
        if conflict:
            self.edit_conflict = conflict
            self.add_error(None, ValidationError(self.conflict_messages(conflict, known=opened_version is not None)))
            self.offer_current_version(conflict)
        return opened_version

    def conflict_messages(self, conflict, *, known):
        if not known:
            opening = "This form did not say which version of the article it was opened at, so it cannot be saved"
            opening += " without risking someone else's changes."
        else:
            opening = "Your changes were not saved: someone else saved this article after you opened it."
        events = conflict.events or ("Someone else saved it after you opened it.",)
        history = reverse("admin:articles_article_history", args=[self.instance.pk])
        advice = format_html(
            "What you typed is still in the form below. Saving again keeps everything as it is in this form, "
            'so first bring in the changes listed above (the <a href="{}">article\'s revisions</a> show them).',
            history,
        )
        return [opening, *events, advice]

    def offer_current_version(self, conflict):
        """Let the next save go ahead, now the user knows what changed, and show the status as it is
        now unless the user had chosen a move."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(conflict.version)
        data[self.add_prefix("opened_at")] = timezone.now().isoformat()
        status = self.cleaned_data.get("status")
        if status is not None and status == conflict.status_when_opened:
            data[self.add_prefix("status")] = self.cleaned_data["status"] = conflict.status
        self.data = data


class ArticleEditingMixin:
    """For ArticleAdmin: presence and autosave URLs, their context on the change form, and the
    autosave deleted once the user's save succeeds. Its views find the article with the admin's
    article_or_refuse()."""

    # How often the change form says it is still open, and autosaves unsaved work (tests shorten them).
    heartbeat_seconds = 25
    autosave_seconds = 30

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/presence/", wrap(self.presence_view), name="articles_article_presence"),
            path("<path:object_id>/autosave/", wrap(self.autosave_view), name="articles_article_autosave"),
            path(
                "<path:object_id>/autosave/discard/",
                wrap(self.autosave_discard_view),
                name="articles_article_autosave_discard",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {"editing": self.editing_context(request, object_id), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def response_change(self, request, obj):
        # Saved: the autosave of the work just saved is no longer needed.
        editing.autosave_discard(user=request.user, article=obj)
        return super().response_change(request, obj)

    def editing_context(self, request, object_id):
        try:
            pk = Article._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            return None  # the admin answers an address like this with its own message
        may_change = self.has_change_permission(request)
        # Offered when the form is opened, not when it comes back with errors (it holds the user's work then).
        draft = editing.autosave_offered(user=request.user, article_id=pk) if request.method == "GET" else None
        return {
            "presence_url": reverse("admin:articles_article_presence", args=[pk]),
            "autosave_url": reverse("admin:articles_article_autosave", args=[pk]) if may_change else "",
            "discard_url": reverse("admin:articles_article_autosave_discard", args=[pk]),
            "heartbeat_seconds": self.heartbeat_seconds,
            "autosave_seconds": self.autosave_seconds,
            "draft": draft.data if draft else None,
            "draft_saved_at": editing.clock_time(draft.saved_at) if draft else "",
        }

    def presence_view(self, request, object_id):
        """The change form's heartbeat (or, with left=1, its goodbye): answers with who else has it open."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.article_or_refuse(request, object_id)
        if request.POST.get("left"):
            editing.presence_leave(article=article, user=request.user)
            return HttpResponse(status=204)
        others = editing.presence_heartbeat(article=article, user=request.user)
        return JsonResponse(
            {
                "version": article.version,
                "others": [
                    {
                        "name": editing.staff_name(presence.user),
                        "since": editing.clock_time(presence.started_at),
                        "text": f"{editing.staff_name(presence.user)} is editing this article "
                        f"(since {editing.clock_time(presence.started_at)})",
                    }
                    for presence in others
                ],
            }
        )

    def autosave_view(self, request, object_id):
        """GET: the user's own autosave of the article; POST (JSON): replace it with the form's fields."""
        article = self.article_or_refuse(request, object_id)
        if request.method == "GET":
            draft = get_object_or_404(AutosavedDraft, user=request.user, article=article)
            return JsonResponse({**draft.data, "saved_at": draft.saved_at.isoformat()})
        if request.method != "POST":
            return HttpResponseNotAllowed(["GET", "POST"])
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.content_type != "application/json":
            # A form post's body was read already (by the CSRF check) and cannot be read as JSON.
            return JsonResponse({"error": "An autosave is sent as JSON."}, status=400)
        try:
            payload = json.loads(request.body)
        except ValueError:  # not JSON, or not UTF-8
            return JsonResponse({"error": "An autosave is sent as JSON."}, status=400)
        try:
            data = editing.autosave_data_from(payload)
        except ValueError as problem:
            return JsonResponse({"error": str(problem)}, status=400)
        draft = editing.autosave_store(user=request.user, article=article, data=data)
        saved_at = editing.clock_time(draft.saved_at)
        return JsonResponse(
            {
                "saved_at": draft.saved_at.isoformat(),
                "text": f"Your unsaved changes were autosaved at {saved_at}. Only you can see them.",
            }
        )

    def autosave_discard_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.article_or_refuse(request, object_id)
        if not editing.autosave_discard(user=request.user, article=article):
            raise Http404("You have no autosave of this article.")
        return HttpResponse(status=204)
