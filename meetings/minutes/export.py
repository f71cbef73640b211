"""A record as an official document (Decree 30/2020/ND-CP): the minutes as BIÊN BẢN, the
conclusion notice as THÔNG BÁO, an addendum in the form of the record it corrects. The facts
recorded automatically are stated before what the secretary wrote, section by section; a
record not yet approved says so. Issued by the meeting's body, signed by the chair.
"""

from __future__ import annotations

import contextvars
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session

from meetings import i18n
from meetings.agenda.models import Meeting
from meetings.agenda.queries import names_of
from meetings.db import utcnow
from meetings.exports.official import (
    Block,
    Bullets,
    Heading,
    Kind,
    Language,
    OfficialDocument,
    Paragraph,
    Signature,
    authority,
    place_of,
    upper,
)
from meetings.i18n import _
from meetings.minutes import autofill
from meetings.minutes.labels import FIELDS, kind_of
from meetings.minutes.models import MeetingRecord, RecordKind, RecordState
from meetings.minutes.queries import Part, corrected_of, parts_of
from meetings.organisations.models import Body, Organisation

NUMERALS = ("I", "II", "III")


def record_document(
    db: Session, record: MeetingRecord, meeting: Meeting, locale: str, on: date | None = None
) -> OfficialDocument:
    """The record in `locale` ("vi" or "en"), dated the day it was approved (today for a
    record not approved yet). The caller's own language is left as it was."""
    return contextvars.copy_context().run(_document, db, record, meeting, locale, on)


def _document(
    db: Session, record: MeetingRecord, meeting: Meeting, locale: str, on: date | None
) -> OfficialDocument:
    organisation = db.get(Organisation, meeting.organisation_id)
    body = db.get(Body, meeting.body_id)
    assert organisation is not None and body is not None
    language: Language = "en" if locale == "en" else "vi"
    i18n.set_locale(language, organisation.timezone)
    parent, issuer = authority(organisation.name, body.name)
    kind = kind_of(record, corrected_of(db, record))
    number, _slash, symbol = record.number.partition("/")
    day = (record.approved_at or utcnow()).astimezone(ZoneInfo(organisation.timezone)).date()
    return OfficialDocument(
        language=language,
        issuer=issuer,
        parent=parent,
        kind=Kind.notice if kind == RecordKind.conclusions else Kind.minutes,
        title=_title(record, meeting),
        place=place_of(issuer, parent),
        on=on or day,
        number=number.strip(),
        symbol=symbol.strip(),
        blocks=tuple(_blocks(db, record, meeting, kind)),
        recipients=(_("The participants of the meeting"),),
        signature=_signature(db, meeting),
        witness=_secretary(db, record) if kind != RecordKind.conclusions else None,
        author=issuer,
    )


def _title(record: MeetingRecord, meeting: Meeting) -> str:
    if record.kind == RecordKind.addendum:
        return _("Correcting the record of “%(title)s”", title=meeting.title)
    if record.kind == RecordKind.conclusions:
        return _("Conclusions of the meeting “%(title)s”", title=meeting.title)
    return meeting.title


def _lines(lines: list[autofill.Line]) -> list[Block]:
    blocks: list[Block] = []
    for line in lines:
        if len(line.values) == 1:
            blocks.append(Paragraph(line.values[0], lead=f"{line.label}: "))
        else:
            blocks += [Paragraph("", lead=f"{line.label}:"), Bullets(line.values)]
    return blocks


def _written(text: str, lead: str = "") -> list[Block]:
    said = [part.strip() for part in text.split("\n") if part.strip()]
    if not said:
        return []
    return [Paragraph(said[0], lead=lead), *(Paragraph(part) for part in said[1:])]


def _part(part: Part, facts: list[autofill.Line], kind: str) -> list[Block]:
    blocks: list[Block] = [Heading(f"{part.number}. {part.title}", level=2)]
    if kind == RecordKind.minutes:
        blocks += _lines(facts)
    for name in part.fields:
        lead = f"{_(FIELDS[name])}: " if name == "conclusion" else ""
        blocks += _written(getattr(part.section, name), lead)
    return blocks


def _blocks(db: Session, record: MeetingRecord, meeting: Meeting, kind: str) -> list[Block]:
    facts = autofill.facts(db, meeting)
    parts = parts_of(db, record, meeting)
    if record.kind == RecordKind.addendum:  # only what it corrects
        parts = [p for p in parts if p.section.text or p.section.conclusion]
    blocks: list[Block] = []
    if record.state != RecordState.final:
        blocks.append(Paragraph(_("Draft, not approved yet."), italic=True))
    opening = next((p for p in parts if p.section.item_id is None), None)
    if record.kind != RecordKind.addendum:
        blocks.append(Heading(f"{NUMERALS[0]}. {upper(_('The meeting'))}"))
        blocks += _lines(facts.get(None, []))
    if opening is not None:
        blocks += _written(opening.section.text)
    items = [p for p in parts if p.section.item_id is not None]
    if items:
        heading = _("Conclusions") if kind == RecordKind.conclusions else _("Proceedings")
        blocks.append(Heading(f"{NUMERALS[1]}. {upper(heading)}"))
    for part in items:
        blocks += _part(part, facts.get(part.section.item_id, []), kind)
    return blocks


def _signature(db: Session, meeting: Meeting) -> Signature | None:
    """The chair of the meeting signs the record."""
    if meeting.chair_id is None:
        return None
    name = names_of(db, {meeting.chair_id}).get(meeting.chair_id, "")
    return Signature(position=_("Chair"), name=name)


def _secretary(db: Session, record: MeetingRecord) -> Signature | None:
    """Minutes are signed by the secretary who took them as well, on the left."""
    if record.created_by is None:
        return None
    name = names_of(db, {record.created_by}).get(record.created_by, "")
    return Signature(position=_("Secretary"), name=name)
