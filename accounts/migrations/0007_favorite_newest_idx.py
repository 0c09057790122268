from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built without locking out new favorites while it builds (a million rows take a while).
    atomic = False

    dependencies = [
        ("accounts", "0006_reader_sessions"),
        ("articles", "0021_search_vector_in_row"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="favorite",
            index=models.Index(fields=["-created_at"], include=("article",), name="favorite_newest_idx"),
        ),
    ]
