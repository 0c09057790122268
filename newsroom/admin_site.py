"""The editors' admin site: Django's own, with the site's names and one guard that every admin page shares."""

from functools import wraps

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpResponseRedirect

UNUSABLE_LIST_QUERY = "That filter, search or sort could not be used, so the whole list is shown."


def has_nul_byte(query):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class NewsroomAdminSite(admin.AdminSite):
    site_header = f"{settings.SITE_NAME} editors"
    site_title = f"{settings.SITE_NAME} editors"
    index_title = "Articles and readers"

    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            # PostgreSQL refuses a NUL byte in any string, so a query with one cannot filter or search: answer it
            # as Django answers any filter it cannot use, with the whole list (ERROR_FLAG), and say so.
            if has_nul_byte(request.GET):
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
            if ERROR_FLAG in request.GET and request.resolver_match.url_name.endswith("_changelist"):
                messages.warning(request, UNUSABLE_LIST_QUERY)
            return view(request, *args, **kwargs)

        return super().admin_view(guarded, cacheable)


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.NewsroomAdminSite"
