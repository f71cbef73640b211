"""A meeting's official records: the minutes (biên bản), the conclusion notice (thông báo kết
luận), and addenda that correct a final record. Each is drafted section by section (one per
agenda item, plus the opening), circulated for comments, approved by the chair, then final and
read-only. Every save of a section is kept as a revision; nothing here is ever deleted.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from meetings.db import UTCDateTime, utcnow


class RecordKind(StrEnum):
    minutes = "minutes"  # biên bản
    conclusions = "conclusions"  # thông báo kết luận
    addendum = "addendum"  # a correction of a final record, approved on its own


class RecordState(StrEnum):
    draft = "draft"
    circulated = "circulated"  # sent to the participants for comments
    final = "final"  # approved by the chair: read-only


class MeetingRecord(SQLModel, table=True):
    """One official record of a meeting."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    kind: str = Field(default=RecordKind.minutes, max_length=16)
    corrects_id: int | None = Field(default=None, foreign_key="meetingrecord.id")  # an addendum's
    state: str = Field(default=RecordState.draft, max_length=16, index=True)
    number: str = Field(default="", max_length=64)  # số, ký hiệu: filled by the clerk
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    circulated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    approved_by: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RecordSection(SQLModel, table=True):
    """A record's text for one agenda item (item_id None: the opening and general part).

    `version` grows with every save; a save names the version it was based on, so a second
    secretary saving over a newer text gets a conflict instead of silently overwriting it."""

    __table_args__ = (UniqueConstraint("record_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="meetingrecord.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    position: int = 0
    text: str = Field(default="")
    conclusion: str = Field(default="")  # kết luận of the item
    version: int = 0
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SectionRevision(SQLModel, table=True):
    """Every save of a section, as it was saved: who, when, what."""

    __table_args__ = (UniqueConstraint("section_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    section_id: int = Field(foreign_key="recordsection.id", index=True)
    version: int
    text: str = Field(default="")
    conclusion: str = Field(default="")
    saved_by: int | None = Field(default=None, foreign_key="user.id")
    saved_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RecordComment(SQLModel, table=True):
    """A participant's comment on a circulated record, on one section."""

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="meetingrecord.id", index=True)
    section_id: int | None = Field(default=None, foreign_key="recordsection.id")
    user_id: int = Field(foreign_key="user.id")
    text: str = Field(max_length=4000)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
