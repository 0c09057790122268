"""The allowlist for article bodies: what editors may use, and nothing that runs."""

import html
import re

import nh3
from django.utils.html import strip_tags

from .glossary import LINK_CLASS

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "small", "mark", "abbr", "cite", "q", "code", "pre", "blockquote", "ul", "ol", "li",
    "dl", "dt", "dd", "a", "img", "figure", "figcaption", "table", "caption", "thead",
    "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}

# Only the class the glossary linker gives its links; other classes are dropped.
ALLOWED_CLASSES = {"a": {LINK_CLASS}}

# javascript:, data: and every other scheme are dropped with the attribute.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(value: str) -> str:
    """Keep the allowlisted markup; drop scripts, styles, event handlers and unsafe links."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# Block elements end words: "<h2>Findings</h2><p>Women" is "Findings Women", not "FindingsWomen".
BLOCK_TAG = re.compile(
    r"</?(?:p|br|hr|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|figure|figcaption|table|caption|thead|tbody"
    r"|tfoot|tr|th|td|div|section)\b[^>]*>",
    re.IGNORECASE,
)


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML, for search and snippets."""
    return " ".join(html.unescape(strip_tags(BLOCK_TAG.sub(" ", value or ""))).split())
