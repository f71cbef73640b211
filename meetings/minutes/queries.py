"""Reads of a meeting's records for pages and the API: the records, their sections in agenda
order, every revision of a section and what changed between two, and the comments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sqlmodel import Session, col, select

from meetings.agenda.items import items
from meetings.agenda.models import AgendaItem, Meeting
from meetings.agenda.queries import agenda_of
from meetings.minutes.labels import fields_of, kind_of
from meetings.minutes.models import (
    MeetingRecord,
    RecordComment,
    RecordKind,
    RecordSection,
    SectionRevision,
)

TOKENS = re.compile(r"\s+|[^\s]+")


def records_of(db: Session, meeting_id: int) -> list[MeetingRecord]:
    """A meeting's records, oldest first (each addendum after what it corrects)."""
    query = select(MeetingRecord).where(MeetingRecord.meeting_id == meeting_id)
    return list(db.exec(query.order_by(col(MeetingRecord.created_at), col(MeetingRecord.id))))


def latest_of(db: Session, meeting_id: int, kind: str) -> MeetingRecord | None:
    """The meeting's record of a kind (there is one minutes and one conclusion notice)."""
    query = select(MeetingRecord).where(
        MeetingRecord.meeting_id == meeting_id, MeetingRecord.kind == kind
    )
    return db.exec(query.order_by(col(MeetingRecord.id).desc())).first()


def corrected_of(db: Session, record: MeetingRecord) -> MeetingRecord | None:
    """The record an addendum corrects."""
    return db.get(MeetingRecord, record.corrects_id) if record.corrects_id else None


def addenda_of(db: Session, record: MeetingRecord) -> list[MeetingRecord]:
    query = select(MeetingRecord).where(
        MeetingRecord.corrects_id == record.id, MeetingRecord.kind == RecordKind.addendum
    )
    return list(db.exec(query.order_by(col(MeetingRecord.id))))


def sections_of(db: Session, record_id: int) -> list[RecordSection]:
    """A record's sections: the opening first, then the agenda items in their order."""
    query = select(RecordSection).where(RecordSection.record_id == record_id)
    return list(db.exec(query.order_by(col(RecordSection.position), col(RecordSection.id))))


def section_of(db: Session, record: MeetingRecord, section_id: int) -> RecordSection | None:
    """A section of the record, or None (callers answer 404)."""
    section = db.get(RecordSection, section_id)
    return section if section is not None and section.record_id == record.id else None


def revisions_of(db: Session, section_id: int) -> list[SectionRevision]:
    """Every save of a section, newest first."""
    query = select(SectionRevision).where(SectionRevision.section_id == section_id)
    return list(db.exec(query.order_by(col(SectionRevision.version).desc())))


def comments_of(db: Session, record_id: int) -> list[RecordComment]:
    query = select(RecordComment).where(RecordComment.record_id == record_id)
    return list(db.exec(query.order_by(col(RecordComment.at), col(RecordComment.id))))


# -- a record as its page shows it --------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A section with its agenda number and title, the fields it is written in, its
    comments, and for an addendum the corrected record's section as approved."""

    section: RecordSection
    number: str
    title: str
    fields: tuple[str, ...]
    comments: list[RecordComment] = field(default_factory=list)
    corrected: RecordSection | None = None


def parts_of(db: Session, record: MeetingRecord, meeting: Meeting) -> list[Part]:
    """The record's sections in agenda order, ready for the page, the API and exports."""
    corrected = corrected_of(db, record)
    kind = kind_of(record, corrected)
    planned = {p.item.id: p for p in agenda_of(db, meeting)}
    before = (
        {s.item_id: s for s in sections_of(db, corrected.id or 0)} if corrected is not None else {}
    )
    said: dict[int | None, list[RecordComment]] = {}
    for note in comments_of(db, record.id or 0):
        said.setdefault(note.section_id, []).append(note)
    order = {item_id: n for n, item_id in enumerate([None, *planned])}
    sections = sections_of(db, record.id or 0)
    sections.sort(key=lambda s: (order.get(s.item_id, len(order)), s.position))
    out = []
    for section in sections:
        item = planned.get(section.item_id)
        out.append(
            Part(
                section,
                item.number if item else "",
                item.item.title if item else "",
                fields_of(kind, section),
                said.get(section.id, []),
                before.get(section.item_id),
            )
        )
    return out


def missing_items(db: Session, record: MeetingRecord, meeting: Meeting) -> list[AgendaItem]:
    """Agenda items added after the record was started, not withdrawn, without a section."""
    if record.kind == RecordKind.addendum:
        return []
    written = {s.item_id for s in sections_of(db, record.id or 0)}
    return [
        i for i in items(db, meeting.id or 0) if i.id not in written and i.status != "withdrawn"
    ]


def general_comments(db: Session, record: MeetingRecord) -> list[RecordComment]:
    """Comments on the record as a whole (on no one section)."""
    return [c for c in comments_of(db, record.id or 0) if c.section_id is None]


# -- what changed ------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A run of words kept, added or removed between two versions."""

    kind: str  # "same", "added", "removed"
    text: str


def diff(before: str, after: str) -> list[Piece]:
    """Word by word (prose reads better so than line by line), spaces kept."""
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    pieces: list[Piece] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(new[j1:j2])))
    return pieces


def changed(pieces: list[Piece]) -> bool:
    return any(piece.kind != "same" for piece in pieces)


def section_in(
    db: Session, organisation_id: int, section_id: int
) -> tuple[RecordSection, Meeting] | None:
    """A section of a record of one of the organisation's meetings, with that meeting (what a
    follow-up task names as its source)."""
    section = db.get(RecordSection, section_id)
    record = db.get(MeetingRecord, section.record_id) if section else None
    meeting = db.get(Meeting, record.meeting_id) if record else None
    if section is None or meeting is None or meeting.organisation_id != organisation_id:
        return None
    return section, meeting
