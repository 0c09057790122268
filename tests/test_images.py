"""The image library: uploads judged by their content, renditions for srcset, the admin."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PillowImage

from images import checks
from images.models import Image, Rendition

from .factories import ImageFactory
from .helpers import page

ADD = reverse("admin:images_image_add")
CHANGELIST = reverse("admin:images_image_changelist")


def image_bytes(size=(2000, 1000), format="JPEG", mode="RGB", orientation=None):
    """An image made with Pillow; `orientation` adds an EXIF orientation tag."""
    buffer = io.BytesIO()
    image = PillowImage.new(mode, size, color=(200, 30, 90) if mode == "RGB" else (200, 30, 90, 128))
    options = {}
    if orientation:
        exif = PillowImage.Exif()
        exif[checks.EXIF_ORIENTATION] = orientation
        options["exif"] = exif
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_claiming_size(width, height):
    """A tiny real PNG whose header claims `width` × `height` pixels, as a decompression bomb does:
    only the header is rewritten, so nothing big is ever allocated."""
    data = bytearray(image_bytes(size=(1, 1), format="PNG"))
    # The IHDR chunk follows the 8-byte signature: length (4), type (4), then width and height.
    struct.pack_into(">II", data, 16, width, height)
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def post_upload(client, file, alt_text="A nurse talks with a patient", credit="Photo: Jane Doe"):
    return client.post(ADD, {"file": file, "alt_text": alt_text, "credit": credit})


def file_errors(response):
    assert response.status_code == 200, "the form should be shown again with its errors"
    return response.context["adminform"].form.errors.get("file", [])


# --- Uploads ---------------------------------------------------------------------------------


def test_uploading_an_image_stores_it_with_its_size_and_uploader(
    superuser_client, superuser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(superuser_client, upload(image_bytes(size=(2000, 1000))))

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (2000, 1000)
    assert image.uploaded_by == superuser
    assert image.alt_text == "A nurse talks with a patient"
    assert image.credit == "Photo: Jane Doe"
    assert default_storage.exists(image.file.name)


def test_an_upload_gets_webp_and_original_format_renditions_on_commit(
    superuser_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(superuser_client, upload(image_bytes(size=(2000, 1000))))

    renditions = Rendition.objects.order_by("format", "width")
    assert [(r.format, r.width, r.height) for r in renditions] == [
        ("jpeg", 480, 240), ("jpeg", 800, 400), ("jpeg", 1200, 600), ("jpeg", 1600, 800),
        ("webp", 480, 240), ("webp", 800, 400), ("webp", 1200, 600), ("webp", 1600, 800),
    ]  # fmt: skip
    for rendition in renditions:
        with default_storage.open(rendition.file.name) as file, PillowImage.open(file) as stored:
            assert stored.format == rendition.format.upper()
            assert stored.size == (rendition.width, rendition.height)


def test_renditions_are_never_wider_than_the_original(db):
    image = ImageFactory(file=upload(image_bytes(size=(600, 300)), name="small.jpg"))

    assert sorted(image.renditions.filter(format="webp").values_list("width", flat=True)) == [480, 600]


def test_the_exif_orientation_is_applied_to_size_and_renditions(db):
    # Orientation 6: the camera was turned a quarter; readers see the picture upright, taller than wide.
    image = ImageFactory(file=upload(image_bytes(size=(1000, 500), orientation=6), name="turned.jpg"))

    assert (image.width, image.height) == (500, 1000)
    rendition = image.renditions.get(format="jpeg", width=500)
    with default_storage.open(rendition.file.name) as file, PillowImage.open(file) as stored:
        assert stored.size == (500, 1000)


def test_a_webp_original_falls_back_to_png_when_it_has_transparency(db):
    content = image_bytes(size=(800, 400), format="WEBP", mode="RGBA")
    image = ImageFactory(file=upload(content, name="logo.webp", content_type="image/webp"))

    assert set(image.renditions.values_list("format", flat=True)) == {"webp", "png"}


def test_a_png_keeps_png_as_its_fallback(db):
    image = ImageFactory(file=upload(image_bytes(size=(500, 500), format="PNG"), name="chart.png"))

    assert set(image.renditions.values_list("format", flat=True)) == {"webp", "png"}


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message(superuser_client):
    response = post_upload(superuser_client, upload(b"GIF? no: a text file pretending\n" * 20, name="photo.jpg"))

    assert file_errors(response) == ["This file is not an image. Upload a JPEG, PNG or WebP image."]
    assert not Image.objects.exists()


def test_an_empty_file_is_refused_with_a_clear_message(superuser_client):
    response = post_upload(superuser_client, upload(b"", name="empty.jpg"))

    assert file_errors(response) == ["The file is empty (0 bytes). Choose the image file again."]
    assert not Image.objects.exists()


def test_a_decompression_bomb_is_refused_without_decoding_it(superuser_client):
    content = png_claiming_size(50_000, 50_000)
    assert len(content) < 200  # the precondition: a tiny file that claims 2.5 billion pixels
    with pytest.raises(PillowImage.DecompressionBombError):
        PillowImage.open(io.BytesIO(content))

    response = post_upload(superuser_client, upload(content, name="bomb.png", content_type="image/png"))

    [error] = file_errors(response)
    assert error.startswith("This image is too large.")
    assert "8,000 pixels on a side and 40 megapixels" in error
    assert not Image.objects.exists()


def test_an_image_over_the_pixel_limit_is_refused_with_its_size(superuser_client):
    # 9,000 × 5,000 is 45 megapixels: over the limit, but under Pillow's own bomb threshold.
    content = png_claiming_size(9000, 5000)

    response = post_upload(superuser_client, upload(content, name="wide.png", content_type="image/png"))

    [error] = file_errors(response)
    assert error.startswith("This image is too large (9,000 × 5,000 pixels).")


def test_a_file_over_the_size_limit_is_refused(superuser_client, monkeypatch):
    content = image_bytes(size=(300, 300), format="PNG")
    monkeypatch.setattr(checks, "MAX_BYTES", len(content) - 1)

    response = post_upload(superuser_client, upload(content, name="big.png", content_type="image/png"))

    [error] = file_errors(response)
    assert "images may be at most" in error
    assert not Image.objects.exists()


def test_other_image_formats_are_refused(superuser_client):
    response = post_upload(superuser_client, upload(image_bytes(size=(20, 20), format="GIF"), name="a.gif"))

    assert file_errors(response) == ["GIF images are not accepted. Upload a JPEG, PNG or WebP image."]


def test_a_truncated_image_is_refused(superuser_client):
    content = image_bytes(size=(400, 400))

    response = post_upload(superuser_client, upload(content[: len(content) // 2], name="cut.jpg"))

    assert file_errors(response) == [
        "This image file is damaged or incomplete and cannot be read. Export it again and upload the new file."
    ]


def test_alt_text_and_credit_are_required(superuser_client):
    response = post_upload(superuser_client, upload(image_bytes(size=(100, 100))), alt_text="", credit="")

    form = response.context["adminform"].form
    assert set(form.errors) == {"alt_text", "credit"}
    assert not Image.objects.exists()


def test_changing_the_alt_text_keeps_the_file_and_its_renditions(superuser_client, db):
    image = ImageFactory()
    renditions = set(image.renditions.values_list("pk", flat=True))

    response = superuser_client.post(
        reverse("admin:images_image_change", args=[image.pk]),
        {"alt_text": "A better description", "credit": image.credit},
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "A better description"
    assert set(image.renditions.values_list("pk", flat=True)) == renditions


# --- Admin -----------------------------------------------------------------------------------


def test_the_image_list_shows_thumbnails_without_a_query_per_image(superuser_client, db):
    """Guards against a query per thumbnail: the list costs the same for one image as for five."""
    ImageFactory()
    superuser_client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as one:
        superuser_client.get(CHANGELIST)
    for _ in range(4):
        ImageFactory()

    with CaptureQueriesContext(connection) as five:
        content = page(superuser_client.get(CHANGELIST))

    assert len(five) == len(one)
    assert content.count('loading="lazy"') == 5
    assert "-480w.jpg" in content


def test_the_image_list_searches_alt_text_and_credit(superuser_client, db):
    ImageFactory(alt_text="A surgeon in theatre", credit="Photo: Ann Lee")
    ImageFactory(alt_text="A mammogram machine", credit="Photo: Bo Chen")

    by_alt = page(superuser_client.get(CHANGELIST, {"q": "surgeon"}))
    by_credit = page(superuser_client.get(CHANGELIST, {"q": "Bo Chen"}))

    assert "A surgeon in theatre" in by_alt and "A mammogram machine" not in by_alt
    assert "A mammogram machine" in by_credit and "A surgeon in theatre" not in by_credit


def test_deleting_an_image_removes_its_files(superuser_client, db, django_capture_on_commit_callbacks):
    image = ImageFactory()
    names = [image.file.name, *image.renditions.values_list("file", flat=True)]
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Image.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
