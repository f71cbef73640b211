"""API for follow-up tasks: the list, assigning and changing (the secretariat), progress and
comments, the steps of a task's life, and its files.

A task the caller may not see answers 404 (always, for another organisation's); one they may
see but not act on answers 403; a step the task's state does not allow answers 409. Due days
are dates in the organisation's calendar (2026-12-31); "overdue" is counted in it too.
"""

from __future__ import annotations

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda import access as meeting_access
from meetings.agenda import web
from meetings.agenda.api import in_organisation
from meetings.documents import validation
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.organisations import queries as org_queries
from meetings.tasks import access, actions, queries
from meetings.tasks.actions import Checked, Facts
from meetings.tasks.api_models import (
    TaskChange,
    TaskCreate,
    TaskFileFields,
    TaskFileInfo,
    TaskFilter,
    TaskInfo,
    TaskReport,
    TaskSummary,
    TaskTransition,
    TaskUpdateInfo,
)
from meetings.tasks.models import Task, TaskAttachment
from meetings.tasks.queries import Filters, TaskRow
from meetings.tasks.task_page import send_file, today
from meetings.web.api import PREFIX, api, validation_message
from meetings.web.handler import Context
from meetings.web.multipart import Upload

TAGS = ("tasks",)
TASK = "/tasks/{task_id:int}"
FILE_TYPES = ("application/octet-stream",)


def _task(ctx: Context) -> Task:
    in_organisation(ctx)
    task = access.visible(ctx.db, web.viewer(ctx), ctx.request.path_params["task_id"])
    if task is None:
        raise HTTPException(404, _("There is no such task."))
    return task


def _managed(ctx: Context) -> Task:
    task = _task(ctx)
    if not access.may_manage(ctx.db, web.viewer(ctx), task):
        raise Refusal(_("Only the body's secretariat may do this."), status=403)
    return task


def _assigned(ctx: Context) -> Task:
    task = _task(ctx)
    if not access.is_assignee(web.viewer(ctx), task):
        raise Refusal(_("Only the task's assignee may do this."), status=403)
    return task


def _speaks(ctx: Context) -> Task:
    """The assignee or the secretariat: those who comment and attach files."""
    task = _task(ctx)
    who = web.viewer(ctx)
    if not (access.is_assignee(who, task) or access.may_manage(ctx.db, who, task)):
        raise Refusal(_("Only the assignee or the secretariat may do this."), status=403)
    return task


def _summary(row: TaskRow) -> TaskSummary:
    fields = set(TaskSummary.model_fields) - {"overdue"}
    return TaskSummary(**row.task.model_dump(include=fields), overdue=row.overdue)


def _file(attachment: TaskAttachment) -> TaskFileInfo:
    return TaskFileInfo(
        **attachment.model_dump(include=set(TaskFileInfo.model_fields)),
        sha256=attachment.blob,
        file_url=f"{PREFIX}/tasks/{attachment.task_id}/files/{attachment.id}",
    )


def _info(ctx: Context, task: Task) -> TaskInfo:
    ctx.db.refresh(task)
    who = web.viewer(ctx)
    fields = set(TaskInfo.model_fields) - {"overdue", "may_manage", "is_assignee"}
    return TaskInfo(
        **task.model_dump(include=fields - {"updates", "files"}),
        overdue=queries.is_overdue(task, today(ctx)),
        may_manage=access.may_manage(ctx.db, who, task),
        is_assignee=access.is_assignee(who, task),
        updates=[
            TaskUpdateInfo(**u.model_dump(include=set(TaskUpdateInfo.model_fields)))
            for u in queries.history(ctx.db, task.id or 0)
        ],
        files=[_file(a) for a in queries.attachments_of(ctx.db, task.id or 0)],
    )


def _filters(ctx: Context) -> TaskFilter:
    try:
        return TaskFilter.model_validate(dict(ctx.request.query_params))
    except ValidationError as error:
        raise Refusal(validation_message(error)) from error


@api(
    "GET",
    "/tasks",
    summary="Tasks you may see, overdue first, then by due day (filters: body_id, agency, "
    "state or overdue, assignee_id, mine)",
    response=list[TaskSummary],
    tags=TAGS,
)
def list_tasks(ctx: Context) -> list[TaskSummary]:
    in_organisation(ctx)
    wanted = _filters(ctx)
    who = web.viewer(ctx)
    assignee = who.user_id if wanted.mine else wanted.assignee_id
    state = str(wanted.state) if wanted.state else None
    rows = queries.board(
        ctx.db, who, today(ctx), Filters(wanted.body_id, wanted.agency, state, assignee)
    )
    return [_summary(row) for row in rows]


