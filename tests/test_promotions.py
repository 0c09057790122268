"""Promotions: which one a page shows (placement, dates, targeting, weight), how it is marked, and how
impressions and clicks are counted and shown to editors."""

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from PIL import Image

from articles.models import Article
from promotions import services
from promotions.models import Promotion, PromotionDailyCount

from .factories import ArticleFactory, PromotionFactory, SectionFactory, UserFactory
from .helpers import element, form_fields, hrefs, page, text_of

SIDEBAR = Promotion.Placement.ARTICLE_SIDEBAR
BELOW = Promotion.Placement.BELOW_ARTICLE
HOME = Promotion.Placement.HOME
ARTICLE_PLACEMENTS = (SIDEBAR, BELOW)
CHANGELIST = reverse("admin:promotions_promotion_changelist")
ADD = reverse("admin:promotions_promotion_add")


def go_url(promotion):
    return reverse("promotions:go", args=[promotion.pk])


def chosen(*, placements=ARTICLE_PLACEMENTS, article=None, at=None):
    """{placement: headline} a page would show."""
    shown = services.promotions_for_page(placements=placements, article=article, at=at)
    return {placement: promotion.headline for placement, promotion in shown.items()}


def totals(promotion):
    return PromotionDailyCount.objects.filter(promotion=promotion).aggregate(
        impressions=Sum("impressions"), clicks=Sum("clicks")
    )


def promotion_box(markup, promotion):
    """The rendered slot of one promotion, or '' when the page does not show it."""
    return element(markup, f'<section class="box promotion promotion--{promotion.placement}"', "</section>")


