"""'Was this article helpful?': votes by cookie or account, comments, and the editors' totals."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import HelpfulnessVote

from .factories import ArticleFactory, HelpfulnessVoteFactory, UserFactory
from .helpers import element, page, text_of

JSON = {"HTTP_ACCEPT": "application/json"}
HIDDEN_KINDS = ["draft", "in_review", "archived", "scheduled"]
HELPFULNESS_CHANGELIST = reverse("admin:accounts_articlehelpfulness_changelist")
NOT_ANSWERED_TEXT = "Answer ‘Was this article helpful?’ first, then tell us what could be better."


def vote_url(article_or_id):
    return reverse("accounts:vote", args=[getattr(article_or_id, "pk", article_or_id)])


def comment_url(article_or_id):
    return reverse("accounts:vote_comment", args=[getattr(article_or_id, "pk", article_or_id)])


def vote(client, article, helpful, **extra):
    return client.post(vote_url(article), {"helpful": helpful}, **extra)


def comment(client, article, text, **extra):
    return client.post(comment_url(article), {"comment": text}, **extra)


def helpful_section(client, article):
    return element(page(client.get(article.get_absolute_url())), '<section class="helpful"', "</section>")


def comment_form_tag(section):
    """The opening tag of the comment form."""
    return re.search(r"<form [^>]*data-vote-comment[^>]*>", section).group(0)


@pytest.fixture
def article(db):
    return ArticleFactory(title="Tamoxifen after surgery", slug="tamoxifen-after-surgery")


# --- Voting ----------------------------------------------------------------------------------


def test_anonymous_yes_stores_one_vote(client, article):
    response = vote(client, article, "yes")

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#helpful"
    vote_row = HelpfulnessVote.objects.get()
    assert vote_row.article == article
    assert vote_row.is_helpful is True
    assert vote_row.user is None
    assert vote_row.voter_key.startswith("anon:")


def test_anonymous_vote_sets_a_signed_long_lived_http_only_voter_cookie(client, article):
    response = vote(client, article, "yes")

    cookie = response.cookies[services.VOTER_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 60 * 60 * 24 * 365
    stored_key = HelpfulnessVote.objects.get().voter_key
    assert cookie.value.startswith(f"{stored_key}:")
    assert len(cookie.value) > len(stored_key) + 20


def test_changing_the_answer_to_no_updates_the_same_vote(client, article):
    vote(client, article, "yes")
    first = HelpfulnessVote.objects.get()

    vote(client, article, "no")

    assert HelpfulnessVote.objects.count() == 1
    changed = HelpfulnessVote.objects.get()
    assert changed.pk == first.pk
    assert changed.is_helpful is False


def test_changing_the_answer_does_not_set_a_new_cookie(client, article):
    vote(client, article, "yes")

    response = vote(client, article, "no")

    assert services.VOTER_COOKIE not in response.cookies


def test_a_second_anonymous_reader_gets_their_own_vote(client, article):
    vote(client, article, "yes")

    vote(Client(), article, "no")

    assert HelpfulnessVote.objects.count() == 2
    assert sorted(HelpfulnessVote.objects.values_list("is_helpful", flat=True)) == [False, True]
    assert HelpfulnessVote.objects.values("voter_key").distinct().count() == 2


def test_one_cookie_votes_once_on_each_article(client, article):
    other = ArticleFactory()

    vote(client, article, "yes")
    vote(client, other, "no")

    assert HelpfulnessVote.objects.count() == 2
    assert HelpfulnessVote.objects.values("voter_key").distinct().count() == 1


def test_a_tampered_cookie_is_treated_as_a_new_voter(client, article):
    vote(client, article, "yes")
    original = HelpfulnessVote.objects.get()
    client.cookies[services.VOTER_COOKIE] = original.voter_key + ":forged-signature"

    response = vote(client, article, "no")

    assert response.status_code == 302
    assert HelpfulnessVote.objects.count() == 2
    original.refresh_from_db()
    assert original.is_helpful is True
    assert services.VOTER_COOKIE in response.cookies


def test_a_forged_cookie_naming_another_voter_cannot_change_their_vote(client, article):
    victim = HelpfulnessVoteFactory(article=article, is_helpful=True)
    client.cookies[services.VOTER_COOKIE] = victim.voter_key

    vote(client, article, "no")

    victim.refresh_from_db()
    assert victim.is_helpful is True


def test_signed_in_vote_is_keyed_by_the_account(reader_client, reader, article):
    response = vote(reader_client, article, "yes")

    vote_row = HelpfulnessVote.objects.get()
    assert vote_row.user == reader
    assert vote_row.voter_key == f"user:{reader.pk}"
    assert services.VOTER_COOKIE not in response.cookies


def test_signed_in_reader_changes_their_vote_from_any_browser(reader, article):
    first, second = Client(), Client()
    first.force_login(reader)
    second.force_login(reader)

    vote(first, article, "yes")
    vote(second, article, "no")

    assert HelpfulnessVote.objects.count() == 1
    assert HelpfulnessVote.objects.get().is_helpful is False


def test_vote_thanks_the_reader(client, article):
    content = page(vote(client, article, "yes", follow=True))

    assert "Thank you for your answer." in content


def test_vote_no_asks_what_could_be_better(client, article):
    content = page(vote(client, article, "no", follow=True))

    assert "Thank you. What could be better?" in content


def test_vote_answers_json_when_asked(client, article):
    response = vote(client, article, "no", **JSON)

    assert response.status_code == 200
    assert response.json() == {"helpful": False, "message": "Thank you. What could be better?"}
    assert services.VOTER_COOKIE in response.cookies


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_vote_on_an_article_readers_cannot_see_is_404(client, db, kind):
    response = vote(client, ArticleFactory(**{kind: True}), "yes")

    assert response.status_code == 404
    assert not HelpfulnessVote.objects.exists()


def test_vote_on_an_unknown_article_is_404(client, db):
    response = vote(client, 999999, "yes")

    assert response.status_code == 404
    assert not HelpfulnessVote.objects.exists()


@pytest.mark.parametrize("value", ["maybe", "", "YES", "1", "true"])
def test_an_invalid_answer_is_400(client, article, value):
    response = vote(client, article, value)

    assert response.status_code == 400
    assert "Answer Yes or No." in response.content.decode()
    assert not HelpfulnessVote.objects.exists()


def test_a_missing_answer_is_400(client, article):
    response = client.post(vote_url(article))

    assert response.status_code == 400


def test_vote_by_get_is_refused(client, article):
    response = client.get(vote_url(article), {"helpful": "yes"})

    assert response.status_code == 405
    assert not HelpfulnessVote.objects.exists()


# --- What the article page shows -------------------------------------------------------------


def test_article_page_hides_the_comment_form_before_a_vote(client, article):
    assert " hidden>" in comment_form_tag(helpful_section(client, article))


def test_article_page_shows_the_comment_form_after_no(client, article):
    vote(client, article, "no")

    section = helpful_section(client, article)

    assert "hidden" not in comment_form_tag(section)
    assert "You answered No. You can change your answer." in text_of(section)
    assert 'value="no" class="button--secondary" aria-pressed="true"' in section


def test_article_page_hides_the_comment_form_after_yes(client, article):
    vote(client, article, "yes")

    section = helpful_section(client, article)

    assert " hidden>" in comment_form_tag(section)
    assert 'value="yes" class="button--secondary" aria-pressed="true"' in section


def test_article_page_shows_a_signed_in_readers_answer(reader_client, article):
    vote(reader_client, article, "no")

    assert "You answered No." in text_of(helpful_section(reader_client, article))


def test_article_page_shows_the_comment_already_written(client, article):
    vote(client, article, "no")
    comment(client, article, "More about side effects, please.")

    section = helpful_section(client, article)

    assert ">More about side effects, please.</textarea>" in section


# --- Comments --------------------------------------------------------------------------------


def test_comment_after_no_is_saved_on_the_vote(client, article):
    vote(client, article, "no")

    response = comment(client, article, "  More about side effects, please.  ", follow=True)

    assert HelpfulnessVote.objects.get().comment == "More about side effects, please."
    assert "Thank you for your comment. Our editors read every one." in page(response)


def test_comment_of_500_characters_is_saved(client, article):
    vote(client, article, "no")

    comment(client, article, "x" * 500)

    assert HelpfulnessVote.objects.get().comment == "x" * 500


def test_comment_of_501_characters_is_refused_with_a_clear_error(client, article):
    vote(client, article, "no")

    response = comment(client, article, "x" * 501, follow=True)

    assert "Ensure this value has at most 500 characters (it has 501)." in page(response)
    assert HelpfulnessVote.objects.get().comment == ""


def test_comment_without_a_vote_is_refused_with_a_clear_message(client, article):
    response = comment(client, article, "More about side effects, please.", follow=True)

    assert NOT_ANSWERED_TEXT in page(response)
    assert not HelpfulnessVote.objects.exists()


def test_empty_comment_is_refused(client, article):
    vote(client, article, "no")

    response = comment(client, article, "", **JSON)

    assert response.status_code == 400
    assert response.json() == {"message": "This field is required."}


def test_signed_in_reader_comments_on_their_own_vote(reader_client, reader, article):
    HelpfulnessVoteFactory(article=article, is_helpful=False)
    vote(reader_client, article, "no")

    comment(reader_client, article, "Shorter, please.")

    assert HelpfulnessVote.objects.get(user=reader).comment == "Shorter, please."
    assert HelpfulnessVote.objects.exclude(user=reader).get().comment == ""


def test_comment_answers_json_when_asked(client, article):
    vote(client, article, "no")

    response = comment(client, article, "Shorter, please.", **JSON)

    assert response.status_code == 200
    assert response.json() == {"message": "Thank you for your comment."}


def test_comment_json_without_a_vote_is_400_with_the_message(client, article):
    response = comment(client, article, "Shorter, please.", **JSON)

    assert response.status_code == 400
    assert response.json() == {"message": NOT_ANSWERED_TEXT}


def test_comment_json_too_long_is_400_with_the_message(client, article):
    vote(client, article, "no")

    response = comment(client, article, "x" * 501, **JSON)

    assert response.status_code == 400
    assert response.json() == {"message": "Ensure this value has at most 500 characters (it has 501)."}
    assert HelpfulnessVote.objects.get().comment == ""


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_comment_on_an_article_readers_cannot_see_is_404(client, db, kind):
    hidden = ArticleFactory(**{kind: True})

    response = comment(client, hidden, "Shorter, please.")

    assert response.status_code == 404


def test_comment_on_an_unknown_article_is_404(client, db):
    assert comment(client, 999999, "Shorter, please.").status_code == 404


def test_changing_the_answer_keeps_the_comment(client, article):
    vote(client, article, "no")
    comment(client, article, "Shorter, please.")

    vote(client, article, "yes")

    vote_row = HelpfulnessVote.objects.get()
    assert vote_row.is_helpful is True
    assert vote_row.comment == "Shorter, please."


# --- The editors' totals ---------------------------------------------------------------------


@pytest.fixture
def voted_articles(db):
    """One article with 3 votes (2 yes, 1 comment; 1 by a signed-in reader), one with 1 no vote, one with none."""
    popular = ArticleFactory(title="Popular article")
    HelpfulnessVoteFactory(article=popular, is_helpful=True, user=UserFactory())
    HelpfulnessVoteFactory(article=popular, is_helpful=True)
    HelpfulnessVoteFactory(article=popular, is_helpful=False, comment="Too technical.")
    disliked = ArticleFactory(title="Disliked article")
    HelpfulnessVoteFactory(article=disliked, is_helpful=False)
    unvoted = ArticleFactory(title="Unvoted article")
    return popular, disliked, unvoted


def changelist_row(content, title):
    start = content.index(f">{title}<")
    return content[content.rindex("<tr", 0, start) : content.index("</tr>", start)]


def totals(content, title):
    """The votes, % yes and comments columns of one article's changelist row."""
    row = changelist_row(content, title)
    return [text_of(element(row, f'<td class="field-{name}">', "</td>")) for name in COLUMNS]


