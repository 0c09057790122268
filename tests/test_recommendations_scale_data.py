"""manage.py generate_scale_data: exact counts, believable favorites, and the guards against misuse."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from taggit.models import TaggedItem

from accounts.models import Favorite, Profile, User
from articles.models import Article
from recommendations.models import ArticlePopularity, ContentNeighbour, Suggestion
from recommendations.suggestions import SUGGESTIONS_KEPT

from .factories import ArticleFactory

ARTICLES, READERS, FAVORITES = 50, 40, 300


def generate(**options):
    call_command(
        "generate_scale_data",
        articles=ARTICLES,
        readers=READERS,
        favorites=FAVORITES,
        stdout=io.StringIO(),
        **options,
    )


@pytest.fixture
def development(settings):
    settings.DEBUG = True  # pytest-django runs tests with DEBUG off; the command is a development tool.


@pytest.fixture
def generated(db, development):
    generate()


@pytest.mark.usefixtures("generated")
class TestGeneratedData:
    def test_creates_exactly_the_counts_asked_for(self):
        assert Article.objects.filter(status=Article.Status.PUBLISHED).count() == ARTICLES
        assert User.objects.filter(email__endswith="@scale.invalid").count() == READERS
        assert Profile.objects.count() == READERS
        assert Favorite.objects.count() == FAVORITES

    def test_articles_are_visible_with_text_tags_and_search_vectors(self):
        assert Article.objects.visible().count() == ARTICLES
        assert not Article.objects.filter(body_text="").exists()
        assert not Article.objects.filter(search_vector__isnull=True).exists()
        tags_per_article = TaggedItem.objects.values("object_id").annotate(tags=Count("id"))
        assert {row["tags"] for row in tags_per_article} <= {2, 3, 4, 5}
        assert tags_per_article.count() == ARTICLES

    def test_readers_cannot_sign_in_and_some_opted_in(self):
        reader = User.objects.filter(email__endswith="@scale.invalid").first()
        assert not reader.has_usable_password()
        assert 0 < Profile.objects.filter(personalisation=True).count() < READERS

    def test_favorites_are_unique_per_reader_and_article(self):
        pairs = Favorite.objects.values("user_id", "article_id").distinct().count()
        assert pairs == FAVORITES

    def test_favorites_come_after_the_article_appeared(self):
        assert not Favorite.objects.filter(created_at__lte=F("article__publish_at")).exists()

    def test_content_neighbours_popularity_and_suggestions_are_built(self):
        assert ContentNeighbour.objects.exists()
        saved_articles = Favorite.objects.values("article_id").distinct().count()
        assert ArticlePopularity.objects.count() == saved_articles
        assert Suggestion.objects.count() == SUGGESTIONS_KEPT * (ARTICLES + 1)


def test_refuses_to_run_twice_without_force(db, development):
    generate()
    with pytest.raises(CommandError, match="already has articles"):
        generate()
    assert Article.objects.count() == ARTICLES


def test_runs_again_with_force(db, development):
    generate()
    generate(force=True)
    assert Article.objects.count() == 2 * ARTICLES
    assert Favorite.objects.count() == 2 * FAVORITES


def test_refuses_when_debug_is_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        generate()
    generate(force=True)
    assert Article.objects.count() == ARTICLES


def test_refuses_a_site_with_articles(db, development):
    ArticleFactory()
    with pytest.raises(CommandError, match="already has articles"):
        generate()


def test_refuses_more_favorites_than_can_be_unique(db, development):
    with pytest.raises(CommandError, match="favorites"):
        call_command("generate_scale_data", articles=2, readers=2, favorites=100, stdout=io.StringIO())
    assert not Article.objects.exists()
