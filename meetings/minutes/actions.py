"""Every change to a meeting's records: start one (a section for the opening and for every
agenda item), save a section (a new version with its revision, or a conflict carrying both
texts when someone saved since), number it, circulate it for comments, comment, approve it
(final and read-only from then on) and correct a final record with an addendum.

Each change is one transaction with one audit entry. Nothing here deletes a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from meetings.agenda import actions as agenda
from meetings.agenda.items import items
from meetings.agenda.models import ItemStatus, Meeting, MeetingState
from meetings.archive.audit import Actor, record
from meetings.archive.guard import require_open_minutes, require_open_record
from meetings.attendance.actions import audience
from meetings.db import utcnow
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.minutes.models import (
    MeetingRecord,
    RecordComment,
    RecordKind,
    RecordSection,
    RecordState,
    SectionRevision,
)
from meetings.minutes.queries import latest_of, missing_items, sections_of
from meetings.notifications.actions import notify

TEXT_MAX = 100_000
COMMENT_MAX = 4000
NUMBER_MAX = 64
# Minutes are drafted from the opening of the session on.
STARTED = (MeetingState.in_session, MeetingState.closed, MeetingState.archived)
NOTICES = {  # what the participants are told: (circulated, approved)
    RecordKind.minutes: ("minutes_circulated", "minutes_approved"),
    RecordKind.conclusions: ("conclusions_circulated", "conclusions_approved"),
    RecordKind.addendum: ("addendum_circulated", "addendum_approved"),
}


@dataclass(frozen=True)
class Saved:
    """A section's text as a save left it."""

    text: str
    conclusion: str
    version: int
    updated_by: int | None
    updated_at: datetime


class Conflict(Refusal):
    """A save based on a version someone else has saved over. Nothing is stored; both texts
    travel with the refusal so the writer can keep one or merge them."""

    def __init__(self, current: Saved, text: str, conclusion: str, base_version: int) -> None:
        super().__init__(
            _(
                "Someone else saved this section while you were writing. Nothing was "
                "overwritten: compare the two texts, then keep one or merge them."
            ),
            status=409,
        )
        self.current = current
        self.text = text
        self.conclusion = conclusion
        self.base_version = base_version


def _saved(section: RecordSection) -> Saved:
    return Saved(
        section.text, section.conclusion, section.version, section.updated_by, section.updated_at
    )


def refuse_if_final(record: MeetingRecord) -> None:
    if record.state == RecordState.final:
        raise Refusal(
            _("This record is final and can no longer be changed. Correct it with an addendum."),
            status=409,
        )


def _audit(db: Session, actor: Actor, action: str, row: MeetingRecord, **data: object) -> None:
    record(
        db,
        actor,
        f"minutes.{action}",
        ("meeting_record", row.id),
        organisation_id=row.organisation_id,
        meeting_id=row.meeting_id,
        **data,
    )


# -- starting a record -------------------------------------------------------------------


def _open_sections(db: Session, row: MeetingRecord, item_ids: list[int | None]) -> None:
    for position, item_id in enumerate(item_ids):
        db.add(RecordSection(record_id=row.id or 0, item_id=item_id, position=position))
    db.flush()


def _copy_conclusions(db: Session, row: MeetingRecord, minutes: MeetingRecord) -> None:
    """A conclusion notice starts from the conclusions written in the minutes (version 1)."""
    written = {s.item_id: s.conclusion for s in sections_of(db, minutes.id or 0)}
    now = utcnow()
    for section in sections_of(db, row.id or 0):
        conclusion = written.get(section.item_id, "")
        if section.item_id is None or not conclusion:
            continue
        section.conclusion, section.version = conclusion, 1
        section.updated_by, section.updated_at = row.created_by, now
        db.add(section)
        db.add(_revision(section, now))


def start(db: Session, meeting: Meeting, *, actor: Actor, kind: str) -> MeetingRecord:
    """Start the minutes or the conclusion notice of a meeting, from its opening on: one
    section for the opening and general part, one for every agenda item not withdrawn."""
    require_open_record(meeting)
    if kind not in (RecordKind.minutes, RecordKind.conclusions):
        raise Refusal(_("Choose the minutes or the conclusion notice."), "kind")
    if meeting.state not in STARTED:
        raise Refusal(_("Records are drafted once the session has opened."), status=409)
    if latest_of(db, meeting.id or 0, kind) is not None:
        raise Refusal(_("This meeting already has this record; open it instead."), status=409)
    row = MeetingRecord(
        organisation_id=meeting.organisation_id,
        meeting_id=meeting.id or 0,
        kind=kind,
        created_by=actor.user_id,
    )
    db.add(row)
    db.flush()
    agenda = [i.id for i in items(db, meeting.id or 0) if i.status != ItemStatus.withdrawn]
    _open_sections(db, row, [None, *agenda])
    minutes = latest_of(db, meeting.id or 0, RecordKind.minutes)
    if kind == RecordKind.conclusions and minutes is not None:
        _copy_conclusions(db, row, minutes)
    _audit(db, actor, "started", row, kind=kind)
    db.commit()
    return row


