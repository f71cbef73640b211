"""The records' pages: a meeting's records, a record with its sections, and its workflow
(number, circulate, comment, approve, correct with an addendum).

A refusal the record's state causes (409) answers the error page with its message; bad input
(422) shows the page again with the message at its field. Nothing is stored then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda.web import meeting_or_404, viewer
from meetings.errors import Refusal
from meetings.i18n import N_, _
from meetings.minutes import access, actions, export_views, labels, queries, section_views
from meetings.minutes.access import Visible
from meetings.minutes.models import MeetingRecord, RecordKind
from meetings.minutes.web import (
    found_or_404,
    record_page,
    record_url,
    record_values,
    require_approve,
    require_edit,
)
from meetings.web.handler import Context, page

DONE = {
    "circulate": N_("The record has been circulated to the participants for their comments."),
    "approve": N_("The record has been approved. It is final and read-only."),
    "addendum": N_(
        "This is the new addendum, a draft. Write the corrections, then have it approved."
    ),
    "number": N_("The number has been saved."),
    "sections": N_("The new agenda items have their sections."),
}
STARTED = N_("The record has been started, with a section for every agenda item.")
COMMENTED = N_("Your comment has been sent to the secretariat.")


def _refused(ctx: Context, refusal: Refusal) -> dict[str, str]:
    """Undo whatever the action began; a refused state change is the 409 page."""
    ctx.db.rollback()
    if refusal.status != 422:
        raise HTTPException(refusal.status, refusal.message)
    return {refusal.field: refusal.message}


# -- a meeting's records -------------------------------------------------------------------


def _records_page(
    ctx: Context, meeting_id: int, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    meeting = meeting_or_404(ctx, meeting_id)
    who = viewer(ctx)
    records = queries.records_of(ctx.db, meeting.id or 0)
    editing = access.may_edit(ctx.db, who, meeting)
    startable = [
        kind
        for kind in (RecordKind.minutes, RecordKind.conclusions)
        if editing and all(r.kind != kind for r in records)
    ]
    return ctx.render(
        "minutes/records.html",
        status,
        page_title=_("Minutes and conclusions"),
        meeting=meeting,
        records=[r for r in records if access.may_read(ctx.db, who, meeting, r)],
        startable=startable if meeting.state in actions.STARTED else [],
        kinds=labels.KINDS,
        states=labels.STATES,
        errors=errors or {},
    )


@page()
def meeting_records(ctx: Context) -> Response:
    meeting_id = ctx.request.path_params["meeting_id"]
    if ctx.request.method == "GET":
        return _records_page(ctx, meeting_id)
    meeting = meeting_or_404(ctx, meeting_id)
    if not access.may_edit(ctx.db, viewer(ctx), meeting):
        raise HTTPException(403, _("Only the meeting's secretariat may do this."))
    try:
        started = actions.start(ctx.db, meeting, actor=ctx.actor, kind=ctx.field("kind"))
    except Refusal as refusal:
        return _records_page(ctx, meeting_id, 422, _refused(ctx, refusal))
    ctx.flash(_(STARTED))
    return ctx.redirect(record_url(started))


# -- a record --------------------------------------------------------------------------------


@page()
def record(ctx: Context) -> Response:
    return record_page(ctx, found_or_404(ctx))


def _transition(name: str, check: Callable[[Context, Visible], None], run: Any) -> Any:
    def handler(ctx: Context) -> Response:
        found = found_or_404(ctx)
        check(ctx, found)
        try:
            result = run(ctx, found)
        except Refusal as refusal:
            errors = {name: _refused(ctx, refusal)}
            return record_page(ctx, found_or_404(ctx), 422, errors=errors)
        ctx.flash(_(DONE[name]))
        return ctx.redirect(record_url(result))

    handler.__name__ = f"record_{name}"
    return page()(handler)


def _add_sections(ctx: Context, found: Visible) -> MeetingRecord:
    actions.add_sections(ctx.db, found.record, found.meeting, actor=ctx.actor)
    return found.record


RUN: dict[str, tuple[Callable[[Context, Visible], None], Any]] = {
    "circulate": (
        require_edit,
        lambda ctx, f: actions.circulate(ctx.db, f.record, f.meeting, actor=ctx.actor),
    ),
    "approve": (require_approve, lambda ctx, f: actions.approve(ctx.db, f.record, actor=ctx.actor)),
    "addendum": (require_edit, lambda ctx, f: actions.addendum(ctx.db, f.record, actor=ctx.actor)),
    "sections": (require_edit, _add_sections),
    "number": (
        require_edit,
        lambda ctx, f: actions.set_number(
            ctx.db, f.record, actor=ctx.actor, number=ctx.field("number")
        ),
    ),
}


# -- comments ------------------------------------------------------------------------------


def _comments(ctx: Context, found: Visible, section_id: int | None, **values: Any) -> Response:
    """A section's comments fragment (or the record's general comments)."""
    page_values = record_values(ctx, found)
    part = next((p for p in page_values["parts"] if p.section.id == section_id), None)
    return ctx.render(
        "minutes/_comments.html",
        values.pop("status", 200),
        **{**page_values, "part": part, **values},
    )


@page()
def add_comment(ctx: Context) -> Response:
    found = found_or_404(ctx)
    if not access.may_comment(ctx.db, viewer(ctx), found.meeting):
        raise HTTPException(403, _("Only the meeting's participants comment on its records."))
    raw = ctx.field("section_id")
    section = queries.section_of(ctx.db, found.record, int(raw)) if raw.isdigit() else None
    if raw and section is None:
        raise HTTPException(404)
    section_id = section.id if section else None
    try:
        actions.comment(
            ctx.db, found.record, actor=ctx.actor, text=ctx.field("text"), section=section
        )
    except Refusal as refusal:
        errors = {f"comment-{section_id or ''}": _refused(ctx, refusal)}
        typed = {f"comment-{section_id or ''}": ctx.field("text")}
        if ctx.htmx:
            return _comments(ctx, found, section_id, status=422, errors=errors, typed=typed)
        return record_page(ctx, found, 422, errors=errors, typed=typed)
    if ctx.htmx:
        return _comments(ctx, found, section_id, done=_(COMMENTED))
    ctx.flash(_(COMMENTED))
    return ctx.redirect(record_url(found.record, section_id))


RECORD = "/records/{record_id:int}"
routes = [
    Route("/meetings/{meeting_id:int}/minutes", meeting_records, methods=["GET", "POST"]),
    Route(RECORD, record),
    Route(RECORD + "/comments", add_comment, methods=["POST"]),
    *(
        Route(f"{RECORD}/{name}", _transition(name, check, run), methods=["POST"])
        for name, (check, run) in RUN.items()
    ),
    *section_views.routes,
    *export_views.routes,
]
