"""Invitations, answers, substitutes and check-in."""

from __future__ import annotations

from sqlmodel import Session, or_, select

from meetings.agenda.models import Meeting, MeetingState
from meetings.archive.audit import Actor, record
from meetings.archive.guard import require_open_record
from meetings.attendance.models import Answer, Participant, ParticipantRole, Presence
from meetings.db import utcnow
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.live import announce
from meetings.live.events import AttendanceChanged
from meetings.notifications.actions import notify
from meetings.organisations import queries as org_queries
from meetings.organisations.models import BodyRole

SEAT_ROLES = {
    BodyRole.chair: ParticipantRole.chair,
    BodyRole.secretary: ParticipantRole.secretary,
    BodyRole.member: ParticipantRole.member,
    BodyRole.guest: ParticipantRole.guest,
}
OPEN_FOR_ANSWERS = (
    MeetingState.draft,
    MeetingState.scheduled,
    MeetingState.postponed,
    MeetingState.in_session,
)


def participants(db: Session, meeting_id: int) -> list[Participant]:
    return list(
        db.exec(
            select(Participant).where(Participant.meeting_id == meeting_id).order_by(Participant.id)
        )
    )


def audience(db: Session, meeting_id: int) -> list[int]:
    """Everyone who should hear about the meeting: invitees and their substitutes."""
    ids: list[int] = []
    for row in participants(db, meeting_id):
        ids += [uid for uid in (row.user_id, row.substitute_id) if uid]
    return ids


def invite_body(db: Session, meeting: Meeting, *, actor: Actor) -> list[int]:
    """Invite every seat of the meeting's body (once); return the invited user ids."""
    require_open_record(meeting)
    existing = {row.user_id for row in participants(db, meeting.id or 0)}
    invited = []
    for seat in org_queries.seats(db, meeting.body_id):
        m = seat.membership
        if m.user_id in existing:
            continue
        counts = m.role in (BodyRole.chair, BodyRole.member) and m.voting_right
        db.add(
            Participant(
                meeting_id=meeting.id or 0,
                user_id=m.user_id,
                title=m.title,
                role=SEAT_ROLES[BodyRole(m.role)],
                voting_right=m.voting_right,
                vote_weight=m.vote_weight,
                counts_for_quorum=counts,
            )
        )
        invited.append(m.user_id)
    db.flush()
    record(db, actor, "meeting.invited", ("meeting", meeting.id), count=len(invited))
    return invited


def add_guest(
    db: Session,
    meeting: Meeting,
    *,
    actor: Actor,
    role: str,
    user_id: int | None = None,
    name: str = "",
    title: str = "",
) -> Participant:
    """Invite a guest (a person or an agency) or a bridge point; they have no vote."""
    require_open_record(meeting)
    if meeting.state not in OPEN_FOR_ANSWERS:
        raise Refusal(_("Guests can no longer be invited to this meeting."), status=409)
    if role not in (ParticipantRole.guest, ParticipantRole.bridge_point):
        raise Refusal(_("Choose guest or bridge point."), "role")
    name = " ".join(name.split())[:200]
    if user_id is None and not name:
        raise Refusal(_("Choose a person or give the name of the agency or site."), "name")
    if user_id is not None:
        if org_queries.person(db, meeting.organisation_id, user_id) is None:
            raise Refusal(_("Choose a person of this organisation."), "user_id")
        if db.exec(
            select(Participant.id).where(
                Participant.meeting_id == meeting.id, Participant.user_id == user_id
            )
        ).first():
            raise Refusal(_("This person is already invited."), "user_id")
    row = Participant(
        meeting_id=meeting.id or 0,
        user_id=user_id,
        name=name,
        title=" ".join(title.split())[:200],
        role=role,
    )
    db.add(row)
    db.flush()
    if user_id and meeting.state != MeetingState.draft:
        notify(
            db,
            [user_id],
            "invitation",
            organisation_id=meeting.organisation_id,
            meeting_id=meeting.id,
            title=meeting.title,
            when=meeting.starts_at.isoformat(),
        )
    record(db, actor, "meeting.guest_invited", ("participant", row.id), role=role, name=name)
    db.commit()
    return row


