"""Writing a record's sections: save (autosaved by htmx, or the Save button without
JavaScript), insert the automatic summary, and a section's revisions with what changed.

To htmx, a save answers the small status (the new version to build on and "Saved at 10:42");
a conflict answers the section's editor in its place, with both texts to keep one or merge
them. Without htmx, a save goes back to the record page, and a conflict is that page with the
two texts at the section. Nothing is stored on a refused save.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda.queries import names_of
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.minutes import actions, autofill, queries
from meetings.minutes.access import Visible
from meetings.minutes.labels import FIELDS
from meetings.minutes.models import RecordSection
from meetings.minutes.web import (
    found_or_404,
    part_of,
    record_page,
    record_url,
    record_values,
    require_edit,
    require_history,
    section_or_404,
)
from meetings.web.handler import Context, page


def _typed(ctx: Context, section: RecordSection) -> dict[str, str]:
    """The fields as sent; a field the section's form does not show keeps its text."""
    sent = ctx.form or {}
    return {
        name: ctx.field(name) if name in sent else getattr(section, name)
        for name in ("text", "conclusion")
    }


def _base(ctx: Context) -> int:
    raw = ctx.field("base_version")
    if not raw.isdigit() or len(raw) > 9:
        raise HTTPException(400, _("The form is missing the version it was based on."))
    return int(raw)


def _editor(
    ctx: Context, found: Visible, section: RecordSection, status: int = 200, **values: Any
) -> Response:
    """The section's editor fragment (to htmx), in place of the one on the page."""
    page_values = {**record_values(ctx, found), **values}
    part = next(p for p in page_values["parts"] if p.section.id == section.id)
    response = ctx.render("minutes/_editor.html", status, **{**page_values, "part": part})
    response.headers["HX-Retarget"] = f"#editor-{section.id}"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


def _wants_editor(ctx: Context, section: RecordSection) -> bool:
    """The conflict form and the summary button ask for the whole editor back."""
    return ctx.request.headers.get("hx-target") == f"editor-{section.id}"


def _saved(ctx: Context, found: Visible, section: RecordSection) -> Response:
    if not ctx.htmx:
        ctx.flash(_("The section has been saved."))
        return ctx.redirect(record_url(found.record, section.id))
    if _wants_editor(ctx, section):
        return _editor(ctx, found, section, saved=section.id)
    return ctx.render("minutes/_save_status.html", section=section, saved=section.id)


def _refused(ctx: Context, found: Visible, section: RecordSection, refusal: Refusal) -> Response:
    """A conflict or bad input: the texts as typed, the message at its field, nothing kept."""
    typed = _typed(ctx, section)
    ctx.db.rollback()
    conflict = isinstance(refusal, actions.Conflict)
    if refusal.status != 422 and not conflict:
        raise HTTPException(refusal.status, refusal.message)
    key = section.id or 0
    values: dict[str, Any] = {"typed": {key: typed}}
    if isinstance(refusal, actions.Conflict):
        values["conflicts"] = {key: refusal}
        values["differences"] = {key: _differences(refusal)}
    else:
        values["errors"] = {f"section-{key}": {refusal.field: refusal.message}}
    found = found_or_404(ctx)
    if ctx.htmx:
        return _editor(ctx, found, section_or_404(ctx, found), refusal.status, **values)
    return record_page(ctx, found, refusal.status, **values)


def _differences(conflict: actions.Conflict) -> dict[str, list[queries.Piece]]:
    """What the writer's text changes in the saved one, field by field."""
    return {
        "text": queries.diff(conflict.current.text, conflict.text),
        "conclusion": queries.diff(conflict.current.conclusion, conflict.conclusion),
    }


@page()
def section(ctx: Context) -> Response:
    """GET: the editor fragment as saved (to htmx; the page otherwise). POST: save."""
    found = found_or_404(ctx)
    current = section_or_404(ctx, found)
    if ctx.request.method == "GET":
        if not ctx.htmx:
            return ctx.redirect(record_url(found.record, current.id))
        return _editor(ctx, found, current)
    require_edit(ctx, found)
    try:
        saved = actions.save_section(
            ctx.db,
            found.record,
            current,
            actor=ctx.actor,
            base_version=_base(ctx),
            **_typed(ctx, current),
        )
    except Refusal as refusal:
        return _refused(ctx, found, current, refusal)
    return _saved(ctx, found, saved)


@page()
def insert_summary(ctx: Context) -> Response:
    """Add the automatic summary to the section's first field, and save."""
    found = found_or_404(ctx)
    current = section_or_404(ctx, found)
    require_edit(ctx, found)
    part = part_of(ctx, found, current)
    lines = autofill.facts(ctx.db, found.meeting).get(current.item_id, [])
    try:
        saved = actions.insert_summary(
            ctx.db,
            found.record,
            current,
            actor=ctx.actor,
            summary=autofill.as_text(lines),
            field=part.fields[0],
            base_version=_base(ctx),
            **_typed(ctx, current),
        )
    except Refusal as refusal:
        return _refused(ctx, found, current, refusal)
    if ctx.htmx:
        return _editor(ctx, found, saved, saved=saved.id)
    return _saved(ctx, found, saved)


@page()
def facts(ctx: Context) -> Response:
    """What the system has recorded for the section so far: the page asks again every little
    while during the session, so the secretary sees the speakers and votes as they happen."""
    found = found_or_404(ctx)
    current = section_or_404(ctx, found)
    return ctx.render(
        "minutes/_facts.html",
        part=part_of(ctx, found, current),
        facts=autofill.facts(ctx.db, found.meeting),
        record=found.record,
        meeting=found.meeting,
    )


@page()
def revisions(ctx: Context) -> Response:
    """Every save of a section (who, when), and what the chosen one changed."""
    found = found_or_404(ctx)
    current = section_or_404(ctx, found)
    require_history(ctx, found)
    saves = queries.revisions_of(ctx.db, current.id or 0)
    raw = ctx.request.query_params.get("version", "")
    wanted = int(raw) if raw.isdigit() and len(raw) < 9 else (saves[0].version if saves else 0)
    shown = next((r for r in saves if r.version == wanted), None)
    if saves and shown is None:
        raise HTTPException(404)
    before = next((r for r in saves if r.version < wanted), None)
    part = part_of(ctx, found, current)
    changes = {
        name: queries.diff(getattr(before, name, ""), getattr(shown, name, ""))
        for name in part.fields
    }
    return ctx.render(
        "minutes/revisions.html",
        page_title=_("History of the section"),
        record=found.record,
        meeting=found.meeting,
        part=part,
        saves=saves,
        shown=shown,
        before=before,
        changes=changes,
        field_names=FIELDS,
        names=names_of(ctx.db, {r.saved_by for r in saves}),
    )


SECTION = "/records/{record_id:int}/sections/{section_id:int}"
routes = [
    Route(SECTION, section, methods=["GET", "POST"]),
    Route(SECTION + "/summary", insert_summary, methods=["POST"]),
    Route(SECTION + "/revisions", revisions),
    Route(SECTION + "/facts", facts),
]
