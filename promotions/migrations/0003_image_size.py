"""Promotions keep their image's width and height, so pages give the browser the size without opening the
file. Existing images are measured once here."""

from django.core.files.images import get_image_dimensions
from django.core.files.storage import default_storage
from django.db import migrations, models


def measure_images(apps, schema_editor):
    # Read by name, not through the model: Django would try to measure a missing file on loading the row.
    Promotion = apps.get_model("promotions", "Promotion")
    for pk, name in Promotion.objects.exclude(image="").values_list("pk", "image"):
        try:
            with default_storage.open(name) as file:
                width, height = get_image_dimensions(file)
        except OSError:
            width = height = None
        # A file that is gone or unreadable showed readers a broken image; without it the promotion shows
        # its words alone, and Django does not try to measure it on every page.
        changes = {"image_width": width, "image_height": height} if width else {"image": ""}
        Promotion.objects.filter(pk=pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("promotions", "0002_editor_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="promotion",
            name="image_height",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="promotion",
            name="image_width",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="promotion",
            name="image",
            field=models.ImageField(
                blank=True, height_field="image_height", upload_to="promotions/%Y/%m/", width_field="image_width"
            ),
        ),
        migrations.RunPython(measure_images, migrations.RunPython.noop),
    ]