COLUMNS = ("votes", "anonymous_votes", "signed_in_votes", "percent_yes_display", "comments_link")


def test_helpfulness_changelist_shows_votes_by_kind_percent_yes_and_comments(superuser_client, voted_articles):
    response = superuser_client.get(HELPFULNESS_CHANGELIST)

    assert response.status_code == 200
    content = page(response)
    assert totals(content, "Popular article") == ["3", "2", "1", "67%", "1"]
    assert totals(content, "Disliked article") == ["1", "1", "0", "0%", "0"]
    assert totals(content, "Unvoted article") == ["0", "0", "0", "–", "0"]


def test_helpfulness_changelist_counts_a_deleted_readers_vote_as_signed_in(superuser_client, db):
    article = ArticleFactory(title="Article voted on by a reader who left")
    reader = UserFactory()
    HelpfulnessVoteFactory(article=article, user=reader)
    services.reader_delete(user=reader)

    content = page(superuser_client.get(HELPFULNESS_CHANGELIST))

    assert totals(content, "Article voted on by a reader who left") == ["1", "0", "1", "100%", "0"]


def test_helpfulness_changelist_has_votes_by_kind_percent_yes_and_comments_columns(superuser_client, voted_articles):
    content = page(superuser_client.get(HELPFULNESS_CHANGELIST))

    for column in COLUMNS:
        assert re.search(rf'<th scope="col" class="[^"]*column-{column}">', content)