def add_sections(
    db: Session, row: MeetingRecord, meeting: Meeting, *, actor: Actor
) -> list[RecordSection]:
    """A section for every agenda item added since the record was started."""
    refuse_if_final(row)
    require_open_minutes(db, row)
    missing = missing_items(db, row, meeting)
    if not missing:
        raise Refusal(_("Every agenda item already has its section."), status=409)
    start_at = len(sections_of(db, row.id or 0))
    added = [
        RecordSection(record_id=row.id or 0, item_id=item.id, position=start_at + n)
        for n, item in enumerate(missing)
    ]
    db.add_all(added)
    db.flush()
    _audit(db, actor, "sections_added", row, items=[item.id for item in missing])
    db.commit()
    return added


# -- saving a section --------------------------------------------------------------------


def _clean(value: str, field: str) -> str:
    value = value.replace("\r\n", "\n").strip()
    if len(value) > TEXT_MAX:
        raise Refusal(_("Keep the text under %(max)s characters.", max=TEXT_MAX), field)
    return value


def _revision(section: RecordSection, at: datetime) -> SectionRevision:
    return SectionRevision(
        section_id=section.id or 0,
        version=section.version,
        text=section.text,
        conclusion=section.conclusion,
        saved_by=section.updated_by,
        saved_at=at,
    )


def _claim(
    db: Session, row: MeetingRecord, section: RecordSection, actor: Actor, base: int, **texts: str
) -> bool:
    """Write the new version only over the version it was based on, and only while the
    record is not final: two saves on one base, or a save racing the approval, store once."""
    open_record = select(MeetingRecord.id).where(
        MeetingRecord.id == row.id, MeetingRecord.state != RecordState.final
    )
    written = db.execute(
        update(RecordSection)
        .where(
            col(RecordSection.id) == section.id,
            col(RecordSection.version) == base,
            col(RecordSection.record_id).in_(open_record),
        )
        .values(version=base + 1, updated_by=actor.user_id, updated_at=utcnow(), **texts)
    )
    return written.rowcount == 1  # type: ignore[attr-defined]


def save_section(
    db: Session,
    row: MeetingRecord,
    section: RecordSection,
    *,
    actor: Actor,
    text: str,
    conclusion: str,
    base_version: int,
) -> RecordSection:
    """Save a section over the version it was based on: a new version and its revision. If
    someone saved since, a Conflict with both texts; nothing is stored."""
    refuse_if_final(row)
    require_open_minutes(db, row)
    if section.record_id != row.id:
        raise Refusal(_("This section is not part of this record."), status=404)
    text, conclusion = _clean(text, "text"), _clean(conclusion, "conclusion")
    if base_version == section.version and (text, conclusion) == (
        section.text,
        section.conclusion,
    ):
        return section  # nothing changed: an autosave of the same text is not a new version
    claimed = base_version == section.version and _claim(
        db, row, section, actor, base_version, text=text, conclusion=conclusion
    )
    if not claimed:
        db.rollback()
        db.refresh(row)
        db.refresh(section)
        refuse_if_final(row)
        raise Conflict(_saved(section), text, conclusion, base_version)
    db.refresh(section)
    db.add(_revision(section, section.updated_at))
    _audit(db, actor, "section_saved", row, section_id=section.id, version=section.version)
    db.commit()
    return section


# -- the workflow ------------------------------------------------------------------------


def set_number(db: Session, row: MeetingRecord, *, actor: Actor, number: str) -> MeetingRecord:
    """The number and symbol the clerk gives the record (số, ký hiệu)."""
    refuse_if_final(row)
    require_open_minutes(db, row)
    number = " ".join(number.split())
    if len(number) > NUMBER_MAX:
        raise Refusal(_("Keep the number under %(max)s characters.", max=NUMBER_MAX), "number")
    row.number = number
    db.add(row)
    _audit(db, actor, "numbered", row, number=number)
    db.commit()
    return row


def circulate(db: Session, row: MeetingRecord, meeting: Meeting, *, actor: Actor) -> MeetingRecord:
    """draft -> circulated: every participant is asked for comments."""
    refuse_if_final(row)
    require_open_minutes(db, row)
    if row.state != RecordState.draft:
        raise Refusal(_("This record has already been circulated."), status=409)
    row.state, row.circulated_at = RecordState.circulated, utcnow()
    db.add(row)
    _tell_participants(db, row, meeting, actor, NOTICES[RecordKind(row.kind)][0])
    _audit(db, actor, "circulated", row)
    db.commit()
    return row


def _tell_participants(
    db: Session, row: MeetingRecord, meeting: Meeting, actor: Actor, kind: str
) -> None:
    readers = [*audience(db, meeting.id or 0), meeting.chair_id]
    notify(
        db,
        [uid for uid in readers if uid != actor.user_id],
        kind,
        organisation_id=row.organisation_id,
        meeting_id=meeting.id,
        title=meeting.title,
        record_id=row.id,
    )


