"""The agenda builder (secretariat) and positions before the meeting (members, chair).

Builder forms work without JavaScript (post, redirect, get); to htmx the same URLs answer the
re-rendered agenda fragment, which is also what the drag-and-drop reorder receives.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda import access, items, labels, positions, queries, web
from meetings.agenda.access import FINISHED, PUBLISHED
from meetings.agenda.models import AgendaItem, ItemStatus, Meeting, MeetingState
from meetings.attendance.models import Participant
from meetings.errors import Refusal
from meetings.i18n import _, ngettext
from meetings.organisations import queries as org_queries
from meetings.web.handler import Context, page

ITEM_FIELDS = ("title", "description", "presenter_id", "presenter_agency", "duration_minutes")
MOVES = {"up": -1, "down": 1}


def _agenda_url(meeting: Meeting, item_id: int | None = None) -> str:
    return f"/meetings/{meeting.id}/agenda" + (f"#item-{item_id}" if item_id else "")


def _prepared(ctx: Context) -> Meeting:
    """The meeting in the path, for the secretariat only (404 if invisible, 403 otherwise)."""
    meeting = web.meeting_or_404(ctx)
    web.require_prepare(ctx, meeting)
    return meeting


def _item(ctx: Context, meeting: Meeting, item_id: object = None) -> AgendaItem:
    wanted = str(item_id if item_id is not None else ctx.request.path_params["item_id"])
    found = items.item_of(ctx.db, meeting, int(wanted)) if wanted.isdigit() else None
    if found is None:
        raise HTTPException(404)
    return found


# -- reading the forms ------------------------------------------------------------------


def _optional_id(ctx: Context, name: str, message: str) -> int | None:
    raw = ctx.field(name)
    if not raw:
        return None
    if not raw.isdigit():
        raise Refusal(message, name)
    return int(raw)


def _item_values(ctx: Context) -> dict[str, object]:
    """The item form as the rules take it; unreadable numbers are refused by field."""
    duration = ctx.field("duration_minutes")
    if not duration.isdigit():
        raise Refusal(_("The duration is a number of minutes from 0 to 600."), "duration_minutes")
    return {
        "title": ctx.field("title"),
        "description": ctx.field("description"),
        "presenter_id": _optional_id(
            ctx, "presenter_id", _("Choose a person of this organisation.")
        ),
        "presenter_agency": ctx.field("presenter_agency"),
        "duration_minutes": int(duration),
        "consent": ctx.checked("consent"),
    }


def _typed(ctx: Context) -> dict[str, Any]:
    """The form as typed, to show it again when it is refused."""
    values: dict[str, Any] = {name: ctx.field(name) for name in ITEM_FIELDS}
    values["consent"] = ctx.checked("consent")
    values["parent_id"] = ctx.field("parent_id")
    return values


def _blank(item: AgendaItem | None) -> dict[str, Any]:
    if item is None:
        return {"duration_minutes": "15", "consent": False, "parent_id": ""} | {
            name: "" for name in ITEM_FIELDS if name != "duration_minutes"
        }
    values: dict[str, Any] = {name: getattr(item, name) or "" for name in ITEM_FIELDS}
    values["duration_minutes"] = str(item.duration_minutes)
    return values | {"consent": item.consent, "parent_id": item.parent_id or ""}


# -- the builder page -------------------------------------------------------------------


def _builder(
    ctx: Context,
    meeting: Meeting,
    status: int = 200,
    *,
    editing: AgendaItem | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    problem: str = "",
) -> Response:
    """The builder page; to htmx, the agenda fragment the page includes."""
    agenda = queries.agenda_of(ctx.db, meeting)
    people = org_queries.people(ctx.db, meeting.organisation_id)
    presenters = {item.item.presenter_id for item in agenda}
    return ctx.render(
        "agenda/builder.html",
        status,
        fragment="agenda/_builder_agenda.html",
        page_title=_("Agenda of %(title)s", title=meeting.title),
        meeting=meeting,
        agenda=agenda,
        people=[(user.id, user.name) for user, _role in people],
        names=queries.names_of(ctx.db, presenters),
        parents=[
            (p.item.id, f"{p.number}. {p.item.title}")
            for p in agenda
            if p.depth == 0 and p.item.status != ItemStatus.withdrawn
        ],
        editing=editing,
        errors=errors or {},
        values=values or _blank(editing),
        problem=problem,
        finished=meeting.state in FINISHED,
        published=meeting.state in PUBLISHED,
        state_label=_(labels.STATES.get(meeting.state, meeting.state)),
        item_statuses={key: _(label) for key, label in labels.ITEM_STATUSES.items()},
    )


def _refused(ctx: Context, meeting: Meeting, refusal: Refusal, **values: Any) -> Response:
    """Nothing was stored: show the page again with the message under its field or on top."""
    ctx.db.rollback()
    if refusal.status == 403:
        raise HTTPException(403)
    if refusal.field and refusal.status == 422:
        return _builder(ctx, meeting, 422, errors={refusal.field: refusal.message}, **values)
    return _builder(ctx, meeting, refusal.status, problem=refusal.message, **values)


def _saved(ctx: Context, meeting: Meeting, item_id: int | None, message: str) -> Response:
    """To htmx the fresh agenda fragment; to a plain form a redirect with a message."""
    if ctx.htmx:
        return _builder(ctx, meeting)
    ctx.flash(message)
    return ctx.redirect(_agenda_url(meeting, item_id))


@page()
def builder(ctx: Context) -> Response:
    """The agenda builder; a posted form adds an item (or a sub-item)."""
    meeting = _prepared(ctx)
    if ctx.request.method == "GET":
        return _builder(ctx, meeting)
    try:
        parent_id = _optional_id(
            ctx, "parent_id", _("Sub-items go under a main item of this agenda.")
        )
        item = items.add_item(
            ctx.db, meeting, actor=ctx.actor, parent_id=parent_id, **_item_values(ctx)
        )
    except Refusal as refusal:
        return _refused(ctx, meeting, refusal, values=_typed(ctx))
    return _saved(ctx, meeting, item.id, _("The item has been added to the agenda."))


@page()
def item_page(ctx: Context) -> Response:
    """The builder with one item's form open for changes."""
    meeting = _prepared(ctx)
    item = _item(ctx, meeting)
    if ctx.request.method == "GET":
        return _builder(ctx, meeting, editing=item)
    try:
        items.update_item(ctx.db, meeting, item, actor=ctx.actor, **_item_values(ctx))
    except Refusal as refusal:
        return _refused(ctx, meeting, refusal, editing=item, values=_typed(ctx))
    ctx.flash(_("The changes to the item have been saved."))
    return ctx.redirect(_agenda_url(meeting, item.id))


