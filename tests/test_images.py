"""The image library: uploads judged by their content, renditions for srcset, the admin."""

import html
import io
import json
import re
import struct
import zlib

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PillowImage

from articles import services as article_services
from articles.models import Article
from images import checks, services
from images.models import Image, Rendition

from .factories import ArticleFactory, ImageFactory, UserFactory
from .helpers import article_form, count_queries, page
from .test_admin import change_url

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


def test_uploads_and_renditions_go_through_the_storage_api_not_the_disk(
    superuser_client, settings, media_root, django_capture_on_commit_callbacks
):
    """Object storage (S3 in production) works because nothing writes to MEDIA_ROOT by path."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}

    with django_capture_on_commit_callbacks(execute=True):
        post_upload(superuser_client, upload(image_bytes(size=(1000, 500))))

    image = Image.objects.get()
    names = [image.file.name, *image.renditions.values_list("file", flat=True)]
    assert len(names) == 7  # the original, then 480, 800 and 1000 pixels wide in WebP and JPEG
    assert all(default_storage.exists(name) for name in names)
    assert not any(path.is_file() for path in media_root.rglob("*"))


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
    name = image.file.name
    renditions = set(image.renditions.values_list("pk", flat=True))

    response = superuser_client.post(
        reverse("admin:images_image_change", args=[image.pk]),
        # A file posted with it is ignored: bodies point at the image's address, which must not change.
        {"alt_text": "A better description", "credit": image.credit, "file": upload(image_bytes(size=(50, 50)))},
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "A better description"
    assert image.file.name == name
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


# --- Hero images -----------------------------------------------------------------------------


def picture_of(markup, class_name=None):
    """The first <picture> element in `markup` (with an <img> of `class_name`, if given)."""
    pictures = re.findall(r"<picture>.*?</picture>", markup, flags=re.DOTALL)
    if class_name:
        pictures = [picture for picture in pictures if f'class="{class_name}"' in picture]
    assert pictures, "a <picture> element"
    return pictures[0]


def attributes(markup, tag):
    """The attributes of the first `tag` in `markup`, unescaped."""
    match = re.search(rf"<{tag}\b([^>]*)>", markup)
    assert match, f"a <{tag}> element"
    return {name: html.unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', match.group(1))}


@pytest.fixture
def hero_article(db):
    image = ImageFactory(
        file=upload(image_bytes(size=(2000, 1000)), name="ward.jpg"), alt_text="A quiet hospital ward",
        credit="Photo: Jane Doe",
    )  # fmt: skip
    return ArticleFactory(title="Ward study", slug="ward-study", hero=image, is_featured=True)


def test_article_page_shows_the_hero_with_srcset_sizes_width_and_height(client, hero_article):
    content = page(client.get(hero_article.get_absolute_url()))

    picture = picture_of(content.split('<figure class="article__hero">', 1)[1])
    img, source = attributes(picture, "img"), attributes(picture, "source")
    assert (img["width"], img["height"], img["alt"]) == ("2000", "1000", "A quiet hospital ward")
    assert img["sizes"] and source["sizes"] == img["sizes"]
    assert [entry.rsplit(" ", 1)[1] for entry in img["srcset"].split(", ")] == ["480w", "800w", "1200w", "1600w"]
    assert all(entry.split(" ")[0].endswith(".jpg") for entry in img["srcset"].split(", "))
    assert source["type"] == "image/webp"
    assert all(entry.split(" ")[0].endswith(".webp") for entry in source["srcset"].split(", "))
    assert '<figcaption class="article__credit">Photo: Jane Doe</figcaption>' in content


def test_every_srcset_address_is_a_stored_file(client, hero_article):
    """The addresses in srcset are the renditions' stored files."""
    picture = picture_of(page(client.get(hero_article.get_absolute_url())))
    for entry in [
        *attributes(picture, "img")["srcset"].split(", "),
        *attributes(picture, "source")["srcset"].split(", "),
    ]:
        url = entry.split(" ")[0]
        assert url.startswith("/media/")
        assert default_storage.exists(url.removeprefix("/media/"))


