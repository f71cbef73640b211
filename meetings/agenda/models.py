"""Meetings, their agenda items, amendments after publication, and positions before the meeting."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from meetings.db import UTCDateTime, utcnow


class MeetingKind(StrEnum):
    regular = "regular"
    thematic = "thematic"
    extraordinary = "extraordinary"
    online = "online"  # online conference with bridge points


class MeetingState(StrEnum):
    draft = "draft"
    scheduled = "scheduled"
    in_session = "in_session"
    closed = "closed"
    archived = "archived"
    cancelled = "cancelled"
    postponed = "postponed"


class ItemStatus(StrEnum):
    pending = "pending"
    current = "current"
    done = "done"
    deferred = "deferred"
    withdrawn = "withdrawn"


class PositionKind(StrEnum):
    """A member's stand on an item before the meeting (Estonia's e-Cabinet)."""

    no_objection = "no_objection"
    objection = "objection"
    wish_to_speak = "wish_to_speak"


class Meeting(SQLModel, table=True):
    """A meeting of a body: its facts and where it is in its life."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    title: str = Field(max_length=300)
    kind: str = Field(default=MeetingKind.regular, max_length=16)
    state: str = Field(default=MeetingState.draft, max_length=16, index=True)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    place: str = Field(default="", max_length=300)
    video_url: str = Field(default="", max_length=500)
    chair_id: int | None = Field(default=None, foreign_key="user.id")
    secretary_id: int | None = Field(default=None, foreign_key="user.id")
    state_reason: str = Field(default="", max_length=1000)
    copied_from_id: int | None = Field(default=None, foreign_key="meeting.id")
    current_item_id: int | None = None
    # Default speaking time per speaker in the live session, in seconds.
    speaking_seconds: int = Field(default=180, sa_column_kwargs={"server_default": "180"})
    sequence: int = 0  # bumped on every change participants see (iCalendar SEQUENCE)
    # The number of the last live event announced for this meeting (meetings.live.events).
    live_seq: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AgendaItem(SQLModel, table=True):
    """One item of a meeting's agenda, possibly a sub-item of another."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    position: int = 0
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=5000)
    presenter_id: int | None = Field(default=None, foreign_key="user.id")
    presenter_agency: str = Field(default="", max_length=200)
    duration_minutes: int = 15
    status: str = Field(default=ItemStatus.pending, max_length=16)
    consent: bool = False
    adopted_by_consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Amendment(SQLModel, table=True):
    """A change made after publication, kept and announced to participants."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    kind: str = Field(max_length=32)
    data: str = Field(default="{}")  # values for the message, rendered in the reader's language


class Position(SQLModel, table=True):
    """A member's position on an agenda item before the meeting."""

    __table_args__ = (UniqueConstraint("item_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agendaitem.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=16)
    comment: str = Field(default="", max_length=2000)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
