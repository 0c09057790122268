import django.db.models.deletion
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations, models
from django.utils import timezone

OLD_BACKEND = "django.contrib.auth.backends.ModelBackend"
NEW_BACKEND = "accounts.backends.SessionUserBackend"
BATCH = 1000


def move_sessions(apps, schema_editor):
    """Readers and editors stay signed in: every live session moves to the new table with its account, and
    the backend it names becomes the one that took ModelBackend's place. (A session's signature depends on
    the store's class name, SessionStore in both engines, so Django's own store reads and writes them.)"""
    Session = apps.get_model("sessions", "Session")
    ReaderSession = apps.get_model("accounts", "ReaderSession")
    User = apps.get_model("accounts", "User")
    store = SessionStore()
    live = Session.objects.filter(expire_date__gt=timezone.now()).order_by("pk")
    last_key = ""
    while batch := list(live.filter(pk__gt=last_key)[:BATCH]):
        last_key = batch[-1].pk
        moved = []
        for old in batch:
            data = store.decode(old.session_data)
            if not data:  # unreadable (signed with a retired key): nothing to keep
                continue
            if data.get(BACKEND_SESSION_KEY) == OLD_BACKEND:
                data[BACKEND_SESSION_KEY] = NEW_BACKEND
            user_id = data.get(SESSION_KEY)
            moved.append((old, data, int(user_id) if user_id is not None else None))
        accounts = set(User.objects.filter(pk__in={user_id for _, _, user_id in moved}).values_list("pk", flat=True))
        ReaderSession.objects.bulk_create(
            [
                ReaderSession(
                    session_key=old.session_key,
                    session_data=store.encode(data),
                    expire_date=old.expire_date,
                    user_id=user_id if user_id in accounts else None,
                )
                for old, data, user_id in moved
            ],
            ignore_conflicts=True,
        )
    Session.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_covering_favorite_indexes"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReaderSession",
            fields=[
                (
                    "session_key",
                    models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name="session key"),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sessions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "abstract": False,
            },
        ),
        migrations.RunPython(move_sessions, migrations.RunPython.noop),
    ]