def tiny_png(name="promotion.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), color=(138, 31, 79)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def as_on_its_page(article):
    """The article as its page fetches it, tags included."""
    return Article.objects.for_page().get(pk=article.pk)


@pytest.fixture
def article(db):
    return ArticleFactory(section=SectionFactory(name="Treatment", slug="treatment"), tags=["radiotherapy", "surgery"])


# --- Choosing by placement -------------------------------------------------------------------


def test_each_placement_shows_its_own_promotion(article):
    PromotionFactory(headline="Sidebar", placement=SIDEBAR)
    PromotionFactory(headline="Below", placement=BELOW)
    PromotionFactory(headline="Home", placement=HOME)

    assert chosen(article=article) == {SIDEBAR: "Sidebar", BELOW: "Below"}
    assert chosen(placements=[HOME]) == {HOME: "Home"}


def test_a_placement_without_a_promotion_is_left_out(article):
    PromotionFactory(headline="Sidebar", placement=SIDEBAR)

    assert chosen(article=article) == {SIDEBAR: "Sidebar"}


def test_article_page_shows_the_promotion_in_its_slots_and_keeps_the_home_one_off(client, article):
    sidebar = PromotionFactory(headline="Our helpline is open", placement=SIDEBAR)
    below = PromotionFactory(headline="Get research news by email", placement=BELOW)
    home = PromotionFactory(headline="Join the charity run", placement=HOME)

    content = page(client.get(article.get_absolute_url()))

    aside = element(content, '<aside class="article-aside"', "</aside>")
    article_element = element(content, '<article class="article"', "</article>")
    assert "Our helpline is open" in promotion_box(aside, sidebar)
    assert "Get research news by email" in promotion_box(article_element, below)
    assert content.index('id="helpful-heading"') < content.index("Get research news by email")
    assert home.headline not in content


def test_the_editorial_standards_box_fills_the_sidebar_when_no_promotion_matches(client, article):
    PromotionFactory(headline="Elsewhere only", placement=SIDEBAR, target_tags=["chemotherapy"])

    content = page(client.get(article.get_absolute_url()))

    aside = text_of(element(content, '<aside class="article-aside"', "</aside>"))
    assert "How we check the news we publish" in aside
    assert "Elsewhere only" not in content


def test_the_standards_box_gives_way_to_a_sidebar_promotion(client, article):
    PromotionFactory(headline="Our helpline is open", placement=SIDEBAR)

    content = page(client.get(article.get_absolute_url()))

    assert "How we check the news we publish" not in content


def test_home_page_shows_the_home_promotion(client, db):
    home = PromotionFactory(headline="Join the charity run", placement=HOME)
    PromotionFactory(headline="Sidebar only", placement=SIDEBAR)

    content = page(client.get("/"))

    assert "Join the charity run" in promotion_box(content, home)
    assert "Sidebar only" not in content


# --- Choosing by date ------------------------------------------------------------------------


def test_a_promotion_shows_from_the_exact_moment_it_starts(article):
    start = timezone.now() + timedelta(days=3)
    PromotionFactory(headline="Starts later", starts_at=start)

    assert chosen(article=article, at=start - timedelta(microseconds=1)) == {}
    assert chosen(article=article, at=start) == {SIDEBAR: "Starts later"}


def test_a_promotion_stops_at_the_exact_moment_it_ends(article):
    end = timezone.now() + timedelta(days=3)
    promotion = PromotionFactory(headline="Ends soon", ends_at=end)

    assert chosen(article=article, at=end - timedelta(microseconds=1)) == {SIDEBAR: "Ends soon"}
    assert chosen(article=article, at=end) == {}
    assert promotion.is_active_at(end - timedelta(microseconds=1))
    assert not promotion.is_active_at(end)


def test_a_promotion_without_an_end_keeps_showing(article):
    PromotionFactory(headline="Open-ended", ends_at=None)

    assert chosen(article=article, at=timezone.now() + timedelta(days=3650)) == {SIDEBAR: "Open-ended"}


def test_an_ended_promotion_gives_way_to_a_current_one(article):
    PromotionFactory(headline="Ended", weight=100, ends_at=timezone.now() - timedelta(minutes=1))
    PromotionFactory(headline="Current", weight=1)

    assert chosen(article=article) == {SIDEBAR: "Current"}


# --- Choosing by targeting and weight --------------------------------------------------------


def test_a_promotion_for_the_articles_section_beats_an_untargeted_one(article):
    PromotionFactory(headline="Untargeted", weight=100)
    PromotionFactory(headline="For treatment", weight=1, target_sections=[article.section])

    assert chosen(article=article) == {SIDEBAR: "For treatment"}


def test_a_promotion_for_one_of_the_articles_tags_beats_an_untargeted_one(article):
    PromotionFactory(headline="Untargeted", weight=100)
    PromotionFactory(headline="For radiotherapy", weight=1, target_tags=["radiotherapy"])

    assert chosen(article=article) == {SIDEBAR: "For radiotherapy"}


def test_more_matches_beat_fewer(article):
    PromotionFactory(headline="One tag", weight=100, target_tags=["radiotherapy"])
    PromotionFactory(headline="Section and tag", weight=1, target_sections=[article.section], target_tags=["surgery"])
    PromotionFactory(headline="Two tags", weight=50, target_tags=["radiotherapy", "surgery"])
    PromotionFactory(headline="Section and two tags", target_sections=[article.section],
                     target_tags=["radiotherapy", "surgery"], placement=BELOW)  # fmt: skip
    PromotionFactory(headline="Only one of three tags here", placement=BELOW, weight=100,
                     target_tags=["radiotherapy", "chemotherapy", "exercise"])  # fmt: skip

    assert chosen(article=article) == {SIDEBAR: "Two tags", BELOW: "Section and two tags"}


def test_a_promotion_targeted_elsewhere_never_shows(article):
    PromotionFactory(headline="Other section", target_sections=[SectionFactory(slug="diagnosis")])
    PromotionFactory(headline="Other tag", target_tags=["chemotherapy"], placement=BELOW)

    assert chosen(article=article) == {}


def test_the_home_page_shows_only_untargeted_promotions(db):
    section = SectionFactory(slug="treatment")
    PromotionFactory(headline="Targeted", placement=HOME, weight=100, target_sections=[section])
    PromotionFactory(headline="For everyone", placement=HOME, weight=1)

    assert chosen(placements=[HOME]) == {HOME: "For everyone"}


def test_among_equal_matches_the_higher_weight_wins(article):
    PromotionFactory(headline="Light", weight=2)
    PromotionFactory(headline="Heavy", weight=9)
    PromotionFactory(headline="Middle", weight=5)

    assert chosen(article=article) == {SIDEBAR: "Heavy"}


def test_among_equal_weights_the_most_recent_start_wins_then_the_newest(article):
    now = timezone.now()
    PromotionFactory(headline="Older start", starts_at=now - timedelta(days=5))
    PromotionFactory(headline="Newer start", starts_at=now - timedelta(days=1))
    first_twin = PromotionFactory(headline="Twin created first", placement=BELOW, starts_at=now - timedelta(days=2))
    PromotionFactory(headline="Twin created second", placement=BELOW, starts_at=first_twin.starts_at)

    assert chosen(article=article) == {SIDEBAR: "Newer start", BELOW: "Twin created second"}


def test_choosing_for_every_placement_takes_one_query_and_counts_nothing(article, django_assert_num_queries):
    for number in range(30):
        PromotionFactory(placement=[SIDEBAR, BELOW, HOME][number % 3], weight=number % 7 + 1,
                         target_tags=["radiotherapy"] if number % 4 == 0 else [])  # fmt: skip
    article = as_on_its_page(article)

    with django_assert_num_queries(1):
        shown = services.promotions_for_page(placements=ARTICLE_PLACEMENTS, article=article)

    assert set(shown) == {SIDEBAR, BELOW}
    assert not PromotionDailyCount.objects.exists()


def test_a_page_with_nothing_to_show_writes_nothing(article, django_assert_num_queries):
    PromotionFactory(placement=HOME)
    article = as_on_its_page(article)

    with django_assert_num_queries(1):
        assert services.promotions_for_page(placements=ARTICLE_PLACEMENTS, article=article) == {}


# --- How a promotion looks -------------------------------------------------------------------


def test_a_promotion_is_labelled_as_one_for_sight_and_screen_readers(client, article):
    promotion = PromotionFactory(headline="Our helpline is open", text="Nurses answer every weekday.",
                                 call_to_action="Call the helpline")  # fmt: skip

    box = promotion_box(page(client.get(article.get_absolute_url())), promotion)

    label_id, heading_id = f"promotion-{promotion.pk}-label", f"promotion-{promotion.pk}-heading"
    assert f'aria-labelledby="{label_id} {heading_id}"' in box
    assert f'<p class="box__label promotion__label" id="{label_id}">Promotion</p>' in box
    assert f'<h2 id="{heading_id}">Our helpline is open</h2>' in box
    assert text_of(box) == "Promotion Our helpline is open Nurses answer every weekday. Call the helpline"


def test_a_promotions_link_goes_through_the_click_counter(client, article):
    promotion = PromotionFactory(link="https://events.example.org/run")

    box = promotion_box(page(client.get(article.get_absolute_url())), promotion)

    assert hrefs(box) == [go_url(promotion)]
    assert "events.example.org" not in box


def test_a_promotions_image_has_its_alt_text(client, article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    promotion = PromotionFactory(image=tiny_png(), image_alt="Runners in pink shirts crossing a finish line.")

    box = promotion_box(page(client.get(article.get_absolute_url())), promotion)

    assert f'src="{promotion.image.url}"' in box
    assert 'alt="Runners in pink shirts crossing a finish line."' in box


def test_a_promotions_image_gives_the_browser_its_size(client, article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    promotion = PromotionFactory(image=tiny_png(), image_alt="A pink ribbon.")

    box = promotion_box(page(client.get(article.get_absolute_url())), promotion)

    assert 'width="2" height="2"' in box
    assert f'srcset="{promotion.image.url} 2w" sizes="' in box


# --- Counting impressions and clicks ---------------------------------------------------------


def test_each_page_view_counts_one_impression_for_each_promotion_shown(client, article):
    sidebar = PromotionFactory(placement=SIDEBAR)
    below = PromotionFactory(placement=BELOW)
    not_chosen = PromotionFactory(placement=SIDEBAR, weight=sidebar.weight - 1 or 1, starts_at=sidebar.starts_at
                                  - timedelta(days=1))  # fmt: skip
    home = PromotionFactory(placement=HOME)

    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())

    assert totals(sidebar) == {"impressions": 2, "clicks": 0}
    assert totals(below) == {"impressions": 2, "clicks": 0}
    assert totals(not_chosen)["impressions"] is None
    assert totals(home)["impressions"] is None


def test_a_signed_in_readers_views_are_counted_too(client, article):
    """Their own parts of a page are kept between views; the promotions a page shows are chosen, and counted,
    at every view."""
    home = PromotionFactory(placement=HOME)
    client.force_login(UserFactory())

    client.get(reverse("articles:home"))
    client.get(reverse("articles:home"))

    assert totals(home) == {"impressions": 2, "clicks": 0}


def test_counts_are_kept_per_day(db):
    promotion = PromotionFactory()
    today = timezone.localdate()

    services.promotion_counts_add(promotion_ids=[promotion.pk], impressions=1, on=today - timedelta(days=1))
    services.promotion_counts_add(promotion_ids=[promotion.pk], impressions=1, on=today)
    services.promotion_counts_add(promotion_ids=[promotion.pk], impressions=1, on=today)

    assert list(promotion.daily_counts.values_list("date", "impressions")) == [
        (today, 2),
        (today - timedelta(days=1), 1),
    ]


def test_a_click_is_counted_and_sent_to_the_promotions_own_link(client, db):
    promotion = PromotionFactory(link="https://events.example.org/charity-run/")

    response = client.get(go_url(promotion))

    assert response.status_code == 302
    assert response["Location"] == "https://events.example.org/charity-run/"
    assert totals(promotion) == {"impressions": 0, "clicks": 1}
    assert "no-cache" in response["Cache-Control"]


def test_a_click_on_a_site_path_stays_on_the_site(client, db):
    promotion = PromotionFactory(link="/accounts/newsletter/")

    response = client.get(go_url(promotion))

    assert response["Location"] == "/accounts/newsletter/"


@pytest.mark.parametrize("query", ["?next=https://evil.example/", "?url=//evil.example", "?link=javascript:alert(1)"])
def test_nothing_in_the_request_changes_where_a_click_goes(client, db, query):
    promotion = PromotionFactory(link="/accounts/newsletter/")

    response = client.get(go_url(promotion) + query)

    assert response["Location"] == "/accounts/newsletter/"


@pytest.mark.parametrize(
    "dates",
    [
        {"starts_at": timezone.now() + timedelta(days=1)},
        {"starts_at": timezone.now() - timedelta(days=9), "ends_at": timezone.now() - timedelta(days=1)},
    ],
    ids=["scheduled", "ended"],
)
def test_a_promotion_not_showing_now_gives_not_found_and_no_click(client, db, dates):
    promotion = PromotionFactory(**dates)

    response = client.get(go_url(promotion))

    assert response.status_code == 404
    assert not PromotionDailyCount.objects.exists()


def test_an_unknown_promotion_gives_not_found(client, db):
    assert client.get("/promotions/999999/go/").status_code == 404


def test_the_click_counter_accepts_only_get(client, db):
    promotion = PromotionFactory()

    assert client.post(go_url(promotion)).status_code == 405
    assert not PromotionDailyCount.objects.exists()


def test_robots_are_asked_not_to_follow_promotion_links(client, db):
    assert "Disallow: /promotions/" in page(client.get("/robots.txt")).splitlines()


# --- Validation ------------------------------------------------------------------------------


def valid_promotion(**fields):
    return Promotion(**{"headline": "A headline", "link": "/about/", "call_to_action": "Read more",
                        "placement": SIDEBAR, **fields})  # fmt: skip


@pytest.mark.parametrize("link", ["/about/", "/accounts/newsletter/?from=promotion", "https://events.example.org/run"])
def test_site_paths_and_https_addresses_are_accepted(db, link):
    valid_promotion(link=link).full_clean()


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://events.example.org/run",
        "ftp://files.example.org/",
        "//evil.example/",
        "/\\evil.example/",
        "about",
        "/about us/",
    ],
)
def test_other_links_are_refused_with_a_clear_message(db, link):
    with pytest.raises(ValidationError) as error:
        valid_promotion(link=link).full_clean()

    assert error.value.message_dict["link"] == [
        "Use a path on this site such as /accounts/newsletter/, or a full address starting with https://."
    ]