@page()
def remove(ctx: Context) -> Response:
    """Delete a draft's item, or withdraw a published one (participants are told)."""
    meeting = _prepared(ctx)
    item = _item(ctx, meeting)
    draft = meeting.state == MeetingState.draft
    try:
        if item.status == ItemStatus.withdrawn:  # belongs in items.remove_item (reported)
            raise Refusal(_("This item has already been withdrawn."), status=409)
        items.remove_item(ctx.db, meeting, item, actor=ctx.actor)
    except Refusal as refusal:
        return _refused(ctx, meeting, refusal)
    if draft:
        return _saved(ctx, meeting, None, _("The item has been removed from the agenda."))
    return _saved(
        ctx, meeting, item.id, _("The item has been withdrawn. Participants will be told.")
    )


@page()
def move(ctx: Context) -> Response:
    """Move an item up or down among its siblings: the keyboard way to reorder."""
    meeting = _prepared(ctx)
    item = _item(ctx, meeting)
    try:
        offset = MOVES.get(ctx.field("direction"))
        if offset is None:
            raise Refusal(_("Choose to move the item up or down."), status=422)
        items.move(ctx.db, meeting, item, actor=ctx.actor, offset=offset)
    except Refusal as refusal:
        return _refused(ctx, meeting, refusal)
    return _saved(ctx, meeting, item.id, _("The new order has been saved."))


def _ordered_ids(ctx: Context) -> tuple[int | None, list[int]]:
    """The sibling list sent by the drag and drop; anything unreadable is a stale agenda."""
    raw_parent = ctx.field("parent_id")
    raw_ids = ctx.form.getlist("item_ids") if ctx.form else []
    texts = [raw_parent or "0", *(str(value).strip() for value in raw_ids)]
    if not all(text.isdigit() for text in texts):
        raise Refusal(_("The agenda changed meanwhile. Reload the page and try again."), status=409)
    return (int(raw_parent) if raw_parent else None), [int(str(v).strip()) for v in raw_ids]


@page()
def order(ctx: Context) -> Response:
    """Save a new order of one sibling list (the main items, or one item's sub-items)."""
    meeting = _prepared(ctx)
    try:
        parent_id, ordered = _ordered_ids(ctx)
        items.reorder(ctx.db, meeting, actor=ctx.actor, parent_id=parent_id, ordered_ids=ordered)
    except Refusal as refusal:
        return _refused(ctx, meeting, refusal)
    return _saved(ctx, meeting, None, _("The new order has been saved."))


# -- positions before the meeting -------------------------------------------------------


def _taking_positions(ctx: Context, meeting: Meeting) -> Participant | None:
    """The viewer's invitation if it lets them take positions (chair or member)."""
    mine = web.my_participation(ctx, meeting)
    return mine if mine and mine.role in positions.MAY_TAKE_POSITIONS else None


