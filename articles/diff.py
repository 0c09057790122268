"""Differences between two article snapshots as a medical reviewer reads them, everything escaped.

The body is compared as readable text: each block (heading, paragraph, list item, quote, caption, table
cell) becomes plain text; blocks are lined up first, and a changed block is paired with its old version
only when the two are similar enough, then compared word by word. Numbers and drug names in changed text
are marked, so "2.4 → 2.6 months" stands out. References and research facts are compared field by field.
The word diff of the body's HTML source (`body_diff`) stays available for markup changes.

`content_diff()` takes two services.article_snapshot() dicts and returns what
templates/admin/articles/article/includes/content_diff.html shows.
"""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from html.parser import HTMLParser

from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from .glossary import name_pattern, normalise_name
from .models import ArticleRevision, GlossaryTerm, ResearchFacts, names_of, split_names

# A changed block is shown as an edit of an old one only this similar (difflib's ratio over words);
# anything less reads better whole, as removed and added.
PAIR_RATIO = 0.5
# Pairing compares a changed block with the new blocks up to PAIR_BAND places from its own (more
# when blocks were added or removed), and takes one at once when it is SAME_PLACE_RATIO similar.
PAIR_BAND = 5
SAME_PLACE_RATIO = 0.8
MAX_PAIR_COMPARISONS = 1000
CONTEXT_BLOCKS = 1

# 2.4, 1,234, 12%, 0.61 (in "0.61–0.84"): one token each, so a changed number is one change.
NUMBER = r"\d+(?:[.,]\d+)*%?"
# A word, a number or one other character, with the spaces before it.
PIECE = re.compile(rf"\s*(?:{NUMBER}|\w+|[^\w\s])")
NUMBER_MENTION = re.compile(rf"(?<!\w){NUMBER}")
NUMBER_WORD = re.compile(NUMBER)


# --- Marking numbers and drug names --------------------------------------------------------------


class Marker:
    """Escapes changed text, marking numbers and drug names with a visible style and a spoken label."""

    def __init__(self, drug_names):
        names = {}
        for name in drug_names:
            if normalise_name(name):
                names.setdefault(normalise_name(name).lower(), normalise_name(name))
        drugs = "|".join(name_pattern(name) for name in sorted(names.values(), key=len, reverse=True))
        # Drug names first: some contain digits ("T-DM1").
        drug_part = rf"(?P<drug>(?<!\w)(?:{drugs})(?!\w))|" if drugs else ""
        self.pattern = re.compile(rf"{drug_part}(?P<number>{NUMBER_MENTION.pattern})", re.IGNORECASE)

    def __call__(self, text):
        parts, position = [], 0
        for match in self.pattern.finditer(text):
            parts.append(escape(text[position : match.start()]))
            if match.lastgroup == "drug":
                label, css = "drug or glossary term", "diff-drug"
            else:
                label, css = "number", "diff-number"
            parts.append(
                format_html(
                    '<span class="{}"><span class="visually-hidden">{}: </span>{}</span>', css, label, match.group()
                )
            )
            position = match.end()
        parts.append(escape(text[position:]))
        return mark_safe("".join(parts))  # every piece went through escape() or format_html()


def plain(text):
    return escape(text)


# --- Word diff of plain text ---------------------------------------------------------------------


@dataclass(frozen=True)
class NumberChange:
    """Numbers removed and added by one change, for the list of changed numbers above the diff."""

    where: str
    old: tuple
    new: tuple
    anchor: str = ""


@dataclass(frozen=True)
class TextChange:
    html: str
    changed: bool
    numbers: tuple = ()  # (old numbers, new numbers) of each change that touched a number


def squash(text):
    return " ".join((text or "").split())


