"""Tags are shared by the whole site, so only staff with taggit's tag permissions (Editors) create,
rename, merge or delete them; Writers choose existing tags for their articles.

taggit's own Tag admin checks no permission for merging, so it is replaced here by one that does."""

from functools import reduce
from operator import or_

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

ADD_TAG_PERMISSION = "taggit.add_tag"
NOT_A_TAG = "“{name}” is not an existing tag: ask an editor to add it."


def existing_tags_only(names, *, user):
    """The tag names typed in an article's form, refused with a reason for each name that is not a tag
    yet when `user` may not add tags. Names match as taggit matches them (TAGGIT_CASE_INSENSITIVE)."""
    if not names or user.has_perm(ADD_TAG_PERMISSION):
        return names
    found = Tag.objects.filter(reduce(or_, (Q(name__iexact=name) for name in names))).values_list("name", flat=True)
    known = {name.casefold() for name in found}
    missing = [name for name in names if name.casefold() not in known]
    if missing:
        raise forms.ValidationError([NOT_A_TAG.format(name=name) for name in missing], code="new_tag")
    return names


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    """taggit's Tag admin, with merging (which moves every article's tag) open only to those who may
    change tags, and a clear message instead of an error when the merge page is opened by itself."""

    @admin.action(description="Merge selected tags", permissions=["change"])
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)

    def merge_tags_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        selected = set(request.session.get("selected_tag_ids", "").split(","))
        ids = {int(part) for part in selected if part.isdigit()}
        # Tags deleted since they were selected, or a session without any, would end in a server error.
        if not ids or len(ids) != len(selected) or Tag.objects.filter(pk__in=ids).count() != len(ids):
            self.message_user(request, "Select the tags to merge in the list of tags first.", messages.WARNING)
            return redirect("admin:taggit_tag_changelist")
        return super().merge_tags_view(request)