def test_helpfulness_changelist_links_the_comments(superuser_client, voted_articles):
    popular, _, _ = voted_articles

    content = page(superuser_client.get(HELPFULNESS_CHANGELIST))

    vote_list = reverse("admin:accounts_helpfulnessvote_changelist")
    assert f'href="{vote_list}?article__id__exact={popular.pk}&comment__isempty=0">1</a>' in content.replace(
        "&amp;", "&"
    )


def test_helpfulness_changelist_lists_the_most_voted_first(superuser_client, voted_articles):
    content = page(superuser_client.get(HELPFULNESS_CHANGELIST))

    positions = [
        content.index(f">{title}</a></th>") for title in ("Popular article", "Disliked article", "Unvoted article")
    ]
    assert positions == sorted(positions)


def test_helpfulness_csv_export_has_the_right_numbers(superuser_client, voted_articles):
    popular, disliked, unvoted = voted_articles

    response = superuser_client.post(
        HELPFULNESS_CHANGELIST,
        {"action": "export_csv", "_selected_action": [popular.pk, disliked.pk, unvoted.pk], "index": 0},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="helpfulness-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_title = {row["article"]: row for row in rows}
    assert set(by_title) == {"Popular article", "Disliked article", "Unvoted article"}
    assert by_title["Popular article"] == {
        "article": "Popular article",
        "url": f"http://testserver{popular.get_absolute_url()}",
        "votes": "3",
        "anonymous_votes": "2",
        "signed_in_votes": "1",
        "yes": "2",
        "no": "1",
        "percent_yes": "67",
        "comments": "1",
    }
    assert (by_title["Disliked article"]["votes"], by_title["Disliked article"]["percent_yes"]) == ("1", "0")
    assert (by_title["Unvoted article"]["votes"], by_title["Unvoted article"]["percent_yes"]) == ("0", "")


def test_helpfulness_csv_export_includes_only_the_selected_articles(superuser_client, voted_articles):
    popular, _, _ = voted_articles

    response = superuser_client.post(
        HELPFULNESS_CHANGELIST, {"action": "export_csv", "_selected_action": [popular.pk], "index": 0}
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "article",
        "url",
        "votes",
        "anonymous_votes",
        "signed_in_votes",
        "yes",
        "no",
        "percent_yes",
        "comments",
    ]
    assert [row[0] for row in rows[1:]] == ["Popular article"]


FORMULA_TITLES = ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


@pytest.mark.parametrize("title", FORMULA_TITLES)
def test_helpfulness_csv_export_cannot_smuggle_a_spreadsheet_formula_in_a_title(superuser_client, db, title):
    article = ArticleFactory(title=title)

    response = superuser_client.post(
        HELPFULNESS_CHANGELIST, {"action": "export_csv", "_selected_action": [article.pk], "index": 0}
    )

    [_, row] = list(csv.reader(io.StringIO(response.content.decode(), newline="")))
    assert row[0] == f"'{title}"
    assert row[2] == "0"


def test_helpfulness_export_action_is_offered_with_its_description(superuser_client, voted_articles):
    content = page(superuser_client.get(HELPFULNESS_CHANGELIST))

    assert '<option value="export_csv">Download helpfulness of selected articles as CSV</option>' in content
