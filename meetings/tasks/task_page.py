"""The task's page: its facts, source and history, and the steps each person may take there.

The assignee reports progress (with a comment and files), comments, and reports the task done;
the secretariat comments, accepts, returns and cancels. Bad input answers 422 and a step the
task's state no longer allows 409, both with the page again and the message at the form; nothing
is stored then. Files are always sent as downloads, never shown inline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from meetings.agenda.queries import body_names
from meetings.agenda.web import viewer
from meetings.db import utcnow
from meetings.documents import validation
from meetings.documents.queries import size_text
from meetings.documents.validation import content_disposition
from meetings.errors import Refusal
from meetings.i18n import N_, _
from meetings.tasks import access, actions, labels, queries
from meetings.tasks.actions import Checked
from meetings.tasks.models import Task, TaskAttachment
from meetings.tasks.queries import ACTIVE, PENDING
from meetings.web import uploads
from meetings.web.handler import Context, page

Errors = dict[str, dict[str, str]]  # by form ("progress", "comment", "accept"...), by field
DONE = {
    "progress": N_("Your progress report has been saved."),
    "comment": N_("Your comment has been added."),
    "submit": N_("The task is reported done; the secretariat has been told."),
    "accept": N_("The task has been accepted as done."),
    "return": N_("The task has been returned to its assignee."),
    "cancel": N_("The task has been cancelled."),
}


def today(ctx: Context) -> date:
    """Today in the organisation's calendar: the day due dates are compared with."""
    zone = ctx.organisation.timezone if ctx.organisation else ctx.config.timezone
    return queries.today_in(zone, utcnow())


def task_url(task: Task) -> str:
    return f"/tasks/{task.id}"


def task_or_404(ctx: Context) -> Task:
    """The task in the path, if the viewer may see it."""
    task = access.visible(ctx.db, viewer(ctx), ctx.request.path_params["task_id"])
    if task is None:
        raise HTTPException(404)
    return task


def managed_or_403(ctx: Context) -> Task:
    """The task, for the body's secretariat only (403 for others who see it)."""
    task = task_or_404(ctx)
    if not access.may_manage(ctx.db, viewer(ctx), task):
        raise HTTPException(403)
    return task


def assigned_or_403(ctx: Context) -> Task:
    """The task, for its assignee only (403 for others who see it)."""
    task = task_or_404(ctx)
    if not access.is_assignee(viewer(ctx), task):
        raise HTTPException(403)
    return task


def _files_by_update(ctx: Context, task: Task) -> dict[int | None, list[TaskAttachment]]:
    grouped: dict[int | None, list[TaskAttachment]] = {}
    for attachment in queries.attachments_of(ctx.db, task.id or 0):
        grouped.setdefault(attachment.update_id, []).append(attachment)
    return grouped


