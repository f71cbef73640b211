"""Reads for the task pages, the API and the reminders. "Today" is always passed in: a day in
the organisation's calendar, so that the pages, the job and the tests agree on what is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case
from sqlmodel import Session, col, or_, select

from meetings.agenda.access import Viewer
from meetings.agenda.models import AgendaItem, Meeting
from meetings.agenda.queries import body_names, names_of
from meetings.minutes import queries as minutes_queries
from meetings.minutes.models import RecordSection
from meetings.tasks import access
from meetings.tasks.models import Task, TaskAttachment, TaskState, TaskUpdate

ACTIVE = (TaskState.open, TaskState.in_progress)  # the assignee still has work to do
PENDING = (*ACTIVE, TaskState.submitted)  # not finished
LIMIT = 500
TITLE_MAX = 300


def today_in(zone: str, now: datetime) -> date:
    """The day it is at `now` (aware) in a time zone: where due dates are counted."""
    return now.astimezone(ZoneInfo(zone)).date()


def is_overdue(task: Task, today: date) -> bool:
    """Past its due day with work still to do (a task reported done waits on the secretariat)."""
    return task.state in ACTIVE and task.due < today


def _overdue(today: date) -> ColumnElement[bool]:
    return and_(col(Task.state).in_(ACTIVE), col(Task.due) < today)


def _urgency(today: date) -> ColumnElement[int]:
    """0 overdue, 1 still to do or to accept, 2 finished: the lists' first order."""
    return case((_overdue(today), 0), (col(Task.state).in_(PENDING), 1), else_=2)


def _seen_by(db: Session, viewer: Viewer) -> ColumnElement[bool]:
    bodies = access.readable_bodies(db, viewer)
    return and_(
        Task.organisation_id == viewer.organisation_id,
        or_(Task.assignee_id == viewer.user_id, col(Task.body_id).in_(bodies)),
    )


@dataclass(frozen=True)
class TaskRow:
    """A task with what a list shows beside it."""

    task: Task
    body: str
    assignee: str
    overdue: bool


def _rows(db: Session, organisation_id: int, tasks: list[Task], today: date) -> list[TaskRow]:
    bodies = body_names(db, organisation_id)
    names = names_of(db, {t.assignee_id for t in tasks})
    return [
        TaskRow(t, bodies.get(t.body_id, ""), names.get(t.assignee_id, ""), is_overdue(t, today))
        for t in tasks
    ]


def _ordered(today: date):  # type: ignore[no-untyped-def]
    return (_urgency(today), col(Task.due), col(Task.id))


def mine(db: Session, viewer: Viewer, today: date) -> list[TaskRow]:
    """The viewer's own tasks: overdue first, then by due day; finished ones last."""
    query = select(Task).where(
        Task.organisation_id == viewer.organisation_id, Task.assignee_id == viewer.user_id
    )
    tasks = list(db.exec(query.order_by(*_ordered(today)).limit(LIMIT)))
    return _rows(db, viewer.organisation_id, tasks, today)


@dataclass(frozen=True)
class Filters:
    """What the board is narrowed to; state may also be "overdue"."""

    body_id: int | None = None
    agency: str | None = None
    state: str | None = None
    assignee_id: int | None = None


def board(db: Session, viewer: Viewer, today: date, wanted: Filters) -> list[TaskRow]:
    """Every task the viewer may see, filtered: overdue first, then by due day."""
    query = select(Task).where(_seen_by(db, viewer))
    if wanted.body_id is not None:
        query = query.where(Task.body_id == wanted.body_id)
    if wanted.agency:
        query = query.where(Task.agency == wanted.agency)
    if wanted.assignee_id is not None:
        query = query.where(Task.assignee_id == wanted.assignee_id)
    if wanted.state == "overdue":
        query = query.where(_overdue(today))
    elif wanted.state:
        query = query.where(Task.state == wanted.state)
    tasks = list(db.exec(query.order_by(*_ordered(today)).limit(LIMIT)))
    return _rows(db, viewer.organisation_id, tasks, today)


def agencies(db: Session, viewer: Viewer) -> list[str]:
    """The agencies named in the tasks the viewer sees, for the filter and the form."""
    query = select(Task.agency).where(_seen_by(db, viewer), Task.agency != "").distinct()
    return sorted(db.exec(query))


def history(db: Session, task_id: int) -> list[TaskUpdate]:
    """The task's updates, oldest first."""
    query = select(TaskUpdate).where(TaskUpdate.task_id == task_id)
    return list(db.exec(query.order_by(col(TaskUpdate.at), col(TaskUpdate.id))))


def attachments_of(db: Session, task_id: int) -> list[TaskAttachment]:
    query = select(TaskAttachment).where(TaskAttachment.task_id == task_id)
    return list(db.exec(query.order_by(col(TaskAttachment.id))))


def attachment_of(db: Session, task: Task, file_id: int) -> TaskAttachment | None:
    found = db.get(TaskAttachment, file_id)
    return found if found is not None and found.task_id == task.id else None


@dataclass(frozen=True)
class Source:
    """The conclusion a task comes from: the record's section, its meeting and item."""

    section: RecordSection
    meeting: Meeting
    item: AgendaItem | None

    @property
    def title(self) -> str:
        """A task's title from the conclusion: its first line, cut at a word if too long."""
        lines = self.section.conclusion.strip().splitlines()
        first = " ".join(lines[0].split()) if lines else ""
        if len(first) <= TITLE_MAX:
            return first
        return first[: TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"


def source(db: Session, organisation_id: int, section_id: int) -> Source | None:
    """A conclusion of the organisation's meetings, or None."""
    found = minutes_queries.section_in(db, organisation_id, section_id)
    if found is None:
        return None
    section, meeting = found
    item = db.get(AgendaItem, section.item_id) if section.item_id else None
    return Source(section, meeting, item)


def source_of(db: Session, task: Task) -> Source | None:
    """Where a task comes from, if it has a source."""
    if task.section_id is not None:
        return source(db, task.organisation_id, task.section_id)
    return None


def names(db: Session, task: Task, updates: list[TaskUpdate]) -> dict[int, str]:
    """The names of everyone a task's page mentions."""
    return names_of(db, {task.assignee_id, task.created_by, *(u.user_id for u in updates)})
