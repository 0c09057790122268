"""What an uploaded image must be: a real JPEG, PNG or WebP of reasonable size, judged by its content.

Pillow reads only the header to learn the format and dimensions, so a file claiming to be
50,000 × 50,000 pixels is refused before anything is decoded.
"""

import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image as PillowImage
from PIL import UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 8000
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# EXIF orientations that turn the picture a quarter turn, swapping width and height.
QUARTER_TURNS = {5, 6, 7, 8}
EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class ImageFacts:
    format: str  # Pillow's name: JPEG, PNG or WEBP
    width: int  # as readers see it, after the EXIF orientation
    height: int


def inspect_upload(file):
    """The format and upright dimensions of an uploaded image, or a ValidationError saying what is wrong."""
    size = file.size
    if not size:
        raise ValidationError("The file is empty (0 bytes). Choose the image file again.", code="empty")
    if size > MAX_BYTES:
        raise ValidationError(
            f"The file is {size / 1024 / 1024:.1f} MB; images may be at most {MAX_BYTES // 1024 // 1024} MB. "
            "Save it at a smaller size or higher compression and upload it again.",
            code="too_big",
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # The pixel limits below are stricter than Pillow's warning threshold.
            warnings.simplefilter("ignore", PillowImage.DecompressionBombWarning)
            with PillowImage.open(file) as image:
                facts = _facts(image)
                image.load()  # decode it all, so a damaged file is refused now rather than later
    except ValidationError:
        raise
    except PillowImage.DecompressionBombError as error:
        raise too_many_pixels() from error
    except UnidentifiedImageError as error:
        raise ValidationError(
            "This file is not an image. Upload a JPEG, PNG or WebP image.", code="not_an_image"
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "This image file is damaged or incomplete and cannot be read. Export it again and upload the new file.",
            code="damaged",
        ) from error
    finally:
        file.seek(0)
    return facts


def _facts(image):
    if image.format not in FORMATS:
        raise ValidationError(
            f"{image.format or 'This'} images are not accepted. Upload a JPEG, PNG or WebP image.", code="format"
        )
    width, height = image.size
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise too_many_pixels(width, height)
    return ImageFacts(image.format, *upright_size(image))


def upright_size(image):
    """An opened image's (width, height) as readers see it, after its EXIF orientation."""
    width, height = image.size
    return (height, width) if image.getexif().get(EXIF_ORIENTATION) in QUARTER_TURNS else (width, height)


def too_many_pixels(width=None, height=None):
    size = f" ({width:,} × {height:,} pixels)" if width else ""
    return ValidationError(
        f"This image is too large{size}. Images may be at most {MAX_SIDE:,} pixels on a side and "
        f"{MAX_PIXELS // 1_000_000} megapixels; resize it and upload it again.",
        code="too_many_pixels",
    )
