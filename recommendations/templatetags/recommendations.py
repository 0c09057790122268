"""'Recommended for you' wherever a template wants it, without the articles app knowing about readers."""

from django import template

from recommendations import services
from recommendations.models import PausedTopic

register = template.Library()


@register.simple_tag(takes_context=True)
def recommended_for_you(context, limit=4, article=None):
    """{'personal': [...]} for readers who opted in, else {'suggestions': [...]} that use no personal data."""
    user = context["request"].user
    personal = services.recommendations_for(user, limit=limit, context_article=article)
    if personal is not None:
        return {"personal": personal}
    return {"suggestions": services.suggestions(limit=limit, context_article=article)}


@register.simple_tag(takes_context=True)
def paused_topics(context):
    user = context["request"].user
    if not user.is_authenticated:
        return []
    return list(PausedTopic.objects.filter(user=user).select_related("tag").order_by("tag__name"))
