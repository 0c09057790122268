import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.db.models import Q
from django.test import override_settings

from outbox.services import deliver_waiting

from .factories import UserFactory

# name -> [(app label, permission codename)] of each group the data migrations made, read once the
# test database is migrated (see django_db_setup below).
MIGRATED_GROUPS = {}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """A second connection alias to the test database, as DATABASE_REPLICA_URL configures a read replica
    (a test mirror of the primary), so tests/test_replica.py can see which alias serves which reads."""
    from django.conf import settings
    from django.db import connections

    from newsroom.replica import REPLICA

    if REPLICA not in settings.DATABASES:
        primary = connections["default"].settings_dict
        settings.DATABASES[REPLICA] = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, noting the groups its data migrations made: a test on the transactional
    database ends by emptying every table, and nothing makes the groups again (see editorial_groups)."""
    with django_db_blocker.unblock():
        for group in Group.objects.prefetch_related("permissions__content_type"):
            MIGRATED_GROUPS[group.name] = [
                (permission.content_type.app_label, permission.codename) for permission in group.permissions.all()
            ]


def restore_editorial_groups():
    """Make again the groups the migrations made, with their permissions, if a test emptied the tables."""
    for name, permissions in MIGRATED_GROUPS.items():
        group, created = Group.objects.get_or_create(name=name)
        if created and permissions:
            wanted = Q()
            for app_label, codename in permissions:
                wanted |= Q(content_type__app_label=app_label, codename=codename)
            group.permissions.set(Permission.objects.filter(wanted))


@pytest.fixture
def editorial_groups(transactional_db):
    """Writers, Medical reviewers and Editors with their permissions, as the migrations made them, for
    tests on the transactional database (browser tests), where an earlier test may have removed them."""
    restore_editorial_groups()


@pytest.fixture(scope="module")
def whole_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """site_map.build_site()'s small site, made once for a whole test module (each test still runs in
    its own transaction) and removed after it."""
    from .site_map import build_site

    media = tmp_path_factory.mktemp("media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        yield build_site()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing passwords at full strength costs a third of a second per user; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded images and their copies go to a folder of the test's own, never to media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each test starts with no cached pages, whichever cache CACHE_URL names: its keys get a prefix of
    their own (what earlier tests left expires on its own)."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": uuid.uuid4().hex}}


@pytest.fixture(autouse=True)
def impressions_written_at_once(settings):
    """Promotion impressions and recommendations shown go to the database on every page view, unless a test
    asks for batches; none noted by an earlier test is left waiting."""
    from promotions.services import impressions
    from recommendations.measurement import shown

    settings.PROMOTION_IMPRESSIONS_FLUSH_SECONDS = 0
    impressions.items.clear()
    shown.items.clear()


@pytest.fixture
def editor(db):
    return UserFactory(email="editor@example.org", is_staff=True, groups=[Group.objects.get(name="Editors")])


@pytest.fixture
def writer(db):
    return UserFactory(email="writer@example.org", is_staff=True, groups=[Group.objects.get(name="Writers")])


@pytest.fixture
def reviewer(db):
    return UserFactory(
        email="reviewer@example.org", is_staff=True, groups=[Group.objects.get(name="Medical reviewers")]
    )


@pytest.fixture
def reader(db):
    return UserFactory(email="reader@example.org")


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


class DeliveredOutbox:
    """pytest-django's outbox with every email the site has queued delivered first, as a worker would
    (outbox.services.deliver, in the test's own transaction): tests read what readers receive. The queue
    itself is tested with a real worker in test_task_queue.py and test_outbox.py."""

    def __init__(self, sent):
        self.sent = sent

    def delivered(self):
        deliver_waiting()
        return self.sent

    def __len__(self):
        return len(self.delivered())

    def __getitem__(self, index):
        return self.delivered()[index]

    def __iter__(self):
        return iter(self.delivered())

    def __bool__(self):
        return bool(self.delivered())

    def __eq__(self, other):
        return self.delivered() == other

    def clear(self):
        self.delivered().clear()


@pytest.fixture
def mailoutbox(mailoutbox):
    return DeliveredOutbox(mailoutbox)


@pytest.fixture
def empty_queue(transactional_db):
    """No job left from another test: Django's flush between tests leaves the queue's tables alone (their
    models are not Django's to manage)."""

    def empty():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE procrastinate_jobs CASCADE")

    empty()
    yield
    empty()
