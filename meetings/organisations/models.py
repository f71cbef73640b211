"""Organisations (tenants), their bodies, and who belongs to them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from meetings.db import UTCDateTime, utcnow


class OrgRole(StrEnum):
    """A person's role in an organisation as a whole."""

    admin = "admin"  # accounts, bodies, memberships
    secretary = "secretary"  # prepares meetings and ballots for every body
    member = "member"
    auditor = "auditor"  # reads the organisation's audit trail, changes nothing


class BodyRole(StrEnum):
    """A person's role in one body."""

    chair = "chair"
    secretary = "secretary"
    member = "member"
    guest = "guest"


class Organisation(SQLModel, table=True):
    """A tenant: the Government, a ministry, a provincial People's Committee."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    short_name: str = Field(max_length=60)
    slug: str = Field(max_length=60, unique=True)
    timezone: str = Field(default="Asia/Ho_Chi_Minh", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # How long archived meetings are kept; nothing is ever purged without an explicit,
    # audited action, whatever this says.
    retention_years: int = Field(default=20, sa_column_kwargs={"server_default": "20"})


class OrganisationMember(SQLModel, table=True):
    """A user's place in an organisation: it decides what they may manage."""

    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = Field(default=OrgRole.member, max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Body(SQLModel, table=True):
    """Who meets: the Government, its Standing Committee, a People's Committee."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    # The body's own rules: quorum is a fraction of its seats that count for quorum (members
    # and the chair, not guests or the secretary), e.g. the Government's two thirds.
    quorum_numerator: int = 2
    quorum_denominator: int = 3
    substitutes_count_for_quorum: bool = False
    substitutes_may_vote: bool = False
    remote_counts_for_quorum: bool = True
    # Voting: the default majority of the body's votes (meetings.voting.tally.PRESETS), whether
    # the chair's side prevails on a tie, whether members taking part remotely may vote, and
    # whether a member may delegate their vote for one poll.
    majority: str = Field(default="cast_half", max_length=32)
    chair_breaks_ties: bool = False
    remote_may_vote: bool = True
    delegation_allowed: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Membership(SQLModel, table=True):
    """A seat in a body: title, role, voting right and weight, and an optional assistant."""

    __table_args__ = (UniqueConstraint("body_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    title: str = Field(default="", max_length=200)
    role: str = Field(default=BodyRole.member, max_length=16)
    voting_right: bool = True
    vote_weight: int = 1
    assistant_id: int | None = Field(default=None, foreign_key="user.id")
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