def test_the_database_refuses_an_unsafe_link_that_skipped_validation(db):
    with pytest.raises(IntegrityError):
        valid_promotion(link="javascript:alert(1)").save()


def test_an_image_needs_alt_text(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    with pytest.raises(ValidationError) as error:
        valid_promotion(image=tiny_png(), image_alt="  ").full_clean()

    assert error.value.message_dict["image_alt"] == ["Describe the image for readers who cannot see it."]


def test_the_end_must_come_after_the_start(db):
    start = timezone.now()

    with pytest.raises(ValidationError) as error:
        valid_promotion(starts_at=start, ends_at=start).full_clean()

    assert error.value.message_dict["ends_at"] == ["The end must come after the start."]


# --- Admin -----------------------------------------------------------------------------------


def add_form(client, **fields):
    """What an editor submits from the add page: a valid sidebar promotion, changed by `fields`."""
    data, _ = form_fields(page(client.get(ADD)), "promotion_form")
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()} | {
        "headline": "Questions about a clinical trial?",
        "link": "/about/",
        "call_to_action": "Ask our nurses",
        "placement": SIDEBAR,
        "weight": "1",
        **fields,
    }


def test_an_editor_adds_a_targeted_promotion(editor_client, db):
    section = SectionFactory(slug="treatment")
    data = add_form(editor_client, starts_at_0="2026-01-01", starts_at_1="09:00:00", weight="3",
                    target_sections=[str(section.pk)])  # fmt: skip

    response = editor_client.post(ADD, data)

    assert response.status_code == 302, text_of(element(page(response), '<ul class="errorlist', "</ul>"))
    promotion = Promotion.objects.get()
    assert list(promotion.target_sections.all()) == [section]


