"""Building the agenda: add, change, withdraw or remove, reorder. Amendments after publication."""

from __future__ import annotations

from sqlmodel import Session, col, select

from meetings.agenda import rules
from meetings.agenda.actions import amend, refuse_if_finished
from meetings.agenda.models import AgendaItem, ItemStatus, Meeting, MeetingState
from meetings.archive.audit import Actor, record
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.live import announce
from meetings.live.events import AgendaChanged
from meetings.organisations import queries as org_queries


def items(db: Session, meeting_id: int) -> list[AgendaItem]:
    """All items of a meeting, in agenda order (parents before their sub-items)."""
    rows = list(
        db.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        )
    )
    children: dict[int | None, list[AgendaItem]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[AgendaItem] = []

    def walk(parent_id: int | None) -> None:
        for row in children.get(parent_id, []):
            ordered.append(row)
            walk(row.id)

    walk(None)
    return ordered


def item_of(db: Session, meeting: Meeting, item_id: int) -> AgendaItem | None:
    found = db.get(AgendaItem, item_id)
    return found if found and found.meeting_id == meeting.id else None


def _fields(db: Session, meeting: Meeting, values: dict[str, object]) -> dict[str, object]:
    presenter_id = values.get("presenter_id")
    if (
        presenter_id is not None
        and org_queries.person(db, meeting.organisation_id, int(presenter_id)) is None
    ):  # type: ignore[call-overload]
        raise Refusal(_("Choose a person of this organisation."), "presenter_id")
    return {
        "title": rules.text(str(values.get("title", "")), "title", 300, required=True),
        "description": rules.text(str(values.get("description", "")), "description", 5000),
        "presenter_id": presenter_id,
        "presenter_agency": rules.text(
            str(values.get("presenter_agency", "")), "presenter_agency", 200
        ),
        "duration_minutes": rules.minutes(int(values.get("duration_minutes", 15))),  # type: ignore[call-overload]
        "consent": bool(values.get("consent", False)),
    }


def _parent(db: Session, meeting: Meeting, parent_id: int | None) -> AgendaItem | None:
    if parent_id is None:
        return None
    parent = item_of(db, meeting, parent_id)
    if parent is None or parent.parent_id is not None:
        raise Refusal(_("Sub-items go under a main item of this agenda."), "parent_id")
    return parent


def add_item(
    db: Session, meeting: Meeting, *, actor: Actor, parent_id: int | None = None, **values: object
) -> AgendaItem:
    """Add an item at the end of the agenda (or of its parent's sub-items)."""
    refuse_if_finished(meeting)
    fields = _fields(db, meeting, values)
    _parent(db, meeting, parent_id)
    siblings = [i for i in items(db, meeting.id or 0) if i.parent_id == parent_id]
    item = AgendaItem(
        meeting_id=meeting.id or 0, parent_id=parent_id, position=len(siblings), **fields
    )  # type: ignore[arg-type]
    db.add(item)
    db.flush()
    amend(db, meeting, actor, "item_added", item=item.title)
    record(db, actor, "agenda.item_added", ("item", item.id), meeting_id=meeting.id)
    db.commit()
    return item


def update_item(
    db: Session, meeting: Meeting, item: AgendaItem, *, actor: Actor, **values: object
) -> AgendaItem:
    refuse_if_finished(meeting)
    for name, value in _fields(db, meeting, values).items():
        setattr(item, name, value)
    db.add(item)
    amend(db, meeting, actor, "item_changed", item=item.title)
    record(db, actor, "agenda.item_changed", ("item", item.id), meeting_id=meeting.id)
    db.commit()
    return item


def remove_item(db: Session, meeting: Meeting, item: AgendaItem, *, actor: Actor) -> None:
    """A draft's item is deleted; after publication it is withdrawn, never silently removed."""
    refuse_if_finished(meeting)
    if item.status == ItemStatus.withdrawn:
        raise rules.conflict(_("This item has already been withdrawn."))
    family = [item, *[i for i in items(db, meeting.id or 0) if i.parent_id == item.id]]
    if meeting.state == MeetingState.draft:
        for row in reversed(family):  # sub-items first: the foreign key needs them gone
            db.delete(row)
            db.flush()
        record(db, actor, "agenda.item_removed", ("item", item.id), meeting_id=meeting.id)
    else:
        for row in family:
            row.status = ItemStatus.withdrawn
            db.add(row)
        if meeting.current_item_id in {row.id for row in family}:
            meeting.current_item_id = None  # nothing is under discussion any more
            db.add(meeting)
        amend(db, meeting, actor, "item_withdrawn", item=item.title)
        record(db, actor, "agenda.item_withdrawn", ("item", item.id), meeting_id=meeting.id)
        announce.queue(db, AgendaChanged, meeting.id or 0, item_id=item.id or 0)
    db.commit()


def reorder(
    db: Session, meeting: Meeting, *, actor: Actor, parent_id: int | None, ordered_ids: list[int]
) -> list[AgendaItem]:
    """Put one list of siblings (the main items, or one item's sub-items) in a new order."""
    refuse_if_finished(meeting)
    siblings = {i.id: i for i in items(db, meeting.id or 0) if i.parent_id == parent_id}
    if sorted(ordered_ids) != sorted(siblings) or len(set(ordered_ids)) != len(ordered_ids):
        raise Refusal(_("The agenda changed meanwhile. Reload the page and try again."), status=409)
    changed = [siblings[i].position for i in ordered_ids] != sorted(
        s.position for s in siblings.values()
    )
    for position, item_id in enumerate(ordered_ids):
        siblings[item_id].position = position
        db.add(siblings[item_id])
    if changed:
        amend(db, meeting, actor, "items_reordered")
        record(db, actor, "agenda.reordered", ("meeting", meeting.id), order=ordered_ids)
    db.commit()
    return items(db, meeting.id or 0)


def move(
    db: Session, meeting: Meeting, item: AgendaItem, *, actor: Actor, offset: int
) -> list[AgendaItem]:
    """Move an item up (-1) or down (+1) among its siblings: the keyboard way to reorder."""
    siblings = [i.id or 0 for i in items(db, meeting.id or 0) if i.parent_id == item.parent_id]
    index = siblings.index(item.id or 0)
    target = max(0, min(len(siblings) - 1, index + offset))
    siblings.insert(target, siblings.pop(index))
    return reorder(db, meeting, actor=actor, parent_id=item.parent_id, ordered_ids=siblings)
