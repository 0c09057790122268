import io
import re
import shutil
from collections import defaultdict
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image as PillowImage

from articles import demo
from articles.management.commands import prepare_demo
from articles.models import Article, ArticleRevision, ArticleTransition, Byline, Reference, ResearchFacts
from images import services as image_services
from images.models import Image
from newsletter import services as newsletter
from promotions.models import Promotion

from .helpers import page

# What the loader gave the featured articles before each section had its own illustration.
FORMER_DEMO_ALT = "An abstract illustration of overlapping circles in shades of pink and plum."


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


# --- Illustrations ----------------------------------------------------------------------------------


def background_colour(image):
    """The colour covering most of the picture."""
    with image.file.open("rb") as file, PillowImage.open(file) as picture:
        return max(picture.convert("RGB").getcolors(1200 * 630))[1]


def test_every_demo_article_has_an_illustration_saying_what_it_shows(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    articles = Article.objects.select_related("hero")
    assert not articles.filter(hero__isnull=True).exists()
    for article in articles:
        assert article.hero.credit == "Illustration: Newsroom demo"
        assert article.hero.alt_text.startswith("An illustration of ")
        assert (article.hero.width, article.hero.height) == (1200, 630)
        assert article.hero.file.size < 60_000, article.slug


def test_each_section_has_its_own_colours_and_motifs(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    backgrounds, motifs = defaultdict(set), defaultdict(set)
    for article in Article.objects.select_related("hero", "section"):
        backgrounds[article.section.slug].add(background_colour(article.hero))
        motifs[article.section.slug].add(article.hero.alt_text.split(", in ")[0])

    assert len(backgrounds) == len(demo.load().sections)
    assert all(len(colours) == 1 for colours in backgrounds.values())  # a section keeps its look
    assert len(set.union(*backgrounds.values())) == len(backgrounds)  # and no two sections share it
    for section, shown in motifs.items():
        others = set.union(*(motifs[other] for other in motifs if other != section))
        assert shown and not shown & others, section
    assert FORMER_DEMO_ALT not in {alt for shown in motifs.values() for alt in shown}


def test_articles_in_one_section_get_different_pictures(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    heroes = [article.hero for article in Article.objects.filter(section__slug="living-well").select_related("hero")]
    contents = {hero.file.open("rb").read() for hero in heroes}
    assert len(heroes) >= 4
    assert len(contents) == len(heroes)
    assert len({hero.alt_text for hero in heroes}) > 1  # both of the section's motifs are used


def test_articles_next_to_each_other_in_a_section_show_different_motifs(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    for section in demo.load().sections:
        newest_first = Article.objects.filter(section__slug=section["slug"], publish_at__isnull=False)
        motifs = [article.hero.alt_text for article in newest_first.order_by("-publish_at").select_related("hero")]
        assert all(first != second for first, second in zip(motifs, motifs[1:], strict=False)), section["slug"]


def test_loading_again_keeps_every_illustration(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    heroes = dict(Article.objects.values_list("slug", "hero"))
    assert Image.objects.count() == Article.objects.count()

    load(capsys, settings, tmp_path)

    assert dict(Article.objects.values_list("slug", "hero")) == heroes
    assert Image.objects.count() == Article.objects.count()


def test_loading_again_replaces_the_former_demo_circles_but_keeps_an_editors_hero(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    former_demo, editors = Article.objects.visible()[:2]

    def library_image(alt_text, credit):
        buffer = io.BytesIO()
        PillowImage.new("RGB", (1200, 630), (247, 238, 242)).save(buffer, format="PNG")
        image = Image(file=ContentFile(buffer.getvalue(), name="old.png"), alt_text=alt_text, credit=credit)
        return image_services.image_save(image=image)

    circles = library_image(FORMER_DEMO_ALT, "Illustration: Newsroom demo")
    chosen = library_image("A nurse talks with a patient", "Photo: Jane Doe")
    Article.objects.filter(pk=former_demo.pk).update(hero=circles)
    Article.objects.filter(pk=editors.pk).update(hero=chosen)

    load(capsys, settings, tmp_path)

    former_demo.refresh_from_db()
    assert former_demo.hero.alt_text.startswith("An illustration of ")
    assert not Image.objects.filter(pk=circles.pk).exists()
    editors.refresh_from_db()
    assert editors.hero == chosen


IMG_TAG = re.compile(r"<img\b[^>]*>")


@pytest.mark.parametrize("address", ["home", "article", "section"])
def test_reader_pages_size_every_image_and_load_only_the_lead_one_eagerly(
    address, db, client, capsys, settings, tmp_path
):
    load(capsys, settings, tmp_path)
    article = Article.objects.visible().get(slug=SORAFENIB)
    url = {"home": "/", "article": article.get_absolute_url(), "section": article.section.get_absolute_url()}
    images = IMG_TAG.findall(page(client.get(url[address])))

    assert len(images) >= 4
    for tag in images:
        for attribute in ("srcset", "sizes", "width", "height", "alt"):
            assert re.search(rf'\s{attribute}="[^"]+"', tag), (attribute, tag)
    eager = [tag for tag in images if 'loading="lazy"' not in tag]
    assert eager == [images[0]]  # the page's lead picture, its largest, comes first
    assert 'fetchpriority="high"' in images[0]
    assert not any('fetchpriority="high"' in tag for tag in images[1:])


# --- The data files ---------------------------------------------------------------------------------

SORAFENIB = "sorafenib-anastrozole-resistance-asco-2008"
VALID_ARTICLE = """+++
title = "A test article"
summary = "A summary."
section = "research-news"
authors = ["ana-kowalski"]
status = "published"
published = 2024-05-14
+++

Some **body** text.
"""


def demo_folder(tmp_path, article=VALID_ARTICLE):
    """A small demo folder: one section, one person, one glossary term and the given article."""
    folder = tmp_path / "demo"
    (folder / "articles").mkdir(parents=True)
    (folder / "sections.toml").write_text(
        '[[sections]]\nslug = "research-news"\nname = "Research News"\norder = 1\ndescription = "New studies."\n'
    )
    (folder / "people.toml").write_text(
        '[[people]]\nslug = "ana-kowalski"\nname = "Ana Kowalski"\ncredentials = "Science writer"\nbio = "Ana."\n'
    )
    (folder / "glossary.toml").write_text(
        '[[terms]]\nslug = "mammogram"\nterm = "Mammogram"\ndefinition = "An X-ray of the breast."\n'
    )
    (folder / "articles" / "a-test-article.md").write_text(article)
    return folder


def test_demo_content_loads_from_a_folder_of_data_files(db, capsys, settings, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "DEMO_FOLDER", demo_folder(tmp_path))
    load(capsys, settings, tmp_path)
    article = Article.objects.visible().get(slug="a-test-article")
    assert (article.title, article.section.slug, article.body) == (
        "A test article",
        "research-news",
        "<p>Some <strong>body</strong> text.</p>",
    )
    assert article.publish_at.date().isoformat() == "2024-05-14"


def test_the_example_in_the_demo_folders_readme_loads(tmp_path):
    folder = tmp_path / "demo"
    shutil.copytree(demo.DEMO_FOLDER, folder)
    example = (folder / "README.md").read_text().split("```\n", 2)[1]
    (folder / "articles" / "readme-example.md").write_text(example)

    article = next(item for item in demo.load(folder).articles if item["slug"] == "readme-example")

    assert (article["published_on"].isoformat(), article["research_facts"]["drugs"]) == (
        "2024-09-10",
        [("sorafenib", "Nexavar")],
    )


BROKEN_ARTICLES = {
    "missing front matter": ("Just a body, no front matter.\n", "no front matter"),
    "unclosed front matter": (VALID_ARTICLE.replace("+++\n\nSome", "\nSome"), "no closing +++ line"),
    "bad TOML": (VALID_ARTICLE.replace('title = "A test article"', "title = A test article"), "TOML cannot be read"),
    "unknown section": (VALID_ARTICLE.replace('"research-news"', '"recipes"'), "unknown section “recipes”"),
    "unknown person": (VALID_ARTICLE.replace('["ana-kowalski"]', '["nobody"]'), "unknown person “nobody”"),
    "misspelt field": (VALID_ARTICLE.replace("published =", "publised ="), "unknown fields publised"),
    "date in quotes": (VALID_ARTICLE.replace("2024-05-14", '"2024-05-14"'), "published must be a date"),
    "two publication dates": (VALID_ARTICLE.replace("+++\n\n", "published_days_ago = 3\n+++\n\n"), "not several"),
    "author not in a list": (VALID_ARTICLE.replace('["ana-kowalski"]', '"ana-kowalski"'), "authors must be a list"),
    "body markup readers would not see": (VALID_ARTICLE + "<script>alert(1)</script>\n", "the body has markup"),
}


@pytest.mark.parametrize("problem", BROKEN_ARTICLES)
def test_a_broken_demo_file_stops_the_load_with_its_name_and_the_problem(
    problem, db, capsys, settings, tmp_path, monkeypatch
):
    text, message = BROKEN_ARTICLES[problem]
    monkeypatch.setattr(demo, "DEMO_FOLDER", demo_folder(tmp_path, article=text))

    with pytest.raises(CommandError) as error:
        load(capsys, settings, tmp_path)

    assert "a-test-article.md" in str(error.value)
    assert message in str(error.value)
    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()


def test_the_sorafenib_article_is_dated_soon_after_the_2008_study_it_reports(db, client, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    article = Article.objects.visible().get(slug=SORAFENIB)
    presented_on = article.research_facts.presented_on
    assert presented_on.year == article.publish_at.year == 2008
    assert presented_on < article.publish_at.date() < presented_on + timedelta(days=30)

    content = page(client.get(article.get_absolute_url()))
    assert re.search(r'Published <time datetime="2008-09-12[^"]*">12 September 2008</time>', content)
    assert '<time datetime="2008-09-05">5 September 2008</time>' in content  # the study's date, in its facts card


def test_demo_articles_span_years_and_only_the_scheduled_one_is_dated_ahead(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    today = timezone.localdate()
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    assert [article.slug for article in published if article.publish_at.date() > today] == [
        "scalp-cooling-hair-loss-what-makes-a-difference"
    ]
    dates = sorted(article.publish_at.date() for article in Article.objects.visible())
    assert len({day.year for day in dates}) >= 4
    assert dates[-1] - dates[0] >= timedelta(days=3 * 365)
    assert not Article.objects.filter(status__in=["draft", "review"], publish_at__isnull=False).exists()


def test_demo_research_facts_date_each_study_before_the_article_reporting_it(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    facts = ResearchFacts.objects.select_related("article")
    assert facts.count() >= 5
    assert all(item.presented_on for item in facts)
    for item in facts.filter(article__in=Article.objects.visible()):
        assert item.presented_on < item.article.publish_at.date(), item.article.slug


def test_demo_medical_reviews_are_not_before_publication(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    reviewed = Article.objects.visible().filter(last_reviewed__isnull=False)
    assert reviewed.count() >= 20
    for article in reviewed:
        assert article.publish_at.date() <= article.last_reviewed <= timezone.localdate(), article.slug


def test_the_demo_has_recent_research_news_for_the_home_page_and_the_newsletter(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)
    recent = Article.objects.visible().filter(
        section__slug="research-news", publish_at__gte=timezone.now() - timedelta(days=30)
    )
    assert 3 <= recent.count() <= 4


def test_the_demo_has_recent_research_news_for_a_newsletter_issue(db, capsys, settings, tmp_path):
    load(capsys, settings, tmp_path)

    assert newsletter.research_news(since=newsletter.news_since()).exists()
