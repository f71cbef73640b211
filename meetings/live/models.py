"""What happens in the room: requests for the floor (and who spoke, for how long), written
opinions on the current item, and which tablets are connected now."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from meetings.db import UTCDateTime, utcnow


class FloorState(StrEnum):
    waiting = "waiting"
    speaking = "speaking"
    done = "done"  # spoke; started_at and ended_at say for how long
    skipped = "skipped"  # passed over by the chair
    withdrawn = "withdrawn"  # taken back by the person


class FloorRequest(SQLModel, table=True):
    """A request to speak on an agenda item; kept, once spoken, for the minutes."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    user_id: int = Field(foreign_key="user.id")
    topic: str = Field(default="", max_length=200)
    state: str = Field(default=FloorState.waiting, max_length=16)
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    allotted_seconds: int = 0
    granted_by: int | None = Field(default=None, foreign_key="user.id")


class Opinion(SQLModel, table=True):
    """A short written opinion (ý kiến) on an item during the session; kept for the minutes."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    user_id: int = Field(foreign_key="user.id")
    text: str = Field(max_length=2000)
    public: bool = False  # the chair may show it to everyone
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LivePresence(SQLModel, table=True):
    """One open socket, in whichever server process holds it; refreshed while it lives."""

    # "Has this person a socket on this meeting?" is asked on every connect and disconnect.
    __table_args__ = (Index("ix_livepresence_meeting_user", "meeting_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    user_id: int = Field(foreign_key="user.id")
    socket: str = Field(max_length=40, unique=True)
    view: str = Field(max_length=16)
    connected_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
