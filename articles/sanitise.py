"""The allowlist for article bodies: what the editor can write, and nothing that runs.

`sanitise_report` also says, in words an editor understands, what it removed, so nothing is lost
silently; `sanitise_html` is the same cleaning without the report (Article.save() uses it).
"""

import html
import re
from collections import Counter
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

import nh3
from django.utils.html import strip_tags

from .glossary import LINK_CLASS

# Exactly what the body editor writes (articles/body_editor.py derives its toolbar from this set):
# sub-headings, paragraphs, lists, links, bold and italic, quotations and figures with captions.
ALLOWED_TAGS = {
    "h2", "h3", "p", "ul", "ol", "li", "a", "strong", "em", "blockquote", "figure", "img", "figcaption",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # width and height let an image library reserve the image's space before it loads.
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
}

# Only the class the glossary linker gives its links; other classes are dropped.
ALLOWED_CLASSES = {"a": {LINK_CLASS}}

# javascript:, data: and every other scheme are dropped with the attribute.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Removed with everything inside: code, or fallback text that was never meant to be read as the article.
REMOVED_WITH_CONTENT = {
    "script", "style", "template", "iframe", "object", "noscript", "svg", "math", "title", "textarea",
}  # fmt: skip

# The addresses a reader's browser would follow or load; shown in the report so the editor can find them.
ADDRESS_ATTRIBUTES = {"href": "link address", "src": "image address"}
UNSAFE_ADDRESS = "the {kind} “{address}”: only http, https and mailto addresses are kept"


class Sanitised(NamedTuple):
    html: str
    removals: list[str]  # what was removed, in words, e.g. 'the style attribute on <p> (3 times)'


def sanitise_html(value: str) -> str:
    """Keep the allowlisted markup; drop scripts, styles, event handlers, unsafe links, links without
    an address and images without an address or alt text."""
    return sanitise_report(value).html


def sanitise_report(value: str) -> Sanitised:
    """The clean body and a readable list of what cleaning removed (empty when nothing was)."""
    value = value or ""
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    before, after = _Inventory.of(value), _Inventory.of(cleaned)
    removed_values = dict(_removed_values(before, after))
    removals = _removed_markup(before, after, removed_values)
    tidied = _Tidier.run(cleaned)
    # A link or image whose unsafe address was removed is already reported with that address.
    if (hrefless := tidied.unwrapped_links - len(removed_values.get(("a", "href"), []))) > 0:
        removals.append(_counted("a link without an address{times} (its text is kept)", hrefless))
    if (images_without_address := tidied.dropped_images_without_src - len(removed_values.get(("img", "src"), []))) > 0:
        removals.append(_counted("an image without an address{times}", images_without_address))
    removals += [f"the image “{image_name(src)}”, which has no alt text" for src in tidied.dropped_images_without_alt]
    return Sanitised(tidied.html, removals)


def images_without_alt(value: str) -> list[str]:
    """The names of the images in `value` that have no alt text (an address's file name, or the address)."""
    return [image_name(src) for src in _Inventory.of(value or "").images_without_alt]


def image_name(src):
    """What to call an image in a message: its file name ('scan.png'), else its address."""
    path = unquote(urlsplit(src.strip()).path)
    return _shortened(path.rstrip("/").rsplit("/", 1)[-1] or src)


def _counted(description, count):
    """`description` with its {times} filled: nothing for one, ' (3 times)' for more."""
    return description.replace("{times}", "" if count == 1 else f" ({count} times)")


def _removed_values(before, after):
    """((tag, attribute), values) for each attribute of a kept tag that lost values in cleaning."""
    for key, values in before.attributes.items():
        if key[0] in ALLOWED_TAGS and (
            lost := list((Counter(values) - Counter(after.attributes.get(key, []))).elements())
        ):
            yield key, lost


