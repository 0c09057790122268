"""The editors' admin site: Django's own, with the site's names and one guard that every admin page shares."""

from functools import wraps

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import DataError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from .redirects import next_path

UNUSABLE_LIST_QUERY = "That filter, search or sort could not be used, so the whole list is shown."


# The parts of a list's date drill-down, and the values Django's list can turn into a range of dates (it
# adds a year, a month or a day to the date asked for, and the year 9999 has no next one).
DATE_PARTS = {"__year": range(1, 9999), "__month": range(1, 13), "__day": range(1, 32)}


def has_nul_byte(query):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


def has_impossible_date(query):
    return any(
        key.endswith(part)
        and not all(value.isascii() and value.isdigit() and int(value) in allowed for value in values)
        for key, values in query.lists()
        for part, allowed in DATE_PARTS.items()
    )


def without_empty_to_field(query):
    """The query without an empty _to_field, which Django's object pages take for a field named ''."""
    if query.get(TO_FIELD_VAR) != "":
        return query
    query = query.copy()
    del query[TO_FIELD_VAR]
    return query


class NewsroomAdminSite(admin.AdminSite):
    site_header = f"{settings.SITE_NAME} editors"
    site_title = f"{settings.SITE_NAME} editors"
    index_title = "Articles and readers"

    def index(self, request, extra_context=None):
        """The dashboard's panels, each shown only to staff who may open the list it links to."""
        from accounts.dashboard import reader_response_panels
        from articles.dashboard import editorial_panels
        from articles.my_work import my_work_panels
        from recommendations.dashboard import survey_panels

        panels = {
            "my_work": my_work_panels(user=request.user),
            "editorial": editorial_panels(user=request.user),
            "reader_response": reader_response_panels(user=request.user),
            "survey": survey_panels(user=request.user),
        }
        return super().index(request, extra_context={**panels, **(extra_context or {})})

    def get_urls(self):
        from articles.admin_notifications import notification_email, notifications_read

        notification_urls = [
            path("notifications/read/", self.admin_view(notifications_read), name="notifications_read"),
            path("notifications/email/", self.admin_view(notification_email), name="notifications_email"),
        ]
        return [*notification_urls, *super().get_urls()]

    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            # PostgreSQL refuses a NUL byte in any string, so a query with one cannot filter or search: answer it
            # as Django answers any filter it cannot use, with the whole list (ERROR_FLAG), and say so.
            if has_nul_byte(request.GET) or has_impossible_date(request.GET):
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
            request.GET = without_empty_to_field(request.GET)
            if request.method == "POST":
                request.POST = without_empty_to_field(request.POST)
            is_list = (request.resolver_match.url_name or "").endswith("_changelist")
            if ERROR_FLAG in request.GET and is_list:
                messages.warning(request, UNUSABLE_LIST_QUERY)
            if not (is_list and request.method == "GET" and request.GET):
                return view(request, *args, **kwargs)
            try:
                with transaction.atomic():
                    return view(request, *args, **kwargs)
            except (DataError, ValueError):
                # A value its column's type refuses (a PostgreSQL enum, an array, an IP address) fails only when
                # the list is counted, past the checks Django makes on a filter: the same answer as theirs.
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

        return super().admin_view(guarded, cacheable)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """Editors sign in through the readers' sign-in page, so one form and one set of limits guard both.
        A signed-in reader without access is told so rather than sent round in a loop."""
        destination = next_path(request, reverse("admin:index", current_app=self.name))
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('accounts:sign_in')}?{urlencode({'next': destination})}")
        if self.has_permission(request):
            return HttpResponseRedirect(destination)
        return render(request, "accounts/not_staff.html", {"next": destination}, status=403)


def usable_ids(field, values):
    """The submitted values that could be ids of the rows `field` points to: Django's autocomplete widgets look
    every value up to show it again with the form's errors, and junk made that lookup a server error."""
    remote = field.remote_field
    target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
    usable = []
    for value in values:
        try:
            target.to_python(value)
        except ValidationError:
            continue
        usable.append(value)
    return usable


class CheckedAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, usable_ids(self.field, value), attr)


class CheckedAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, usable_ids(self.field, value), attr)


class CheckedAutocompleteMixin:
    """For model admins and inlines with autocomplete_fields: a refused form comes back with its errors even
    when a field holds junk instead of an id."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class JobStatusFilter(admin.SimpleListFilter):
    """The task queue's job status, by the statuses there are: the column is an enum in PostgreSQL, so any other
    value made the list a server error."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(status, status.replace("_", " ")) for status in model_admin.model.STATUSES]

    def queryset(self, request, queryset):
        if self.value() in queryset.model.STATUSES:
            return queryset.filter(status=self.value())
        return queryset


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.NewsroomAdminSite"

    def ready(self):
        super().ready()
        from procrastinate.contrib.django.admin import ProcrastinateJobAdmin
        from procrastinate.contrib.django.models import ProcrastinateJob

        class JobAdmin(ProcrastinateJobAdmin):
            list_filter = [JobStatusFilter, *(name for name in ProcrastinateJobAdmin.list_filter if name != "status")]

        admin.site.unregister(ProcrastinateJob)
        admin.site.register(ProcrastinateJob, JobAdmin)
