"""The meeting's life: create, change, publish, open, close, archive, cancel, postpone, copy.

Every transition checks the current state (409 otherwise), writes an audit entry and commits.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from meetings.agenda import rules
from meetings.agenda.access import FINISHED, PUBLISHED
from meetings.agenda.models import AgendaItem, Amendment, Meeting, MeetingKind, MeetingState
from meetings.archive.audit import Actor, record
from meetings.archive.guard import require_open_record
from meetings.attendance import actions as attendance
from meetings.db import utcnow
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.live import announce
from meetings.live.events import MeetingChanged
from meetings.notifications.actions import notify
from meetings.organisations import queries as org_queries
from meetings.organisations.models import Body, BodyRole

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "publish": (MeetingState.draft,),
    "open": (MeetingState.scheduled,),
    "close": (MeetingState.in_session,),
    "archive": (MeetingState.closed,),
    "cancel": (MeetingState.draft, MeetingState.scheduled, MeetingState.postponed),
    "postpone": (MeetingState.scheduled,),
    "reschedule": (MeetingState.postponed,),
}


def _guard(meeting: Meeting, transition: str) -> None:
    if meeting.state not in TRANSITIONS[transition]:
        raise rules.conflict(
            _(
                "A meeting that is %(state)s cannot be %(action)s.",
                state=state_label(meeting.state),
                action=action_label(transition),
            )
        )


def state_label(state: str) -> str:
    from meetings.agenda.labels import STATES

    return _(STATES[state])


def action_label(transition: str) -> str:
    from meetings.agenda.labels import ACTIONS

    return _(ACTIONS[transition])


def _seat_user(db: Session, body_id: int, role: str) -> int | None:
    for seat in org_queries.seats(db, body_id):
        if seat.membership.role == role:
            return seat.user.id
    return None


def _check_person(db: Session, organisation_id: int, user_id: int | None, field: str) -> None:
    if user_id is not None and org_queries.person(db, organisation_id, user_id) is None:
        raise Refusal(_("Choose a person of this organisation."), field)


def create_meeting(
    db: Session,
    *,
    actor: Actor,
    body: Body,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    kind: str = MeetingKind.regular,
    place: str = "",
    video_url: str = "",
    chair_id: int | None = None,
    secretary_id: int | None = None,
) -> Meeting:
    """A draft meeting of a body; chair and secretary default to the body's own."""
    if kind not in MeetingKind.__members__:
        raise Refusal(_("Choose a kind of meeting from the list."), "kind")
    rules.times(starts_at, ends_at)
    chair_id = chair_id or _seat_user(db, body.id or 0, BodyRole.chair)
    secretary_id = secretary_id or _seat_user(db, body.id or 0, BodyRole.secretary)
    _check_person(db, body.organisation_id, chair_id, "chair_id")
    _check_person(db, body.organisation_id, secretary_id, "secretary_id")
    meeting = Meeting(
        organisation_id=body.organisation_id,
        body_id=body.id or 0,
        title=rules.text(title, "title", 300, required=True),
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=rules.text(place, "place", 300),
        video_url=rules.video_url(video_url),
        chair_id=chair_id,
        secretary_id=secretary_id,
    )
    db.add(meeting)
    db.flush()
    record(db, actor, "meeting.created", ("meeting", meeting.id), title=meeting.title)
    db.commit()
    return meeting


def amend(db: Session, meeting: Meeting, actor: Actor, change_kind: str, **data: Any) -> None:
    """After publication a change is kept as an amendment and announced to participants."""
    if meeting.state not in PUBLISHED:
        return
    db.add(
        Amendment(
            meeting_id=meeting.id or 0,
            actor_id=actor.user_id,
            kind=change_kind,
            data=json.dumps(data, ensure_ascii=False, default=str),
        )
    )
    meeting.sequence += 1
    notice = (
        "meeting_changed" if change_kind in ("time_changed", "place_changed") else "agenda_amended"
    )
    notify(
        db,
        attendance.audience(db, meeting.id or 0),
        notice,
        organisation_id=meeting.organisation_id,
        meeting_id=meeting.id,
        title=meeting.title,
        change_kind=change_kind,
        **data,
    )


