import logging

import django.db.models.deletion
from django.core.files.storage import default_storage
from django.db import migrations, models
from PIL import Image as PillowImage

from images.checks import upright_size
from images.renditions import make_renditions

logger = logging.getLogger(__name__)
# Older hero images were uploaded without a credit.
UNKNOWN_CREDIT = "Newsroom"


def move_hero_images_to_library(apps, schema_editor):
    """Each hero image file becomes a library image (one per file, however many articles use it),
    with its renditions; the file itself stays where it is."""
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("images", "Image")
    Rendition = apps.get_model("images", "Rendition")
    rows = list(
        Article.objects.exclude(hero_image="").order_by("pk").values_list("pk", "title", "hero_image", "hero_image_alt")
    )
    # A file several articles share gets the first alt text any of them gave it.
    # (Without one, the title of the first article using the file describes it.)
    alt_texts = {}
    for _, _, name, alt in rows:
        if alt.strip():
            alt_texts.setdefault(name, alt.strip())
    library = {}
    for pk, title, name, _ in rows:
        if name not in library:
            library[name] = library_image(Image, Rendition, name, alt_texts.get(name, title))
        if library[name] is not None:
            Article.objects.filter(pk=pk).update(hero=library[name])


def library_image(Image, Rendition, name, alt_text):
    try:
        with default_storage.open(name, "rb") as file, PillowImage.open(file) as picture:
            width, height = upright_size(picture)
    except (OSError, ValueError, PillowImage.DecompressionBombError):
        logger.warning("Hero image %s cannot be read; its articles keep no hero image.", name)
        return None
    image = Image.objects.create(file=name, alt_text=alt_text, credit=UNKNOWN_CREDIT, width=width, height=height)
    try:
        made = make_renditions(default_storage, name, folder=f"images/renditions/{image.pk}")
    except (OSError, ValueError):
        logger.warning("No renditions for %s: the original is shown at every size.", name)
        made = []
    Rendition.objects.bulk_create(
        Rendition(image=image, width=m.width, height=m.height, format=m.format, file=m.name) for m in made
    )
    return image


def move_hero_images_back(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(hero__isnull=False).select_related("hero"):
        Article.objects.filter(pk=article.pk).update(
            hero_image=article.hero.file.name, hero_image_alt=article.hero.alt_text
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_article_version"),
        ("images", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="hero",
            field=models.ForeignKey(
                blank=True,
                help_text="Shown above the article and on its cards, chosen from the image library (type to search "
                "its alt text or credit); its alt text and credit come with it. Upload new images under Image library.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="hero_of",
                to="images.image",
                verbose_name="hero image",
            ),
        ),
        migrations.RunPython(move_hero_images_to_library, move_hero_images_back),
    ]
