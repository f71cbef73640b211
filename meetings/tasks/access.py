"""Who may see and do what with a follow-up task. Anything not visible answers 404.

The body's secretariat (meetings.agenda.access.is_secretariat) assigns, changes, accepts,
returns and cancels; the assignee reports progress, comments, attaches files and reports the
task done; the body's chair and members read the body's tasks (a guest does not). Nobody
else in the organisation sees a task, and nobody of another organisation ever does.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from meetings.agenda.access import Viewer, is_secretariat
from meetings.organisations.models import Body, BodyRole, Membership, OrgRole
from meetings.tasks.models import Task

READERS = (BodyRole.chair, BodyRole.member, BodyRole.secretary)


def may_manage(db: Session, viewer: Viewer, task: Task) -> bool:
    """Assign, change, accept, return, cancel: the body's secretariat."""
    return task.organisation_id == viewer.organisation_id and is_secretariat(
        db, viewer, task.body_id
    )


def is_assignee(viewer: Viewer, task: Task) -> bool:
    """Report progress, comment, attach, report done: the responsible person."""
    return task.organisation_id == viewer.organisation_id and task.assignee_id == viewer.user_id


def readable_bodies(db: Session, viewer: Viewer) -> list[int]:
    """The bodies whose every task the viewer reads: all for the organisation's secretariat,
    else those where they hold a seat other than a guest's."""
    if viewer.org_role in (OrgRole.admin, OrgRole.secretary):
        query = select(Body.id).where(Body.organisation_id == viewer.organisation_id)
        return [body_id for body_id in db.exec(query) if body_id is not None]
    seats = select(Membership.body_id).join(Body, col(Body.id) == Membership.body_id)
    seats = seats.where(
        Body.organisation_id == viewer.organisation_id,
        Membership.user_id == viewer.user_id,
        col(Membership.role).in_(READERS),
    )
    return list(db.exec(seats))


def visible(db: Session, viewer: Viewer, task_id: int) -> Task | None:
    """The task, if the viewer may see it."""
    task = db.get(Task, task_id)
    if task is None or task.organisation_id != viewer.organisation_id:
        return None
    if is_assignee(viewer, task) or task.body_id in readable_bodies(db, viewer):
        return task
    return None