def text_diff(old, new, mark):
    """`new` compared with `old`, word by word: removed words in <del>, added in <ins>, marked by `mark`."""
    old, new = squash(old), squash(new)
    old_pieces, new_pieces = PIECE.findall(old), PIECE.findall(new)
    matcher = difflib.SequenceMatcher(
        None, [piece.strip() for piece in old_pieces], [piece.strip() for piece in new_pieces], autojunk=False
    )
    parts, numbers = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_pieces[i1:i2]), "".join(new_pieces[j1:j2])
        if op == "equal":
            parts.append(escape(added))
            continue
        # The space before a change stays outside it, so <del> and <ins> hold only words.
        first = removed or added
        parts.append(first[: len(first) - len(first.lstrip())])
        if removed:
            parts.append(format_html("<del>{}</del>", mark(removed.lstrip())))
        if added:
            parts.append(format_html("<ins>{}</ins>", mark(added.lstrip())))
        old_numbers, new_numbers = NUMBER_MENTION.findall(removed), NUMBER_MENTION.findall(added)
        if old_numbers or new_numbers:
            numbers.append((tuple(old_numbers), tuple(new_numbers)))
    return TextChange(mark_safe("".join(parts)), old != new, tuple(numbers))  # all escaped above


def whole(text, mark, tag):
    return format_html("<{}>{}</{}>", tag, mark(text), tag) if text else ""


# --- Body blocks ---------------------------------------------------------------------------------

BLOCK_LABELS = {
    **{f"h{level}": "Heading" for level in range(1, 7)},
    "p": "Paragraph",
    "li": "List item",
    "blockquote": "Quote",
    "figcaption": "Figure caption",
    "caption": "Table caption",
    "th": "Table cell",
    "td": "Table cell",
    "dt": "Term",
    "dd": "Definition",
    "pre": "Preformatted text",
}
# These hold blocks: text directly inside them is a block of its own.
CONTAINERS = {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "figure", "div", "section", "hr"}


@dataclass(frozen=True)
class Block:
    label: str
    text: str

    @cached_property
    def words(self):
        return comparable_words(self.text)


class _BlockReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.open, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_LABELS or tag in CONTAINERS:
            self.flush()
            if tag in BLOCK_LABELS:
                self.open.append(tag)
        elif tag == "br":
            self.text.append(" ")
        elif tag == "img":
            # An image's alt text is what screen-reader users get, so a change to it is a change to read.
            alt = dict(attrs).get("alt") or ""
            text = f"[Image: {alt}]" if alt else "[Image]"
            if self.open:
                self.text.append(f" {text} ")
            else:
                self.flush()
                self.blocks.append(Block("Image", text))

    def handle_endtag(self, tag):
        if tag in BLOCK_LABELS or tag in CONTAINERS:
            self.flush()
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data):
        self.text.append(data)

    def flush(self):
        text = squash("".join(self.text))
        self.text = []
        if text:
            self.blocks.append(Block(BLOCK_LABELS[self.open[-1]] if self.open else "Paragraph", text))


def blocks_of(body):
    """The body's readable blocks in order, each as plain text."""
    reader = _BlockReader()
    reader.feed(body or "")
    reader.close()
    reader.flush()
    return reader.blocks


def comparable_words(text):
    """The words of `text` for judging similarity. Every number counts as the same word: a paragraph or
    table cell whose figures were corrected is still the same paragraph, and exactly what must be shown."""
    return ["#" if NUMBER_WORD.fullmatch(word) else word for word in (piece.strip() for piece in PIECE.findall(text))]


