"""The article page in two steps (newsroom/slots.py): the parts every reader who is not signed in sees
are rendered once per content version and kept; each request renders only the reader's own parts."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import HelpfulnessVote
from accounts.services import voter_key_for
from articles import services as article_services
from articles.models import Article
from newsroom import content_version, slots
from recommendations import services as recommendation_services

from .factories import (
    ArticleFactory,
    FavoriteFactory,
    HelpfulnessVoteFactory,
    ProfileFactory,
    PromotionFactory,
    ResearchFactsFactory,
    SectionFactory,
    StudyDrugFactory,
    UserFactory,
)

# A save button's opening tag's end and label, saved or not (templates/includes/favorite_button.html).
SAVED = 'data-saved data-label-save="Save as Favorite" data-label-remove="Remove from favorites">Remove from favorites'
UNSAVED = 'data-label-save="Save as Favorite" data-label-remove="Remove from favorites">Save as Favorite'


@pytest.fixture
def no_page_cache(settings):
    """Only the two-step render: the whole-page cache is off."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def impressions_in_batches(settings):
    """Promotion impressions are written in batches, as on the live site, not on the measured request."""
    settings.PROMOTION_IMPRESSIONS_FLUSH_SECONDS = 3600


@pytest.fixture
def article(db):
    section = SectionFactory(name="Treatment", slug="treatment")
    article = ArticleFactory(title="Tamoxifen after surgery", slug="tamoxifen", section=section, tags=["hormones"])
    ArticleFactory.create_batch(3, section=section)
    facts = ResearchFactsFactory(article=article)
    StudyDrugFactory(facts=facts, generic_name="tamoxifen", brand_names="Nolvadex")
    PromotionFactory(headline="Walk for research", placement="article_sidebar")
    return article


def anonymous_page(path):
    return Client().get(path).content.decode()


def test_readers_not_signed_in_get_the_page_a_fresh_render_gives(article, no_page_cache):
    fresh = anonymous_page(article.get_absolute_url())
    again = anonymous_page(article.get_absolute_url())
    assert again == fresh
    assert "Tamoxifen after surgery" in fresh and "Walk for research" in fresh
    assert f"{UNSAVED}</button>" in fresh


def test_nothing_of_the_reader_who_caused_the_render_is_kept(article, no_page_cache, client):
    """A signed-in reader with a save, a vote, a message and a query string holding an address is the first
    to ask: the page kept for everyone else shows none of it."""
    reader = UserFactory(email="first.reader@example.org")
    FavoriteFactory(user=reader, article=article)
    HelpfulnessVoteFactory(article=article, voter_key=voter_key_for(reader), is_helpful=False, comment="Too long")
    client.force_login(reader)
    own = client.get(article.get_absolute_url() + "?email=first.reader@example.org").content.decode()
    assert SAVED in own and "Too long" in own and "Sign out" in own

    shared = anonymous_page(article.get_absolute_url())
    assert "first.reader" not in shared and "Too long" not in shared and "Sign out" not in shared
    assert "data-saved" not in shared and "csrfmiddlewaretoken" not in shared


def test_a_request_not_signed_in_costs_no_query_once_the_page_is_kept(article, no_page_cache, impressions_in_batches):
    anonymous_page(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        anonymous_page(article.get_absolute_url())
    assert len(queries) == 0, [query["sql"] for query in queries]


def test_a_remembered_vote_costs_one_query_and_shows(article, no_page_cache, impressions_in_batches):
    anonymous_page(article.get_absolute_url())
    voter = Client()
    voter.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "no"}, HTTP_ORIGIN="http://testserver")
    assert HelpfulnessVote.objects.filter(article=article).count() == 1
    with CaptureQueriesContext(connection) as queries:
        page = voter.get(article.get_absolute_url()).content.decode()
    assert "You answered No." in page
    assert len(queries) == 1


def test_signed_in_readers_see_their_own_parts(article, no_page_cache, client):
    anonymous_page(article.get_absolute_url())
    reader = UserFactory()
    related = Article.objects.exclude(pk=article.pk).first()
    FavoriteFactory(user=reader, article=related)
    client.force_login(reader)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Sign out" in page and "csrfmiddlewaretoken" in page
    assert f'{SAVED}<span class="visually-hidden">: {related.title}' in page
    assert f"{UNSAVED}</button>" in page  # the article itself is not saved


