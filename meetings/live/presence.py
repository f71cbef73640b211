"""Who is connected to a meeting now, across every server process.

Each open socket has a row, refreshed by its process every HEARTBEAT seconds and removed when
the socket closes. A process that dies leaves rows that stop being refreshed: they no longer
count after STALE and the job runner sweeps them away. A person's first socket and last socket
are announced (PresenceChanged), so the chair's "connected now" list follows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from meetings.db import utcnow
from meetings.live import announce
from meetings.live.events import PresenceChanged
from meetings.live.models import LivePresence

HEARTBEAT = 30
STALE = timedelta(seconds=3 * HEARTBEAT)


def _fresh(now: datetime | None = None) -> datetime:
    return (now or utcnow()) - STALE


def _is_connected(db: Session, meeting_id: int, user_id: int, now: datetime | None = None) -> bool:
    """Whether the person has a live socket on the meeting (one indexed lookup, not a scan)."""
    found = db.exec(
        select(LivePresence.id).where(
            LivePresence.meeting_id == meeting_id,
            LivePresence.user_id == user_id,
            col(LivePresence.seen_at) >= _fresh(now),
        )
    ).first()
    return found is not None


def connected(db: Session, meeting_id: int) -> dict[int, set[str]]:
    """The people connected now, with the views they have open."""
    rows = db.exec(
        select(LivePresence.user_id, LivePresence.view).where(
            LivePresence.meeting_id == meeting_id, col(LivePresence.seen_at) >= _fresh()
        )
    )
    people: dict[int, set[str]] = {}
    for user_id, view in rows:
        people.setdefault(user_id, set()).add(view)
    return people


def join(db: Session, meeting_id: int, user_id: int, socket: str, view: str) -> None:
    first = not _is_connected(db, meeting_id, user_id)
    db.add(LivePresence(meeting_id=meeting_id, user_id=user_id, socket=socket, view=view))
    if first:
        announce.queue(db, PresenceChanged, meeting_id, user_id=user_id, connected=True)
    db.commit()


def leave(db: Session, socket: str) -> None:
    row = db.exec(select(LivePresence).where(LivePresence.socket == socket)).first()
    if row is None:
        return
    db.delete(row)
    db.flush()
    if not _is_connected(db, row.meeting_id, row.user_id):
        announce.queue(db, PresenceChanged, row.meeting_id, user_id=row.user_id, connected=False)
    db.commit()


def touch(db: Session, sockets: list[str]) -> None:
    """This process's sockets are still open."""
    if sockets:
        db.execute(
            update(LivePresence)
            .where(col(LivePresence.socket).in_(sockets))
            .values(seen_at=utcnow())
        )
        db.commit()


def sweep(db: Session, now: datetime | None = None) -> int:
    """Forget sockets nobody has refreshed (their process died); announce who is gone."""
    cutoff = _fresh(now)
    stale = list(db.exec(select(LivePresence).where(col(LivePresence.seen_at) < cutoff)))
    if not stale:
        return 0
    db.execute(delete(LivePresence).where(col(LivePresence.id).in_([r.id for r in stale])))
    gone = {(row.meeting_id, row.user_id) for row in stale}
    for meeting_id, user_id in sorted(gone):
        if not _is_connected(db, meeting_id, user_id, now):
            announce.queue(db, PresenceChanged, meeting_id, user_id=user_id, connected=False)
    db.commit()
    return len(stale)


class Store:
    """The hub's presence store: each call in its own session of the app's engine (so its
    PresenceChanged events are announced by the app's hub)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def join(self, meeting_id: int, user_id: int, socket: str, view: str) -> None:
        with Session(self.engine, expire_on_commit=False) as db:
            join(db, meeting_id, user_id, socket, view)

    def leave(self, socket: str) -> None:
        with Session(self.engine, expire_on_commit=False) as db:
            leave(db, socket)

    def touch(self, sockets: list[str]) -> None:
        with Session(self.engine, expire_on_commit=False) as db:
            touch(db, sockets)
