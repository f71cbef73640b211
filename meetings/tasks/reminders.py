"""Reminders to the assignee: DAYS_BEFORE days before a task is due, and once it is overdue.

Each goes out once per task: a compare-and-set on the task's flag claims it in the same
transaction as the notification, so two runs (or two processes) never send it twice. Days are
counted in each organisation's own calendar; `now` is passed in so tests choose the moment.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, and_, col, or_, select

from meetings.archive.audit import Actor, record
from meetings.db import utcnow
from meetings.notifications.actions import notify
from meetings.organisations.models import Organisation
from meetings.tasks.models import Task
from meetings.tasks.queries import ACTIVE, today_in

DAYS_BEFORE = 3
SLACK = timedelta(days=1)  # the widest gap between a UTC day and a local one


def _candidates(db: Session, now: datetime) -> list[tuple[Task, str]]:
    """Tasks still to do that may be owed a reminder, with their organisation's time zone; the
    exact day is checked per organisation afterwards."""
    utc_today = now.date()
    soon = and_(
        col(Task.reminded_before).is_(False),
        col(Task.due) >= utc_today - SLACK,
        col(Task.due) <= utc_today + timedelta(days=DAYS_BEFORE) + SLACK,
    )
    late = and_(col(Task.reminded_overdue).is_(False), col(Task.due) <= utc_today + SLACK)
    query = (
        select(Task, Organisation.timezone)
        .join(Organisation, col(Organisation.id) == Task.organisation_id)
        .where(col(Task.state).in_(ACTIVE), or_(soon, late))
        .order_by(col(Task.id))
    )
    return [(task, zone) for task, zone in db.exec(query)]


def _claim(db: Session, task: Task, flag: str, kind: str) -> int:
    """Set the flag if nobody has, and tell the assignee in the same transaction: 1 if sent."""
    claimed = db.execute(
        update(Task)
        .where(col(Task.id) == task.id, getattr(Task, flag).is_(False), col(Task.state).in_(ACTIVE))
        .values({flag: True})
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.rollback()
        return 0
    due = task.due.strftime("%d/%m/%Y")
    notify(
        db,
        [task.assignee_id],
        kind,
        organisation_id=task.organisation_id,
        title=task.title,
        due=due,
        task_id=task.id,
    )
    actor = Actor(user_id=None, organisation_id=task.organisation_id)
    record(db, actor, "task.reminded", ("task", task.id), reminder=kind, due=task.due)
    db.commit()
    return 1


def _owed(task: Task, today: date) -> tuple[str, str] | None:
    """The flag to claim and the notification to send for a task today, if any."""
    if task.due < today:
        return None if task.reminded_overdue else ("reminded_overdue", "task_overdue")
    if task.due <= today + timedelta(days=DAYS_BEFORE) and not task.reminded_before:
        return "reminded_before", "task_due_soon"
    return None


def remind_due(db: Session, now: datetime | None = None) -> int:
    """Send every reminder that is due at `now`; return how many went out."""
    now = now or utcnow()
    sent = 0
    for task, zone in _candidates(db, now):
        owed = _owed(task, today_in(zone, now))
        if owed is not None:
            sent += _claim(db, task, *owed)
    return sent
