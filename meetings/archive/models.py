"""The hash-chained audit log."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from meetings.db import UTCDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    """One recorded action; `hash` covers the entry and the previous entry's hash."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(default="", max_length=32)
    object_id: str = Field(default="", max_length=64)
    ip: str = Field(default="", max_length=64)
    data: str = Field(default="{}")
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
