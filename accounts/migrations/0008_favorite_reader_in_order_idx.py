from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Neither locks out new favorites while it runs (a million rows take a while).
    atomic = False

    dependencies = [
        ("accounts", "0007_favorite_newest_idx"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="favorite",
            index=models.Index(fields=["user", "-created_at", "-article"], name="favorite_reader_in_order_idx"),
        ),
        RemoveIndexConcurrently(model_name="favorite", name="favorite_reader_newest_idx"),
    ]
