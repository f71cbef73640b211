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
from sqlmodel import Session, col

from meetings.agenda.models import Meeting


class Audience:
    """The views a live page can be: each socket belongs to one, and each region says in which
    views it appears. One rendering per view and language, shared by every socket of it."""

    console = "console"  # the chair and the secretariat running the session
    tablet = "tablet"  # members and substitutes
    screen = "screen"  # the room screen, bridge points and guests: only what the chair shares

    ALL: tuple[str, ...] = (console, tablet, screen)


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


@dataclass(frozen=True)
class AgendaChanged(Event):
    """The chair moved to another item, or marked one done, deferred or pending again."""

    item_id: int = 0
    kind: ClassVar[str] = "agenda.changed"
    # Opinions and the vote shown belong to the item under discussion: they change with it.
    regions: ClassVar[tuple[str, ...]] = ("current", "agenda", "opinions", "vote", "tally")


@dataclass(frozen=True)
class FloorChanged(Event):
    """A request to speak was made or withdrawn, or the chair gave, skipped or ended a turn."""

    request_id: int = 0
    kind: ClassVar[str] = "floor.changed"
    regions: ClassVar[tuple[str, ...]] = ("floor", "speaker")


@dataclass(frozen=True)
class OpinionsChanged(Event):
    """A written opinion was posted, or the chair showed or hid one for everyone."""

    opinion_id: int = 0
    kind: ClassVar[str] = "opinions.changed"
    regions: ClassVar[tuple[str, ...]] = ("opinions",)


@dataclass(frozen=True)
class MeetingChanged(Event):
    """The session opened or closed: every region may differ."""

    state: str = ""
    kind: ClassVar[str] = "meeting.changed"
    regions: ClassVar[tuple[str, ...]] = (
        "state",
        "current",
        "agenda",
        "floor",
        "speaker",
        "opinions",
        "quorum",
        "vote",
        "tally",
    )


@dataclass(frozen=True)
class PresenceChanged(Event):
    """A person's first socket on the meeting connected, or their last one went away."""

    user_id: int = 0
    connected: bool = False
    kind: ClassVar[str] = "presence.changed"
    regions: ClassVar[tuple[str, ...]] = ("presence",)


@dataclass(frozen=True)
class PollChanged(Event):
    """A live vote was called, opened, closed (its result is shown), published or cancelled."""

    poll_id: int = 0
    state: str = ""
    kind: ClassVar[str] = "poll.changed"
    regions: ClassVar[tuple[str, ...]] = ("vote", "tally")


@dataclass(frozen=True)
class VoteCounted(Event):
    """A vote was cast (or changed) in the open live vote: the count of votes cast moves.
    Never which choice, nor who: the region shows only how many have voted."""

    poll_id: int = 0
    kind: ClassVar[str] = "vote.counted"
    regions: ClassVar[tuple[str, ...]] = ("tally",)


EVENTS: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        AttendanceChanged,
        AgendaChanged,
        FloorChanged,
        OpinionsChanged,
        MeetingChanged,
        PresenceChanged,
        PollChanged,
        VoteCounted,
    )
}


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
    taken = db.execute(
        update(Meeting)
        .where(col(Meeting.id) == meeting_id)
        .values(live_seq=Meeting.live_seq + 1)
        .returning(col(Meeting.live_seq))
    )
    return int(taken.scalar_one())


def channel(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"
