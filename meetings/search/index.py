"""Keeping the index current: one listener on every ORM session notices the indexed rows a
flush creates, changes or deletes, and rebuilds their sources' entries on the same connection,
in the same transaction. Nothing elsewhere calls the index; `reindex` rebuilds it all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from meetings.agenda.models import AgendaItem, Meeting
from meetings.documents.models import Document, DocumentVersion
from meetings.minutes.models import MeetingRecord, RecordSection
from meetings.search.models import SearchEntry, Source
from meetings.search.sources import BUILDERS, TABLES
from meetings.search.terms import tags
from meetings.tasks.models import Task, TaskUpdate
from meetings.voting.models import Poll, PollOption, SecretBallot, Vote

Key = tuple[Source, int]
ENTRIES = SearchEntry.__table__  # type: ignore[attr-defined]
# A change to these facts of a meeting shows in the entries of everything in it.
MEETING_FACTS = ("title", "starts_at", "body_id", "organisation_id")


def _changed(obj: Any, names: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _meeting_keys(obj: Meeting, is_new: bool) -> list[Key]:
    return [(Source.meeting, obj.id)] if is_new or _changed(obj, MEETING_FACTS) else []


def _vote_keys(obj: Vote | SecretBallot, is_new: bool) -> list[Key]:
    said = bool(obj.comment) if is_new else _changed(obj, ("comment",))
    return [(Source.poll_opinions, obj.poll_id)] if said else []


WATCHED: dict[type, Callable[[Any, bool], list[Key]]] = {
    Meeting: _meeting_keys,
    AgendaItem: lambda obj, new: (
        [(Source.meeting, obj.meeting_id)]
        if new or _changed(obj, ("title", "description", "meeting_id", "position"))
        else []
    ),
    Document: lambda obj, _new: [(Source.document, obj.id)],
    DocumentVersion: lambda obj, _new: [(Source.document, obj.document_id)],
    MeetingRecord: lambda obj, _new: [(Source.record, obj.id)],
    RecordSection: lambda obj, _new: [(Source.record, obj.record_id)],
    Poll: lambda obj, _new: [(Source.poll, obj.id), (Source.poll_opinions, obj.id)],
    PollOption: lambda obj, _new: [(Source.poll, obj.poll_id)],
    Vote: _vote_keys,
    SecretBallot: _vote_keys,
    Task: lambda obj, _new: [(Source.task, obj.id)],
    TaskUpdate: lambda obj, new: [(Source.task, obj.task_id)] if new and obj.comment else [],
}


def _dependants(conn: Connection, meeting_ids: set[int]) -> set[Key]:
    """The sources with entries in these meetings (their title and date come from it)."""
    if not meeting_ids:
        return set()
    query = sa.select(ENTRIES.c.source, ENTRIES.c.source_id).where(
        ENTRIES.c.meeting_id.in_(meeting_ids)
    )
    return {(Source(source), ident) for source, ident in conn.execute(query.distinct())}


def refresh(conn: Connection, keys: Iterable[Key], *, fresh: bool = False) -> None:
    """Rebuild the entries of these sources from what the connection sees now (`fresh`: the
    index holds none of them yet)."""
    for source, ident in sorted(set(keys)):
        if not fresh:
            conn.execute(
                ENTRIES.delete().where(ENTRIES.c.source == source, ENTRIES.c.source_id == ident)
            )
        rows = [{**row, "tags": tags(row)} for row in BUILDERS[source](conn, ident)]
        if rows:
            conn.execute(ENTRIES.insert(), rows)


def _keys_of(session: Session) -> tuple[set[Key], set[int]]:
    keys: set[Key] = set()
    meetings: set[int] = set()
    # A new or deleted row matters as a whole; a changed one by what changed in it.
    for objects, whole in ((session.new, True), (session.dirty, False), (session.deleted, True)):
        for obj in objects:
            watcher = WATCHED.get(type(obj))
            found = watcher(obj, whole) if watcher else []
            keys.update(key for key in found if key[1] is not None)
            if isinstance(obj, Meeting) and found and obj not in session.new:
                meetings.add(obj.id or 0)
    return keys, meetings


def _after_flush(session: Session, _context: Any) -> None:
    keys, meetings = _keys_of(session)
    if keys:
        conn = session.connection()
        refresh(conn, keys | _dependants(conn, meetings))


def attach() -> None:
    """Listen to every ORM session (once)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def all_keys(conn: Connection) -> Iterator[Key]:
    """Every source there is, for rebuilding the index."""
    for source, model in TABLES.items():
        table = model.__table__
        for (ident,) in conn.execute(sa.select(table.c.id).order_by(table.c.id)):
            yield source, ident


def reindex(conn: Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Empty the index and rebuild every source's entries; returns how many sources."""
    keys = list(all_keys(conn))
    conn.execute(ENTRIES.delete())
    for done, key in enumerate(keys, start=1):
        refresh(conn, [key], fresh=True)
        if progress is not None:
            progress(done, len(keys))
    return len(keys)
