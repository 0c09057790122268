"""Small helpers for reading pages in tests: visible text, parts of a page, admin forms, query counts."""

import html
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags


def page(response):
    """The decoded body of a response."""
    return response.content.decode()


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_locations(client, url="/sitemap.xml"):
    """Every address the sitemap at `url` lists; for a sitemap index, those of every sitemap it names."""
    response = client.get(url)
    assert response.status_code == 200, url
    root = ET.fromstring(response.content)
    locations = [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]
    if root.tag != f"{SITEMAP_NS}sitemapindex":
        return locations
    return [found for location in locations for found in sitemap_locations(client, urlsplit(location).path)]


def count_queries(client, url):
    """How many database queries one successful GET of `url` runs."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def text_of(markup):
    """What a reader sees: tags removed, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(markup)).split())


def element(markup, opening, closing):
    """The first part of `markup` from `opening` up to and including the next `closing`, or ''."""
    start = markup.find(opening)
    if start == -1:
        return ""
    end = markup.find(closing, start + len(opening))
    return markup[start:] if end == -1 else markup[start : end + len(closing)]


def hrefs(markup):
    """Every href in `markup`, in order, with entities decoded."""
    return [html.unescape(value) for value in re.findall(r'href="([^"]*)"', markup)]


def meta_content(markup, prop):
    """The content of <meta property="prop" ...>, or None."""
    match = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', markup)
    return html.unescape(match.group(1)) if match else None


class _FormParser(HTMLParser):
    """Collects what a browser would submit from one form: inputs, selects and textareas."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data = {}
        self.field_names = set()
        self._select = None
        self._select_multiple = False
        self._first_option = None
        self._textarea = None
        self._textarea_text = ""

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.in_form = True
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            self.field_names.add(name)
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
                return
            self._add(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self.field_names.add(name)
            self._select = name
            self._select_multiple = "multiple" in attrs
            self.data.setdefault(name, [])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._add(self._select, value)
        elif tag == "textarea" and name:
            self.field_names.add(name)
            self._textarea = name
            self._textarea_text = ""

    def handle_data(self, data):
        if self._textarea:
            self._textarea_text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "select" and self._select:
            # A single select with nothing marked selected submits its first option.
            if not self.data[self._select] and not self._select_multiple and self._first_option is not None:
                self._add(self._select, self._first_option)
            self._select = None
            self._first_option = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the one newline that follows <textarea>, and submits every line break as CRLF.
            text = self._textarea_text.removeprefix("\n").removeprefix("\r\n")
            self._add(self._textarea, text.replace("\r\n", "\n").replace("\n", "\r\n"))
            self._textarea = None


def form_fields(markup, form_id):
    """(data, names): what submitting the form with id `form_id` sends, and every field name in it.

    Rows of inline formset templates (names containing __prefix__) are left out, as a browser would
    never submit them; `data` maps names to lists of values, ready for the test client."""
    parser = _FormParser(form_id)
    parser.feed(markup)
    data = {name: values for name, values in parser.data.items() if "__prefix__" not in name}
    names = {name for name in parser.field_names if "__prefix__" not in name}
    return data, names


def article_form(client, url):
    """(data, names): what a browser submits, unchanged, from the article admin's add or change page
    at `url`, as a flat dict for the test client, and every field name in the form."""
    response = client.get(url)
    assert response.status_code == 200
    data, names = form_fields(page(response), "article_form")
    return {name: values if len(values) > 1 else (values[0] if values else "") for name, values in data.items()}, names


def article_links(markup):
    """Article addresses linked from `markup`, in order, without repeats."""
    links = []
    for href in hrefs(markup):
        if href.startswith("/articles/") and href != "/articles/" and href not in links:
            links.append(href)
    return links