def _removed_markup(before, after, removed_values):
    removals = []
    for tag, count in before.tags.items():
        if tag not in ALLOWED_TAGS and (lost := count - after.tags[tag]) > 0:
            if tag in REMOVED_WITH_CONTENT:
                removals.append(_counted(f"a <{tag}> element and everything in it{{times}}", lost))
            else:
                removals.append(
                    _counted(f"the tag <{tag}>{{times}}, which the editor does not use (its text is kept)", lost)
                )
    for (tag, name), values in removed_values.items():
        if name in ADDRESS_ATTRIBUTES:
            kind = ADDRESS_ATTRIBUTES[name]
            removals += [UNSAFE_ADDRESS.format(kind=kind, address=_shortened(value)) for value in values]
        else:
            removals.append(_counted(f"the {name} attribute on <{tag}>{{times}}", len(values)))
    if before.comments:
        removals.append(_counted("an HTML comment{times}", before.comments))
    return removals


def _shortened(value, limit=60):
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


class _Inventory(HTMLParser):
    """Which tags, attribute values and comments a piece of HTML has, as a browser would read them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = Counter()
        self.attributes = {}
        self.comments = 0
        self.images_without_alt = []

    @classmethod
    def of(cls, markup):
        inventory = cls()
        inventory.feed(markup)
        inventory.close()
        return inventory

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        for name, value in attrs:
            self.attributes.setdefault((tag, name), []).append(value or "")
        values = dict(attrs)
        if tag == "img" and not (values.get("alt") or "").strip():
            self.images_without_alt.append(values.get("src") or "")

    def handle_comment(self, data):
        self.comments += 1


# The editor writes a list item's text as a paragraph (<li><p>…</p></li>); stored bodies have always
# had it bare (<li>…</li>), and readers' pages look the same either way. Keeping one form means that
# opening and saving an article in the editor does not change its body.
LIST_ITEM_PARAGRAPH = re.compile(r"<li><p>((?:(?!</p>).)*)</p>(?=</li>|<ul>|<ol[ >])", re.DOTALL)


class _Tidier(HTMLParser):
    """Removes what the allowlist leaves invalid in sanitised HTML: a link without an address is
    unwrapped (its text stays), an image without an address or alt text is dropped."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.output = []
        self.open_links = []  # whether each open <a> was kept
        self.unwrapped_links = 0
        self.dropped_images_without_src = 0
        self.dropped_images_without_alt = []

    @classmethod
    def run(cls, sanitised):
        tidier = cls()
        tidier.feed(sanitised)
        tidier.close()
        tidier.html = LIST_ITEM_PARAGRAPH.sub(r"<li>\1", "".join(tidier.output))
        return tidier

    def handle_starttag(self, tag, attrs):
        values = {name: (value or "").strip() for name, value in attrs}
        if tag == "a":
            self.open_links.append(bool(values.get("href")))
            if not values.get("href"):
                self.unwrapped_links += 1
                return
        elif tag == "img" and not values.get("src"):
            self.dropped_images_without_src += 1
            return
        elif tag == "img" and not values.get("alt"):
            self.dropped_images_without_alt.append(values["src"])
            return
        self.output.append(self.get_starttag_text())

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "a" and self.open_links and not self.open_links.pop():
            return
        self.output.append(f"</{tag}>")

    def handle_data(self, data):
        self.output.append(data)

    def handle_entityref(self, name):
        self.output.append(f"&{name};")

    def handle_charref(self, name):
        self.output.append(f"&#{name};")


# Block elements end words: "<h2>Findings</h2><p>Women" is "Findings Women", not "FindingsWomen".
BLOCK_TAG = re.compile(
    r"</?(?:p|br|hr|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|figure|figcaption|table|caption|thead|tbody"
    r"|tfoot|tr|th|td|div|section)\b[^>]*>",
    re.IGNORECASE,
)


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML, for search and snippets."""
    return " ".join(html.unescape(strip_tags(BLOCK_TAG.sub(" ", value or ""))).split())