def _positions(
    ctx: Context,
    meeting: Meeting,
    status: int = 200,
    *,
    errors: dict[int, dict[str, str]] | None = None,
    values: dict[int, dict[str, str]] | None = None,
    problem: str = "",
    row_id: int | None = None,
    saved: int | None = None,
) -> Response:
    """The positions page; to htmx, the one item's form that was sent."""
    assert ctx.user is not None and ctx.user.id is not None
    chairing = access.may_chair(ctx.db, web.viewer(ctx), meeting)
    plan = queries.agenda_of(ctx.db, meeting)
    agenda = [p for p in plan if p.item.status != ItemStatus.withdrawn]
    tallies = {t.item.id: t for t in positions.tallies(ctx.db, meeting)} if chairing else {}
    objectors = [row.user_id for t in tallies.values() for row in t.objections]
    return ctx.render(
        "agenda/positions.html",
        status,
        fragment="agenda/_positions_item.html" if row_id else None,
        page_title=_("Positions on the agenda of %(title)s", title=meeting.title),
        meeting=meeting,
        agenda=agenda,
        row=next((p for p in plan if p.item.id == row_id), None),
        member=_taking_positions(ctx, meeting) is not None,
        open_for_positions=meeting.state == MeetingState.scheduled,
        mine=queries.positions_of(ctx.db, meeting, ctx.user.id),
        chairing=chairing,
        tallies=tallies,
        names=queries.names_of(ctx.db, set(objectors)),
        block=positions.consent_block(ctx.db, meeting) if chairing else [],
        in_session=meeting.state == MeetingState.in_session,
        kinds={key: _(label) for key, label in labels.POSITIONS.items()},
        errors=errors or {},
        values=values or {},
        problem=problem,
        saved=saved,
        state_label=_(labels.STATES.get(meeting.state, meeting.state)),
    )


@page()
def positions_page(ctx: Context) -> Response:
    """Members mark their positions per item; the chair and secretariat see the tally."""
    meeting = web.meeting_or_404(ctx)
    if ctx.request.method == "GET":
        chairing = access.may_chair(ctx.db, web.viewer(ctx), meeting)
        if _taking_positions(ctx, meeting) is None and not chairing:
            raise HTTPException(403)
        return _positions(ctx, meeting)
    mine = web.my_participation(ctx, meeting)
    if mine is None:
        raise HTTPException(403)
    item = _item(ctx, meeting, ctx.field("item_id"))
    typed = {"kind": ctx.field("kind"), "comment": ctx.field("comment")}
    try:
        if item.status == ItemStatus.withdrawn:  # belongs in positions.set_position (reported)
            raise Refusal(_("This item has been withdrawn."), status=409)
        positions.set_position(ctx.db, meeting, item, mine, actor=ctx.actor, **typed)
    except Refusal as refusal:
        ctx.db.rollback()
        if refusal.status == 403:
            raise HTTPException(403) from None
        errors = {item.id or 0: {refusal.field or "": refusal.message}}
        return _positions(
            ctx,
            meeting,
            refusal.status,
            errors=errors,
            values={item.id or 0: typed},
            row_id=item.id if ctx.htmx else None,
        )
    if ctx.htmx:
        return _positions(ctx, meeting, row_id=item.id, saved=item.id)
    ctx.flash(_("Your position has been saved."))
    return ctx.redirect(f"/meetings/{meeting.id}/positions#position-{item.id}")


@page()
def consent(ctx: Context) -> Response:
    """Adopt the consent block during the session: the chair or the secretariat."""
    meeting = web.meeting_or_404(ctx)
    web.require_chair(ctx, meeting)
    try:
        adopted = positions.adopt_consent_block(ctx.db, meeting, actor=ctx.actor)
    except Refusal as refusal:
        ctx.db.rollback()
        return _positions(ctx, meeting, refusal.status, problem=refusal.message)
    ctx.flash(
        ngettext(
            "%(num)s item adopted by consent.", "%(num)s items adopted by consent.", len(adopted)
        )
    )
    return ctx.redirect(f"/meetings/{meeting.id}/positions#consent-block")


routes = [
    Route("/meetings/{meeting_id:int}/agenda", builder, methods=["GET", "POST"]),
    Route("/meetings/{meeting_id:int}/agenda/order", order, methods=["POST"]),
    Route("/meetings/{meeting_id:int}/agenda/{item_id:int}", item_page, methods=["GET", "POST"]),
    Route("/meetings/{meeting_id:int}/agenda/{item_id:int}/move", move, methods=["POST"]),
    Route("/meetings/{meeting_id:int}/agenda/{item_id:int}/remove", remove, methods=["POST"]),
    Route("/meetings/{meeting_id:int}/positions", positions_page, methods=["GET", "POST"]),
    Route("/meetings/{meeting_id:int}/consent", consent, methods=["POST"]),
]