def test_a_cards_save_button_is_the_same_as_in_a_whole_render(article, no_page_cache, client):
    """Each card's button is a slot carrying the card's id and title: a title with quotes and markup comes
    back escaped exactly as a whole render escapes it."""
    related = Article.objects.exclude(pk=article.pk).first()
    Article.objects.filter(pk=related.pk).update(title='Diet & "risk" <b>study</b>')
    content_version.content_changed()
    reader = UserFactory()
    FavoriteFactory(user=reader, article=related)
    client.force_login(reader)
    anonymous_page(article.get_absolute_url())
    kept = client.get(article.get_absolute_url()).content.decode()
    title = "Diet &amp; &quot;risk&quot; &lt;b&gt;study&lt;/b&gt;"
    button = f'{SAVED}<span class="visually-hidden">: {title}</span>'
    assert kept.count(button) == 1


def test_messages_reach_the_reader_on_a_kept_page(article, no_page_cache, client):
    anonymous_page(article.get_absolute_url())
    reader = UserFactory()
    client.force_login(reader)
    client.post(reverse("accounts:favorite", args=[article.pk]), {"action": "save", "next": article.get_absolute_url()})
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="message message--' in page


def test_an_edit_shows_at_once(article, no_page_cache):
    assert "Tamoxifen after surgery" in anonymous_page(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(title="Tamoxifen after surgery, ten years on")
    article.refresh_from_db()
    article.save()
    assert "ten years on" in anonymous_page(article.get_absolute_url())


def test_an_archived_article_is_gone_at_once(article, no_page_cache, editor):
    assert anonymous_page(article.get_absolute_url())
    article_services.article_archive(articles=Article.objects.filter(pk=article.pk), by=editor)
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_a_missing_address_is_not_kept(db, no_page_cache):
    """An article becomes visible by the clock as well as by a change: nothing may hold its 404 meanwhile."""
    article = ArticleFactory(slug="not-yet", scheduled=True)
    assert Client().get("/articles/not-yet/").status_code == 404
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert Client().get("/articles/not-yet/").status_code == 200


def test_slot_marks_cannot_be_forged_by_content(article, no_page_cache):
    """The mark is a NUL character, which PostgreSQL refuses to store: no title or body can hold one."""
    assert slots.MARK == "\x00"
    parts = slots.render_public(
        "includes/favorite_button.html", {"article_id": article.pk, "saved_ids": set()}, Client().request().wsgi_request
    )
    assert parts == [parts[0]]  # a slot's own template holds no slot


def test_a_slot_is_an_include_in_an_ordinary_render(article):
    template = Template('{% slot "includes/favorite_button.html" with article_id=article.pk %}')
    html = template.render(Context({"article": article, "saved_ids": {article.pk}}))
    assert SAVED in html


@pytest.mark.parametrize(
    "tag",
    [
        "{% slot %}",
        '{% slot "a.html" later %}',
        "{% slot a.html %}",
        '{% slot "a.html" with %}',
        '{% slot "a.html" with x %}',
        '{% slot "a.html" when %}',
        '{% slot "a.html" when with x=1 %}',
        '{% slot "a.html" when x == %}',
    ],
)
def test_a_misused_slot_tag_says_how_to_use_it(tag):
    with pytest.raises(TemplateSyntaxError, match="slot"):
        Template(tag)


def test_staff_previews_are_rendered_whole(article, no_page_cache, editor_client):
    draft = ArticleFactory(draft=True, slug="draft-study", title="A draft study")
    page = editor_client.get(draft.get_absolute_url())
    assert page.status_code == 200 and "Preview." in page.content.decode()
    assert Client().get(draft.get_absolute_url()).status_code == 404


def recommended_titles(html):
    box = html.split('id="recommended-heading"', 1)[1].split("</section>", 1)[0]
    return set(re.findall(r'<li><a href="[^"]+">([^<]+)</a>', box))


def test_a_readers_own_changes_show_in_their_kept_recommendations_at_once(article, no_page_cache, client):
    reader = ProfileFactory(sections=[article.section]).user
    client.force_login(reader)
    shown = recommended_titles(client.get(article.get_absolute_url()).content.decode())
    assert shown
    first = Article.objects.get(title=sorted(shown)[0])

    recommendation_services.dismiss(reader=reader, article=first)
    assert first.title not in recommended_titles(client.get(article.get_absolute_url()).content.decode())

    recommendation_services.undo_dismiss(reader=reader, article=first)
    assert first.title in recommended_titles(client.get(article.get_absolute_url()).content.decode())

    account_services.favorite_add(reader=reader, article=first)  # saved articles are never recommended
    assert first.title not in recommended_titles(client.get(article.get_absolute_url()).content.decode())


def test_a_readers_saves_and_answers_show_on_kept_pages_at_once(article, no_page_cache, client):
    """What a reader saved and answered is kept with their version: each change they make shows on the very
    next page, through the same forms a browser posts."""
    reader = UserFactory()
    client.force_login(reader)
    related = Article.objects.exclude(pk=article.pk).first()
    saved = f'{SAVED}<span class="visually-hidden">: {related.title}'
    assert saved not in client.get(article.get_absolute_url()).content.decode()

    client.post(reverse("accounts:favorite", args=[related.pk]), {"action": "save"})
    assert saved in client.get(article.get_absolute_url()).content.decode()

    client.post(reverse("accounts:favorite", args=[related.pk]), {"action": "remove"})
    assert saved not in client.get(article.get_absolute_url()).content.decode()

    client.post(reverse("accounts:vote", args=[article.pk]), {"helpful": "no"})
    assert "You answered No." in client.get(article.get_absolute_url()).content.decode()

    client.post(reverse("accounts:vote_comment", args=[article.pk]), {"comment": "Shorter sentences, please"})
    assert "Shorter sentences, please</textarea>" in client.get(article.get_absolute_url()).content.decode()


def test_a_signed_in_reader_renders_only_the_buttons_of_articles_they_saved(article, no_page_cache, client):
    """A save button is the reader's own only for an article they saved (`when article_id in saved_ids`):
    every other one is the button every reader gets, kept, and costs nothing to render."""
    reader = UserFactory()
    related = Article.objects.exclude(pk=article.pk).first()
    FavoriteFactory(user=reader, article=related)
    client.force_login(reader)
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url())
    rendered = [template.name for template in response.templates]
    assert rendered.count("includes/favorite_button.html") == 1
    assert "articles/slots/helpful.html" not in rendered  # no answer yet: the kept question

    page = response.content.decode()
    assert page.count(SAVED) == 1
    assert page.count(UNSAVED) == 3  # the article and the two other cards


