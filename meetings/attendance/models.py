"""Who takes part in a meeting: invitations and answers, substitutes, check-in."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from meetings.db import UTCDateTime, utcnow


class ParticipantRole(StrEnum):
    chair = "chair"
    secretary = "secretary"
    member = "member"
    guest = "guest"  # invited agency or observer: no vote
    bridge_point = "bridge_point"  # a named remote site, e.g. a province's hall


class Answer(StrEnum):
    pending = "pending"
    attend = "attend"
    absent = "absent"
    substitute = "substitute"


class Presence(StrEnum):
    in_room = "in_room"
    remote = "remote"


class Participant(SQLModel, table=True):
    """An invitation to a meeting, the answer to it, and attendance on the day."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    name: str = Field(default="", max_length=200)  # agencies and bridge points without an account
    title: str = Field(default="", max_length=200)
    role: str = Field(default=ParticipantRole.member, max_length=16)
    voting_right: bool = False
    vote_weight: int = 0
    counts_for_quorum: bool = False
    answer: str = Field(default=Answer.pending, max_length=16)
    absence_reason: str = Field(default="", max_length=500)
    substitute_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    presence: str = Field(default="", max_length=16)
    checked_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    checked_in_by: int | None = Field(default=None, foreign_key="user.id")
    invited_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
