"""Reads for meeting pages and the API, always through the viewer's visibility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from meetings.agenda.access import Viewer, is_secretariat
from meetings.agenda.items import items
from meetings.agenda.models import AgendaItem, Amendment, Meeting, MeetingState
from meetings.attendance.models import Participant
from meetings.organisations import queries as org_queries


def meetings_for(
    db: Session,
    viewer: Viewer,
    *,
    body_id: int | None = None,
    state: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
) -> list[Meeting]:
    """Meetings the viewer may see, soonest first, with optional filters."""
    query = select(Meeting).where(Meeting.organisation_id == viewer.organisation_id)
    secretariat_bodies = [
        b.id
        for b in org_queries.bodies(db, viewer.organisation_id)
        if is_secretariat(db, viewer, b.id or 0)
    ]
    invited = select(Participant.meeting_id).where(
        or_(Participant.user_id == viewer.user_id, Participant.substitute_id == viewer.user_id)
    )
    query = query.where(
        or_(
            col(Meeting.body_id).in_(secretariat_bodies),
            Meeting.chair_id == viewer.user_id,
            (col(Meeting.id).in_(invited)) & (Meeting.state != MeetingState.draft),
        )
    )
    if body_id is not None:
        query = query.where(Meeting.body_id == body_id)
    if state:
        query = query.where(Meeting.state == state)
    if since is not None:
        query = query.where(Meeting.starts_at >= since)
    if until is not None:
        query = query.where(Meeting.starts_at < until)
    return list(db.exec(query.order_by(col(Meeting.starts_at)).limit(limit)))


@dataclass(frozen=True)
class PlannedItem:
    """An agenda item with its number and planned start time."""

    item: AgendaItem
    number: str
    starts_at: datetime
    depth: int


def planned(meeting: Meeting, agenda: list[AgendaItem]) -> list[PlannedItem]:
    """Number the items (1, 1.1, 2...) and compute when each starts; withdrawn ones take no time."""
    out: list[PlannedItem] = []
    clock = meeting.starts_at
    numbers: dict[int | None, int] = {}
    parent_start: dict[int, datetime] = {}
    parent_number: dict[int, str] = {}
    for item in agenda:
        numbers[item.parent_id] = numbers.get(item.parent_id, 0) + 1
        if item.parent_id is None:
            number = str(numbers[None])
            start = clock
            parent_start[item.id or 0], parent_number[item.id or 0] = start, number
            if item.status != "withdrawn":
                clock = start + timedelta(minutes=_span(item, agenda))
        else:
            number = f"{parent_number[item.parent_id]}.{numbers[item.parent_id]}"
            start = parent_start[item.parent_id]
            if item.status != "withdrawn":
                parent_start[item.parent_id] = start + timedelta(minutes=item.duration_minutes)
        out.append(PlannedItem(item, number, start, 0 if item.parent_id is None else 1))
    return out


def _span(item: AgendaItem, agenda: list[AgendaItem]) -> int:
    """A main item lasts its own time or its sub-items' total, whichever is longer."""
    children = sum(
        c.duration_minutes for c in agenda if c.parent_id == item.id and c.status != "withdrawn"
    )
    return max(item.duration_minutes, children)


def agenda_of(db: Session, meeting: Meeting) -> list[PlannedItem]:
    return planned(meeting, items(db, meeting.id or 0))


def amendments(db: Session, meeting_id: int) -> list[Amendment]:
    return list(
        db.exec(
            select(Amendment).where(Amendment.meeting_id == meeting_id).order_by(col(Amendment.id))
        )
    )
