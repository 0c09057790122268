"""Resized copies of a library image for srcset: WebP for browsers that take it, the original's format
as the fallback. Pure file work (no models), so the data migration can use it as well as the services."""

import io
import posixpath
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image as PillowImage
from PIL import ImageOps

WIDTHS = (480, 800, 1200, 1600)
WEBP = "webp"
# The fallback keeps the original's format; a WebP original falls back to PNG or JPEG.
FALLBACK_FORMATS = {"JPEG": "jpeg", "PNG": "png"}
SAVE_OPTIONS = {
    "webp": {"format": "WEBP", "quality": 80, "method": 4},
    "jpeg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    "png": {"format": "PNG", "optimize": True},
}
EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}


@dataclass(frozen=True)
class Made:
    width: int
    height: int
    format: str  # webp, jpeg or png
    name: str  # the stored file's name in the storage


def rendition_widths(original_width):
    """The standard widths narrower than the original, plus the original's own width up to the
    largest standard one: never wider than the original."""
    top = min(original_width, WIDTHS[-1])
    return sorted({width for width in WIDTHS if width < top} | {top})


def has_transparency(image):
    return image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)


def make_renditions(storage, name, *, folder):
    """Write every rendition of the stored image `name` under `folder` and describe them."""
    with storage.open(name, "rb") as file, PillowImage.open(file) as original:
        fallback = FALLBACK_FORMATS.get(original.format)
        upright = ImageOps.exif_transpose(original)
        transparent = has_transparency(upright)
        fallback = fallback or ("png" if transparent else "jpeg")
        upright = upright.convert("RGBA" if transparent else "RGB")
        stem = posixpath.splitext(posixpath.basename(name))[0]
        made = []
        for width in rendition_widths(upright.width):
            height = max(1, round(upright.height * width / upright.width))
            resized = upright if width == upright.width else upright.resize((width, height), PillowImage.LANCZOS)
            for kind in (WEBP, fallback):
                image = resized.convert("RGB") if kind == "jpeg" else resized
                buffer = io.BytesIO()
                image.save(buffer, **SAVE_OPTIONS[kind])
                path = posixpath.join(folder, f"{stem}-{width}w.{EXTENSIONS[kind]}")
                made.append(Made(width, height, kind, storage.save(path, ContentFile(buffer.getvalue()))))
    return made