@api(
    "POST",
    "/tasks",
    summary="Assign a task of a body to a person, from a conclusion if given (the body's "
    "secretariat)",
    body=TaskCreate,
    response=TaskInfo,
    status=201,
    tags=TAGS,
)
def create_task(ctx: Context, wanted: TaskCreate) -> TaskInfo:
    in_organisation(ctx)
    body = org_queries.body(ctx.db, ctx.org_id(), wanted.body_id)
    if body is None:
        raise HTTPException(404, _("There is no such body."))
    who = web.viewer(ctx)
    if not meeting_access.is_secretariat(ctx.db, who, body.id or 0):
        raise Refusal(_("Only the body's secretariat may do this."), status=403)
    source = None
    if wanted.section_id is not None:
        source = queries.source(ctx.db, ctx.org_id(), wanted.section_id)
        if source is None:
            raise Refusal(_("There is no such conclusion."), "section_id")
    facts = Facts(wanted.title, wanted.description, wanted.agency, wanted.assignee_id, wanted.due)
    task = actions.create(
        ctx.db, body, actor=ctx.actor, facts=facts, today=today(ctx), source=source
    )
    return _info(ctx, task)


@api("GET", TASK, summary="A task with its history and files", response=TaskInfo, tags=TAGS)
def get_task(ctx: Context) -> TaskInfo:
    return _info(ctx, _task(ctx))


@api(
    "PATCH",
    TASK,
    summary="Change a task's words, assignee or due day (the body's secretariat; 409 once "
    "finished)",
    body=TaskChange,
    response=TaskInfo,
    tags=TAGS,
)
def change_task(ctx: Context, wanted: TaskChange) -> TaskInfo:
    task = _managed(ctx)
    sent = wanted.model_dump(exclude_unset=True)
    facts = Facts(
        **{
            name: sent[name] if sent.get(name) is not None else getattr(task, name)
            for name in ("title", "description", "agency", "assignee_id", "due")
        }
    )
    actions.change(ctx.db, task, actor=ctx.actor, facts=facts, today=today(ctx))
    return _info(ctx, task)


@api(
    "POST",
    TASK + "/updates",
    summary="Report progress with a comment (the assignee), or comment (the assignee or the "
    "secretariat)",
    body=TaskReport,
    response=TaskInfo,
    status=201,
    tags=TAGS,
)
def report_task(ctx: Context, wanted: TaskReport) -> TaskInfo:
    if wanted.progress is None:
        task = _speaks(ctx)
        actions.comment(ctx.db, task, actor=ctx.actor, text=wanted.comment)
    else:
        task = _assigned(ctx)
        actions.report(
            ctx.db, task, actor=ctx.actor, progress=wanted.progress, comment=wanted.comment
        )
    return _info(ctx, task)


@api(
    "POST",
    TASK + "/transitions",
    summary="Report done (the assignee); accept, return or cancel (the secretariat; a reason "
    "to return or cancel); 409 when the state does not allow it",
    body=TaskTransition,
    response=TaskInfo,
    tags=TAGS,
)
def transition(ctx: Context, wanted: TaskTransition) -> TaskInfo:
    if wanted.action == "submit":
        task = _assigned(ctx)
        actions.submit(ctx.db, task, actor=ctx.actor, comment=wanted.comment)
    elif wanted.action == "accept":
        task = _managed(ctx)
        actions.accept(ctx.db, task, actor=ctx.actor, comment=wanted.comment)
    elif wanted.action == "return":
        task = _managed(ctx)
        actions.send_back(ctx.db, task, actor=ctx.actor, reason=wanted.comment)
    else:
        task = _managed(ctx)
        actions.cancel(ctx.db, task, actor=ctx.actor, reason=wanted.comment)
    return _info(ctx, task)


@api(
    "POST",
    TASK + "/files",
    summary="Attach a file, with a comment: one `file` part (the assignee or the secretariat)",
    form=TaskFileFields,
    gate=_speaks,
    response=TaskFileInfo,
    status=201,
    tags=TAGS,
)
def attach_file(ctx: Context, fields: TaskFileFields, upload: Upload) -> TaskFileInfo:
    task = _speaks(ctx)
    name = upload.filename.strip()
    if not name:
        raise Refusal(_("The file came without its name. Choose the file again."), "file")
    checked = Checked(upload.received, validation.inspect(upload.received.path, name))
    entry = actions.comment(
        ctx.db,
        task,
        actor=ctx.actor,
        text=fields.comment,
        files=[checked],
        store=ctx.request.app.state.blobs,
    )
    attachment = next(
        a for a in queries.attachments_of(ctx.db, task.id or 0) if a.update_id == entry.id
    )
    return _file(attachment)


@api(
    "GET",
    TASK + "/files/{file_id:int}",
    summary="A file of the task, as a download (Range, If-Range)",
    files=FILE_TYPES,
    tags=TAGS,
)
def task_file(ctx: Context) -> Response:
    task = _task(ctx)
    attachment = queries.attachment_of(ctx.db, task, ctx.request.path_params["file_id"])
    if attachment is None:
        raise HTTPException(404, _("There is no such file."))
    return send_file(ctx, attachment)


routes: list[Route] = [
    list_tasks,
    create_task,
    get_task,
    change_task,
    report_task,
    transition,
    attach_file,
    task_file,
]
