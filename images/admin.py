from django.contrib import admin, messages
from django.db.models import ProtectedError
from django.utils.html import format_html

from . import services
from .forms import ImageForm
from .models import Image, rendition_rows

THUMBNAIL_WIDTH = 120


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
        '<img src="{}" width="{}" height="{}" alt="" loading="lazy" style="object-fit: contain">',
        thumbnail_url(image),
        width,
        height,
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ("thumbnail", "alt_text", "credit", "size", "uploaded_by", "created_at")
    list_display_links = ("thumbnail", "alt_text")
    list_select_related = ("uploaded_by",)
    search_fields = ("alt_text", "credit")
    date_hierarchy = "created_at"
    readonly_fields = ("preview", "size", "uploaded_by", "created_at")

    def get_queryset(self, request):
        # Every thumbnail's copies come with the list's own query.
        return super().get_queryset(request).annotate(rendition_rows=rendition_rows("pk"))

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
