"""API for a meeting's records: the minutes, the conclusion notice and their addenda.

A record the caller may not read answers 404 (a draft is read by the meeting's secretariat and
chair only); one they may read but not change answers 403; a change the record's state refuses
(a final record, comments on a record not circulated) answers 409. Saving a section names the
version it was based on: if someone saved since, the answer is 409 with both texts under
`error.current` and `error.yours`, and nothing is stored.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.routing import Route

from meetings.agenda import web
from meetings.agenda.api import in_organisation
from meetings.agenda.queries import names_of
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.minutes import access, actions, autofill, queries
from meetings.minutes.access import Visible
from meetings.minutes.api_models import (
    RecordCommentCreate,
    RecordCommentInfo,
    RecordCreate,
    RecordDetail,
    RecordFactLine,
    RecordSectionInfo,
    RecordSummary,
    RecordTransition,
    RecordUpdate,
    SectionRevisionInfo,
    SectionSave,
)
from meetings.minutes.models import MeetingRecord, RecordComment, RecordState
from meetings.minutes.queries import Part
from meetings.minutes.web import require_approve, require_edit, require_history
from meetings.web.api import api
from meetings.web.handler import Context

TAGS = ("minutes",)
RECORD = "/records/{record_id:int}"
SECTION = RECORD + "/sections/{section_id:int}"


def _found(ctx: Context) -> Visible:
    in_organisation(ctx)
    found = access.visible(ctx.db, web.viewer(ctx), ctx.request.path_params["record_id"])
    if found is None:
        raise HTTPException(404, _("There is no such record."))
    return found


def _part(ctx: Context, found: Visible) -> Part:
    wanted = ctx.request.path_params["section_id"]
    for part in queries.parts_of(ctx.db, found.record, found.meeting):
        if part.section.id == wanted:
            return part
    raise HTTPException(404, _("There is no such section."))


def _summary(record: MeetingRecord) -> RecordSummary:
    return RecordSummary(**record.model_dump(include=set(RecordSummary.model_fields)))


def _section(part: Part, lines: list[autofill.Line]) -> RecordSectionInfo:
    section = part.section
    return RecordSectionInfo(
        **section.model_dump(include={"id", "item_id", "text", "conclusion", "version"}),
        updated_by=section.updated_by,
        updated_at=section.updated_at,
        number=part.number,
        title=part.title,
        fields=list(part.fields),
        automatic=[RecordFactLine(label=line.label, values=list(line.values)) for line in lines],
    )


def _detail(ctx: Context, found: Visible) -> RecordDetail:
    facts = autofill.facts(ctx.db, found.meeting)
    viewer, record, meeting = web.viewer(ctx), found.record, found.meeting
    final = record.state == RecordState.final
    return RecordDetail(
        **_summary(record).model_dump(),
        sections=[
            _section(part, facts.get(part.section.item_id, []))
            for part in queries.parts_of(ctx.db, record, meeting)
        ],
        may_edit=not final and access.may_edit(ctx.db, viewer, meeting),
        may_approve=not final and access.may_approve(ctx.db, viewer, meeting),
        may_comment=record.state == RecordState.circulated
        and access.may_comment(ctx.db, viewer, meeting),
    )


@api(
    "GET",
    "/meetings/{meeting_id:int}/records",
    summary="The records of a meeting you may read: minutes, conclusion notice, addenda",
    response=list[RecordSummary],
    tags=TAGS,
)
def list_records(ctx: Context) -> list[RecordSummary]:
    in_organisation(ctx)
    meeting = web.meeting_or_404(ctx)
    viewer = web.viewer(ctx)
    return [
        _summary(record)
        for record in queries.records_of(ctx.db, meeting.id or 0)
        if access.may_read(ctx.db, viewer, meeting, record)
    ]


@api(
    "POST",
    "/meetings/{meeting_id:int}/records",
    summary="Start the minutes or the conclusion notice (the secretariat, from the opening of "
    "the session on): a section for the opening and for every agenda item",
    body=RecordCreate,
    response=RecordDetail,
    status=201,
    tags=TAGS,
)
def start_record(ctx: Context, wanted: RecordCreate) -> RecordDetail:
    in_organisation(ctx)
    meeting = web.meeting_or_404(ctx)
    if not access.may_edit(ctx.db, web.viewer(ctx), meeting):
        raise Refusal(_("Only the meeting's secretariat may do this."), status=403)
    started = actions.start(ctx.db, meeting, actor=ctx.actor, kind=wanted.kind)
    return _detail(ctx, Visible(started, meeting))


@api(
    "GET",
    RECORD,
    summary="A record with its sections in agenda order, each with what the system recorded",
    response=RecordDetail,
    tags=TAGS,
)
def get_record(ctx: Context) -> RecordDetail:
    return _detail(ctx, _found(ctx))


@api(
    "PATCH",
    RECORD,
    summary="Give the record its number and symbol (the secretariat; not once final)",
    body=RecordUpdate,
    response=RecordDetail,
    tags=TAGS,
)
def number_record(ctx: Context, wanted: RecordUpdate) -> RecordDetail:
    found = _found(ctx)
    require_edit(ctx, found)
    actions.set_number(ctx.db, found.record, actor=ctx.actor, number=wanted.number)
    return _detail(ctx, found)


def _conflict(conflict: actions.Conflict) -> JSONResponse:
    current = conflict.current
    return JSONResponse(
        {
            "error": {
                "code": "conflict",
                "message": conflict.message,
                "current": {
                    "text": current.text,
                    "conclusion": current.conclusion,
                    "version": current.version,
                    "updated_by": current.updated_by,
                    "updated_at": current.updated_at.isoformat(),
                },
                "yours": {
                    "text": conflict.text,
                    "conclusion": conflict.conclusion,
                    "base_version": conflict.base_version,
                },
            }
        },
        status_code=409,
    )


@api(
    "PUT",
    SECTION,
    summary="Save a section over the version it was based on (the secretariat): a new "
    "version and revision; 409 with both texts if someone saved since",
    body=SectionSave,
    response=RecordSectionInfo,
    tags=TAGS,
)
def save_section(ctx: Context, wanted: SectionSave) -> RecordSectionInfo | JSONResponse:
    found = _found(ctx)
    part = _part(ctx, found)
    require_edit(ctx, found)
    section = part.section
    try:
        saved = actions.save_section(
            ctx.db,
            found.record,
            section,
            actor=ctx.actor,
            text=section.text if wanted.text is None else wanted.text,
            conclusion=section.conclusion if wanted.conclusion is None else wanted.conclusion,
            base_version=wanted.base_version,
        )
    except actions.Conflict as conflict:
        return _conflict(conflict)
    lines = autofill.facts(ctx.db, found.meeting).get(saved.item_id, [])
    return _section(part, lines)  # the part's section is the one just saved


@api(
    "GET",
    SECTION + "/revisions",
    summary="Every save of a section, newest first (the secretariat and the chair)",
    response=list[SectionRevisionInfo],
    tags=TAGS,
)
def section_revisions(ctx: Context) -> list[SectionRevisionInfo]:
    found = _found(ctx)
    part = _part(ctx, found)
    require_history(ctx, found)
    return [
        SectionRevisionInfo(**revision.model_dump(include=set(SectionRevisionInfo.model_fields)))
        for revision in queries.revisions_of(ctx.db, part.section.id or 0)
    ]


@api(
    "POST",
    RECORD + "/transitions",
    summary="Circulate for comments (the secretariat), approve as final (the chair), or "
    "correct a final record with an addendum (the secretariat; answers the addendum)",
    body=RecordTransition,
    response=RecordDetail,
    tags=TAGS,
)
def transition(ctx: Context, wanted: RecordTransition) -> RecordDetail:
    found = _found(ctx)
    if wanted.action == "approve":
        require_approve(ctx, found)
        actions.approve(ctx.db, found.record, actor=ctx.actor)
        return _detail(ctx, found)
    require_edit(ctx, found)
    if wanted.action == "circulate":
        actions.circulate(ctx.db, found.record, found.meeting, actor=ctx.actor)
        return _detail(ctx, found)
    added = actions.addendum(ctx.db, found.record, actor=ctx.actor)
    return _detail(ctx, Visible(added, found.meeting))


def _comment(note: RecordComment, names: dict[int, str]) -> RecordCommentInfo:
    return RecordCommentInfo(
        **note.model_dump(include={"id", "section_id", "user_id", "text", "at"}),
        author=names.get(note.user_id, ""),
    )


@api(
    "GET",
    RECORD + "/comments",
    summary="The participants' comments on a record, oldest first",
    response=list[RecordCommentInfo],
    tags=TAGS,
)
def list_comments(ctx: Context) -> list[RecordCommentInfo]:
    found = _found(ctx)
    notes = queries.comments_of(ctx.db, found.record.id or 0)
    names = names_of(ctx.db, {note.user_id for note in notes})
    return [_comment(note, names) for note in notes]


@api(
    "POST",
    RECORD + "/comments",
    summary="Comment on a circulated record, on one section or on the whole (participants)",
    body=RecordCommentCreate,
    response=RecordCommentInfo,
    status=201,
    tags=TAGS,
)
def add_comment(ctx: Context, wanted: RecordCommentCreate) -> RecordCommentInfo:
    found = _found(ctx)
    if not access.may_comment(ctx.db, web.viewer(ctx), found.meeting):
        raise Refusal(_("Only the meeting's participants comment on its records."), status=403)
    section = None
    if wanted.section_id is not None:
        section = queries.section_of(ctx.db, found.record, wanted.section_id)
        if section is None:
            raise Refusal(_("This section is not part of this record."), "section_id")
    note = actions.comment(ctx.db, found.record, actor=ctx.actor, text=wanted.text, section=section)
    user_id = ctx.user.id if ctx.user else 0
    return _comment(note, names_of(ctx.db, {user_id}))


routes: list[Route] = [
    list_records,
    start_record,
    get_record,
    number_record,
    save_section,
    section_revisions,
    transition,
    list_comments,
    add_comment,
]
