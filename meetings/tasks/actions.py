"""Every change to a follow-up task: assign, change, report progress, comment, report done,
accept, return, cancel. Each is one transaction with its audit entry; the people concerned are
told in the same transaction. A step of the task's life is a compare-and-set on its state, so
two people acting at once cannot both move it (the second gets 409)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from meetings.archive.audit import Actor, record
from meetings.db import utcnow
from meetings.documents.validation import Checked
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.notifications.actions import notify
from meetings.organisations import queries as org_queries
from meetings.organisations.models import Body
from meetings.storage.blobs import BlobStore
from meetings.tasks.models import Task, TaskAttachment, TaskState, TaskUpdate
from meetings.tasks.queries import ACTIVE, PENDING, TITLE_MAX, Source

DESCRIPTION_MAX = 5000
AGENCY_MAX = 200
COMMENT_MAX = 4000
FILES_MAX = 10


@dataclass(frozen=True)
class Facts:
    """What the secretariat says about a task."""

    title: str
    description: str
    agency: str
    assignee_id: int | None
    due: date | None


def conflict(message: str) -> Refusal:
    return Refusal(message, status=409)


def _text(value: str, limit: int, field: str, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise Refusal(_("This field is required."), field)
    if len(value) > limit:
        raise Refusal(_("At most %(n)s characters.", n=limit), field)
    return value


def _checked(
    db: Session, organisation_id: int, facts: Facts, today: date, kept: date | None
) -> Facts:
    """The facts tidied, or a Refusal at the first field at fault; a due day already set
    (`kept`) may stay even once it has passed."""
    title = " ".join(_text(facts.title, TITLE_MAX, "title", required=True).split())
    description = _text(facts.description, DESCRIPTION_MAX, "description")
    agency = " ".join(_text(facts.agency, AGENCY_MAX, "agency").split())
    if facts.assignee_id is None or not org_queries.person(db, organisation_id, facts.assignee_id):
        raise Refusal(_("Choose a person of this organisation."), "assignee_id")
    if facts.due is None:
        raise Refusal(_("This field is required."), "due")
    if facts.due < today and facts.due != kept:
        raise Refusal(_("The due date cannot be in the past."), "due")
    return Facts(title, description, agency, facts.assignee_id, facts.due)


def _told(task: Task, **extra: Any) -> dict[str, Any]:
    """What a notification about the task says (its due day in the official numeric form)."""
    due = task.due.strftime("%d/%m/%Y")
    return {"title": task.title, "due": due, "task_id": task.id, **extra}


def _log(db: Session, task: Task, actor: Actor, kind: str, **values: Any) -> TaskUpdate:
    entry = TaskUpdate(task_id=task.id or 0, user_id=actor.user_id, kind=kind, **values)
    db.add(entry)
    db.flush()
    return entry


def create(
    db: Session, body: Body, *, actor: Actor, facts: Facts, today: date, source: Source | None
) -> Task:
    """Assign a task of the body to a person; from a conclusion when `source` is given."""
    good = _checked(db, body.organisation_id, facts, today, None)
    if source is not None and source.meeting.body_id != body.id:
        raise Refusal(_("This conclusion is from a meeting of another body."), "body_id")
    task = Task(
        organisation_id=body.organisation_id,
        body_id=body.id or 0,
        meeting_id=source.meeting.id if source else None,
        item_id=source.section.item_id if source else None,
        section_id=source.section.id if source else None,
        title=good.title,
        description=good.description,
        agency=good.agency,
        assignee_id=good.assignee_id or 0,
        due=good.due or today,
        created_by=actor.user_id,
    )
    db.add(task)
    db.flush()
    _log(db, task, actor, "created")
    notify(
        db, [task.assignee_id], "task_assigned", organisation_id=task.organisation_id, **_told(task)
    )
    record(db, actor, "task.created", ("task", task.id), body=task.body_id, section=task.section_id)
    db.commit()
    return task


def change(db: Session, task: Task, *, actor: Actor, facts: Facts, today: date) -> Task:
    """Change what a task says, whom it is assigned to or its due day (an extension); a new
    due day is reminded of afresh, a new assignee is told."""
    if task.state not in PENDING:
        raise conflict(_("A finished task cannot be changed."))
    good = _checked(db, task.organisation_id, facts, today, task.due)
    changed = {name: value for name, value in vars(good).items() if value != getattr(task, name)}
    if not changed:
        return task
    for name, value in changed.items():
        setattr(task, name, value)
    if "due" in changed:
        task.reminded_before = task.reminded_overdue = False
    db.add(task)
    _log(db, task, actor, "changed", comment=", ".join(sorted(changed)))
    if "assignee_id" in changed:
        notify(
            db,
            [task.assignee_id],
            "task_assigned",
            organisation_id=task.organisation_id,
            **_told(task),
        )
    record(db, actor, "task.changed", ("task", task.id), **changed)
    db.commit()
    return task


def _move(db: Session, task: Task, sources: tuple[str, ...], target: str, message: str) -> None:
    """Compare-and-set the state; 409 when it is no longer one of `sources`."""
    moved = db.execute(
        update(Task)
        .where(col(Task.id) == task.id, col(Task.state).in_(sources))
        .values(state=target)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        db.rollback()
        db.refresh(task)
        raise conflict(message)
    task.state = target


def _attach(
    db: Session,
    task: Task,
    entry: TaskUpdate,
    files: Sequence[Checked],
    actor: Actor,
    store: BlobStore | None,
) -> None:
    if not files:
        return
    assert store is not None, "files are kept in a blob store"
    if len(files) > FILES_MAX:
        raise Refusal(_("Attach at most %(max)s files at a time.", max=FILES_MAX), "files")
    for file in files:
        attachment = TaskAttachment(
            task_id=task.id or 0,
            update_id=entry.id,
            blob=store.store(file.received),
            size=file.received.size,
            media_type=file.inspected.media_type,
            filename=file.inspected.display_name,
            uploaded_by=actor.user_id,
        )
        db.add(attachment)
        db.flush()
        record(
            db,
            actor,
            "task.file_attached",
            ("task", task.id),
            attachment=attachment.id,
            sha256=attachment.blob,
            size=attachment.size,
        )


def _comment(value: str) -> str:
    return _text(value, COMMENT_MAX, "comment")


def report(
    db: Session,
    task: Task,
    *,
    actor: Actor,
    progress: int,
    comment: str = "",
    files: Sequence[Checked] = (),
    store: BlobStore | None = None,
) -> TaskUpdate:
    """The assignee's progress (per cent), with a comment and files; a task not started is
    in progress from its first report."""
    if not 0 <= progress <= 100:
        raise Refusal(_("Give the progress as a whole number from 0 to 100."), "progress")
    text = _comment(comment)
    _move(
        db,
        task,
        ACTIVE,
        TaskState.in_progress,
        _("Progress is reported while the task is being done."),
    )
    task.progress = progress
    db.add(task)
    entry = _log(db, task, actor, "progress", progress=progress, comment=text)
    _attach(db, task, entry, files, actor, store)
    record(db, actor, "task.progress", ("task", task.id), progress=progress, files=len(files))
    db.commit()
    return entry


def comment(
    db: Session,
    task: Task,
    *,
    actor: Actor,
    text: str,
    files: Sequence[Checked] = (),
    store: BlobStore | None = None,
) -> TaskUpdate:
    """A comment (with files) by the assignee or the secretariat on a task not finished."""
    if task.state not in PENDING:
        raise conflict(_("A finished task takes no more comments."))
    text = _comment(text)
    if not text and not files:
        raise Refusal(_("Write a comment or choose a file."), "comment")
    entry = _log(db, task, actor, "comment", comment=text)
    _attach(db, task, entry, files, actor, store)
    record(db, actor, "task.commented", ("task", task.id), files=len(files))
    db.commit()
    return entry


def submit(db: Session, task: Task, *, actor: Actor, comment: str = "") -> Task:
    """The assignee reports the task done; the secretariat who assigned it is told."""
    text = _comment(comment)
    _move(db, task, ACTIVE, TaskState.submitted, _("Only a task being done can be reported done."))
    task.progress = 100
    db.add(task)
    _log(db, task, actor, "submitted", progress=100, comment=text)
    notify(
        db, [task.created_by], "task_submitted", organisation_id=task.organisation_id, **_told(task)
    )
    record(db, actor, "task.submitted", ("task", task.id))
    db.commit()
    return task


def accept(db: Session, task: Task, *, actor: Actor, comment: str = "") -> Task:
    """The secretariat accepts a task reported done: it is done."""
    text = _comment(comment)
    _move(
        db,
        task,
        (TaskState.submitted,),
        TaskState.done,
        _("Only a task reported done can be accepted."),
    )
    task.done_at = utcnow()
    db.add(task)
    _log(db, task, actor, "accepted", comment=text)
    notify(
        db, [task.assignee_id], "task_accepted", organisation_id=task.organisation_id, **_told(task)
    )
    record(db, actor, "task.accepted", ("task", task.id))
    db.commit()
    return task


def _reason(value: str) -> str:
    return _text(value, COMMENT_MAX, "comment", required=True)


def send_back(db: Session, task: Task, *, actor: Actor, reason: str) -> Task:
    """The secretariat returns a task reported done, saying why: it is being done again."""
    text = _reason(reason)
    _move(
        db,
        task,
        (TaskState.submitted,),
        TaskState.in_progress,
        _("Only a task reported done can be returned."),
    )
    _log(db, task, actor, "returned", comment=text)
    told = _told(task, reason=text)
    notify(db, [task.assignee_id], "task_returned", organisation_id=task.organisation_id, **told)
    record(db, actor, "task.returned", ("task", task.id), reason=text[:500])
    db.commit()
    return task


def cancel(db: Session, task: Task, *, actor: Actor, reason: str) -> Task:
    """The secretariat cancels a task not finished, saying why; it stays on record."""
    text = _reason(reason)
    _move(db, task, PENDING, TaskState.cancelled, _("A finished task cannot be cancelled."))
    _log(db, task, actor, "cancelled", comment=text)
    told = _told(task, reason=text)
    notify(db, [task.assignee_id], "task_cancelled", organisation_id=task.organisation_id, **told)
    record(db, actor, "task.cancelled", ("task", task.id), reason=text[:500])
    db.commit()
    return task