def answer(
    db: Session,
    meeting: Meeting,
    row: Participant,
    *,
    actor: Actor,
    reply: str,
    reason: str = "",
    substitute_id: int | None = None,
) -> Participant:
    """Answer an invitation: attend, absent with a reason, or send a named substitute."""
    require_open_record(meeting)
    if meeting.state not in OPEN_FOR_ANSWERS[1:]:
        raise Refusal(_("Answers are closed for this meeting."), status=409)
    if reply not in (Answer.attend, Answer.absent, Answer.substitute):
        raise Refusal(_("Choose attend, absent or send a substitute."), "reply")
    reason = " ".join(reason.split())[:500]
    if reply in (Answer.absent, Answer.substitute) and not reason:
        raise Refusal(_("Give the reason for your absence."), "reason")
    if reply == Answer.substitute:
        _check_substitute(db, meeting, row, substitute_id)
    row.answer, row.absence_reason = reply, reason if reply != Answer.attend else ""
    row.substitute_id = substitute_id if reply == Answer.substitute else None
    row.answered_at = utcnow()
    db.add(row)
    if row.substitute_id:
        principal = org_queries.person(db, meeting.organisation_id, row.user_id or 0)
        notify(
            db,
            [row.substitute_id],
            "substitute",
            organisation_id=meeting.organisation_id,
            meeting_id=meeting.id,
            title=meeting.title,
            when=meeting.starts_at.isoformat(),
            principal=principal.name if principal else "",
        )
    record(
        db,
        actor,
        "meeting.answered",
        ("participant", row.id),
        reply=reply,
        substitute=row.substitute_id,
    )
    db.commit()
    return row


def _check_substitute(db: Session, meeting: Meeting, row: Participant, user_id: int | None) -> None:
    if user_id is None or org_queries.person(db, meeting.organisation_id, user_id) is None:
        raise Refusal(_("Choose the person who will attend in your place."), "substitute_id")
    if user_id == row.user_id:
        raise Refusal(_("You cannot be your own substitute."), "substitute_id")
    taken = db.exec(
        select(Participant.id).where(
            Participant.meeting_id == meeting.id,
            or_(Participant.user_id == user_id, Participant.substitute_id == user_id),
            Participant.id != row.id,
        )
    ).first()
    if taken:
        raise Refusal(_("This person already takes part in the meeting."), "substitute_id")


def check_in(
    db: Session, meeting: Meeting, row: Participant, *, actor: Actor, presence: str
) -> Participant:
    """Record arrival, in the room or remote; arriving after the opening is late arrival."""
    require_open_record(meeting)
    if meeting.state != MeetingState.in_session:
        raise Refusal(_("Check-in opens when the session opens."), status=409)
    if presence not in (Presence.in_room, Presence.remote):
        raise Refusal(_("Choose in the room or remote."), "presence")
    if row.answer in (Answer.absent,):
        row.answer = Answer.attend
    row.presence, row.checked_in_at, row.left_at = presence, utcnow(), None
    row.checked_in_by = actor.user_id
    db.add(row)
    record(db, actor, "meeting.checked_in", ("participant", row.id), presence=presence)
    announce.queue(db, AttendanceChanged, meeting.id or 0, participant_id=row.id or 0)
    db.commit()
    return row


def check_out(db: Session, meeting: Meeting, row: Participant, *, actor: Actor) -> Participant:
    """Record an early departure; the person no longer counts as present."""
    require_open_record(meeting)
    if meeting.state != MeetingState.in_session or not row.presence:
        raise Refusal(_("Only someone checked in during the session can leave."), status=409)
    row.left_at = utcnow()
    db.add(row)
    record(db, actor, "meeting.left", ("participant", row.id))
    announce.queue(db, AttendanceChanged, meeting.id or 0, participant_id=row.id or 0)
    db.commit()
    return row
