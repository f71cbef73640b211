"""Who may read a document: the meeting's participants, by classification and by name. Others
get 404."""

from __future__ import annotations

from sqlmodel import Session, col, select

from meetings.agenda import access as meeting_access
from meetings.agenda.access import Viewer
from meetings.agenda.models import Meeting
from meetings.attendance.models import ParticipantRole
from meetings.documents.models import Classification, Document, DocumentReader

GUEST_ROLES = (ParticipantRole.guest, ParticipantRole.bridge_point)


def may_manage(db: Session, viewer: Viewer, meeting: Meeting) -> bool:
    """The secretariat uploads, publishes and withdraws."""
    return meeting_access.may_prepare(db, viewer, meeting)


def named_readers(db: Session, document_ids: list[int]) -> dict[int, set[int]]:
    """For each restricted document, the people named to read it (unrestricted ones are absent)."""
    if not document_ids:
        return {}
    rows = db.exec(
        select(DocumentReader.document_id, DocumentReader.user_id).where(
            col(DocumentReader.document_id).in_(document_ids)
        )
    )
    named: dict[int, set[int]] = {}
    for document_id, user_id in rows:
        named.setdefault(document_id, set()).add(user_id)
    return named


def may_read(db: Session, viewer: Viewer, meeting: Meeting, document: Document) -> bool:
    """Published, not withdrawn, not confidential for guests, and, when the document is
    restricted, named (or chairing); the secretariat sees all."""
    if document.meeting_id != meeting.id or document.organisation_id != viewer.organisation_id:
        return False
    if may_manage(db, viewer, meeting):
        return True
    if document.published_at is None or document.withdrawn_at is not None:
        return False
    participation = meeting_access.participation(db, meeting.id or 0, viewer.user_id)
    chairing = meeting.chair_id == viewer.user_id
    if participation is None and not chairing:
        return False
    named = named_readers(db, [document.id or 0]).get(document.id or 0)
    if named is not None and viewer.user_id not in named and not chairing:
        return False
    if participation is None:
        return True
    guest = participation.role in GUEST_ROLES  # a guest's substitute is a guest too
    return not (guest and document.classification == Classification.confidential)
