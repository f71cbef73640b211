"""Who may see and run a poll. Anything not visible answers 404."""

from __future__ import annotations

from sqlmodel import Session, select

from meetings.agenda import access as meeting_access
from meetings.agenda.access import Viewer
from meetings.agenda.models import Meeting
from meetings.organisations.models import BodyRole, Membership
from meetings.voting.models import Poll, PollMode, PollState


def may_manage(db: Session, viewer: Viewer, poll: Poll) -> bool:
    """Open, close, publish, cancel: the body's secretariat and its chair; for a live vote also
    the meeting's chair."""
    if poll.organisation_id != viewer.organisation_id:
        return False
    if meeting_access.is_secretariat(db, viewer, poll.body_id):
        return True
    chair_seat = db.exec(
        select(Membership.id).where(
            Membership.body_id == poll.body_id,
            Membership.user_id == viewer.user_id,
            Membership.role == BodyRole.chair,
        )
    ).first()
    if chair_seat is not None:
        return True
    if poll.mode == PollMode.live and poll.meeting_id is not None:
        meeting = db.get(Meeting, poll.meeting_id)
        return meeting is not None and meeting.chair_id == viewer.user_id
    return False


def visible(db: Session, viewer: Viewer, poll_id: int) -> Poll | None:
    """A poll the viewer may see: drafts only to those running it; a live vote to the
    meeting's participants; a ballot to the body's members."""
    poll = db.get(Poll, poll_id)
    if poll is None or poll.organisation_id != viewer.organisation_id:
        return None
    if poll.state != PollState.draft and _audience(db, viewer, poll):
        return poll
    return poll if may_manage(db, viewer, poll) else None


def _audience(db: Session, viewer: Viewer, poll: Poll) -> bool:
    """The meeting's participants see a live vote; the body's members see a ballot."""
    if poll.meeting_id is not None:
        return meeting_access.visible(db, viewer, poll.meeting_id) is not None
    seat = db.exec(
        select(Membership.id).where(
            Membership.body_id == poll.body_id, Membership.user_id == viewer.user_id
        )
    ).first()
    return seat is not None
