"""Task pages: my tasks, the board, and the form that assigns a task or changes it.

Bad input (422) shows the form again with the message at its field; nothing is stored then.
The task's own page, its steps and its files are in task_page.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda import access as meeting_access
from meetings.agenda.queries import bodies_to_prepare, body_names
from meetings.agenda.web import viewer
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.organisations import queries as org_queries
from meetings.organisations.models import Body
from meetings.tasks import actions, labels, queries, task_page
from meetings.tasks.actions import Facts
from meetings.tasks.models import Task
from meetings.tasks.queries import PENDING, Filters, Source
from meetings.tasks.task_page import today
from meetings.web.handler import Context, page

FIELDS = ("body_id", "title", "description", "agency", "assignee_id", "due")
Errors = dict[str, str]


def _shown(ctx: Context, **values: Any) -> dict[str, Any]:
    return {"states": labels.STATES, "day": labels.day, "today": today(ctx), **values}


# -- the lists -----------------------------------------------------------------------------


@page()
def my_tasks(ctx: Context) -> Response:
    """The viewer's own tasks: overdue first, then by due day; finished ones below."""
    rows = queries.mine(ctx.db, viewer(ctx), today(ctx))
    return ctx.render(
        "tasks/mine.html",
        page_title=_("My tasks"),
        pending=[row for row in rows if row.task.state in PENDING],
        finished=[row for row in rows if row.task.state not in PENDING],
        may_assign=bool(bodies_to_prepare(ctx.db, viewer(ctx))),
        **_shown(ctx),
    )


def _filters(
    ctx: Context, bodies: dict[int, str], agencies: list[str]
) -> tuple[Filters, list[str]]:
    """The body, agency and state asked for; a value we do not know is ignored and said so."""
    params = ctx.request.query_params
    raw_body = params.get("body", "")
    agency, state = params.get("agency", ""), params.get("state", "")
    ignored = []
    body_id = int(raw_body) if raw_body.isdigit() and int(raw_body) in bodies else None
    if raw_body and body_id is None:
        ignored.append(_("That body was not found, so tasks of every body are shown."))
    if agency and agency not in agencies:
        ignored.append(_("No task names that agency, so tasks of every agency are shown."))
        agency = ""
    if state and state not in labels.STATES and state != "overdue":
        ignored.append(_("That state is not known, so tasks in every state are shown."))
        state = ""
    return Filters(body_id, agency or None, state or None), ignored


@page()
def task_board(ctx: Context) -> Response:
    """Every task the viewer may see, by body, agency and state; overdue first."""
    who = viewer(ctx)
    bodies = body_names(ctx.db, who.organisation_id)
    agencies = queries.agencies(ctx.db, who)
    wanted, ignored = _filters(ctx, bodies, agencies)
    rows = queries.board(ctx.db, who, today(ctx), wanted)
    return ctx.render(
        "tasks/board.html",
        fragment="tasks/_board.html",
        page_title=_("Tasks of the bodies"),
        rows=rows,
        overdue=sum(1 for row in rows if row.overdue),
        bodies=bodies,
        agencies=agencies,
        chosen={
            "body": str(wanted.body_id or ""),
            "agency": wanted.agency or "",
            "state": wanted.state or "",
        },
        ignored=ignored,
        may_assign=bool(bodies_to_prepare(ctx.db, who)),
        overdue_label=labels.OVERDUE,
        **_shown(ctx),
    )


# -- reading the form ----------------------------------------------------------------------


def _day(value: str, field: str) -> date | None:
    """A date from a date input (2026-11-22), or typed the Vietnamese way (22/11/2026)."""
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if 2000 <= day.year <= 2100:
            return day
    raise Refusal(_("Give the date as day/month/year, for example 22/11/2026."), field)


def _person(value: str) -> int | None:
    if value and not value.isdigit():
        raise Refusal(_("Choose a person of this organisation."), "assignee_id")
    return int(value) if value else None


def _facts(ctx: Context) -> Facts:
    return Facts(
        title=ctx.field("title"),
        description=ctx.field("description"),
        agency=ctx.field("agency"),
        assignee_id=_person(ctx.field("assignee_id")),
        due=_day(ctx.field("due"), "due"),
    )


def _typed(ctx: Context) -> dict[str, str]:
    return {name: ctx.field(name) for name in FIELDS}


def _prefilled(task: Task) -> dict[str, str]:
    return {
        "body_id": str(task.body_id),
        "title": task.title,
        "description": task.description,
        "agency": task.agency,
        "assignee_id": str(task.assignee_id),
        "due": task.due.isoformat(),
    }