def comment(
    db: Session,
    row: MeetingRecord,
    *,
    actor: Actor,
    text: str,
    section: RecordSection | None = None,
) -> RecordComment:
    """A participant's comment on a circulated record, on one section (or on the whole)."""
    require_open_minutes(db, row)
    if row.state != RecordState.circulated:
        raise Refusal(_("Comments are taken while the record is circulated."), status=409)
    if section is not None and section.record_id != row.id:
        raise Refusal(_("This section is not part of this record."), "section_id")
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise Refusal(_("Write your comment first."), "text")
    if len(text) > COMMENT_MAX:
        raise Refusal(_("Keep the comment under %(max)s characters.", max=COMMENT_MAX), "text")
    note = RecordComment(
        record_id=row.id or 0,
        section_id=section.id if section else None,
        user_id=actor.user_id or 0,
        text=text,
    )
    db.add(note)
    db.flush()
    _audit(db, actor, "commented", row, comment_id=note.id, section_id=note.section_id)
    db.commit()
    return note


def approve(db: Session, row: MeetingRecord, *, actor: Actor) -> MeetingRecord:
    """draft or circulated -> final: approved by the chair, read-only from now on. Approving
    the minutes of a closed meeting archives the meeting in the same transaction."""
    refuse_if_final(row)
    require_open_minutes(db, row)
    now = utcnow()
    approved = db.execute(
        update(MeetingRecord)
        .where(col(MeetingRecord.id) == row.id, col(MeetingRecord.state) != RecordState.final)
        .values(state=RecordState.final, approved_by=actor.user_id, approved_at=now)
    )
    if approved.rowcount != 1:  # type: ignore[attr-defined]
        db.rollback()
        db.refresh(row)
        refuse_if_final(row)
    db.refresh(row)
    _audit(db, actor, "approved", row)
    meeting = db.get(Meeting, row.meeting_id)
    assert meeting is not None
    _tell_participants(db, row, meeting, actor, NOTICES[RecordKind(row.kind)][1])
    _archive_if_minutes(db, row, meeting, actor)
    db.commit()
    return row


def _archive_if_minutes(db: Session, row: MeetingRecord, meeting: Meeting, actor: Actor) -> None:
    """The final minutes complete the meeting's record: a closed meeting becomes archived,
    once its conclusion notice (if one was started) is final too, so that no draft is frozen
    half-written. Addenda are made after archiving and never hold it up."""
    if row.kind == RecordKind.addendum:
        return
    if meeting.state != MeetingState.closed:
        return
    records = db.exec(
        select(MeetingRecord.kind, MeetingRecord.state).where(
            MeetingRecord.meeting_id == meeting.id, MeetingRecord.kind != RecordKind.addendum
        )
    ).all()
    minutes_final = any(k == RecordKind.minutes and st == RecordState.final for k, st in records)
    if minutes_final and all(st == RecordState.final for _k, st in records):
        agenda.mark_archived(db, meeting, actor=actor)


def addendum(db: Session, row: MeetingRecord, *, actor: Actor) -> MeetingRecord:
    """Correct a final record: a new draft addendum with the same sections, approved on its
    own. A correction of an addendum corrects the same original record."""
    if row.state != RecordState.final:
        raise Refusal(_("Only a final record is corrected by an addendum."), status=409)
    original = db.get(MeetingRecord, row.corrects_id) if row.corrects_id else row
    assert original is not None
    drafting = db.exec(
        select(MeetingRecord.id).where(
            MeetingRecord.corrects_id == original.id, MeetingRecord.state != RecordState.final
        )
    ).first()
    if drafting is not None:
        raise Refusal(_("An addendum to this record is already being drafted."), status=409)
    added = MeetingRecord(
        organisation_id=original.organisation_id,
        meeting_id=original.meeting_id,
        kind=RecordKind.addendum,
        corrects_id=original.id,
        created_by=actor.user_id,
    )
    db.add(added)
    db.flush()
    _open_sections(db, added, [s.item_id for s in sections_of(db, original.id or 0)])
    _audit(db, actor, "addendum_started", added, corrects=original.id)
    db.commit()
    return added


def insert_summary(
    db: Session,
    row: MeetingRecord,
    section: RecordSection,
    *,
    actor: Actor,
    summary: str,
    field: str,
    text: str,
    conclusion: str,
    base_version: int,
) -> RecordSection:
    """Add the automatic summary after what the field holds (the text as typed), and save: a
    starting text the secretary edits rather than retypes."""
    typed = {"text": text, "conclusion": conclusion}
    before = typed[field].rstrip()
    typed[field] = f"{before}\n\n{summary}" if before else summary
    return save_section(db, row, section, actor=actor, base_version=base_version, **typed)
