"""What each source says to the index: its entries, read straight from the areas' tables.

A builder takes a connection and a source's id and returns the rows of its entries (none when
the source is gone). Builders read with Core on the flushing connection, so they run inside a
flush without touching the session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from meetings.agenda.models import AgendaItem, Meeting
from meetings.documents.models import Document, DocumentVersion
from meetings.minutes.models import MeetingRecord, RecordKind, RecordSection
from meetings.search.models import Kind, Source
from meetings.search.terms import MAX_TOKENS, terms
from meetings.tasks.models import Task, TaskUpdate
from meetings.text import nfc
from meetings.voting.models import Poll, PollOption, SecretBallot, Vote

Row = dict[str, Any]
Builder = Callable[[Connection, int], list[Row]]


def _one(conn: Connection, model: Any, ident: int) -> Any:
    table = model.__table__
    return conn.execute(sa.select(table).where(table.c.id == ident)).first()


def _texts(conn: Connection, query: sa.Select[Any]) -> list[str]:
    return [text for (text,) in conn.execute(query) if text]


def entry(
    source: Source, source_id: int, kind: Kind, title: str, parts: Iterable[str], **facts: Any
) -> Row:
    """One index row: the text as shown and as matched."""
    body = nfc("\n".join(part for part in parts if part))
    return {
        "source": source,
        "source_id": source_id,
        "kind": kind,
        "title": nfc(title)[:500],
        "body": body,
        "title_terms": terms(title),
        "body_terms": terms(body, MAX_TOKENS),
        "classification": "",
        **facts,
    }


def _meeting_facts(conn: Connection, meeting_id: int | None) -> dict[str, Any] | None:
    meeting = _one(conn, Meeting, meeting_id) if meeting_id is not None else None
    if meeting is None:
        return None
    return {
        "organisation_id": meeting.organisation_id,
        "body_id": meeting.body_id,
        "meeting_id": meeting.id,
        "at": meeting.starts_at,
    }


def meeting(conn: Connection, meeting_id: int) -> list[Row]:
    """A meeting's title, place and agenda items (titles and descriptions)."""
    facts = _meeting_facts(conn, meeting_id)
    if facts is None:
        return []
    items = AgendaItem.__table__
    query = sa.select(items.c.title, items.c.description).where(items.c.meeting_id == meeting_id)
    rows = conn.execute(query.order_by(items.c.position, items.c.id))
    parts = [f"{title}\n{description}" for title, description in rows]
    title = _one(conn, Meeting, meeting_id).title
    return [entry(Source.meeting, meeting_id, Kind.meeting, title, parts, **facts)]


def document(conn: Connection, document_id: int) -> list[Row]:
    """A document's title and agency, and the extracted text of every version (newest first,
    a text repeated unchanged in an older version only once)."""
    doc = _one(conn, Document, document_id)
    facts = _meeting_facts(conn, doc.meeting_id) if doc is not None else None
    if doc is None or facts is None:
        return []
    versions = DocumentVersion.__table__
    query = sa.select(versions.c.text).where(versions.c.document_id == document_id)
    texts = _texts(conn, query.order_by(versions.c.number.desc()))
    parts = [doc.agency, *dict.fromkeys(texts)]
    row = entry(Source.document, document_id, Kind.document, doc.title, parts, **facts)
    row["classification"] = doc.classification
    return [row]


def record(conn: Connection, record_id: int) -> list[Row]:
    """A record's text as minutes and its conclusions (a conclusion notice: both as one)."""
    found = _one(conn, MeetingRecord, record_id)
    facts = _meeting_facts(conn, found.meeting_id) if found is not None else None
    if found is None or facts is None:
        return []
    sections = RecordSection.__table__
    query = sa.select(sections.c.text, sections.c.conclusion).where(
        sections.c.record_id == record_id
    )
    rows = list(conn.execute(query.order_by(sections.c.position, sections.c.id)))
    title = " ".join(filter(None, [found.number, _one(conn, Meeting, found.meeting_id).title]))
    said = [text for text, _ in rows]
    concluded = [conclusion for _, conclusion in rows]
    if found.kind == RecordKind.conclusions:
        return [entry(Source.record, record_id, Kind.conclusion, title, said + concluded, **facts)]
    entries = [entry(Source.record, record_id, Kind.minutes, title, said, **facts)]
    if any(concluded):
        entries.append(entry(Source.record, record_id, Kind.conclusion, title, concluded, **facts))
    return entries


def _poll_facts(conn: Connection, poll: Any) -> dict[str, Any]:
    facts = _meeting_facts(conn, poll.meeting_id)
    if facts is not None:
        return facts
    at: datetime = poll.deadline or poll.created_at
    return {"organisation_id": poll.organisation_id, "body_id": poll.body_id, "at": at}


def poll(conn: Connection, poll_id: int) -> list[Row]:
    """A poll's question, description and options."""
    found = _one(conn, Poll, poll_id)
    if found is None:
        return []
    options = PollOption.__table__
    query = sa.select(options.c.label).where(options.c.poll_id == poll_id)
    labels = _texts(conn, query.order_by(options.c.position, options.c.id))
    parts = [found.description, *labels]
    facts = _poll_facts(conn, found)
    return [entry(Source.poll, poll_id, Kind.ballot, found.question, parts, **facts)]


def poll_opinions(conn: Connection, poll_id: int) -> list[Row]:
    """The written opinions given on a poll (a secret poll's in the order of their receipts,
    which tells nothing)."""
    found = _one(conn, Poll, poll_id)
    if found is None:
        return []
    votes, secret = Vote.__table__, SecretBallot.__table__
    named = _texts(
        conn, sa.select(votes.c.comment).where(votes.c.poll_id == poll_id).order_by(votes.c.id)
    )
    unnamed = sa.select(secret.c.comment).where(secret.c.poll_id == poll_id)
    opinions = named + _texts(conn, unnamed.order_by(secret.c.receipt))
    if not opinions:
        return []
    facts = _poll_facts(conn, found)
    return [entry(Source.poll_opinions, poll_id, Kind.ballot, found.question, opinions, **facts)]


def task(conn: Connection, task_id: int) -> list[Row]:
    """A task's title, description, agency and the comments on its progress."""
    found = _one(conn, Task, task_id)
    if found is None:
        return []
    updates = TaskUpdate.__table__
    query = sa.select(updates.c.comment).where(updates.c.task_id == task_id)
    comments = _texts(conn, query.order_by(updates.c.id))
    parts = [found.description, found.agency, *comments]
    facts = {
        "organisation_id": found.organisation_id,
        "body_id": found.body_id,
        "meeting_id": found.meeting_id,
        "at": found.created_at,
    }
    return [entry(Source.task, task_id, Kind.task, found.title, parts, **facts)]


BUILDERS: dict[Source, Builder] = {
    Source.meeting: meeting,
    Source.document: document,
    Source.record: record,
    Source.poll: poll,
    Source.poll_opinions: poll_opinions,
    Source.task: task,
}
# Where every source's ids are found, for rebuilding the whole index.
TABLES: dict[Source, Any] = {
    Source.meeting: Meeting,
    Source.document: Document,
    Source.record: MeetingRecord,
    Source.poll: Poll,
    Source.poll_opinions: Poll,
    Source.task: Task,
}
