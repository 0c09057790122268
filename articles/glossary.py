"""Glossary links in article bodies: the first mention of each term links to its glossary entry.

A pure function over sanitised body HTML (no database), so the rule is easy to test and the result
can be stored. Mentions inside links, headings, code and preformatted text are left alone and do
not count as the first mention. Matching is case-insensitive, on whole words, longest name first,
and accepts simple plurals (+s, +es, -y → -ies). A name split by markup ("aroma<em>tase</em>") is
not a mention.
"""

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

# Text inside these is never linked: links cannot nest, and headings, code and preformatted text
# must read exactly as written.
UNLINKED_ELEMENTS = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre"}
LINK_CLASS = "glossary-term"
# Ids the glossary page uses itself, which a term's slug (its anchor there) must not take.
INDEX_PAGE_IDS = {"top", "main", "site-search", "glossary-title", "glossary-letters"}
LETTER_ID_PREFIX = "letter-"


@dataclass(frozen=True)
class GlossaryEntry:
    slug: str
    names: tuple[str, ...]
    definition: str


def link_glossary_terms(body, entries, *, index_url):
    """`body` with the first mention of each entry linked to `index_url#slug`, its definition in the
    link's title. The output is serialised as the sanitiser would, so sanitising it changes nothing."""
    pattern, entry_for_name = mention_pattern(entries)
    if pattern is None:
        return body
    linker = _Linker(pattern, entry_for_name, index_url)
    linker.feed(body)
    linker.close()
    return "".join(linker.output)


@dataclass(frozen=True)
class LetterGroup:
    letter: str
    anchor: str
    terms: list


def index_letter(term):
    """The letter a term is listed under, ignoring accents ('Ødem' -> 'O'); '#' for digits and symbols."""
    first = unicodedata.normalize("NFKD", term.strip()[:1])[:1].upper()
    return first if first.isalpha() else "#"


def group_by_letter(terms):
    """Glossary terms alphabetically, grouped under their first letter; digits and symbols last."""
    groups = {}
    for term in sorted(terms, key=lambda term: (index_letter(term.term) == "#", term.term.casefold())):
        groups.setdefault(index_letter(term.term), []).append(term)
    return [
        LetterGroup(letter, LETTER_ID_PREFIX + ("other" if letter == "#" else letter.lower()), members)
        for letter, members in groups.items()
    ]


def normalise_name(name):
    """A name as typed, with its spaces tidied: '  breast   cancer ' -> 'breast cancer'."""
    return " ".join(name.split())


def plural_ies(name):
    """True for names whose plural ends in -ies: 'biopsy' -> 'biopsies', but not 'assay'."""
    return len(name) > 1 and name[-1] in "yY" and name[-2].isalpha() and name[-2].lower() not in "aeiou"


def mention_stem(name):
    """The part every mention of `name` (singular or plural) contains."""
    name = normalise_name(name)
    return name[:-1] if plural_ies(name) else name


def name_pattern(name):
    """A regular expression for one name: any run of spaces between words, and its simple plurals."""
    words = [re.escape(word) for word in name.split()]
    plural = "(?:y|ies)" if plural_ies(name) else "(?:e?s)?"
    words[-1] = re.escape(mention_stem(name).split()[-1]) + plural
    return r"\s+".join(words)


def mention_pattern(entries):
    """One pattern for every name, longest first so a long name wins over a shorter one inside it,
    and the entry each lower-cased name belongs to."""
    entry_for_name = {}
    for entry in entries:
        for name in entry.names:
            normalised = normalise_name(name).lower()
            if normalised:
                entry_for_name.setdefault(normalised, entry)
    if not entry_for_name:
        return None, {}
    names = sorted(entry_for_name, key=len, reverse=True)
    alternatives = "|".join(f"(?P<n{index}>{name_pattern(name)})" for index, name in enumerate(names))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return pattern, {f"n{index}": entry_for_name[name] for index, name in enumerate(names)}


def escape_text(text):
    """Escape text as the sanitiser (html5ever) serialises it."""
    return text.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value):
    return escape_text(value).replace('"', "&quot;")


class _Linker(HTMLParser):
    """Copies the markup through unchanged and links mentions found in the text between tags."""

    def __init__(self, pattern, entry_for_group, index_url):
        super().__init__(convert_charrefs=True)
        self.pattern = pattern
        self.entry_for_group = entry_for_group
        self.index_url = index_url
        self.linked = set()
        self.unlinked_depth = 0
        self.pending_text = []
        self.output = []

    def handle_starttag(self, tag, attrs):
        self.flush_text()
        self.output.append(self.get_starttag_text())
        if tag in UNLINKED_ELEMENTS:
            self.unlinked_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.flush_text()
        self.output.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.flush_text()
        self.output.append(f"</{tag}>")
        if tag in UNLINKED_ELEMENTS and self.unlinked_depth:
            self.unlinked_depth -= 1

    def handle_data(self, data):
        self.pending_text.append(data)

    def handle_comment(self, data):
        self.flush_text()
        self.output.append(f"<!--{data}-->")

    def close(self):
        super().close()
        self.flush_text()

    def flush_text(self):
        text = "".join(self.pending_text)
        self.pending_text = []
        if text:
            self.output.append(escape_text(text) if self.unlinked_depth else self.link(text))

    def link(self, text):
        pieces, position = [], 0
        # Every mention is matched, linked or not, so a later mention of a long name is never
        # mistaken for a mention of a shorter name inside it.
        for match in self.pattern.finditer(text):
            entry = self.entry_for_group[match.lastgroup]
            if entry.slug in self.linked:
                continue
            self.linked.add(entry.slug)
            pieces.append(escape_text(text[position : match.start()]))
            pieces.append(
                f'<a class="{LINK_CLASS}" href="{escape_attribute(self.index_url)}#{escape_attribute(entry.slug)}" '
                f'title="{escape_attribute(entry.definition)}" rel="noopener noreferrer">'
                f"{escape_text(match.group())}</a>"
            )
            position = match.end()
        pieces.append(escape_text(text[position:]))
        return "".join(pieces)
