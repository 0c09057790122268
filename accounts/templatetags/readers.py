"""Formatting what the view gathered about the reader (articles.page_parts): no queries here."""

from django import template

register = template.Library()


@register.filter
def contains(collection, item):
    return item in collection
