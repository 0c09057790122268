from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.aggregates import JSONBAgg
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import JSONField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject

from .renditions import WEBP

# Widths a reader's screen may show the image at, for the `sizes` attribute.
SIZES_FULL = "(min-width: 45rem) 42rem, 100vw"


class Image(models.Model):
    """A picture uploaded once and used as a hero image or a figure in any number of articles."""

    file = models.ImageField(
        upload_to="images/%Y/%m/",
        max_length=255,
        help_text="A JPEG, PNG or WebP image, at most 10 MB and 40 megapixels (8,000 pixels a side). "
        "Smaller copies for phones and fast pages are made automatically.",
    )
    alt_text = models.CharField(
        "alt text",
        max_length=250,
        help_text="What the image shows, for readers who cannot see it, e.g. 'A nurse explains a mammogram to a "
        "patient'. Not the caption and not 'image of…'.",
    )
    credit = models.CharField(
        max_length=200, help_text="Who made it or owns it, as readers see it, e.g. 'Photo: Jane Doe / Newsroom'."
    )
    width = models.PositiveIntegerField(editable=False, help_text="In pixels, upright.")
    height = models.PositiveIntegerField(editable=False, help_text="In pixels, upright.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["file"], name="image_file_idx")]

    def __str__(self):
        text = self.alt_text if len(self.alt_text) <= 80 else self.alt_text[:79] + "…"
        return f"{text} ({self.credit})"

    @property
    def url(self):
        """The address editors insert in article bodies."""
        return self.file.url

    def picture(self, renditions=None, *, sizes=SIZES_FULL):
        """What an <img> (inside a <picture>) needs. `renditions` are dicts with file, width, height
        and format, as rendition_rows() gives them; without them the stored renditions are read."""
        if renditions is None:
            renditions = self.renditions.values("file", "width", "height", "format")
        return Picture.build(self, renditions, sizes)


@dataclass(frozen=True)
class Picture:
    alt: str
    credit: str
    width: int
    height: int
    src: str
    srcset: str  # in the original's format (or its fallback), for every browser
    webp_srcset: str
    sizes: str
    share_url: str  # one copy a link preview can use, about 1200 pixels wide

    @classmethod
    def build(cls, image, renditions, sizes):
        by_format = {}
        for row in sorted(renditions, key=lambda row: row["width"]):
            kind = "webp" if row["format"] == WEBP else "fallback"
            by_format.setdefault(kind, []).append(row)
        fallback = by_format.get("fallback", [])

        def srcset(rows):
            return ", ".join(f"{default_storage.url(row['file'])} {row['width']}w" for row in rows)

        # Until its copies exist (they are made just after the upload), the original stands in.
        src = default_storage.url(fallback[-1]["file"]) if fallback else image.file.url
        share = next((row for row in reversed(fallback) if row["width"] <= 1200), None)
        return cls(
            alt=image.alt_text,
            credit=image.credit,
            width=image.width,
            height=image.height,
            src=src,
            srcset=srcset(fallback) if fallback else f"{image.file.url} {image.width}w",
            webp_srcset=srcset(by_format.get("webp", [])),
            sizes=sizes,
            share_url=default_storage.url(share["file"]) if share else src,
        )


class Rendition(models.Model):
    """A resized copy of a library image, made by images.services when the image is saved."""

    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=4, choices=Format.choices)
    file = models.FileField(max_length=255)

    class Meta:
        ordering = ["image", "format", "width"]
        constraints = [
            models.UniqueConstraint(fields=["image", "width", "format"], name="rendition_unique_size"),
        ]

    def __str__(self):
        return f"{self.width}w {self.get_format_display()} of image {self.image_id}"


def rendition_rows(image_field):
    """The renditions of the image named by `image_field` (an expression for its id) as a JSON list,
    for an annotation: a page reads its images' renditions in the query that reads the images."""
    rows = (
        Rendition.objects.filter(image=OuterRef(image_field))
        .order_by()
        .values("image")
        .annotate(rows=JSONBAgg(JSONObject(file="file", width="width", height="height", format="format")))
        .values("rows")
    )
    return Coalesce(Subquery(rows[:1], output_field=JSONField()), Value([], JSONField()))