def pair_similar(old, new, similarity):
    """Order-keeping pairs of `old` and `new` items at least PAIR_RATIO similar, most similar first, as
    (old, new) with None for an item left unpaired. Like difflib.ndiff's pairing of changed lines, but
    an item is compared only with those near its own place, each pair at most once, and no more than
    MAX_PAIR_COMPARISONS in all: past that, what is left is shown whole, so a page cannot take long."""
    before, after = PAIR_BAND + max(0, len(old) - len(new)), PAIR_BAND + max(0, len(new) - len(old))
    ratios = {}

    def ratio(i, j):
        if (i, j) not in ratios:
            within_budget = len(ratios) < MAX_PAIR_COMPARISONS
            ratios[i, j] = similarity(old[i], new[j], PAIR_RATIO) if within_budget else None
        return ratios[i, j]

    result, work = [], [("stretch", 0, len(old), 0, len(new))]
    while work:
        kind, *item = work.pop()
        if kind == "pair":
            result.append(tuple(item))
            continue
        i1, i2, j1, j2 = item
        # Most edits change blocks where they are: a block much like the one in its place is taken
        # at once, so a find-and-replace through a long body costs one comparison a block.
        while i1 < i2 and j1 < j2 and (ratio(i1, j1) or 0) >= SAME_PLACE_RATIO:
            result.append((old[i1], new[j1]))
            i1, j1 = i1 + 1, j1 + 1
        best, best_ratio = None, 0
        for i in range(i1, i2):
            for j in range(max(j1, i - before), min(j2, i + after + 1)):
                if (found := ratio(i, j)) is not None and found > best_ratio:
                    best, best_ratio = (i, j), found
        if best is None:
            result += [(old[i], None) for i in range(i1, i2)] + [(None, new[j]) for j in range(j1, j2)]
            continue
        i, j = best
        # Done in this order: what comes before the pair, the pair, what comes after it.
        work += [("stretch", i + 1, i2, j + 1, j2), ("pair", old[i], new[j]), ("stretch", i1, i, j1, j)]
    return result


def word_similarity(old_words, new_words, at_least):
    """difflib's ratio of two word lists, or None when it is below `at_least` (checked cheaply first)."""
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= at_least else None


@dataclass(frozen=True)
class BlockLine:
    kind: str  # "same", "changed", "added", "removed" or "gap" (unchanged blocks left out)
    label: str  # "Paragraph", "List item (was Paragraph)"…
    html: str
    anchor: str = ""


def block_lines(old_body, new_body, mark):
    """The changed blocks of the body with one unchanged block around each change, and the changed numbers."""
    old_blocks, new_blocks = blocks_of(old_body), blocks_of(new_body)
    matcher = difflib.SequenceMatcher(None, old_blocks, new_blocks, autojunk=False)
    lines, numbers = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            lines += [BlockLine("same", block.label, escape(block.text)) for block in new_blocks[j1:j2]]
            continue
        pairs = pair_similar(
            old_blocks[i1:i2], new_blocks[j1:j2], lambda a, b, at_least: word_similarity(a.words, b.words, at_least)
        )
        for old, new in pairs:
            anchor = f"diff-body-{len(lines) + 1}"
            if old and new:
                change = text_diff(old.text, new.text, mark)
                label = new.label if old.label == new.label else f"{new.label} (was {old.label.lower()})"
                lines.append(BlockLine("changed", label, change.html, anchor))
                numbers += [NumberChange(f"Body, {new.label.lower()}", *pair, anchor) for pair in change.numbers]
            elif old:
                lines.append(BlockLine("removed", old.label, whole(old.text, mark, "del"), anchor))
            else:
                lines.append(BlockLine("added", new.label, whole(new.text, mark, "ins"), anchor))
    return with_context(lines), numbers


def with_context(lines):
    """Changed lines with CONTEXT_BLOCKS unchanged ones either side; each longer unchanged run is a gap."""
    changed = [index for index, line in enumerate(lines) if line.kind != "same"]
    if not changed:
        return []
    keep = {near for index in changed for near in range(index - CONTEXT_BLOCKS, index + CONTEXT_BLOCKS + 1)}
    shown = []
    for index, line in enumerate(lines):
        if index in keep:
            shown.append(line)
        elif not shown or shown[-1].kind != "gap":
            shown.append(BlockLine("gap", "", ""))
    return shown


