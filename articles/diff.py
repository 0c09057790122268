"""Readable differences between two revisions: words added and removed, everything escaped."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

# An HTML tag, a word, a run of spaces, or one other character: the units a change is shown in.
TOKEN = re.compile(r"<[^>]*>|\w+|\s+|[^\w\s]")
# Body HTML is compared paragraph by paragraph: a new line starts after each closing block tag.
BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|blockquote|ul|ol|table|tr|figure|pre)>|<br\s*/?>)", re.IGNORECASE)
CONTEXT_PARAGRAPHS = 1


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


def body_diff(old, new):
    """The changed paragraphs of an HTML body, with one unchanged paragraph around each change."""
    old_lines, new_lines = paragraphs(old), paragraphs(new)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    lines = []
    shown_up_to = 0  # old paragraphs before this index are shown or marked as left out
    for group in matcher.get_grouped_opcodes(CONTEXT_PARAGRAPHS):
        if group[0][1] > shown_up_to:
            lines.append(DiffLine("", "gap"))
        for op, i1, i2, j1, j2 in group:
            removed, added = old_lines[i1:i2], new_lines[j1:j2]
            if op == "equal":
                lines += [DiffLine(escape(line), "same") for line in added]
                continue
            paired = min(len(removed), len(added)) if op == "replace" else 0
            pairs = zip(removed[:paired], added[:paired], strict=True)
            lines += [DiffLine(word_diff(old_line, new_line), "changed") for old_line, new_line in pairs]
            lines += [DiffLine(word_diff(line, ""), "removed") for line in removed[paired:]]
            lines += [DiffLine(word_diff("", line), "added") for line in added[paired:]]
        shown_up_to = group[-1][2]
    if lines and shown_up_to < len(old_lines):
        lines.append(DiffLine("", "gap"))
    return lines
