"""Archived meetings are read-only: every change to their records is refused with 409.

Left open on purpose: a reader's private notes (personal, not the meeting's record) and
follow-up tasks (the work goes on after the meeting is archived).
"""

from __future__ import annotations

from sqlmodel import Session

from meetings.agenda.models import Meeting, MeetingState
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.minutes.models import MeetingRecord, RecordKind


def require_open_record(meeting: Meeting | None) -> None:
    """Refuse (409) any change to a meeting that has been archived."""
    if meeting is not None and meeting.state == MeetingState.archived:
        raise Refusal(
            _("This meeting is archived: its records can no longer be changed."), status=409
        )


def require_open_minutes(db: Session, row: MeetingRecord) -> None:
    """Refuse changes to the records of an archived meeting; an addendum stays open, being
    the one way a final record is corrected (the record it corrects is never changed)."""
    if row.kind != RecordKind.addendum:
        require_open_record(db.get(Meeting, row.meeting_id))
