import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import HIGHLIGHT_START, HIGHLIGHT_STOP

register = template.Library()

# The same escapes as Django's json_script: nothing in the data can close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """Render a dict as a JSON-LD script element."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


@register.filter
def highlight(snippet):
    """Escape a search snippet, then turn its highlight markers into <mark> elements."""
    escaped = escape(snippet or "")
    return mark_safe(escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's address without query strings, except a page number beyond the first."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    page_obj = context.get("page_obj")
    if page_obj is not None and page_obj.number > 1:
        url = f"{url}?page={page_obj.number}"
    return url


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """A link to another page of the current list, keeping the other query parameters."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.filter
def glossary_entry(entries, name):
    return entries.get(name.lower())
