"""Formatting for the saves and helpfulness panels of the admin index (NewsroomAdminSite.index gathers them)."""

from django import template

from accounts.admin import article_comments_url
from accounts.dashboard import MIN_HELPFULNESS_VOTES

register = template.Library()


@register.filter
def comments_url(article):
    return article_comments_url(article.pk)


@register.simple_tag
def min_helpfulness_votes():
    return MIN_HELPFULNESS_VOTES
