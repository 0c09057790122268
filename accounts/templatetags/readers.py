"""What the current reader has done with articles, for article pages and lists.

Each tag costs one query however many articles a list shows, and none for anonymous readers
(votes aside, which anonymous readers cast by cookie).
"""

from django import template

from accounts.models import Favorite, HelpfulnessVote
from accounts.services import voter_key_for, voter_key_from_cookie

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_article_ids(context, articles):
    user = context["request"].user
    if not user.is_authenticated:
        return set()
    ids = [article.pk for article in articles]
    return set(Favorite.objects.filter(user=user, article_id__in=ids).values_list("article_id", flat=True))


@register.simple_tag(takes_context=True)
def is_saved(context, article):
    return article.pk in saved_article_ids(context, [article])


@register.simple_tag
def comment_max_length():
    return HelpfulnessVote.COMMENT_MAX_LENGTH


@register.simple_tag(takes_context=True)
def reader_vote(context, article):
    """The reader's current answer to 'Was this article helpful?', or None."""
    request = context["request"]
    key = voter_key_for(request.user) if request.user.is_authenticated else voter_key_from_cookie(request)
    if not key:
        return None
    return HelpfulnessVote.objects.filter(article=article, voter_key=key).only("is_helpful", "comment").first()


@register.filter
def contains(collection, item):
    return item in collection