# --- References ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceLine:
    kind: str  # "added", "removed", "changed" or "moved"
    number: str  # its place in the list: "3", or "3 → 4" when it moved
    citation: str
    link: str


def reference_lines(old_references, new_references, mark):
    """Each reference added, removed, changed (citation and link compared) or moved, in list order."""
    old = [(number, squash(ref["citation"]), ref.get("url") or "") for number, ref in enumerate(old_references, 1)]
    new = [(number, squash(ref["citation"]), ref.get("url") or "") for number, ref in enumerate(new_references, 1)]
    matcher = difflib.SequenceMatcher(None, [ref[1:] for ref in old], [ref[1:] for ref in new], autojunk=False)
    unmatched_old, unmatched_new = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            unmatched_old += old[i1:i2]
            unmatched_new += new[j1:j2]
    # A reference list is numbered, not read as running text: a reference that moved and was edited
    # is still the same reference, so pairs are found across the whole list, most similar first.
    pairs = []
    if len(unmatched_old) * len(unmatched_new) <= MAX_PAIR_COMPARISONS:
        candidates = sorted(
            (
                (ratio, old_ref, new_ref)
                for old_ref in unmatched_old
                for new_ref in unmatched_new
                if (ratio := reference_similarity(old_ref, new_ref, PAIR_RATIO)) is not None
            ),
            key=lambda candidate: (-candidate[0], candidate[2][0]),
        )
        for _, old_ref, new_ref in candidates:
            if old_ref in unmatched_old and new_ref in unmatched_new:
                pairs.append((old_ref, new_ref))
                unmatched_old.remove(old_ref)
                unmatched_new.remove(new_ref)
    pairs += [(old_ref, None) for old_ref in unmatched_old] + [(None, new_ref) for new_ref in unmatched_new]
    # In the new list's order; a removed reference where it used to be.
    pairs.sort(key=lambda pair: (pair[1] or pair[0])[0] - (0.5 if pair[1] is None else 0))
    lines, numbers = [], []
    for old_ref, new_ref in pairs:
        if old_ref and new_ref:
            number = str(new_ref[0]) if old_ref[0] == new_ref[0] else f"{old_ref[0]} → {new_ref[0]}"
            if old_ref[1:] == new_ref[1:]:
                lines.append(ReferenceLine("moved", number, escape(new_ref[1]), escape(new_ref[2])))
                continue
            citation = text_diff(old_ref[1], new_ref[1], mark)
            link = text_diff(old_ref[2], new_ref[2], plain).html if old_ref[2] != new_ref[2] else escape(new_ref[2])
            lines.append(ReferenceLine("changed", number, citation.html, link))
            numbers += [NumberChange(f"Reference {new_ref[0]}", *pair) for pair in citation.numbers]
        elif new_ref:
            lines.append(
                ReferenceLine("added", str(new_ref[0]), whole(new_ref[1], mark, "ins"), whole(new_ref[2], plain, "ins"))
            )
        else:
            lines.append(
                ReferenceLine(
                    "removed", str(old_ref[0]), whole(old_ref[1], mark, "del"), whole(old_ref[2], plain, "del")
                )
            )
    return lines, numbers


def reference_similarity(old, new, at_least):
    """The same non-empty link pairs two references; otherwise their citations' words must be similar."""
    if old[2] and old[2] == new[2]:
        return 1.0
    return word_similarity(comparable_words(old[1]), comparable_words(new[1]), at_least)


# --- Research facts ------------------------------------------------------------------------------

FACT_FIELDS = (
    "study_type", "phase", "participants", "registry_id", "presented_at", "presented_on", "evidence_strength",
    "what_it_means",
)  # fmt: skip
# Sentences and names are compared word by word; a choice, a count or a date is replaced whole.
FACT_TEXT_FIELDS = {"presented_at", "what_it_means"}


@dataclass(frozen=True)
class FieldLine:
    label: str
    html: str


