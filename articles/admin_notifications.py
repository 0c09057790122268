"""Each member of staff's notifications in the admin: marking those on their desk read, and turning their
notification emails off or on. Every one sees and changes only their own."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import notifications
from .models import StaffNotificationPreference

LARGEST_ID = 2**63 - 1
NOT_MARKED = "Nothing was marked read: that notification is not on your desk any more."
UNREADABLE = "That could not be marked read. Use the buttons beside your notifications on your desk."


class MarkReadForm(forms.Form):
    """What the desk's buttons send: one notification's id, or the newest shown (`up_to`) for all of them."""

    notification = forms.IntegerField(required=False, min_value=1, max_value=LARGEST_ID)
    up_to = forms.IntegerField(required=False, min_value=1, max_value=LARGEST_ID)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notification") is None and cleaned.get("up_to") is None:
            raise forms.ValidationError(UNREADABLE)
        return cleaned


class NotificationEmailForm(forms.ModelForm):
    class Meta:
        model = StaffNotificationPreference
        fields = ["email"]


@require_POST
def notifications_read(request):
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        messages.error(request, UNREADABLE)
    else:
        notification, up_to = form.cleaned_data["notification"], form.cleaned_data["up_to"]
        marked = notifications.mark_read(
            user=request.user, notification_ids=[notification] if up_to is None else (), up_to=up_to
        )
        if marked:
            messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} read.")
        else:
            messages.warning(request, NOT_MARKED)
    return HttpResponseRedirect(reverse("admin:index"))


def notification_email(request):
    preference = StaffNotificationPreference.objects.filter(user=request.user).first()
    preference = preference or StaffNotificationPreference(user=request.user)  # no row yet: emails on
    form = NotificationEmailForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.instance.email:
            messages.success(request, "Notification emails are on: you will be emailed as well as told on your desk.")
        else:
            messages.success(request, "Notification emails are off: your notifications appear on your desk only.")
        return HttpResponseRedirect(request.path)
    context = {**admin.site.each_context(request), "title": "Notification emails", "form": form}
    return TemplateResponse(request, "admin/notifications/email.html", context)
