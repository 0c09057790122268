"""{% editorial_dashboard as editorial %}: the article panels of the admin index, for who may see them."""

from django import template

from articles.dashboard import editorial_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def editorial_dashboard(context):
    return editorial_panels(user=context["request"].user)
