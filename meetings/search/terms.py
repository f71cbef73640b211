"""From text to search terms, and from what the user typed to a query.

Both engines are given the same thing: text folded with meetings.text.fold (no diacritics,
đ -> d, lower case) and cut into words of letters and digits, joined by single spaces. So the
engines' own tokenisers have nothing left to decide, and SQLite and PostgreSQL match alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from meetings.text import fold, nfc

WORD = re.compile(r"[^\W_]+")
# A quoted phrase (perhaps not closed yet, while typing) or a bare word.
PIECE = re.compile(r'"([^"]*)("?)|([^\s"]+)')
# PostgreSQL keeps word positions up to 16383; past that a phrase cannot be told apart, so
# both engines index the first MAX_TOKENS words of a body.
MAX_TOKENS = 16000
MAX_GROUPS = 12


def words(text: str) -> list[str]:
    """The folded words of a text: "Nghị định 30/2020/NĐ-CP" -> nghi dinh 30 2020 nd cp."""
    return WORD.findall(fold(text))


def terms(text: str, limit: int | None = None) -> str:
    """The text as the index stores it: folded words joined by spaces."""
    found = words(text)
    return " ".join(found if limit is None else found[:limit])


@dataclass(frozen=True)
class Query:
    """Groups of words that must all be found, each group as a phrase (a bare word is a
    group of one); the last word is matched as a prefix while the user is still typing it."""

    groups: tuple[tuple[str, ...], ...]
    prefix: bool

    def __bool__(self) -> bool:
        return bool(self.groups)

    def fts5(self) -> str:
        """The FTS5 MATCH expression: "quyet" AND "nghi dinh"*."""
        parts = [f'"{" ".join(group)}"' for group in self.groups]
        if self.prefix:
            parts[-1] += "*"
        return " AND ".join(parts)

    def tsquery(self) -> str:
        """The PostgreSQL to_tsquery text: quyet & (nghi <-> dinh:*)."""
        parts = [list(group) for group in self.groups]
        if self.prefix:
            parts[-1][-1] += ":*"
        return " & ".join(f"({' <-> '.join(group)})" for group in parts)


def parse(typed: str) -> Query:
    """The query for what was typed: quotes make phrases; a word still being typed (no space
    after it) is a prefix."""
    typed = nfc(typed)
    groups: list[tuple[str, ...]] = []
    prefix = False
    for match in PIECE.finditer(typed):
        phrase, closing, bare = match.groups()
        found = tuple(words(phrase if bare is None else bare))
        if not found:
            continue
        groups.append(found)
        at_end = match.end() == len(typed)
        prefix = at_end and (bare is not None or not closing)
    return Query(tuple(groups[:MAX_GROUPS]), prefix and len(groups) <= MAX_GROUPS)


def tags(row: Mapping[str, Any]) -> str:
    """The filter words of an index row: o1 b3 m12 kdocument cpublic."""
    facts = [
        ("o", row.get("organisation_id")),
        ("b", row.get("body_id")),
        ("m", row.get("meeting_id")),
        ("k", row.get("kind")),
        ("c", row.get("classification")),
    ]
    return " ".join(f"{letter}{value}" for letter, value in facts if value not in (None, ""))


def fts5_filtered(query: Query, wanted: Mapping[str, Sequence[object]]) -> str:
    """The FTS5 expression of a query in the text columns, narrowed by filter words:
    {title_terms body_terms} : ("dinh"*) AND tags : ("o1" AND ("kminutes" OR "ktask"))."""
    narrowed = [
        "(" + " OR ".join(f'"{letter}{value}"' for value in values) + ")"
        for letter, values in wanted.items()
        if values
    ]
    words = f"{{title_terms body_terms}} : ({query.fts5()})"
    return f"{words} AND tags : ({' AND '.join(narrowed)})" if narrowed else words