def test_the_reader_forms_on_a_kept_page_are_accepted_from_this_site_only(article, no_page_cache):
    """Save, the helpful vote and the newsletter carry no CSRF token for any reader: a post is accepted when
    the browser says it comes from this site (newsroom/csrf.py), and refused, with a page saying why, when it
    comes from another site or says nothing. Signing out keeps its token."""
    reader = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    html = client.get(article.get_absolute_url()).content.decode()
    assert len(re.findall(r'name="csrfmiddlewaretoken"', html)) == 1  # the sign-out form's
    save = reverse("accounts:favorite", args=[article.pk])

    forged = client.post(save, {"action": "save"}, HTTP_ORIGIN="https://attacker.example")
    silent = client.post(save, {"action": "save"})
    assert forged.status_code == silent.status_code == 403
    assert "could not be sent" in silent.content.decode()
    assert not reader.favorites.exists()

    client.post(save, {"action": "save"}, HTTP_ORIGIN="http://testserver")
    assert reader.favorites.filter(article=article).exists()

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    client.post(reverse("accounts:sign_out"), {"csrfmiddlewaretoken": token})
    assert "Sign out" not in client.get(article.get_absolute_url()).content.decode()


def test_the_messages_and_the_newsletter_box_are_rendered_only_for_a_reader_with_messages(
    article, no_page_cache, client
):
    """Both are live slots narrowed to a reader with messages (`live when messages`, and the box `when` one of
    them answers it): every other reader gets the kept ones, which cost nothing to render."""
    url = article.get_absolute_url()
    reader = UserFactory(email="reader@example.org")
    client.force_login(reader)
    client.get(url)
    for response in (client.get(url), Client().get(url)):
        rendered = [template.name for template in response.templates]
        assert "includes/messages.html" not in rendered and "includes/newsletter_box.html" not in rendered
        assert "Stay tuned for the latest research news" in response.content.decode()

    subscribe = {"email": reader.email, "next": url}
    answered = client.post(reverse("accounts:newsletter"), subscribe, HTTP_ORIGIN="http://testserver", follow=True)
    markup = answered.content.decode()
    assert answered.redirect_chain[-1][0] == url
    assert 'class="message message--' in markup
    assert "Stay tuned for the latest research news" not in markup
    assert "Stay tuned for the latest research news" in client.get(url).content.decode()
