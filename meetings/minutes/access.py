"""Who may see and change a meeting's records. Anything not visible answers 404.

A draft is seen by the meeting's secretariat and its chair only. Once circulated, every
participant of the meeting (guests too) reads it and, while it is circulated, comments on it.
The secretariat drafts, numbers and circulates; the chair approves.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlmodel import Session, select

from meetings.agenda import access as meeting_access
from meetings.agenda.access import Viewer
from meetings.agenda.models import Meeting
from meetings.minutes.models import MeetingRecord, RecordState
from meetings.organisations.models import BodyRole, Membership


class Visible(NamedTuple):
    """A record the viewer may see, with its meeting."""

    record: MeetingRecord
    meeting: Meeting


def may_edit(db: Session, viewer: Viewer, meeting: Meeting) -> bool:
    """Draft, number and circulate: the meeting's secretariat or its named secretary."""
    if meeting.organisation_id != viewer.organisation_id:
        return False
    if meeting.secretary_id == viewer.user_id:
        return True
    return meeting_access.may_prepare(db, viewer, meeting)


def may_approve(db: Session, viewer: Viewer, meeting: Meeting) -> bool:
    """Approve: the meeting's chair (a meeting without one: the body's chair)."""
    if meeting.organisation_id != viewer.organisation_id:
        return False
    if meeting.chair_id is not None:
        return meeting.chair_id == viewer.user_id
    seat = db.exec(
        select(Membership.id).where(
            Membership.body_id == meeting.body_id,
            Membership.user_id == viewer.user_id,
            Membership.role == BodyRole.chair,
        )
    ).first()
    return seat is not None


def may_comment(db: Session, viewer: Viewer, meeting: Meeting) -> bool:
    """Comment on a circulated record: its participants, its chair and its secretariat."""
    if meeting_access.participation(db, meeting.id or 0, viewer.user_id) is not None:
        return True
    return may_approve(db, viewer, meeting) or may_edit(db, viewer, meeting)


def may_read(db: Session, viewer: Viewer, meeting: Meeting, record: MeetingRecord) -> bool:
    """A visible meeting's circulated and final records; drafts to those who edit or approve."""
    if record.state != RecordState.draft:
        return True
    return may_edit(db, viewer, meeting) or may_approve(db, viewer, meeting)


def visible_meeting(db: Session, viewer: Viewer, meeting_id: int) -> Meeting | None:
    """The meeting, if the viewer may see it (the agenda's rule)."""
    return meeting_access.visible(db, viewer, meeting_id)


def visible(db: Session, viewer: Viewer, record_id: int) -> Visible | None:
    """The record and its meeting, if the viewer may read it."""
    record = db.get(MeetingRecord, record_id)
    if record is None or record.organisation_id != viewer.organisation_id:
        return None
    meeting = meeting_access.visible(db, viewer, record.meeting_id)
    if meeting is None or not may_read(db, viewer, meeting, record):
        return None
    return Visible(record, meeting)