def test_cards_show_the_hero_with_srcset_sizes_width_and_height(client, hero_article):
    ArticleFactory(section=hero_article.section, hero=hero_article.hero)
    content = page(client.get(hero_article.section.get_absolute_url()))

    lead, second = (attributes(picture, "img") for picture in re.findall(r"<picture>.*?</picture>", content))
    assert (second["width"], second["height"], second["loading"]) == ("2000", "1000", "lazy")
    assert "480w" in second["srcset"] and second["sizes"]
    assert "loading" not in lead and lead["fetchpriority"] == "high"  # the first card's picture is the page's lead


def test_link_previews_and_structured_data_use_a_1200_pixel_copy(client, hero_article):
    content = page(client.get(hero_article.get_absolute_url()))

    og_image = re.search(r'<meta property="og:image" content="([^"]*)">', content).group(1)
    assert og_image.startswith("http://testserver/") and og_image.endswith("-1200w.jpg")
    assert re.search(r'<meta property="og:image:alt" content="A quiet hospital ward">', content)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.DOTALL).group(1))
    assert data["image"] == og_image


def test_an_image_before_its_renditions_exist_is_shown_at_its_own_size(client, db):
    image = Image(file=upload(image_bytes(size=(900, 600)), name="fresh.jpg"), alt_text="Fresh", credit="Photo: A")
    services.image_save(image=image)  # its renditions wait for the commit, which a test never reaches
    article = ArticleFactory(hero=image)

    img = attributes(picture_of(page(client.get(article.get_absolute_url()))), "img")

    assert img["src"] == image.file.url
    assert img["srcset"] == f"{image.file.url} 900w"
    assert (img["width"], img["height"]) == ("900", "600")


