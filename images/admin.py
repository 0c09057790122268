from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import ProtectedError, Q
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html

from . import services
from .forms import ImageChangeForm, ImageForm
from .models import Image, rendition_rows

THUMBNAIL_WIDTH = 120
PICKER_PAGE_SIZE = 24


def thumbnail_url(image):
    """The smallest copy in the original's format (the original itself until copies exist)."""
    rows = getattr(image, "rendition_rows", None)
    if rows is None:
        rows = image.renditions.values("file", "width", "height", "format")
    return image.picture(rows).srcset.split(" ", 1)[0]


def thumbnail(image, width=THUMBNAIL_WIDTH):
    if not image.width:
        return ""
    height = max(1, round(image.height * width / image.width))
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" loading="lazy">',
        thumbnail_url(image),
        width,
        height,
    )


def picker_entry(image):
    """One image as the picker offers it; `src` is the address an article body's <img> must use."""
    return {
        "id": image.pk,
        "thumbnail": thumbnail_url(image),
        "alt_text": image.alt_text,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "src": image.url,
    }


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ("thumbnail", "alt_text", "credit", "size", "uploaded_by", "created_at")
    list_display_links = ("thumbnail", "alt_text")
    list_select_related = ("uploaded_by",)
    search_fields = ("alt_text", "credit")
    date_hierarchy = "created_at"
    readonly_fields = ("preview", "size", "uploaded_by", "created_at")

    def get_urls(self):
        choose = path("choose/", self.admin_site.admin_view(self.choose_view), name="images_image_choose")
        return [choose, *super().get_urls()]

    def choose_view(self, request):
        """Library images as JSON for the body editor's image picker: newest first, `q` searching alt
        text and credit, PICKER_PAGE_SIZE a page (`page`)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        images = self.get_queryset(request)
        if query := request.GET.get("q", "").strip()[:100]:
            images = images.filter(Q(alt_text__icontains=query) | Q(credit__icontains=query))
        # A bad page number gives the first or last page rather than an error.
        page = Paginator(images, PICKER_PAGE_SIZE).get_page(request.GET.get("page"))
        return JsonResponse(
            {
                "results": [picker_entry(image) for image in page],
                "page": page.number,
                "pages": page.paginator.num_pages,
                "count": page.paginator.count,
            }
        )

    def get_queryset(self, request):
        # Every thumbnail's copies come with the list's own query.
        return super().get_queryset(request).annotate(rendition_rows=rendition_rows("pk"))

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            kwargs["form"] = ImageChangeForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "file") if obj is not None else self.readonly_fields

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("file", "alt_text", "credit")
        return ("preview", "file", "alt_text", "credit", "size", "uploaded_by", "created_at")

    @admin.display(description="image")
    def thumbnail(self, image):
        return thumbnail(image)

    @admin.display(description="preview")
    def preview(self, image):
        return thumbnail(image, width=min(480, image.width))

    @admin.display(description="size (pixels)")
    def size(self, image):
        return f"{image.width} × {image.height}"

    def save_model(self, request, obj, form, change):
        services.image_save(image=obj, by=request.user, facts=form.facts)

    def delete_model(self, request, obj):
        self._delete(request, [obj])

    def delete_queryset(self, request, queryset):
        self._delete(request, queryset)

    def _delete(self, request, images):
        try:
            services.images_delete(images=images)
        except ProtectedError:
            messages.error(request, "An image used as an article's hero image cannot be deleted; choose another first.")