def test_the_admin_refuses_an_unsafe_link_and_keeps_what_was_typed(editor_client, db):
    data = add_form(editor_client, headline="Click me", link="javascript:alert(1)")

    response = editor_client.post(ADD, data)

    assert response.status_code == 200
    assert "Use a path on this site such as /accounts/newsletter/" in page(response)
    assert 'value="Click me"' in page(response)
    assert not Promotion.objects.exists()


def test_the_admin_refuses_a_targeted_home_promotion(editor_client, db):
    section = SectionFactory(slug="treatment")
    data = add_form(editor_client, placement=HOME, target_sections=[str(section.pk)])

    response = editor_client.post(ADD, data)

    assert response.status_code == 200
    assert "The home page shows only untargeted promotions." in page(response)
    assert not Promotion.objects.exists()


def test_writers_cannot_manage_promotions(writer_client, db):
    assert writer_client.get(CHANGELIST).status_code == 403


def add_counts(promotion, days):
    today = timezone.localdate()
    PromotionDailyCount.objects.bulk_create(
        PromotionDailyCount(promotion=promotion, date=today - timedelta(days=day), impressions=100, clicks=day)
        for day in range(days)
    )


def list_cells(markup):
    """{headline: {column: text}} for the rows of an admin changelist."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", markup, flags=re.S):
        cells = {name: text_of(value) for name, value in re.findall(r'class="field-(\w+)[^"]*">(.*?)</t[dh]>', row)}
        if "headline" in cells:
            rows[cells["headline"]] = cells
    return rows


def test_admin_list_shows_totals_and_click_through_rate(editor_client, db):
    promotion = PromotionFactory(headline="Charity run", target_sections=[SectionFactory(name="Treatment")],
                                 target_tags=["exercise"])  # fmt: skip
    add_counts(promotion, days=4)  # 400 impressions, 0 + 1 + 2 + 3 clicks
    PromotionFactory(headline="Never shown")

    cells = list_cells(page(editor_client.get(CHANGELIST)))

    assert cells["Charity run"]["targeting"] == "Treatment, #exercise"
    assert (cells["Charity run"]["impressions"], cells["Charity run"]["clicks"]) == ("400", "6")
    assert cells["Charity run"]["click_through"] == "1.5%"
    assert cells["Never shown"]["targeting"] == "Untargeted"
    assert [cells["Never shown"][name] for name in ("impressions", "clicks", "click_through")] == ["0", "0", "–"]


def test_admin_list_filters_by_showing_now(editor_client, db):
    PromotionFactory(headline="Running now")
    PromotionFactory(headline="Finished", ends_at=timezone.now() - timedelta(hours=1),
                     starts_at=timezone.now() - timedelta(days=3))  # fmt: skip

    content = page(editor_client.get(CHANGELIST + "?showing=now"))

    assert "Running now" in content
    assert "Finished" not in content


def test_admin_list_costs_the_same_queries_with_many_promotions(editor_client, db, django_assert_num_queries):
    """Guards against N+1 queries: totals and targeting are fetched for the whole page at once."""
    for _ in range(2):
        add_counts(PromotionFactory(target_tags=["exercise"]), days=3)
    editor_client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(CHANGELIST)
    for number in range(20):
        add_counts(PromotionFactory(target_tags=[f"topic {number}"], target_sections=[SectionFactory()]), days=5)

    with django_assert_num_queries(len(few)):
        response = editor_client.get(CHANGELIST)

    assert page(response).count('class="field-headline"') >= 22


def test_admin_change_page_shows_the_counts_per_day_read_only(editor_client, db):
    promotion = PromotionFactory()
    add_counts(promotion, days=3)

    content = page(editor_client.get(reverse("admin:promotions_promotion_change", args=[promotion.pk])))

    counts = text_of(element(content, 'id="daily_counts-group"', "</fieldset>"))
    yesterday = timezone.localdate() - timedelta(days=1)
    assert f"{date_format(yesterday)} 100 1 1.0%" in counts
    assert 'name="daily_counts-0-impressions"' not in content
