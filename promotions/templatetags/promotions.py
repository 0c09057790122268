"""Promotion slots wherever a template wants them, without the articles app knowing about promotions."""

from django import template

from promotions import services

register = template.Library()


@register.simple_tag(takes_context=True)
def page_promotions(context, *placements, article=None):
    """{placement: promotion} for every slot of the page at once; the chosen ones are noted on the request
    to be counted as shown, so call it once per page, for the placements the page really displays."""
    chosen = services.promotions_for_page(placements=placements, article=article)
    context.request.promotions_shown = [promotion.pk for promotion in chosen.values()]
    return chosen
