"""{% editorial_dashboard as editorial %}: the article panels of the admin index, for who may see them;
{% my_work_dashboard as my_work %}: the signed-in member of staff's own articles."""

from django import template

from articles.dashboard import editorial_panels
from articles.my_work import my_work_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def editorial_dashboard(context):
    return editorial_panels(user=context["request"].user)


@register.simple_tag(takes_context=True)
def my_work_dashboard(context):
    return my_work_panels(user=context["request"].user)
