"""Promotion slots wherever a template wants them, without the articles app knowing about promotions."""

from django import template

from promotions import services

register = template.Library()


@register.simple_tag
def page_promotions(*placements, article=None):
    """{placement: promotion} for every slot of the page at once; the chosen ones are counted as shown,
    so call it once per page, for the placements the page really displays."""
    return services.promotions_for_page(placements=placements, article=article)
