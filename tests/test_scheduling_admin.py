"""Editors see what is scheduled, and when, in the article list."""

from datetime import timedelta

from django.utils import timezone

from .factories import ArticleFactory

CHANGELIST = "/admin/articles/article/"


def titles_listed(client, **params):
    content = client.get(CHANGELIST, params).content.decode()
    return {title for title in ("Live story", "Later story", "Draft story") if f">{title}<" in content}


def test_scheduled_filter_lists_only_articles_waiting_for_their_time(admin_client, db):
    ArticleFactory(title="Live story")
    ArticleFactory(title="Later story", publish_at=timezone.now() + timedelta(days=2))
    ArticleFactory(title="Draft story", draft=True)

    assert titles_listed(admin_client, publication="scheduled") == {"Later story"}
    assert titles_listed(admin_client, publication="live") == {"Live story"}
    assert titles_listed(admin_client, publication="unpublished") == {"Draft story"}


def test_a_scheduled_article_shows_its_publication_time_in_the_list(admin_client, db):
    moment = timezone.now() + timedelta(days=3)
    ArticleFactory(title="Later", publish_at=moment)

    content = admin_client.get(CHANGELIST).content.decode()

    assert f"Scheduled for {timezone.localtime(moment).strftime('%-d %b %Y, %H:%M')}" in content


def test_embargo_note_is_kept_for_editors_and_never_shown_to_readers(admin_client, client, db):
    article = ArticleFactory(embargo_note="Embargoed until 17:00 CET on 9 December")

    assert "Embargoed until 17:00 CET" in admin_client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()
    assert "Embargoed" not in client.get(article.get_absolute_url()).content.decode()
