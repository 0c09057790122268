"""{% reader_response_dashboard as reader_response %}: saves and helpfulness panels of the admin index."""

from django import template

from accounts.admin import article_comments_url
from accounts.dashboard import MIN_HELPFULNESS_VOTES, reader_response_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def reader_response_dashboard(context):
    return reader_response_panels(user=context["request"].user)


@register.filter
def comments_url(article):
    return article_comments_url(article.pk)


@register.simple_tag
def min_helpfulness_votes():
    return MIN_HELPFULNESS_VOTES
