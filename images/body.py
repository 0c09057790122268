"""Library images in article bodies: an <img> may only show a library image, and readers get it
with srcset, sizes, width and height, added when the body is rendered (one query then, none per view).

Bodies reach these functions sanitised (articles.sanitise), so every attribute is written
name="value" with quotes escaped, and a regular expression reads the <img> tags reliably.
"""

import dataclasses
import html
import re
from urllib.parse import unquote

from django.conf import settings
from django.template.loader import render_to_string

from .models import SIZES_FULL, Image, rendition_rows

IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')


def image_sources(body):
    """The src of every <img> in `body`, in order (an <img> without one gives '')."""
    return [attributes_of(tag).get("src", "") for tag in IMG_TAG.findall(body or "")]


def attributes_of(tag):
    return {name.lower(): html.unescape(value) for name, value in ATTRIBUTE.findall(tag)}


def media_prefix():
    """How library addresses start: /media/, or MEDIA_URL itself when the files are on another host."""
    return settings.MEDIA_URL if "://" in settings.MEDIA_URL else "/" + settings.MEDIA_URL.lstrip("/")


def file_name(src):
    """The stored file name a library address points at, or None for any other address."""
    prefix = media_prefix()
    if not src.startswith(prefix) or "?" in src or "#" in src:
        return None
    return unquote(src.removeprefix(prefix))


def library_images(sources):
    """{file name: Image} for the library images among `sources`, with their renditions, in one query."""
    names = {name for name in map(file_name, sources) if name}
    if not names:
        return {}
    images = Image.objects.filter(file__in=names).annotate(rendition_rows=rendition_rows("pk"))
    return {image.file.name: image for image in images}


def foreign_image_sources(body):
    """The addresses of images in `body` that are not library images, without repeats."""
    sources = image_sources(body)
    known = library_images(sources)
    return list(dict.fromkeys(src for src in sources if file_name(src) not in known))


def foreign_images_problem(body):
    """What is wrong with the body's images for editors, or ''."""
    foreign = foreign_image_sources(body)
    if not foreign:
        return ""
    named = ", ".join(f"‘{src or '(no address)'}’" for src in foreign[:3])
    more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
    return (
        f"Images in the body must come from the image library; not from the library: {named}{more}. "
        "Upload the image to the library and insert it from there (its address starts with "
        f"{media_prefix()}), or remove it."
    )


def add_image_sizes(body):
    """`body` with each library <img> given srcset, sizes, width and height (in a <picture> offering
    WebP). Any other image is left out: the article form refuses them, and one that arrived another way
    (a script, an old revision) must not let an outside host watch the article's readers."""
    if "<img" not in (body or ""):
        return body
    images = library_images(image_sources(body))

    def sized(match):
        given = attributes_of(match.group())
        image = images.get(file_name(given.get("src", "")))
        if image is None:
            return ""
        picture = image.picture(image.rendition_rows, sizes=SIZES_FULL)
        # The editor's alt text is kept: it may describe the image for this article in particular.
        picture = dataclasses.replace(picture, alt=given.get("alt") or picture.alt)
        return render_to_string("images/picture.html", {"picture": picture, "lazy": True}).strip()

    return IMG_TAG.sub(sized, body)
