"""Shared steps for the records' pages and API: find the record, check the role, and gather
what the record page shows."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import Response

from meetings.agenda.queries import names_of
from meetings.agenda.web import viewer
from meetings.i18n import _
from meetings.minutes import access, autofill, labels, queries
from meetings.minutes.access import Visible
from meetings.minutes.models import MeetingRecord, RecordKind, RecordSection, RecordState
from meetings.web.handler import Context


def found_or_404(ctx: Context) -> Visible:
    """The record named in the path and its meeting, if the viewer may read it; else 404."""
    found = access.visible(ctx.db, viewer(ctx), ctx.request.path_params["record_id"])
    if found is None:
        raise HTTPException(404)
    return found


def section_or_404(ctx: Context, found: Visible) -> RecordSection:
    section = queries.section_of(ctx.db, found.record, ctx.request.path_params["section_id"])
    if section is None:
        raise HTTPException(404)
    return section


def part_of(ctx: Context, found: Visible, section: RecordSection) -> queries.Part:
    """The section as the page shows it (number, title, fields)."""
    parts = queries.parts_of(ctx.db, found.record, found.meeting)
    return next(p for p in parts if p.section.id == section.id)


def require_edit(ctx: Context, found: Visible) -> None:
    """Only the meeting's secretariat drafts (403 for the other readers)."""
    if not access.may_edit(ctx.db, viewer(ctx), found.meeting):
        raise HTTPException(403, _only_secretariat())


def require_approve(ctx: Context, found: Visible) -> None:
    if not access.may_approve(ctx.db, viewer(ctx), found.meeting):
        raise HTTPException(403, _only_chair())


def require_history(ctx: Context, found: Visible) -> None:
    """A section's drafts and their history: those who see drafts."""
    who = viewer(ctx)
    if not (
        access.may_edit(ctx.db, who, found.meeting)
        or access.may_approve(ctx.db, who, found.meeting)
    ):
        raise HTTPException(403, _only_secretariat())


def _only_secretariat() -> str:
    return _("Only the meeting's secretariat may do this.")


def _only_chair() -> str:
    return _("Only the meeting's chair approves its records.")


def rights(ctx: Context, found: Visible) -> dict[str, bool]:
    """What this viewer may do with the record now."""
    who, record, meeting = viewer(ctx), found.record, found.meeting
    final = record.state == RecordState.final
    circulated = record.state == RecordState.circulated
    secretariat = access.may_edit(ctx.db, who, meeting)
    chair = access.may_approve(ctx.db, who, meeting)
    return {
        "secretariat": secretariat,
        "may_edit": not final and secretariat,
        "may_approve": not final and chair,
        "may_comment": circulated and access.may_comment(ctx.db, who, meeting),
        "may_correct": final and secretariat,
        "may_see_history": secretariat or chair,
    }


def record_values(ctx: Context, found: Visible) -> dict[str, Any]:
    """Everything the record page (and each section's fragments) shows."""
    record, meeting = found.record, found.meeting
    parts = queries.parts_of(ctx.db, record, meeting)
    general = queries.general_comments(ctx.db, record)
    people = {record.created_by, record.approved_by, meeting.chair_id}
    people |= {p.section.updated_by for p in parts}
    people |= {c.user_id for p in parts for c in p.comments} | {c.user_id for c in general}
    return {
        "record": record,
        "meeting": meeting,
        "corrected": queries.corrected_of(ctx.db, record),
        "addenda": [
            added
            for added in queries.addenda_of(ctx.db, record)
            if access.may_read(ctx.db, viewer(ctx), meeting, added)
        ],
        "parts": parts,
        "missing": queries.missing_items(ctx.db, record, meeting),
        "general": general,
        "facts": autofill.facts(ctx.db, meeting),
        "names": names_of(ctx.db, people),
        "kinds": labels.KINDS,
        "states": labels.STATES,
        "field_names": labels.FIELDS,
        "errors": {},
        "conflicts": {},
        "differences": {},
        "typed": {},
        "saved": None,
        **rights(ctx, found),
    }


def record_url(record: MeetingRecord, section_id: int | None = None) -> str:
    return f"/records/{record.id}" + (f"#section-{section_id}" if section_id else "")


def record_page(ctx: Context, found: Visible, status: int = 200, **overrides: Any) -> Response:
    """The record page, with any errors, conflicts or typed text given."""
    values = {**record_values(ctx, found), **overrides}
    title = _(labels.KINDS[RecordKind(found.record.kind)])
    return ctx.render(
        "minutes/record.html", status, page_title=f"{title} · {found.meeting.title}", **values
    )
