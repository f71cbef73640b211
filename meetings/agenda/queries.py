"""Reads for meeting pages and the API, always through the viewer's visibility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from meetings.accounts.models import User
from meetings.agenda.access import Viewer, is_secretariat
from meetings.agenda.items import items
from meetings.agenda.models import AgendaItem, Amendment, Meeting, MeetingState, Position
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


# -- reads for the meeting pages (imports kept local so the header above stays as it was) --


def meeting_lists(
    db: Session,
    viewer: Viewer,
    *,
    now: datetime,
    body_id: int | None = None,
    state: str | None = None,
    past_limit: int = 100,
) -> tuple[list[Meeting], list[Meeting]]:
    """What the viewer may see: upcoming and running meetings soonest first, then past ones
    latest first. A meeting lasts less than a week, so one that began a week ago is over."""
    recent = meetings_for(
        db, viewer, body_id=body_id, state=state, since=now - timedelta(days=7), limit=500
    )
    upcoming = [m for m in recent if m.ends_at > now or m.state == MeetingState.in_session]
    shown = {m.id for m in upcoming}
    earlier = meetings_for(db, viewer, body_id=body_id, state=state, until=now, limit=5000)
    past = [m for m in reversed(earlier) if m.id not in shown]
    return upcoming, past[:past_limit]


def bodies_to_prepare(db: Session, viewer: Viewer) -> list[tuple[int, str]]:
    """The bodies (id and name) whose meetings the viewer prepares as secretariat."""
    return [
        (body.id or 0, body.name)
        for body in org_queries.bodies(db, viewer.organisation_id)
        if is_secretariat(db, viewer, body.id or 0)
    ]


def body_names(db: Session, organisation_id: int) -> dict[int, str]:
    """The name of every body of the organisation, archived ones too (old meetings keep them)."""
    from meetings.organisations.models import Body

    rows = db.exec(select(Body.id, Body.name).where(Body.organisation_id == organisation_id))
    return {body_id: name for body_id, name in rows if body_id is not None}


def names_of(db: Session, user_ids: set[int | None]) -> dict[int, str]:
    """People's names by id, for chair, secretary and presenters (even if they left since)."""
    wanted = [uid for uid in user_ids if uid is not None]
    if not wanted:
        return {}
    rows = db.exec(select(User.id, User.name).where(col(User.id).in_(wanted)))
    return {user_id: name for user_id, name in rows if user_id is not None}


def positions_of(db: Session, meeting: Meeting, user_id: int) -> dict[int, Position]:
    """One person's positions on the meeting's items, by item id."""
    ids = [item.id for item in items(db, meeting.id or 0)]
    if not ids:
        return {}
    rows = db.exec(
        select(Position).where(col(Position.item_id).in_(ids), Position.user_id == user_id)
    )
    return {row.item_id: row for row in rows}
