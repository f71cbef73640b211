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


class DocumentReader(SQLModel, table=True):
    """A person named to read a restricted document; with none named, the usual rules apply."""

    __table_args__ = (UniqueConstraint("document_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    user_id: int = Field(foreign_key="user.id")


class RenditionState(StrEnum):
    pending = "pending"
    done = "done"
    failed = "failed"


class Rendition(SQLModel, table=True):
    """The PDF made from an Office version for reading in the page (the original is kept)."""

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="documentversion.id", unique=True)
    state: str = Field(default=RenditionState.pending, max_length=16, index=True)
    blob: str | None = Field(default=None, max_length=64)
    size: int | None = None
    pages: int | None = None
    attempts: int = 0
    error: str = Field(default="", max_length=500)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class NoteKind(StrEnum):
    note = "note"
    highlight = "highlight"


class Note(SQLModel, table=True):
    """A reader's private note or highlight on one page of one version; only its owner sees it."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    version_id: int = Field(foreign_key="documentversion.id")
    page: int
    kind: str = Field(default=NoteKind.note, max_length=16)
    text: str = Field(default="", max_length=4000)
    quote: str = Field(default="", max_length=1000)
    # Highlighted areas as JSON [[x, y, w, h], ...], fractions of the page's width and height.
    rects: str = Field(default="", max_length=4000)
    colour: str = Field(default="yellow", max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