def test_an_image_used_as_a_hero_cannot_be_deleted(superuser_client, hero_article):
    image = hero_article.hero

    response = superuser_client.post(reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"})

    assert response.status_code == 200  # Django's page listing what protects it
    assert "Cannot delete image" in page(response)
    assert Image.objects.filter(pk=image.pk).exists()


def test_a_revision_keeps_the_hero_and_a_restore_brings_it_back(hero_article, editor):
    first = article_services.record_revision(article=hero_article, author=editor)
    assert first.content["hero"] == hero_article.hero_id
    hero_article.hero = ImageFactory()
    hero_article.save()
    second = article_services.record_revision(article=hero_article, author=editor)
    assert second.changed_fields == ["hero"]

    article_services.restore_revision(revision=first, by=editor)

    assert Article.objects.get(pk=hero_article.pk).hero_id == first.content["hero"]


def test_a_revision_from_before_the_library_restores_its_hero_by_file_name(hero_article, editor):
    revision = article_services.record_revision(article=hero_article, author=editor)
    name = hero_article.hero.file.name
    revision.content = {
        **{key: value for key, value in revision.content.items() if key != "hero"},
        "hero_image": name,
        "hero_image_alt": "Old alt text",
    }
    revision.save()
    hero_article.hero = None
    hero_article.save()

    result = article_services.restore_revision(revision=revision, by=editor)

    assert result.notes == ()
    assert Article.objects.get(pk=hero_article.pk).hero.file.name == name


def test_restoring_a_revision_whose_hero_was_deleted_keeps_the_current_one(hero_article, editor):
    revision = article_services.record_revision(article=hero_article, author=editor)
    revision.content["hero"] = 999_999
    revision.save()

    result = article_services.restore_revision(revision=revision, by=editor)

    assert result.notes == (
        "That revision's hero image is no longer in the image library, so the image was kept as it is.",
    )
    assert Article.objects.get(pk=hero_article.pk).hero_id == hero_article.hero_id


# --- Figures in article bodies ---------------------------------------------------------------


def figure(image, alt="A ward at night", caption="The ward where the study ran."):
    return f'<figure><img src="{image.url}" alt="{alt}"><figcaption>{caption}</figcaption></figure>'


def test_a_library_figure_in_the_body_gets_srcset_sizes_width_and_height(db):
    image = ImageFactory(file=upload(image_bytes(size=(1000, 500)), name="night.jpg"))
    article = ArticleFactory(body=f"<p>Before.</p>{figure(image)}<p>After.</p>")

    picture = picture_of(article.body_rendered)
    img, source = attributes(picture, "img"), attributes(picture, "source")
    assert (img["width"], img["height"], img["alt"]) == ("1000", "500", "A ward at night")
    assert img["srcset"].endswith("-1000w.jpg 1000w") and img["sizes"]
    assert source["srcset"].endswith("-1000w.webp 1000w") and source["type"] == "image/webp"
    assert "<figcaption>The ward where the study ran.</figcaption></figure><p>After.</p>" in article.body_rendered
    assert article.body == f"<p>Before.</p>{figure(image)}<p>After.</p>", "the stored body stays as written"


def test_rendering_a_body_with_figures_costs_one_query_whatever_their_number(db, django_assert_num_queries):
    images = [ImageFactory() for _ in range(3)]
    article = ArticleFactory(body="".join(figure(image) for image in images))

    with django_assert_num_queries(1):
        rendered = article.render_body(entries=[])

    assert rendered.count("<picture>") == 3


def test_a_figure_costs_no_query_when_readers_view_the_page(client, db, settings):
    """Guards against sizing images on each view: the sized body is stored (pages rendered each time)."""
    settings.PAGE_CACHE_SECONDS = 0
    plain = ArticleFactory(body="<p>No pictures.</p>")
    illustrated = ArticleFactory(body="".join(figure(ImageFactory()) for _ in range(3)))
    client.get(plain.get_absolute_url())
    cache.clear()  # Compare building the two kept pages.
    building_illustrated = count_queries(client, illustrated.get_absolute_url())
    cache.clear()

    assert building_illustrated == count_queries(client, plain.get_absolute_url())
    assert page(client.get(illustrated.get_absolute_url())).count("srcset=") == 6


def test_bodies_filled_in_bulk_get_their_images_sized(db):
    image = ImageFactory()
    article = ArticleFactory(body=figure(image))
    Article.objects.filter(pk=article.pk).update(body_rendered="")

    Article.objects.fill_rendered_bodies()

    assert "srcset=" in Article.objects.get(pk=article.pk).body_rendered


@pytest.mark.parametrize("src", ["https://tracker.example/pixel.gif", "/media/not-in-library.jpg"])
def test_an_outside_image_stored_another_way_never_reaches_readers(client, db, src):
    """A body written by a script or restored from before the library keeps no tracking pixel for readers."""
    image = ImageFactory()
    article = ArticleFactory(body=f'<p>Text.</p><img src="{src}" alt="Pixel">{figure(image)}')

    content = page(client.get(article.get_absolute_url()))

    assert src not in content
    assert "srcset=" in content, "the library figure is still shown"


def test_the_article_form_accepts_a_library_figure(superuser_client, db):
    image = ImageFactory()
    article = ArticleFactory(draft=True)
    data, _ = article_form(superuser_client, change_url(article))
    data["body"] = f"<p>Text.</p>\r\n{figure(image)}"

    response = superuser_client.post(change_url(article), data)

    assert response.status_code == 302
    assert "srcset=" in Article.objects.get(pk=article.pk).body_rendered


@pytest.mark.parametrize(
    "src",
    ["https://tracker.example/pixel.gif", "//cdn.example/photo.jpg", "/media/articles/2025/01/not-in-library.jpg"],
)
def test_the_article_form_refuses_an_image_from_outside_the_library(superuser_client, db, src):
    article = ArticleFactory(body="<p>The body of the article.</p>", draft=True)
    data, _ = article_form(superuser_client, change_url(article))
    data["body"] = f'<p>Text.</p><img src="{src}" alt="A photo" width="1" height="1">'

    response = superuser_client.post(change_url(article), data)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["body"]
    assert f"‘{src}’" in error
    assert error.startswith("Images in the body must come from the image library")
    assert Article.objects.get(pk=article.pk).body == "<p>The body of the article.</p>"


# --- The picker and who may do what ----------------------------------------------------------

CHOOSE = reverse("admin:images_image_choose")


def test_the_picker_lists_images_with_what_the_editor_needs(editor_client, db):
    image = ImageFactory(alt_text="A pink ribbon", credit="Photo: Ann Lee")

    response = editor_client.get(CHOOSE)

    assert response.status_code == 200
    [entry] = response.json()["results"]
    assert entry == {
        "id": image.pk,
        "thumbnail": entry["thumbnail"],
        "alt_text": "A pink ribbon",
        "credit": "Photo: Ann Lee",
        "width": 1000,
        "height": 500,
        "src": image.url,
    }
    assert entry["thumbnail"].endswith("-480w.jpg")


def test_the_picker_searches_alt_text_and_credit(editor_client, db):
    ImageFactory(alt_text="A pink ribbon", credit="Photo: Ann Lee")
    ImageFactory(alt_text="A hospital corridor", credit="Photo: Bo Chen")

    def alt_texts(query):
        return [entry["alt_text"] for entry in editor_client.get(CHOOSE, {"q": query}).json()["results"]]

    assert alt_texts("RIBBON") == ["A pink ribbon"]
    assert alt_texts("bo chen") == ["A hospital corridor"]
    assert alt_texts("nothing like it") == []


def test_the_picker_answers_odd_page_numbers_with_a_page(editor_client, db):
    ImageFactory()

    for number in ("x", "-1", "999", ""):
        response = editor_client.get(CHOOSE, {"page": number})
        assert response.status_code == 200
        assert len(response.json()["results"]) == 1


def test_the_picker_costs_the_same_queries_for_many_images(editor_client, db):
    """Guards against a query per image in the picker."""
    ImageFactory()
    editor_client.get(CHOOSE)
    one = count_queries(editor_client, CHOOSE)
    for _ in range(3):
        ImageFactory()

    assert count_queries(editor_client, CHOOSE) == one
    assert len(editor_client.get(CHOOSE).json()["results"]) == 4


def test_an_address_from_the_picker_is_accepted_in_a_body(editor_client, db):
    ImageFactory(alt_text="A pink ribbon")
    entry = editor_client.get(CHOOSE).json()["results"][0]
    article = ArticleFactory(status=Article.Status.DRAFT)
    data, _ = article_form(editor_client, change_url(article))
    data["body"] = f'<figure><img src="{entry["src"]}" alt="{entry["alt_text"]}"><figcaption>Hi</figcaption></figure>'

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302
    assert "srcset=" in Article.objects.get(pk=article.pk).body_rendered


def test_the_picker_is_for_staff_only(client, reader_client, db):
    ImageFactory()

    for visitor in (client, reader_client):
        response = visitor.get(CHOOSE)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_staff_without_image_permissions_may_not_use_the_picker(client, db):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(CHOOSE).status_code == 403


@pytest.mark.parametrize("role", ["editor", "writer", "reviewer"])
def test_editorial_staff_may_upload_and_choose_images(db, role, request, client, django_capture_on_commit_callbacks):
    client.force_login(request.getfixturevalue(role))

    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(client, upload(image_bytes(size=(600, 400))))

    assert response.status_code == 302
    assert client.get(CHOOSE).json()["count"] == 1


def test_only_editors_may_delete_images(editor, writer, reviewer):
    assert editor.has_perm("images.delete_image")
    assert not writer.has_perm("images.delete_image")
    assert not reviewer.has_perm("images.delete_image")


def test_a_writer_cannot_delete_an_image(writer_client, db):
    image = ImageFactory()

    response = writer_client.post(reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Image.objects.filter(pk=image.pk).exists()


# --- Moving the old hero images into the library ---------------------------------------------

BEFORE_LIBRARY = [("articles", "0016_article_version")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_hero_images_into_the_library():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_LIBRARY)
    try:
        old = executor.loader.project_state(BEFORE_LIBRARY).apps
        name = default_storage.save("articles/2025/01/ward.jpg", ContentFile(image_bytes(size=(1300, 700))))
        section = old.get_model("articles", "Section").objects.create(name="News", slug="news")
        OldArticle = old.get_model("articles", "Article")
        for slug, hero_image, alt in [
            ("no-alt", name, ""), ("with-alt", name, "A quiet ward"), ("gone", "articles/2025/01/gone.jpg", "Gone"),
            ("none", "", ""),
        ]:  # fmt: skip
            OldArticle.objects.create(
                title=slug.title(), slug=slug, summary="S", body="<p>B</p>", section=section,
                hero_image=hero_image, hero_image_alt=alt,
            )  # fmt: skip
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    heroes = dict(Article.objects.values_list("slug", "hero"))
    assert heroes["no-alt"] == heroes["with-alt"] is not None, "one library image for a shared file"
    assert heroes["gone"] is None and heroes["none"] is None
    image = Image.objects.get()
    assert (image.file.name, image.alt_text, image.credit) == (name, "A quiet ward", "Newsroom")
    assert (image.width, image.height) == (1300, 700)
    assert sorted(image.renditions.filter(format="jpeg").values_list("width", flat=True)) == [480, 800, 1200, 1300]
    assert all(default_storage.exists(rendition.file.name) for rendition in image.renditions.all())
