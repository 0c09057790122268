"""The hourly rebuild: content neighbours worked out again only for the articles whose text changed."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from recommendations import similarity
from recommendations.models import ContentNeighbour, IndexedDocument

from .factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

SUBJECTS = [
    "tamoxifen hormone therapy hot flushes",
    "radiotherapy skin care fatigue",
    "lymphoedema arm swelling exercise",
    "screening mammogram recall",
    "genetic testing brca family",
    "chemotherapy nausea appetite",
]


@pytest.fixture
def catalogue():
    """Twelve articles, two on each subject, in one section."""
    section = SectionFactory()
    return [
        ArticleFactory(
            title=f"{subject} {number}", summary=subject, body=f"<p>{subject} study {number}</p>", section=section
        )
        for subject in SUBJECTS
        for number in (1, 2)
    ]


def neighbour_lists():
    lists = {}
    for article_id, neighbour_id, value in ContentNeighbour.objects.values_list(
        "article_id", "neighbour_id", "similarity"
    ):
        lists.setdefault(article_id, {})[neighbour_id] = value
    return lists


def afresh_lists():
    similarity.rebuild_content_neighbours(afresh=True)
    return neighbour_lists()


def edit(article, text):
    article.title = article.summary = text
    article.body = f"<p>{text}</p>"
    article.save()


def test_an_unchanged_catalogue_is_not_compared_again(catalogue):
    similarity.rebuild_content_neighbours()
    before = neighbour_lists()

    articles, pairs, compared = similarity.rebuild_content_neighbours()

    assert (articles, compared) == (12, 0)
    assert neighbour_lists() == before and pairs == sum(len(neighbours) for neighbours in before.values())


def test_an_edited_article_is_compared_again_and_its_new_neighbours_are_those_a_full_rebuild_finds(catalogue):
    similarity.rebuild_content_neighbours()
    moved = catalogue[0]
    edit(moved, "lymphoedema arm swelling exercise after surgery")

    _articles, _pairs, compared = similarity.rebuild_content_neighbours()
    incremental = neighbour_lists()

    assert compared == 1
    lymphoedema = {article.pk for article in catalogue[4:6]}
    assert lymphoedema <= set(incremental[moved.pk])
    for article_id in lymphoedema:
        assert moved.pk in incremental[article_id]
    assert moved.pk not in incremental.get(catalogue[1].pk, {})
    assert incremental[moved.pk] == pytest.approx(afresh_lists()[moved.pk])


def test_an_unpublished_article_leaves_every_list(catalogue):
    similarity.rebuild_content_neighbours()
    gone = catalogue[2]
    assert gone.pk in neighbour_lists()[catalogue[3].pk]
    Article.objects.filter(pk=gone.pk).update(status=Article.Status.DRAFT)

    similarity.rebuild_content_neighbours()

    lists = neighbour_lists()
    assert gone.pk not in lists
    assert all(gone.pk not in neighbours for neighbours in lists.values())
    assert not IndexedDocument.objects.filter(article=gone).exists()


def test_a_new_article_finds_its_neighbours_and_joins_theirs(catalogue):
    similarity.rebuild_content_neighbours()
    new = ArticleFactory(
        title="brca genetic testing", summary="genetic testing brca family", section=catalogue[0].section
    )

    similarity.rebuild_content_neighbours()

    lists = neighbour_lists()
    assert {catalogue[8].pk, catalogue[9].pk} <= set(lists[new.pk])
    assert new.pk in lists[catalogue[8].pk]


def test_many_changes_or_a_day_since_the_last_full_comparison_compare_every_article(catalogue):
    similarity.rebuild_content_neighbours()
    for article in catalogue[:2]:
        edit(article, f"{article.summary} revised")
    assert similarity.rebuild_content_neighbours()[2] == 12  # 2 of 12 changed: more than a tenth

    IndexedDocument.objects.update(indexed_at=timezone.now() - timedelta(hours=25))
    assert similarity.rebuild_content_neighbours()[2] == 12


def test_the_command_says_how_many_articles_it_compared(catalogue):
    output = io.StringIO()
    call_command("rebuild_recommendations", stdout=output)
    call_command("rebuild_recommendations", stdout=output)
    call_command("rebuild_recommendations", "--afresh", stdout=output)

    lines = output.getvalue().splitlines()
    assert "the text of 12 articles compared" in lines[0]
    assert "the text of 0 articles compared" in lines[1]
    assert "the text of 12 articles compared" in lines[2]
