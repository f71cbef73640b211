"""Polls (live votes and opinion ballots), their options, who may vote, and the votes.

Named polls keep each vote with its voter. Secret polls keep two tables with no link between
them: who took part (Turnout) and what was chosen (SecretBallot, keyed by a random receipt, with
no voter, no time and no ordering key; on SQLite it is a WITHOUT ROWID table, ordered by the
random receipt, so not even the storage order tells who chose what).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from meetings.db import UTCDateTime, utcnow


class PollMode(StrEnum):
    live = "live"  # on an agenda item, during the session
    ballot = "ballot"  # an opinion ballot (phiếu lấy ý kiến) between sessions, with a deadline


class PollState(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"
    published = "published"
    cancelled = "cancelled"


class Meaning(StrEnum):
    """What an option means to the majority rule."""

    in_favour = "in_favour"
    against = "against"
    abstain = "abstain"
    other = "other"  # "other opinion" on a ballot: counted as taking part, not in favour
    candidate = "candidate"  # elections of people: each candidate is counted on its own


class Poll(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    mode: str = Field(default=PollMode.live, max_length=16)
    question: str = Field(max_length=500)
    description: str = Field(default="", max_length=5000)
    secret: bool = False
    min_choices: int = 1
    max_choices: int = 1
    # The majority rule (meetings.voting.tally.MajorityRule) and the quorum rule.
    majority_base: str = Field(default="cast", max_length=16)
    majority_numerator: int = 1
    majority_denominator: int = 2
    majority_strict: bool = True
    abstentions_count: bool = False
    quorum_numerator: int | None = None
    quorum_denominator: int | None = None
    chair_breaks_ties: bool = False
    allow_change: bool = False
    # A named live vote may show the running count per option as votes come in.
    show_running: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    state: str = Field(default=PollState.draft, max_length=16, index=True)
    deadline: datetime | None = Field(default=None, sa_type=UTCDateTime)
    chair_id: int | None = Field(default=None, foreign_key="user.id")
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # An opinion ballot is approved by the body's chair before it is sent.
    approved_by: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    result: str = Field(default="")  # JSON, frozen at close


class PollOption(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    position: int = 0
    label: str = Field(max_length=300)
    meaning: str = Field(default=Meaning.candidate, max_length=16)
    comment_required: bool = False


class Eligible(SQLModel, table=True):
    """Who may vote, with what weight: a snapshot taken when the poll opens."""

    __table_args__ = (UniqueConstraint("poll_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    user_id: int = Field(foreign_key="user.id")
    weight: int = 1
    in_place_of: int | None = Field(default=None, foreign_key="user.id")  # a substitute's member


class Delegation(SQLModel, table=True):
    """A voter lets another vote in their name for one poll."""

    __table_args__ = (UniqueConstraint("poll_id", "principal_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    principal_id: int = Field(foreign_key="user.id")
    delegate_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Vote(SQLModel, table=True):
    """A named vote: one per voter and poll, enforced by the database."""

    __table_args__ = (UniqueConstraint("poll_id", "voter_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    voter_id: int = Field(foreign_key="user.id")
    cast_by: int = Field(foreign_key="user.id")  # the voter, or their delegate
    weight: int = 1
    choices: str = Field(max_length=500)  # option ids, comma-separated, ascending
    comment: str = Field(default="", max_length=4000)
    cast_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Turnout(SQLModel, table=True):
    """Who took part in a secret poll (never what they chose)."""

    __table_args__ = (UniqueConstraint("poll_id", "voter_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    voter_id: int = Field(foreign_key="user.id")
    cast_by: int = Field(foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SecretBallot(SQLModel, table=True):
    """What was chosen in a secret poll, under the voter's receipt only."""

    __table_args__ = {"sqlite_with_rowid": False}

    receipt: str = Field(primary_key=True, max_length=32)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    choices: str = Field(max_length=500)
    weight: int = 1
    comment: str = Field(default="", max_length=4000)


class AnswerDraft(SQLModel, table=True):
    """A member's answer to an opinion ballot, drafted by their assistant (or by themselves):
    it counts for nothing until the member submits it as their vote."""

    __table_args__ = (UniqueConstraint("poll_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    member_id: int = Field(foreign_key="user.id")
    drafted_by: int = Field(foreign_key="user.id")
    choices: str = Field(max_length=500)
    comment: str = Field(default="", max_length=4000)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PollAttachment(SQLModel, table=True):
    """A file sent with an opinion ballot (the draft, its report), stored as a checked blob."""

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    blob: str = Field(max_length=64)
    size: int
    media_type: str = Field(max_length=120)
    filename: str = Field(max_length=220)
    uploaded_by: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
