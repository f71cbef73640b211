"""Documents of a meeting, their versions, and who has read which version."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from meetings.db import UTCDateTime, utcnow


class DocumentKind(StrEnum):
    draft_decree = "draft_decree"
    report = "report"
    submission = "submission"  # tờ trình
    presentation = "presentation"
    other = "other"


class Classification(StrEnum):
    public = "public"
    internal = "internal"
    confidential = "confidential"  # never shown to guests


class Document(SQLModel, table=True):
    """A document of a meeting (optionally of one agenda item); withdrawn, never deleted."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    title: str = Field(max_length=300)
    kind: str = Field(default=DocumentKind.other, max_length=16)
    agency: str = Field(default="", max_length=200)
    classification: str = Field(default=Classification.internal, max_length=16)
    original_download: bool = True
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    publish_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DocumentVersion(SQLModel, table=True):
    """One uploaded version; a new version never overwrites an old one."""

    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    number: int
    blob: str = Field(max_length=64, index=True)
    size: int
    media_type: str = Field(max_length=120)
    file_kind: str = Field(max_length=16)
    filename: str = Field(max_length=220)
    pages: int | None = None
    has_text: bool | None = None
    text: str = Field(default="")
    uploaded_by: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReadReceipt(SQLModel, table=True):
    """The first time a person opened a version."""

    __table_args__ = (UniqueConstraint("version_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="documentversion.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    first_read_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
