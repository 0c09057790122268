import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles import demo
from articles.management.commands import prepare_demo
from articles.models import Article, ArticleRevision, ArticleTransition, Byline, Reference
from promotions.models import Promotion


def load(capsys, settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_content")
    call_command("load_demo_promotions")
    return capsys.readouterr().out


def test_demo_content_loads_articles_across_sections_with_credits(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    assert Article.objects.count() == len(demo.load().articles) >= 25
    assert Article.objects.visible().values("section").distinct().count() == len(demo.load().sections)
    assert not Article.objects.visible().filter(bylines__isnull=True).exists()
    assert not Article.objects.visible().filter(references__isnull=True).exists()
    assert Article.objects.visible().filter(medical_reviewer__isnull=False, last_reviewed__isnull=False).exists()
    assert Article.objects.visible().filter(is_featured=True, hero__isnull=False).count() == 3


def test_demo_content_first_article_reports_the_2008_sorafenib_study(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    article = Article.objects.visible().get(slug="sorafenib-anastrozole-resistance-asco-2008")
    assert article.source == "2008 ASCO Breast Cancer Symposium"
    assert "27" in article.body_text
    assert "anastrozole" in article.body_text.lower()


def test_demo_content_includes_unpublished_and_scheduled_articles(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    hidden = Article.objects.exclude(pk__in=Article.objects.visible())
    assert {article.status for article in hidden} >= {"draft", "review", "published"}
    assert any(article.is_scheduled for article in hidden)


def test_demo_content_is_idempotent(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    counts = (
        Article.objects.count(),
        Byline.objects.count(),
        Reference.objects.count(),
        ArticleTransition.objects.count(),
    )
    publish_times = dict(Article.objects.values_list("slug", "publish_at"))
    output = load(capsys, settings, tmp_path)
    assert (
        Article.objects.count(), Byline.objects.count(), Reference.objects.count(), ArticleTransition.objects.count()
    ) == counts  # fmt: skip
    assert dict(Article.objects.values_list("slug", "publish_at")) == publish_times
    assert "(0 new)" in output


def test_demo_editor_can_sign_in_with_the_printed_credentials(db, client, capsys, settings, tmp_path):
    output = load(capsys, settings, tmp_path)
    credentials = output.split("Demo editor — ", 1)[1]
    email = credentials.split("email: ", 1)[1].split()[0]
    password = credentials.split("password: ", 1)[1].split()[0]
    response = client.post("/accounts/sign-in/", {"username": email, "password": password})
    assert response.status_code == 302
    editor = get_user_model().objects.get(email=email)
    assert editor.has_perm("articles.publish_article")
    assert client.get("/admin/articles/article/").status_code == 200


def test_demo_content_needs_an_explicit_password_outside_development(db, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("DEMO_EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DEMO_EDITOR_PASSWORD"):
        call_command("load_demo_content")
    assert not Article.objects.exists()


def test_demo_readers_give_the_demo_editor_explained_recommendations(db, capsys, settings, tmp_path):
    from accounts.models import Favorite
    from recommendations.services import recommendations_for

    load(capsys, settings, tmp_path)
    call_command("load_demo_readers")
    call_command("rebuild_recommendations")
    saves = Favorite.objects.count()
    call_command("load_demo_readers")

    editor = get_user_model().objects.get(email="editor@newsroom.example")
    recommendations = recommendations_for(editor, limit=10)
    assert Favorite.objects.count() == saves
    assert len(recommendations) == 10
    assert all(item.reason for item in recommendations)
    assert not {item.article.pk for item in recommendations} & set(
        Favorite.objects.filter(user=editor).values_list("article_id", flat=True)
    )


def test_demo_content_keeps_one_revision_per_article_however_often_it_loads(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    load(capsys, settings, tmp_path)
    assert ArticleRevision.objects.count() == len(demo.load().articles)
    assert set(ArticleRevision.objects.values_list("summary", flat=True)) == {"Demo content loaded"}


def test_demo_content_has_a_promotion_for_every_placement(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    assert set(Promotion.objects.active().values_list("placement", flat=True)) == set(Promotion.Placement.values)
    for promotion in Promotion.objects.all():
        promotion.full_clean()


def test_demo_trials_promotion_shows_beside_an_article_about_clinical_trials(db, client, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    article = Article.objects.visible().filter(tags__name="clinical trials").first()
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Questions about taking part in a trial?" in content


def test_demo_promotions_load_again_without_change(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    before = list(Promotion.objects.order_by("pk").values("pk", "headline", "starts_at", "ends_at"))
    output = load(capsys, settings, tmp_path)
    assert list(Promotion.objects.order_by("pk").values("pk", "headline", "starts_at", "ends_at")) == before
    assert "Demo promotions: 3 (0 new)" in output


def test_demo_articles_have_a_workflow_history_matching_their_status(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    live = Article.objects.visible().get(slug="sorafenib-anastrozole-resistance-asco-2008")
    in_review = Article.objects.get(status=Article.Status.IN_REVIEW)
    steps = list(live.transitions.select_related("actor"))
    assert [(step.from_status, step.to_status) for step in steps] == [
        ("draft", "review"),
        ("review", "approved"),
        ("approved", "published"),
    ]
    assert [step.actor.email for step in steps] == [
        "writer@newsroom.example",
        "reviewer@newsroom.example",
        "editor@newsroom.example",
    ]
    assert steps[-1].created_at == live.publish_at
    assert list(in_review.transitions.values_list("to_status", flat=True)) == ["review"]
    assert not Article.objects.get(status=Article.Status.DRAFT).transitions.exists()


def test_demo_medical_reviewer_can_approve(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    reviewer = get_user_model().objects.get(email="reviewer@newsroom.example")
    assert reviewer.has_perm("articles.approve_article")
    assert not reviewer.has_perm("articles.publish_article")


def test_demo_promotions_ask_for_the_demo_content_first(db):
    with pytest.raises(CommandError, match="run manage.py load_demo_content first"):
        call_command("load_demo_promotions")
    assert not Promotion.objects.exists()


def test_prepare_demo_loads_once_and_again_only_when_the_demo_sources_change(
    db, capsys, settings, tmp_path, monkeypatch
):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(prepare_demo, "LOADED_STAMPS", tmp_path / "demo-loaded.json")

    call_command("prepare_demo")
    first = capsys.readouterr().out
    assert "Migrations: all applied." in first
    assert Article.objects.count() == len(demo.load().articles)

    Article.objects.filter(slug="sorafenib-anastrozole-resistance-asco-2008").update(title="Changed by an editor")
    call_command("prepare_demo")
    second = capsys.readouterr().out
    assert "Demo content: loaded already, unchanged" in second
    assert "editor@newsroom.example" in second  # the credentials, printed all the same
    assert Article.objects.get(slug="sorafenib-anastrozole-resistance-asco-2008").title == "Changed by an editor"

    monkeypatch.setattr(prepare_demo, "demo_fingerprint", lambda: "sources changed")
    call_command("prepare_demo")
    assert "loaded already" not in capsys.readouterr().out


def test_prepare_demo_loads_again_into_an_emptied_database(db, capsys, settings, tmp_path, monkeypatch):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(prepare_demo, "LOADED_STAMPS", tmp_path / "demo-loaded.json")
    call_command("prepare_demo")
    Article.objects.all().delete()

    call_command("prepare_demo")

    assert Article.objects.count() == len(demo.load().articles)
