"""Live events: what happened in a meeting, announced after the change is committed.

Each event is a small dataclass naming the live regions of the meeting pages it changes. The hub
re-renders those regions from the database once per audience and pushes the same bytes to every
socket of that audience, so an event carries ids, never HTML or anything a viewer may not see.
Every event has a per-meeting sequence number, taken in the same transaction as the change.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import ClassVar

from sqlalchemy import update
from sqlmodel import Session, col, select

from meetings.agenda.models import Meeting


class Audience:
    """Who a socket belongs to, for rendering: one rendering per audience (and language)."""

    everyone = "everyone"  # members and substitutes
    chair = "chair"  # the chair and the secretariat running the session
    shared = "shared"  # guests, bridge points, the room screen: only what the chair shares

    ALL: tuple[str, ...] = (everyone, chair, shared)


@dataclass(frozen=True)
class Event:
    """The base of every event: the meeting and its sequence number."""

    meeting_id: int
    seq: int = 0
    kind: ClassVar[str] = ""
    # The live regions this event changes (see meetings.live.regions.REGIONS).
    regions: ClassVar[tuple[str, ...]] = ()

    def to_message(self) -> str:
        return json.dumps({"kind": self.kind, **asdict(self)}, separators=(",", ":"))


@dataclass(frozen=True)
class AttendanceChanged(Event):
    """Someone checked in, went remote or left: the quorum and the attendance lists change."""

    participant_id: int = 0
    kind: ClassVar[str] = "attendance.changed"
    regions: ClassVar[tuple[str, ...]] = ("quorum",)


EVENTS: dict[str, type[Event]] = {cls.kind: cls for cls in (AttendanceChanged,)}


def from_message(message: str) -> Event | None:
    """The event in a channel message, or None for anything malformed or unknown."""
    try:
        data = json.loads(message)
        cls = EVENTS[data.pop("kind")]
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def next_seq(db: Session, meeting_id: int) -> int:
    """Take the meeting's next sequence number inside the caller's transaction.

    The UPDATE locks the meeting row until the transaction ends, so two changes to the same
    meeting get numbers in the order they commit, whichever process makes them.
    """
    db.execute(
        update(Meeting).where(col(Meeting.id) == meeting_id).values(live_seq=Meeting.live_seq + 1)
    )
    return int(db.exec(select(Meeting.live_seq).where(Meeting.id == meeting_id)).one())


def channel(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"
