"""Who may see and do what with a meeting. Anything not visible answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, or_, select

from meetings.agenda.models import Meeting, MeetingState
from meetings.attendance.models import Participant
from meetings.organisations.models import BodyRole, Membership, OrgRole

PUBLISHED = (MeetingState.scheduled, MeetingState.postponed, MeetingState.in_session)
FINISHED = (MeetingState.closed, MeetingState.archived, MeetingState.cancelled)


@dataclass(frozen=True)
class Viewer:
    """The person asking, with their role in the current organisation."""

    user_id: int
    organisation_id: int
    org_role: str | None


def is_secretariat(db: Session, viewer: Viewer, body_id: int) -> bool:
    """Organisation administrators and secretaries, and the body's own secretaries."""
    if viewer.org_role in (OrgRole.admin, OrgRole.secretary):
        return True
    seat = db.exec(
        select(Membership.id).where(
            Membership.body_id == body_id,
            Membership.user_id == viewer.user_id,
            Membership.role == BodyRole.secretary,
        )
    ).first()
    return seat is not None


def may_prepare(db: Session, viewer: Viewer, meeting: Meeting) -> bool:
    """Prepare the meeting: agenda, participants, publication."""
    return meeting.organisation_id == viewer.organisation_id and is_secretariat(
        db, viewer, meeting.body_id
    )


def may_chair(db: Session, viewer: Viewer, meeting: Meeting) -> bool:
    """Run the session: the meeting's chair, or the secretariat on the chair's behalf."""
    return meeting.chair_id == viewer.user_id or may_prepare(db, viewer, meeting)


def participation(db: Session, meeting_id: int, user_id: int) -> Participant | None:
    """The user's invitation to the meeting, as invitee or as the substitute named in one."""
    return db.exec(
        select(Participant).where(
            Participant.meeting_id == meeting_id,
            or_(Participant.user_id == user_id, Participant.substitute_id == user_id),
        )
    ).first()


def visible(db: Session, viewer: Viewer, meeting_id: int) -> Meeting | None:
    """The meeting if the viewer may see it: drafts only to those preparing or chairing it."""
    meeting = db.get(Meeting, meeting_id)
    if meeting is None or meeting.organisation_id != viewer.organisation_id:
        return None
    # Participants are most of those asking (every tablet in a vote burst): check them first.
    if meeting.state != MeetingState.draft and participation(db, meeting.id or 0, viewer.user_id):
        return meeting
    return meeting if may_chair(db, viewer, meeting) else None