def _refused(ctx: Context, refusal: Refusal) -> Errors:
    """Undo whatever the action began; a refused state change is the 409 page."""
    ctx.db.rollback()
    if refusal.status != 422:
        raise HTTPException(refusal.status, refusal.message)
    return {refusal.field: refusal.message}


def _form(
    ctx: Context,
    values: dict[str, str],
    *,
    task: Task | None = None,
    source: Source | None = None,
    errors: Errors | None = None,
    status: int = 200,
) -> Response:
    people = [(user.id, user.name) for user, _role in org_queries.people(ctx.db, ctx.org_id())]
    return ctx.render(
        "tasks/form.html",
        status,
        page_title=_("Change the task") if task else _("New task"),
        task=task,
        source=source,
        values=values,
        errors=errors or {},
        bodies=bodies_to_prepare(ctx.db, viewer(ctx)),
        body_names=body_names(ctx.db, ctx.org_id()),
        people=people,
        agencies=queries.agencies(ctx.db, viewer(ctx)),
        **_shown(ctx),
    )


# -- new and change ------------------------------------------------------------------------


def _source(ctx: Context, choices: list[tuple[int, str]]) -> Source | None:
    """The conclusion named by ?section= (or the form's field): 404 unless the viewer sees its
    meeting, 403 unless they are the secretariat of its body."""
    raw = ctx.field("section") or ctx.request.query_params.get("section", "")
    if not raw:
        return None
    found = queries.source(ctx.db, ctx.org_id(), int(raw)) if raw.isdigit() else None
    if found is None or not meeting_access.visible(ctx.db, viewer(ctx), found.meeting.id or 0):
        raise HTTPException(404)
    if found.meeting.body_id not in dict(choices):
        raise HTTPException(403)
    return found


def _chosen_body(ctx: Context, choices: list[tuple[int, str]], source: Source | None) -> Body:
    raw = str(source.meeting.body_id) if source else ctx.field("body_id")
    body = org_queries.body(ctx.db, ctx.org_id(), int(raw)) if raw.isdigit() else None
    if body is None or body.id not in dict(choices):
        raise Refusal(_("Choose a body from the list."), "body_id")
    return body


def _from_source(source: Source | None, choices: list[tuple[int, str]]) -> dict[str, str]:
    if source is None:
        return {"body_id": str(choices[0][0]) if len(choices) == 1 else ""}
    conclusion = source.section.conclusion.strip()
    return {
        "body_id": str(source.meeting.body_id),
        "title": source.title,
        "description": conclusion[: actions.DESCRIPTION_MAX],
    }


@page()
def task_new(ctx: Context) -> Response:
    """Assign a task (the secretariat), from a conclusion with ?section=."""
    choices = bodies_to_prepare(ctx.db, viewer(ctx))
    if not choices:
        raise HTTPException(403)
    source = _source(ctx, choices)
    if ctx.request.method == "GET":
        return _form(ctx, _from_source(source, choices), source=source)
    try:
        body = _chosen_body(ctx, choices, source)
        task = actions.create(
            ctx.db, body, actor=ctx.actor, facts=_facts(ctx), today=today(ctx), source=source
        )
    except Refusal as refusal:
        errors = _refused(ctx, refusal)
        return _form(ctx, _typed(ctx), source=source, errors=errors, status=422)
    ctx.flash(_("The task has been assigned and its assignee told."))
    return ctx.redirect(f"/tasks/{task.id}")


@page()
def task_edit(ctx: Context) -> Response:
    """Change a task: its words, its assignee, its due day (the secretariat)."""
    task = task_page.managed_or_403(ctx)
    if task.state not in PENDING:
        raise HTTPException(409, _("A finished task cannot be changed."))
    source = queries.source_of(ctx.db, task)
    if ctx.request.method == "GET":
        return _form(ctx, _prefilled(task), task=task, source=source)
    try:
        actions.change(ctx.db, task, actor=ctx.actor, facts=_facts(ctx), today=today(ctx))
    except Refusal as refusal:
        errors = _refused(ctx, refusal)
        values = {**_typed(ctx), "body_id": str(task.body_id)}
        return _form(ctx, values, task=task, source=source, errors=errors, status=422)
    ctx.flash(_("The changes have been saved."))
    return ctx.redirect(f"/tasks/{task.id}")


routes = [
    Route("/tasks", my_tasks),
    Route("/tasks/board", task_board),
    Route("/tasks/new", task_new, methods=["GET", "POST"]),
    Route("/tasks/{task_id:int}/edit", task_edit, methods=["GET", "POST"]),
    *task_page.routes,
]
