"""Requests for the floor: members ask (and may withdraw), the chair gives the floor, passes a
request over, or ends a turn. Each turn keeps when it started and ended, for the minutes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from meetings.agenda import access
from meetings.agenda.models import Meeting
from meetings.agenda.session import require_session
from meetings.archive.audit import Actor, record
from meetings.attendance.models import Answer
from meetings.db import utcnow
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.live import announce
from meetings.live.events import FloorChanged
from meetings.live.models import FloorRequest, FloorState

OPEN = (FloorState.waiting, FloorState.speaking)
TOPIC_MAX = 200


def waiting(db: Session, meeting_id: int) -> list[FloorRequest]:
    """The queue, first asked first."""
    return list(
        db.exec(
            select(FloorRequest)
            .where(FloorRequest.meeting_id == meeting_id, FloorRequest.state == FloorState.waiting)
            .order_by(col(FloorRequest.requested_at), col(FloorRequest.id))
        )
    )


def speaking(db: Session, meeting_id: int) -> FloorRequest | None:
    return db.exec(
        select(FloorRequest).where(
            FloorRequest.meeting_id == meeting_id, FloorRequest.state == FloorState.speaking
        )
    ).first()


def spoken(db: Session, meeting_id: int) -> list[FloorRequest]:
    """Every finished turn, in the order they were given: who spoke on which item, how long."""
    return list(
        db.exec(
            select(FloorRequest)
            .where(FloorRequest.meeting_id == meeting_id, FloorRequest.state == FloorState.done)
            .order_by(col(FloorRequest.started_at))
        )
    )


def mine(db: Session, meeting_id: int, user_id: int) -> FloorRequest | None:
    """The person's open request (waiting or speaking), if any."""
    return db.exec(
        select(FloorRequest).where(
            FloorRequest.meeting_id == meeting_id,
            FloorRequest.user_id == user_id,
            col(FloorRequest.state).in_(OPEN),
        )
    ).first()


def _changed(db: Session, actor: Actor, action: str, row: FloorRequest) -> FloorRequest:
    db.add(row)
    db.flush()
    record(db, actor, f"floor.{action}", ("floor_request", row.id), user=row.user_id)
    announce.queue(db, FloorChanged, row.meeting_id, request_id=row.id or 0)
    db.commit()
    return row


def ask(db: Session, meeting: Meeting, user_id: int, *, topic: str, actor: Actor) -> FloorRequest:
    """Ask for the floor on the current item (one open request per person)."""
    require_session(meeting)
    row = access.participation(db, meeting.id or 0, user_id)
    if row is None and meeting.chair_id != user_id:
        raise Refusal(_("Only the meeting's participants may ask for the floor."), status=403)
    away = (Answer.absent, Answer.substitute)  # a substitute attends in their place
    if row is not None and row.answer in away and row.user_id == user_id:
        raise Refusal(_("You have said you are absent from this meeting."), status=409)
    if mine(db, meeting.id or 0, user_id) is not None:
        raise Refusal(_("You have already asked for the floor."), status=409)
    topic = " ".join(topic.split())
    if len(topic) > TOPIC_MAX:
        raise Refusal(_("Keep the topic under %(max)s characters.", max=TOPIC_MAX), "topic")
    request = FloorRequest(
        meeting_id=meeting.id or 0, item_id=meeting.current_item_id, user_id=user_id, topic=topic
    )
    return _changed(db, actor, "asked", request)


def withdraw(db: Session, meeting: Meeting, request: FloorRequest, *, actor: Actor) -> None:
    """The person takes back their request before being given the floor."""
    require_session(meeting)
    if request.meeting_id != meeting.id or request.state != FloorState.waiting:
        raise Refusal(_("This request is no longer waiting."), status=409)
    request.state = FloorState.withdrawn
    request.ended_at = utcnow()
    _changed(db, actor, "withdrawn", request)


def _end_turn(db: Session, meeting_id: int) -> None:
    current = speaking(db, meeting_id)
    if current is not None:
        current.state, current.ended_at = FloorState.done, utcnow()
        db.add(current)


def grant(
    db: Session, meeting: Meeting, request: FloorRequest | None = None, *, actor: Actor
) -> FloorRequest:
    """Give the floor to a waiting request (the first in the queue by default); whoever was
    speaking has finished."""
    require_session(meeting)
    if request is None:
        queue = waiting(db, meeting.id or 0)
        if not queue:
            raise Refusal(_("Nobody is waiting for the floor."), status=409)
        request = queue[0]
    if request.meeting_id != meeting.id or request.state != FloorState.waiting:
        raise Refusal(_("This request is no longer waiting."), status=409)
    _end_turn(db, meeting.id or 0)
    request.state, request.started_at = FloorState.speaking, utcnow()
    request.allotted_seconds = meeting.speaking_seconds
    request.granted_by = actor.user_id
    return _changed(db, actor, "granted", request)


def skip(db: Session, meeting: Meeting, request: FloorRequest, *, actor: Actor) -> None:
    """Pass over a waiting request (it stays in the record)."""
    require_session(meeting)
    if request.meeting_id != meeting.id or request.state != FloorState.waiting:
        raise Refusal(_("This request is no longer waiting."), status=409)
    request.state, request.ended_at = FloorState.skipped, utcnow()
    _changed(db, actor, "skipped", request)


def end(db: Session, meeting: Meeting, *, actor: Actor) -> FloorRequest:
    """End the current speaker's turn."""
    require_session(meeting)
    current = speaking(db, meeting.id or 0)
    if current is None:
        raise Refusal(_("Nobody has the floor."), status=409)
    current.state, current.ended_at = FloorState.done, utcnow()
    return _changed(db, actor, "ended", current)
