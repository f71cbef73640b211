"""Titles and snippets with the matched words marked: every character escaped, and the only
markup ours (<mark>). Matching is done on the folded text and mapped back to the original."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup, escape

from meetings.search.terms import Query
from meetings.text import fold

BEFORE, WIDTH = 80, 240
MAX_TEXT = 200_000  # a snippet is looked for this far into a text


def pattern(query: Query) -> re.Pattern[str]:
    """A regular expression finding any group of the query in folded text."""
    alternatives = []
    for number, group in enumerate(query.groups, start=1):
        body = r"[\W_]+".join(re.escape(word) for word in group)
        if query.prefix and number == len(query.groups):
            body += r"[^\W_]*"
        alternatives.append(rf"(?<![^\W_]){body}(?![^\W_])")
    return re.compile("|".join(alternatives) or r"(?!)")


@dataclass(frozen=True)
class Folded:
    """Folded text, and for each of its characters the index of the original one."""

    text: str
    origin: list[int] | None  # None: the same length, index for index

    def to_original(self, index: int, length: int) -> int:
        if self.origin is None or index >= len(self.origin):
            return min(index, length) if self.origin is None else length
        return self.origin[index]


@cache
def _fold_char(char: str) -> str:
    return fold(char)


def folded(text: str) -> Folded:
    """Folded char by char (each char's fold remembered: a text has few distinct chars), so
    every folded char knows its original; only the first MAX_TEXT chars are looked at."""
    pieces = list(map(_fold_char, text[:MAX_TEXT]))
    whole = "".join(pieces)
    if len(whole) == len(pieces):
        return Folded(whole, None)
    origin = [index for index, part in enumerate(pieces) for _ in part]
    return Folded(whole, origin)


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Markup:
    out, at = [], start
    for left, right in spans:
        left, right = max(left, start), min(right, end)
        if left >= right or left < at:
            continue
        out.append(escape(text[at:left]))
        out.append(Markup("<mark>%s</mark>") % text[left:right])
        at = right
    out.append(escape(text[at:end]))
    return Markup("").join(out)


def _spans(
    text: str, found: Folded, regex: re.Pattern[str], until: int | None = None
) -> list[tuple[int, int]]:
    """The matches, as spans of the original text (those starting before `until`)."""
    size, spans = len(text), []
    for match in regex.finditer(found.text):
        left = found.to_original(match.start(), size)
        if until is not None and left >= until:
            break
        spans.append((left, found.to_original(match.end() - 1, size) + 1))
    return spans


def title(text: str, regex: re.Pattern[str]) -> Markup:
    """The whole title, every match marked."""
    return _marked(text, _spans(text, folded(text), regex), 0, len(text))


def _window(text: str, first: int) -> tuple[int, int]:
    """About WIDTH characters around the first match, cut at spaces."""
    start = max(0, first - BEFORE)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + WIDTH)
    if end < len(text):
        space = text.rfind(" ", max(first + 1, start), end)
        end = space if space > first else end
    return start, end


def snippet(text: str, regex: re.Pattern[str]) -> Markup:
    """A short passage around the first match (or the beginning), matches marked."""
    found = folded(text)
    first = regex.search(found.text)
    anchor = found.to_original(first.start(), len(text)) if first else 0
    start, end = _window(text, anchor)
    nearby = _spans(text, found, regex, until=end) if first else []
    shown = _marked(text, nearby, start, end)
    lead = Markup("… ") if start > 0 else Markup("")
    tail = Markup(" …") if end < len(text) else Markup("")
    return lead + shown + tail
