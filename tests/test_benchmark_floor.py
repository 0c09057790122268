"""The throughput benchmark's floor (benchmarks/throughput_urls.py): a bare page of exactly the size asked
for, costing no query, and no address of the site itself."""

import pytest
from django.test import override_settings

from .factories import ArticleFactory

FLOOR_URLCONF = "benchmarks.throughput_urls"


@pytest.mark.django_db
@pytest.mark.parametrize("size", [200, 22_350])
def test_the_floor_is_a_page_of_the_size_asked_for_without_queries(client, django_assert_num_queries, size):
    with override_settings(ROOT_URLCONF=FLOOR_URLCONF), django_assert_num_queries(0):
        response = client.get(f"/benchmark-floor/{size}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert len(response.content) == size


@pytest.mark.django_db
def test_the_floor_is_not_an_address_of_the_site(client):
    assert client.get("/benchmark-floor/200").status_code == 404


@pytest.mark.django_db
def test_the_site_keeps_its_addresses_beside_the_floor(client):
    article = ArticleFactory()
    with override_settings(ROOT_URLCONF=FLOOR_URLCONF):
        assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_floor_too_large_is_not_made(client):
    with override_settings(ROOT_URLCONF=FLOOR_URLCONF):
        assert client.get("/benchmark-floor/20000000").status_code == 404
