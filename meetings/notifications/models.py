"""In-app notifications; e-mail and SMS delivery plug in later through `channel`."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from meetings.db import UTCDateTime, utcnow


class Notification(SQLModel, table=True):
    """Something a person should know: an invitation, a change of time, an amendment."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    kind: str = Field(max_length=32)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    data: str = Field(default="{}")  # values for the message, rendered in the reader's language
    channel: str = Field(default="in_app", max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CalendarFeed(SQLModel, table=True):
    """A private iCalendar feed URL for a user; only the token's hash is kept."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
