"""Who may read a document: the meeting's participants, by classification. Others get 404."""

from __future__ import annotations

from sqlmodel import Session

from meetings.agenda import access as meeting_access
from meetings.agenda.access import Viewer
from meetings.agenda.models import Meeting
from meetings.attendance.models import ParticipantRole
from meetings.documents.models import Classification, Document

GUEST_ROLES = (ParticipantRole.guest, ParticipantRole.bridge_point)


def may_manage(db: Session, viewer: Viewer, meeting: Meeting) -> bool:
    """The secretariat uploads, publishes and withdraws."""
    return meeting_access.may_prepare(db, viewer, meeting)


def may_read(db: Session, viewer: Viewer, meeting: Meeting, document: Document) -> bool:
    """Published, not withdrawn, and not confidential for guests; the secretariat sees all."""
    if document.meeting_id != meeting.id or document.organisation_id != viewer.organisation_id:
        return False
    if may_manage(db, viewer, meeting):
        return True
    if document.published_at is None or document.withdrawn_at is not None:
        return False
    participation = meeting_access.participation(db, meeting.id or 0, viewer.user_id)
    if participation is None:
        return meeting.chair_id == viewer.user_id
    guest = participation.role in GUEST_ROLES and participation.user_id == viewer.user_id
    return not (guest and document.classification == Classification.confidential)
