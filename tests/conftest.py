import pytest
from django.contrib.auth.models import Group

from .factories import UserFactory


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
