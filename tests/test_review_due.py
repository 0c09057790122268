"""Review-due tracking: when medical review falls due, and what readers are told about old research."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, PersonFactory, SectionFactory


def reviewed_on(day, **fields):
    return ArticleFactory(medical_reviewer=PersonFactory(), last_reviewed=day, **fields)


def due_titles(today, within_days=30):
    return [article.title for article in Article.objects.due_for_review(today=today, within_days=within_days)]


def test_review_falls_due_the_section_interval_after_the_last_review(db):
    reviewed_on(date(2025, 1, 15), title="Reviewed in January")

    assert due_titles(today=date(2025, 12, 15)) == []
    assert due_titles(today=date(2025, 12, 16)) == ["Reviewed in January"]


def test_due_date_is_annotated_for_the_admin_list(db):
    reviewed_on(date(2025, 1, 15))

    assert Article.objects.due_for_review(today=date(2026, 3, 1)).get().review_due == date(2026, 1, 15)


def test_a_section_can_ask_for_more_frequent_reviews(db):
    section = SectionFactory(review_interval_months=6)
    reviewed_on(date(2025, 1, 15), title="Six-monthly", section=section)

    assert due_titles(today=date(2025, 7, 15), within_days=0) == ["Six-monthly"]


def test_an_article_never_reviewed_is_due_from_its_publication(db):
    published = timezone.make_aware(datetime(2024, 3, 1, 9, 30))
    ArticleFactory(title="Never reviewed", publish_at=published)

    assert due_titles(today=date(2025, 3, 1), within_days=0) == ["Never reviewed"]


def test_unpublished_articles_are_not_listed(db):
    reviewed_on(date(2020, 1, 1), draft=True)

    assert due_titles(today=date(2026, 1, 1)) == []


def test_due_list_puts_the_most_overdue_first(db):
    reviewed_on(date(2024, 6, 1), title="Later")
    reviewed_on(date(2024, 1, 1), title="Earliest")

    assert due_titles(today=date(2026, 1, 1)) == ["Earliest", "Later"]


def test_admin_due_for_medical_review_list_marks_overdue_articles(admin_client, db):
    reviewed_on(timezone.localdate() - timedelta(days=800), title="Long overdue")
    reviewed_on(timezone.localdate() - timedelta(days=10), title="Recently reviewed")

    content = admin_client.get("/admin/articles/dueforreview/").content.decode()

    assert "Long overdue" in content
    assert "Overdue" in content
    assert "Recently reviewed" not in content


def test_old_research_news_tells_readers_its_age(client, db):
    research = SectionFactory(name="Research News", slug="research-news", shows_age_notice=True)
    article = ArticleFactory(section=research, publish_at=timezone.now() - timedelta(days=800))

    content = client.get(article.get_absolute_url()).content.decode()

    assert "This article is more than 2 years old." in content


@pytest.mark.parametrize(("days", "said"), [(400, "13 months"), (6700, "18 years")])
def test_the_age_notice_says_months_then_years(client, db, days, said):
    """The 2008 study's article once said 'more than 218 months old'."""
    research = SectionFactory(shows_age_notice=True, review_interval_months=12)
    article = ArticleFactory(section=research, publish_at=timezone.now() - timedelta(days=days))

    assert f"This article is more than {said} old." in client.get(article.get_absolute_url()).content.decode()


def test_recent_research_news_has_no_age_notice(client, db):
    research = SectionFactory(shows_age_notice=True)
    article = ArticleFactory(section=research, publish_at=timezone.now() - timedelta(days=100))

    assert " old. Research moves on" not in client.get(article.get_absolute_url()).content.decode()


def test_sections_without_the_notice_do_not_show_it_however_old(client, db):
    article = ArticleFactory(
        section=SectionFactory(shows_age_notice=False), publish_at=timezone.now() - timedelta(days=900)
    )

    assert " old. Research moves on" not in client.get(article.get_absolute_url()).content.decode()
