"""Positions before the meeting and the consent block (from Estonia's e-Cabinet)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from meetings.agenda.items import items
from meetings.agenda.models import (
    AgendaItem,
    ItemStatus,
    Meeting,
    MeetingState,
    Position,
    PositionKind,
)
from meetings.archive.audit import Actor, record
from meetings.attendance.models import Participant, ParticipantRole
from meetings.db import utcnow
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.live import announce
from meetings.live.events import AgendaChanged

MAY_TAKE_POSITIONS = (ParticipantRole.chair, ParticipantRole.member)


def set_position(
    db: Session,
    meeting: Meeting,
    item: AgendaItem,
    participant: Participant,
    *,
    actor: Actor,
    kind: str,
    comment: str = "",
) -> Position:
    """Mark no objection, objection (with a comment) or wish to speak, before the session."""
    if meeting.state != MeetingState.scheduled:
        raise Refusal(
            _("Positions are taken between publication and the opening of the session."), status=409
        )
    if participant.role not in MAY_TAKE_POSITIONS or actor.user_id is None:
        raise Refusal(_("Only members of the body take positions on items."), status=403)
    if item.status == ItemStatus.withdrawn or item.meeting_id != meeting.id:
        raise Refusal(_("This item has been withdrawn from the agenda."), status=409)
    if kind not in PositionKind.__members__:
        raise Refusal(_("Choose no objection, objection or wish to speak."), "kind")
    comment = comment.strip()[:2000]
    if kind == PositionKind.objection and not comment:
        raise Refusal(_("Say what you object to."), "comment")
    row = db.exec(
        select(Position).where(Position.item_id == item.id, Position.user_id == actor.user_id)
    ).first() or Position(item_id=item.id or 0, user_id=actor.user_id, kind=kind)
    row.kind, row.comment, row.updated_at = kind, comment, utcnow()
    db.add(row)
    db.flush()
    record(db, actor, "agenda.position", ("item", item.id), kind=kind)
    db.commit()
    return row


@dataclass
class Tally:
    """The positions on one item."""

    item: AgendaItem
    counts: Counter[str] = field(default_factory=Counter)
    objections: list[Position] = field(default_factory=list)

    @property
    def objected(self) -> bool:
        return self.counts[PositionKind.objection] > 0


def tallies(db: Session, meeting: Meeting) -> list[Tally]:
    """Per item, how many marked each position, and the objections with their comments."""
    agenda = items(db, meeting.id or 0)
    by_item = {item.id: Tally(item) for item in agenda}
    ids = list(by_item)
    for row in db.exec(select(Position).where(col(Position.item_id).in_(ids))) if ids else []:
        by_item[row.item_id].counts[row.kind] += 1
        if row.kind == PositionKind.objection:
            by_item[row.item_id].objections.append(row)
    return [by_item[item.id] for item in agenda]


def consent_block(db: Session, meeting: Meeting) -> list[AgendaItem]:
    """Consent items nobody objected to, still pending: they can be adopted in one step."""
    return [
        t.item
        for t in tallies(db, meeting)
        if t.item.consent and not t.objected and t.item.status == ItemStatus.pending
    ]


def adopt_consent_block(db: Session, meeting: Meeting, *, actor: Actor) -> list[AgendaItem]:
    """The chair adopts the consent block during the session; each item's adoption is recorded."""
    if meeting.state != MeetingState.in_session:
        raise Refusal(_("The consent block is adopted during the session."), status=409)
    block = consent_block(db, meeting)
    if not block:
        raise Refusal(_("No item is left in the consent block."), status=409)
    now = utcnow()
    for item in block:
        item.status, item.adopted_by_consent_at = ItemStatus.done, now
        db.add(item)
        record(db, actor, "agenda.adopted_by_consent", ("item", item.id), meeting_id=meeting.id)
    announce.queue(db, AgendaChanged, meeting.id or 0, item_id=block[0].id or 0)
    db.commit()
    return block
