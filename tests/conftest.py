import pytest
from django.contrib.auth.models import Group

from .factories import UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing passwords at full strength costs a third of a second per user; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded images and their copies go to a folder of the test's own, never to media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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