@dataclass
class FactsDiff:
    state: str  # "absent" (in neither), "added", "removed", "changed" or "unchanged"
    fields: list = field(default_factory=list)
    drugs_added: list = field(default_factory=list)
    drugs_removed: list = field(default_factory=list)


def fact_value(name, value):
    """A research fact as editors see it in the form: the choice's label, the date written out."""
    if value in (None, ""):
        model_field = ResearchFacts._meta.get_field(name)
        # A blank choice can have a label of its own ("Not applicable or not reported").
        return str(dict(model_field.flatchoices).get(value, "")) if model_field.choices else ""
    model_field = ResearchFacts._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if name == "presented_on":
        return date_format(date.fromisoformat(value))
    return str(value)


def drug_label(names):
    generic, brands = names
    return f"{generic} ({brands})" if brands else generic


def facts_diff(old_facts, new_facts, mark):
    if old_facts is None and new_facts is None:
        return FactsDiff("absent"), []
    old, new = old_facts or {}, new_facts or {}
    lines, numbers = [], []
    for name in FACT_FIELDS:
        label = capfirst(ResearchFacts._meta.get_field(name).verbose_name)
        was, now = fact_value(name, old.get(name)), fact_value(name, new.get(name))
        if was == now:
            continue
        if name in FACT_TEXT_FIELDS and was and now:
            change = text_diff(was, now, mark)
            lines.append(FieldLine(label, change.html))
            numbers += [NumberChange(f"Research facts, {label.lower()}", *pair) for pair in change.numbers]
        else:
            html = format_html("{}{}{}", whole(was, mark, "del"), " " if was and now else "", whole(now, mark, "ins"))
            lines.append(FieldLine(label, html))
            if NUMBER_MENTION.search(was + now) and name != "registry_id":
                numbers.append(
                    NumberChange(f"Research facts, {label.lower()}", (was,) if was else (), (now,) if now else ())
                )
    old_drugs = [drug_label(names) for names in old.get("drugs", [])]
    new_drugs = [drug_label(names) for names in new.get("drugs", [])]
    old_keys, new_keys = {drug.lower() for drug in old_drugs}, {drug.lower() for drug in new_drugs}
    added = [whole(drug, mark, "ins") for drug in new_drugs if drug.lower() not in old_keys]
    removed = [whole(drug, mark, "del") for drug in old_drugs if drug.lower() not in new_keys]
    if old_facts is None:
        state = "added"
    elif new_facts is None:
        state = "removed"
    else:
        state = "changed" if lines or added or removed else "unchanged"
    return FactsDiff(state, lines, added, removed), numbers


# --- Everything together -------------------------------------------------------------------------

# Parts compared above; any other content key that differs is only named.
COMPARED_KEYS = {"title", "summary", "body", "references", "research_facts"}


@dataclass
class ContentDiff:
    title: TextChange
    summary: TextChange
    body: list  # BlockLine
    body_changed: bool
    references: list  # ReferenceLine
    facts: FactsDiff
    other_changes: list  # labels of other parts that differ
    numbers: list  # NumberChange
    old_body: str
    new_body: str

    @property
    def body_markup_only(self):
        """The body's HTML changed but not its text: formatting, links or structure."""
        return self.body_changed and not self.body

    @cached_property
    def body_source(self):
        """The word diff of the body's HTML source, made only when a page asks for it."""
        return body_diff(self.old_body, self.new_body)