def refuse_if_finished(meeting: Meeting) -> None:
    require_open_record(meeting)
    if meeting.state in FINISHED:
        raise rules.conflict(
            _(
                "The meeting is %(state)s: it can no longer be changed.",
                state=state_label(meeting.state),
            )
        )


def update_meeting(
    db: Session,
    meeting: Meeting,
    *,
    actor: Actor,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    kind: str,
    place: str,
    video_url: str,
    chair_id: int | None,
    secretary_id: int | None,
) -> Meeting:
    """Change the meeting's facts; after publication time and place changes are announced."""
    refuse_if_finished(meeting)
    if kind not in MeetingKind.__members__:
        raise Refusal(_("Choose a kind of meeting from the list."), "kind")
    rules.times(starts_at, ends_at)
    _check_person(db, meeting.organisation_id, chair_id, "chair_id")
    _check_person(db, meeting.organisation_id, secretary_id, "secretary_id")
    new_place = rules.text(place, "place", 300)
    if (starts_at, ends_at) != (meeting.starts_at, meeting.ends_at):
        amend(db, meeting, actor, "time_changed", when=starts_at.isoformat())
    if new_place != meeting.place:
        amend(db, meeting, actor, "place_changed", place=new_place)
    meeting.title = rules.text(title, "title", 300, required=True)
    meeting.kind, meeting.starts_at, meeting.ends_at, meeting.place = (
        kind,
        starts_at,
        ends_at,
        new_place,
    )
    meeting.video_url = rules.video_url(video_url)
    meeting.chair_id, meeting.secretary_id = chair_id, secretary_id
    meeting.updated_at = utcnow()
    db.add(meeting)
    record(db, actor, "meeting.updated", ("meeting", meeting.id))
    db.commit()
    return meeting


def publish(db: Session, meeting: Meeting, *, actor: Actor) -> Meeting:
    """draft -> scheduled: the body's members are invited and told."""
    _guard(meeting, "publish")
    meeting.state = MeetingState.scheduled
    meeting.published_at = utcnow()
    invited = attendance.invite_body(db, meeting, actor=actor)
    notify(
        db,
        invited,
        "invitation",
        organisation_id=meeting.organisation_id,
        meeting_id=meeting.id,
        title=meeting.title,
        when=meeting.starts_at.isoformat(),
    )
    db.add(meeting)
    record(db, actor, "meeting.published", ("meeting", meeting.id), invited=len(invited))
    db.commit()
    return meeting


def _move(
    db: Session, meeting: Meeting, actor: Actor, transition: str, state: str, **data: Any
) -> Meeting:
    _guard(meeting, transition)
    meeting.state = state
    meeting.updated_at = utcnow()
    db.add(meeting)
    record(db, actor, f"meeting.{transition}", ("meeting", meeting.id), **data)
    return meeting


def open_session(db: Session, meeting: Meeting, *, actor: Actor) -> Meeting:
    """scheduled -> in session."""
    _move(db, meeting, actor, "open", MeetingState.in_session)
    meeting.opened_at = utcnow()
    announce.queue(db, MeetingChanged, meeting.id or 0, state=meeting.state)
    db.commit()
    return meeting


def close_session(db: Session, meeting: Meeting, *, actor: Actor) -> Meeting:
    """in session -> closed."""
    _move(db, meeting, actor, "close", MeetingState.closed)
    meeting.closed_at = utcnow()
    announce.queue(db, MeetingChanged, meeting.id or 0, state=meeting.state)
    db.commit()
    return meeting


def archive(db: Session, meeting: Meeting, *, actor: Actor) -> Meeting:
    """closed -> archived (read-only from then on)."""
    mark_archived(db, meeting, actor=actor)
    db.commit()
    return meeting


