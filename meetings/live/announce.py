"""Announce live events once the change that caused them has committed.

A rule calls `queue(db, SomeEvent, meeting_id, ...)` inside its transaction: the event takes the
meeting's next sequence number there and waits on the session. When the session commits, the
events go to the announcer attached to the session's engine (the app's hub); when it rolls back,
they are dropped, so nobody is ever told of a change that did not happen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from meetings.live.events import Event, next_seq

Announcer = Callable[[Event], None]

_KEY = "live_events"
_ANNOUNCERS: WeakKeyDictionary[Engine, Announcer] = WeakKeyDictionary()


def attach(engine: Engine, announcer: Announcer) -> None:
    """Send the events committed through this engine's sessions to `announcer`."""
    _ANNOUNCERS[engine] = announcer


def detach(engine: Engine) -> None:
    _ANNOUNCERS.pop(engine, None)


def queue(db: Session, cls: type[Event], meeting_id: int, **data: Any) -> Event:
    """An event for the meeting, announced when (and only if) `db` commits."""
    event = cls(meeting_id=meeting_id, seq=next_seq(db, meeting_id), **data)
    db.info.setdefault(_KEY, []).append(event)
    return event


@sa_event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    events: list[Event] = session.info.pop(_KEY, [])
    bind = session.get_bind()
    announcer = _ANNOUNCERS.get(bind) if isinstance(bind, Engine) else None
    if announcer is not None:
        for event in events:
            announcer(event)


@sa_event.listens_for(OrmSession, "after_rollback")
def _after_rollback(session: OrmSession) -> None:
    session.info.pop(_KEY, None)