def render_task(
    ctx: Context,
    task: Task,
    *,
    status: int = 200,
    errors: Errors | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    """The page, or to htmx the fragment the page includes."""
    ctx.db.refresh(task)
    who = viewer(ctx)
    updates = queries.history(ctx.db, task.id or 0)
    return ctx.render(
        "tasks/task.html",
        status,
        fragment="tasks/_task.html",
        page_title=task.title,
        task=task,
        body_name=body_names(ctx.db, task.organisation_id).get(task.body_id, ""),
        source=queries.source_of(ctx.db, task),
        updates=updates,
        files=_files_by_update(ctx, task),
        names=queries.names(ctx.db, task, updates),
        manages=access.may_manage(ctx.db, who, task),
        assigned=access.is_assignee(who, task),
        working=task.state in ACTIVE,
        pending=task.state in PENDING,
        overdue=queries.is_overdue(task, today(ctx)),
        states=labels.STATES,
        kinds=labels.KINDS,
        day=labels.day,
        size_text=size_text,
        limit_mb=uploads.limit_mb(ctx),
        accepted=validation.ACCEPTED,
        errors=errors or {},
        typed=typed or {},
    )


@page()
def task_view(ctx: Context) -> Response:
    return render_task(ctx, task_or_404(ctx))


# -- the steps -----------------------------------------------------------------------------


def _step(
    ctx: Context, name: str, task: Task, run: Callable[[list[Checked]], object], files: bool
) -> Response:
    """Receive the files (if the form takes them), take the one step, and go back to the task;
    a refusal shows the page again with its message at the form."""
    checked: list[Checked] = []
    try:
        checked = uploads.check_files(ctx, most=actions.FILES_MAX, too_large=422) if files else []
        run(checked)
    except Refusal as refusal:
        ctx.db.rollback()
        errors = {name: {refusal.field: refusal.message}}
        typed = {"progress": ctx.field("progress"), "comment": ctx.field("comment")}
        return render_task(ctx, task, status=refusal.status, errors=errors, typed=typed)
    finally:
        uploads.discard(checked)
    ctx.flash(_(DONE[name]))
    return ctx.redirect(task_url(task))


def _progress(value: str) -> int:
    if not value.isdigit() or int(value) > 100:
        raise Refusal(_("Give the progress as a whole number from 0 to 100."), "progress")
    return int(value)


@page()
def task_progress(ctx: Context) -> Response:
    """The assignee's progress report, with a comment and files."""
    task = assigned_or_403(ctx)
    store = ctx.request.app.state.blobs

    def run(files: list[Checked]) -> object:
        progress = _progress(ctx.field("progress"))
        return actions.report(
            ctx.db,
            task,
            actor=ctx.actor,
            progress=progress,
            comment=ctx.field("comment"),
            files=files,
            store=store,
        )

    return _step(ctx, "progress", task, run, files=True)


@page()
def task_comment(ctx: Context) -> Response:
    """A comment with files, by the assignee or the secretariat."""
    task = task_or_404(ctx)
    who = viewer(ctx)
    if not (access.is_assignee(who, task) or access.may_manage(ctx.db, who, task)):
        raise HTTPException(403)
    store = ctx.request.app.state.blobs

    def run(files: list[Checked]) -> object:
        text = ctx.field("comment")
        return actions.comment(ctx.db, task, actor=ctx.actor, text=text, files=files, store=store)

    return _step(ctx, "comment", task, run, files=True)


@page()
def task_submit(ctx: Context) -> Response:
    task = assigned_or_403(ctx)

    def run(_files: list[Checked]) -> object:
        return actions.submit(ctx.db, task, actor=ctx.actor, comment=ctx.field("comment"))

    return _step(ctx, "submit", task, run, files=False)


def _secretariat_step(name: str, act: Callable[..., Task], keyword: str) -> Any:
    """Accept, return or cancel: the body's secretariat, with the form's comment."""

    def handler(ctx: Context) -> Response:
        task = managed_or_403(ctx)

        def run(_files: list[Checked]) -> object:
            return act(ctx.db, task, actor=ctx.actor, **{keyword: ctx.field("comment")})

        return _step(ctx, name, task, run, files=False)

    handler.__name__ = f"task_{name}"
    return page()(handler)


task_accept = _secretariat_step("accept", actions.accept, "comment")
task_return = _secretariat_step("return", actions.send_back, "reason")
task_cancel = _secretariat_step("cancel", actions.cancel, "reason")


def send_file(ctx: Context, attachment: TaskAttachment) -> Response:
    """A task's file, always as a download and never sniffed into something else."""
    headers = {
        "Content-Disposition": content_disposition(attachment.filename),
        "Cache-Control": "private, no-cache",
        "ETag": f'"{attachment.blob}"',
        "X-Content-Type-Options": "nosniff",
    }
    path = ctx.request.app.state.blobs.path(attachment.blob)
    return FileResponse(path, headers=headers, media_type=attachment.media_type)


@page()
def task_file(ctx: Context) -> Response:
    """A file of the task, to whoever may see the task."""
    task = task_or_404(ctx)
    attachment = queries.attachment_of(ctx.db, task, ctx.request.path_params["file_id"])
    if attachment is None:
        raise HTTPException(404)
    return send_file(ctx, attachment)


TASK = "/tasks/{task_id:int}"
routes = [
    Route(TASK, task_view),
    Route(TASK + "/progress", task_progress, methods=["POST"]),
    Route(TASK + "/comment", task_comment, methods=["POST"]),
    Route(TASK + "/submit", task_submit, methods=["POST"]),
    Route(TASK + "/accept", task_accept, methods=["POST"]),
    Route(TASK + "/return", task_return, methods=["POST"]),
    Route(TASK + "/cancel", task_cancel, methods=["POST"]),
    Route(TASK + "/files/{file_id:int}", task_file),
]