def mark_archived(db: Session, meeting: Meeting, *, actor: Actor) -> Meeting:
    """closed -> archived in the caller's transaction (the approval of the final minutes)."""
    _move(db, meeting, actor, "archive", MeetingState.archived)
    announce.queue(db, MeetingChanged, meeting.id or 0, state=meeting.state)
    return meeting


def _reason(reason: str) -> str:
    return rules.text(reason, "reason", 1000, required=True)


def _halt(
    db: Session, meeting: Meeting, actor: Actor, transition: str, state: str, reason: str
) -> Meeting:
    """Cancel or postpone: the reason is kept, and participants are told if invited."""
    reason = _reason(reason)
    invited = meeting.state != MeetingState.draft
    _move(db, meeting, actor, transition, state, reason=reason)
    meeting.state_reason = reason
    meeting.sequence += 1
    if invited:
        notify(
            db,
            attendance.audience(db, meeting.id or 0),
            f"meeting_{state}",
            organisation_id=meeting.organisation_id,
            meeting_id=meeting.id,
            title=meeting.title,
            reason=reason,
        )
    db.commit()
    return meeting


def cancel(db: Session, meeting: Meeting, *, actor: Actor, reason: str) -> Meeting:
    """draft, scheduled or postponed -> cancelled, with a reason participants are told."""
    return _halt(db, meeting, actor, "cancel", MeetingState.cancelled, reason)


def postpone(db: Session, meeting: Meeting, *, actor: Actor, reason: str) -> Meeting:
    """scheduled -> postponed, with a reason participants are told."""
    return _halt(db, meeting, actor, "postpone", MeetingState.postponed, reason)


def reschedule(
    db: Session, meeting: Meeting, *, actor: Actor, starts_at: datetime, ends_at: datetime
) -> Meeting:
    """postponed -> scheduled at a new time, announced as a change of time."""
    rules.times(starts_at, ends_at)
    _move(db, meeting, actor, "reschedule", MeetingState.scheduled)
    meeting.starts_at, meeting.ends_at, meeting.state_reason = starts_at, ends_at, ""
    amend(db, meeting, actor, "time_changed", when=starts_at.isoformat())
    db.commit()
    return meeting


def copy_meeting(db: Session, meeting: Meeting, *, actor: Actor, starts_at: datetime) -> Meeting:
    """A new draft with the same facts and agenda skeleton, at a new date."""
    length = meeting.ends_at - meeting.starts_at
    copy = Meeting(
        organisation_id=meeting.organisation_id,
        body_id=meeting.body_id,
        title=meeting.title,
        kind=meeting.kind,
        starts_at=starts_at,
        ends_at=starts_at + length,
        place=meeting.place,
        video_url=meeting.video_url,
        chair_id=meeting.chair_id,
        secretary_id=meeting.secretary_id,
        copied_from_id=meeting.id,
    )
    rules.times(copy.starts_at, copy.ends_at)
    db.add(copy)
    db.flush()
    _copy_items(db, meeting.id or 0, copy.id or 0)
    record(db, actor, "meeting.copied", ("meeting", copy.id), source=meeting.id)
    db.commit()
    return copy


def _copy_items(db: Session, source_id: int, target_id: int) -> None:
    items = db.exec(
        select(AgendaItem).where(AgendaItem.meeting_id == source_id).order_by(AgendaItem.id)
    ).all()
    new_ids: dict[int | None, int | None] = {None: None}
    for item in sorted(items, key=lambda i: (i.parent_id is not None, i.id or 0)):
        if item.status == "withdrawn":
            continue
        twin = AgendaItem(
            meeting_id=target_id,
            parent_id=new_ids.get(item.parent_id),
            position=item.position,
            title=item.title,
            description=item.description,
            presenter_id=item.presenter_id,
            presenter_agency=item.presenter_agency,
            duration_minutes=item.duration_minutes,
            consent=item.consent,
        )
        if item.parent_id is not None and item.parent_id not in new_ids:
            continue
        db.add(twin)
        db.flush()
        new_ids[item.id] = twin.id
