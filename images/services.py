"""Writes to the image library: saving an image (its copies follow on commit) and deleting images."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction

from .checks import inspect_upload
from .models import Image, Rendition
from .renditions import make_renditions

logger = logging.getLogger(__name__)


def image_save(*, image, by=None, facts=None):
    """Save a library image; when its file is new, check it (unless a form did: `facts`), store its
    upright size and make its renditions once the transaction commits."""
    new_file = image.pk is None or not Image.objects.filter(pk=image.pk, file=image.file.name).exists()
    if new_file:
        facts = facts or inspect_upload(image.file)
        image.width, image.height = facts.width, facts.height
    if image.pk is None and image.uploaded_by is None:
        image.uploaded_by = by
    with transaction.atomic():
        image.save()
        if new_file:
            transaction.on_commit(lambda: image_make_renditions(image=image))
    return image


def image_make_renditions(*, image):
    """(Re)make the image's renditions and record them. A failure is logged, never shown to the
    editor as an error page: the original still serves as the image's only size until it is fixed."""
    old_files = list(image.renditions.values_list("file", flat=True))
    try:
        made = make_renditions(default_storage, image.file.name, folder=f"images/renditions/{image.pk}")
    except (OSError, ValueError):
        logger.exception("Could not make renditions of image %s (%s)", image.pk, image.file.name)
        return []
    with transaction.atomic():
        image.renditions.all().delete()
        renditions = Rendition.objects.bulk_create(
            Rendition(image=image, width=m.width, height=m.height, format=m.format, file=m.name) for m in made
        )
    delete_files(old_files)
    return renditions


def images_delete(*, images):
    """Delete images and, once that is committed, their files. Images still used as a hero are
    protected by the database and raise ProtectedError."""
    images = list(images)
    names = [image.file.name for image in images]
    names += list(Rendition.objects.filter(image__in=images).values_list("file", flat=True))
    with transaction.atomic():
        count, _ = Image.objects.filter(pk__in=[image.pk for image in images]).delete()
        transaction.on_commit(lambda: delete_files(names))
    return count


def delete_files(names):
    for name in names:
        if name:
            default_storage.delete(name)
