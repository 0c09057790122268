"""Small formatting filters every template may use (builtins): no queries, no writes."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_time(moment):
    """A moment for <time datetime="...">, to the second in the site's time zone. Django's 'c' format adds
    microseconds, which HTML does not allow (at most three decimals)."""
    if not moment:
        return ""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


@register.filter
def any_tagged(messages, tag):
    """Whether one of the reader's messages carries `tag` (its extra tags), e.g. to leave out a form that the
    message has just answered."""
    return any(tag in message.extra_tags.split() for message in messages)
