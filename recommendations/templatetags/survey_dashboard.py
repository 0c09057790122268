"""{% survey_dashboard as survey %}: the recommendation survey panel of the admin index."""

from django import template

from recommendations.dashboard import survey_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def survey_dashboard(context):
    return survey_panels(user=context["request"].user)
