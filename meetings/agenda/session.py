"""The chair's moves through the agenda during the session: go to an item, the next or the
previous one, and mark items done, deferred or pending again. Each is announced live."""

from __future__ import annotations

from sqlmodel import Session

from meetings.agenda.items import items
from meetings.agenda.models import AgendaItem, ItemStatus, Meeting, MeetingState
from meetings.archive.audit import Actor, record
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.live import announce
from meetings.live.events import AgendaChanged

MARKS = (ItemStatus.done, ItemStatus.deferred, ItemStatus.pending)


def require_session(meeting: Meeting) -> None:
    if meeting.state != MeetingState.in_session:
        raise Refusal(_("This can only be done while the session is open."), status=409)


def current_item(db: Session, meeting: Meeting) -> AgendaItem | None:
    if meeting.current_item_id is None:
        return None
    item = db.get(AgendaItem, meeting.current_item_id)
    return item if item is not None and item.meeting_id == meeting.id else None


def _take_up(db: Session, meeting: Meeting, item: AgendaItem, actor: Actor, finish: bool) -> None:
    """Make `item` the current one; the one before goes back to pending, or to done."""
    previous = current_item(db, meeting)
    if previous is not None and previous.id != item.id and previous.status == ItemStatus.current:
        previous.status = ItemStatus.done if finish else ItemStatus.pending
        db.add(previous)
    item.status = ItemStatus.current
    meeting.current_item_id = item.id
    db.add_all([item, meeting])
    record(
        db,
        actor,
        "meeting.item_taken_up",
        ("agenda_item", item.id),
        finished=previous.id if finish and previous else None,
    )
    announce.queue(db, AgendaChanged, meeting.id or 0, item_id=item.id or 0)
    db.commit()


def go_to(db: Session, meeting: Meeting, item: AgendaItem, *, actor: Actor) -> AgendaItem:
    """Take up any item of the agenda (not a withdrawn one)."""
    require_session(meeting)
    if item.meeting_id != meeting.id:
        raise Refusal(_("Choose an item of this meeting's agenda."), "item_id")
    if item.status == ItemStatus.withdrawn:
        raise Refusal(_("This item has been withdrawn from the agenda."), status=409)
    _take_up(db, meeting, item, actor, finish=False)
    return item


def step(db: Session, meeting: Meeting, *, actor: Actor, forward: bool = True) -> AgendaItem:
    """Next: the current item is done, and the next pending one is taken up. Previous: back to
    the item before the current one, whatever its state (but not a withdrawn one)."""
    require_session(meeting)
    agenda = items(db, meeting.id or 0)
    current = current_item(db, meeting)
    at = next((n for n, item in enumerate(agenda) if current and item.id == current.id), None)
    if forward:
        after = agenda[at + 1 :] if at is not None else agenda
        chosen = next((item for item in after if item.status == ItemStatus.pending), None)
        if chosen is None:
            raise Refusal(_("There is no pending item after this one."), status=409)
    else:
        before = list(reversed(agenda[:at])) if at is not None else []
        chosen = next((item for item in before if item.status != ItemStatus.withdrawn), None)
        if chosen is None:
            raise Refusal(_("There is no item before this one."), status=409)
    _take_up(db, meeting, chosen, actor, finish=forward)
    return chosen


def mark(
    db: Session, meeting: Meeting, item: AgendaItem, status: str, *, actor: Actor
) -> AgendaItem:
    """Mark an item done, deferred (to a later meeting) or pending again."""
    require_session(meeting)
    if item.meeting_id != meeting.id:
        raise Refusal(_("Choose an item of this meeting's agenda."), "item_id")
    if status not in MARKS:
        raise Refusal(_("Choose done, deferred or pending."), "status")
    if item.status == ItemStatus.withdrawn:
        raise Refusal(_("This item has been withdrawn from the agenda."), status=409)
    item.status = status
    if meeting.current_item_id == item.id:
        meeting.current_item_id = None
        db.add(meeting)
    db.add(item)
    record(db, actor, "meeting.item_marked", ("agenda_item", item.id), status=status)
    announce.queue(db, AgendaChanged, meeting.id or 0, item_id=item.id or 0)
    db.commit()
    return item
