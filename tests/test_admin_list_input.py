"""Every admin list answers junk in its filters, search, ordering and page number with the whole list or a
clear message, never a 500. Generated from the admin's registry and each list's own filters, so a new list or
filter is covered without being named here."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from .factories import ArticleFactory, HelpfulnessVoteFactory, PromotionFactory

JUNK_VALUES = ["\x00", "a\x00b", "abc", "9" * 40, "пошук 🙂", "' OR 1=1 --"]
UNKNOWN_PARAMETERS = {"no_such_field__exact": "1", "title__no_such_lookup": "x", "section__name__regex": "("}


def changelists():
    """(url name, model admin) for every list in the admin."""
    return [
        (f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist", model_admin)
        for model, model_admin in admin.site._registry.items()
    ]


def filter_parameters(model_admin, superuser):
    """The query parameters the list's own filters read, as the admin itself reports them."""
    request = RequestFactory().get("/")
    request.user = superuser
    changelist = model_admin.get_changelist_instance(request)
    return sorted({parameter for spec in changelist.filter_specs for parameter in spec.expected_parameters()})


@pytest.fixture
def some_content(db):
    article = ArticleFactory()
    HelpfulnessVoteFactory(article=article)
    PromotionFactory()


def assert_list_or_message(client, url, query, refused=()):
    response = client.get(url, query)
    assert response.status_code in (200, 302, *refused), (url, query, response.status_code)
    if response.status_code == 302:
        # Django's own answer to a filter it cannot use: the whole list again, with a message.
        followed = client.get(response["Location"])
        assert followed.status_code == 200, (url, query)
        assert "could not be used" in followed.content.decode(), (url, query)


@pytest.mark.parametrize(("url_name", "model_admin"), changelists(), ids=[name for name, _ in changelists()])
def test_junk_in_every_filter_gives_the_list_or_a_message(
    superuser_client, superuser, some_content, url_name, model_admin
):
    url = reverse(url_name)
    for parameter in filter_parameters(model_admin, superuser):
        for value in JUNK_VALUES:
            assert_list_or_message(superuser_client, url, {parameter: value})


@pytest.mark.parametrize(("url_name", "model_admin"), changelists(), ids=[name for name, _ in changelists()])
def test_junk_search_ordering_and_page_give_the_list_or_a_message(
    superuser_client, some_content, url_name, model_admin
):
    url = reverse(url_name)
    for value in JUNK_VALUES:
        for parameter in ("q", "o", "p", "_facets"):
            assert_list_or_message(superuser_client, url, {parameter: value})
    for parameter, value in UNKNOWN_PARAMETERS.items():
        # Django refuses a lookup through a relation the list does not offer with a 400 (DisallowedModelAdminLookup).
        assert_list_or_message(superuser_client, url, {parameter: value}, refused=(400,))


def test_the_reported_nul_filter_on_articles_shows_the_whole_list_with_a_message(superuser_client, some_content):
    response = superuser_client.get(f"{reverse('admin:articles_article_changelist')}?status__exact=%00", follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    assert "could not be used" in content
    assert response.context["cl"].result_count == 1


def field_lookups(model_admin):
    """A raw `field__exact` for each of the model's own columns: the admin lets any of them through the query
    string, beside the list's filters."""
    return [f"{field.attname}__exact" for field in model_admin.model._meta.concrete_fields]


@pytest.mark.parametrize(("url_name", "model_admin"), changelists(), ids=[name for name, _ in changelists()])
def test_junk_in_a_raw_lookup_on_any_column_gives_the_list_a_message_or_a_refusal(
    superuser_client, some_content, url_name, model_admin
):
    """The fuzzer's `?status__exact={}` on the task queue's jobs was a 500: the column is a PostgreSQL enum."""
    url = reverse(url_name)
    for parameter in field_lookups(model_admin):
        for value in ("{}", "abc", "a\x00b"):
            assert_list_or_message(superuser_client, url, {parameter: value}, refused=(400,))