def content_diff(old_content, new_content, *, drug_names=()):
    """What differs between two services.article_snapshot() dicts, ready for
    templates/admin/articles/article/includes/content_diff.html. `drug_names` (e.g. glossary_names())
    are marked in changed text, with the drugs named in either snapshot's research facts."""
    facts_drugs = [
        name
        for content in (old_content, new_content)
        for generic, brands in (content.get("research_facts") or {}).get("drugs", [])
        for name in [generic, *split_names(brands)]
    ]
    mark = Marker([*drug_names, *facts_drugs])
    title = text_diff(old_content.get("title", ""), new_content.get("title", ""), mark)
    summary = text_diff(old_content.get("summary", ""), new_content.get("summary", ""), mark)
    body, body_numbers = block_lines(old_content.get("body", ""), new_content.get("body", ""), mark)
    references, reference_numbers = reference_lines(
        old_content.get("references", []), new_content.get("references", []), mark
    )
    facts, facts_numbers = facts_diff(old_content.get("research_facts"), new_content.get("research_facts"), mark)
    differing = ArticleRevision.differences(old_content, new_content)
    return ContentDiff(
        title=title,
        summary=summary,
        body=body,
        body_changed="body" in differing,
        references=references,
        facts=facts,
        other_changes=ArticleRevision.labels([key for key in differing if key not in COMPARED_KEYS]),
        numbers=[
            *[NumberChange("Title", *pair) for pair in title.numbers],
            *[NumberChange("Summary", *pair) for pair in summary.numbers],
            *body_numbers,
            *reference_numbers,
            *facts_numbers,
        ],
        old_body=old_content.get("body", ""),
        new_body=new_content.get("body", ""),
    )


def glossary_names():
    """Every name of every glossary term, to mark as a drug name in a diff (one query)."""
    return [
        name
        for term, others in GlossaryTerm.objects.values_list("term", "other_names")
        for name in names_of(term, others)
    ]


# --- Word diff of the body's HTML source ---------------------------------------------------------

# An HTML tag, a word, a run of spaces, or one other character: the units a change is shown in.
TOKEN = re.compile(r"<[^>]*>|\w+|\s+|[^\w\s]")
# Body HTML is compared paragraph by paragraph: a new line starts after each closing block tag.
BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|blockquote|ul|ol|table|tr|figure|pre)>|<br\s*/?>)", re.IGNORECASE)


@dataclass(frozen=True)
class DiffLine:
    html: str  # escaped text with <ins>/<del> around what changed
    kind: str  # "same", "changed", "added", "removed" or "gap" (unchanged paragraphs left out)


def word_diff(old, new):
    """`new` compared with `old` as escaped HTML, removed words in <del> and added words in <ins>."""
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if op == "equal":
            parts.append(escape(added))
            continue
        if removed:
            parts.append(f"<del>{escape(removed)}</del>")
        if added:
            parts.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(parts))  # every piece of text above went through escape()


def paragraphs(body):
    return [line.strip() for line in BLOCK_END.sub(r"\1\n", body).splitlines() if line.strip()]


def source_similarity(old_line, new_line, at_least):
    return word_similarity(
        [token for token in TOKEN.findall(old_line) if not token.isspace()],
        [token for token in TOKEN.findall(new_line) if not token.isspace()],
        at_least,
    )


def body_diff(old, new):
    """The changed lines of an HTML body's source, with one unchanged line around each change. As in the
    readable diff, a changed line is paired with an old one only when they are similar enough."""
    old_lines, new_lines = paragraphs(old), paragraphs(new)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    lines = []
    shown_up_to = 0  # old paragraphs before this index are shown or marked as left out
    for group in matcher.get_grouped_opcodes(CONTEXT_BLOCKS):
        if group[0][1] > shown_up_to:
            lines.append(DiffLine("", "gap"))
        for op, i1, i2, j1, j2 in group:
            removed, added = old_lines[i1:i2], new_lines[j1:j2]
            if op == "equal":
                lines += [DiffLine(escape(line), "same") for line in added]
                continue
            for old_line, new_line in pair_similar(removed, added, source_similarity):
                kind = "changed" if old_line and new_line else "removed" if old_line else "added"
                lines.append(DiffLine(word_diff(old_line or "", new_line or ""), kind))
        shown_up_to = group[-1][2]
    if lines and shown_up_to < len(old_lines):
        lines.append(DiffLine("", "gap"))
    return lines
