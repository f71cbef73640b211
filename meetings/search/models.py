"""The search index: one row per searchable thing, with its text folded into plain terms.

The rows are derived data, rebuilt from the areas' own tables (meetings.search.index), so they
carry no foreign keys: a source may change or vanish in any order within a flush. The engine's
full-text structure sits beside the table and is made by the migration: an FTS5 table over
`title_terms`, `body_terms` and `tags` on SQLite; on PostgreSQL a trigger fills `vector` and a
GIN index covers it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlmodel import Field, SQLModel

from meetings.db import UTCDateTime

VECTOR_TYPE = Text().with_variant(TSVECTOR(), "postgresql")


class Kind(StrEnum):
    """What a result is, as the filter names it."""

    meeting = "meeting"  # a meeting's title and its agenda items
    document = "document"
    minutes = "minutes"
    conclusion = "conclusion"
    ballot = "ballot"
    task = "task"


class Source(StrEnum):
    """Which area's row an entry is made from (its id is `source_id`)."""

    meeting = "meeting"
    document = "document"
    record = "record"
    poll = "poll"
    poll_opinions = "poll_opinions"  # the written opinions given on a poll
    task = "task"


class SearchEntry(SQLModel, table=True):
    """What one source says, as shown (title, body) and as matched (the folded terms)."""

    __table_args__ = (
        UniqueConstraint("source", "source_id", "kind"),
        Index("ix_searchentry_org_at", "organisation_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int
    body_id: int | None = Field(default=None, index=True)
    meeting_id: int | None = Field(default=None, index=True)
    source: str = Field(max_length=16)
    source_id: int
    kind: str = Field(max_length=16)
    classification: str = Field(default="", max_length=16)
    at: datetime = Field(sa_type=UTCDateTime)
    title: str = Field(max_length=500)
    body: str = ""
    title_terms: str = ""
    body_terms: str = ""
    # Words standing for the facts searches narrow by (o1 b3 m12 kdocument cpublic), so SQLite's
    # FTS5 applies those filters itself and still ranks by bm25 without sorting every match.
    tags: str = ""
    # PostgreSQL: the tsvector of the terms (title words weighted A), set by a trigger and
    # indexed with GIN, so matching and ranking never rebuild it. SQLite leaves it empty.
    vector: str | None = Field(default=None, sa_type=VECTOR_TYPE)


def outside_the_models(name: str | None) -> bool:
    """The FTS5 table (and its shadow tables) and the GIN index: made by the migration, not
    described by the models, so schema comparisons leave them out."""
    return bool(name) and (str(name).startswith("searchentry_fts") or name == "searchentry_vector")
