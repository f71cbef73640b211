"""API for meetings: their facts, lifecycle, agenda, positions and the consent block.

These paths name no organisation: they act in the caller's current organisation. For a browser
session that is the organisation chosen in the switcher; for an API token it is the caller's
first organisation by name (GET /api/v1/me lists them). A meeting of another organisation, a
draft the caller neither prepares nor chairs, and a meeting the caller is not invited to all
answer 404; a visible meeting the caller may not change answers 403. Times are ISO 8601 with
an offset (naive times are refused) and are answered in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda import access, actions, items, positions, queries, web
from meetings.agenda.api_models import (
    AgendaEntry,
    ItemCreate,
    ItemOrder,
    ItemTally,
    ItemUpdate,
    MeetingAction,
    MeetingCopy,
    MeetingCreate,
    MeetingDetail,
    MeetingFilter,
    MeetingSummary,
    MeetingTransition,
    MeetingUpdate,
    PositionInfo,
    PositionsReport,
    PositionUpdate,
    agenda_entry,
    item_tally,
    meeting_summary,
)
from meetings.agenda.api_models import Input as Input  # the attendance API builds on it
from meetings.agenda.models import AgendaItem, Meeting
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.organisations import queries as org_queries
from meetings.web.api import api, validation_message
from meetings.web.handler import Context, load_organisation

TAGS = ("meetings",)
MEETINGS = "/meetings"
MEETING = MEETINGS + "/{meeting_id:int}"
ITEMS = MEETING + "/items"
ITEM = ITEMS + "/{item_id:int}"


# -- access and lookups --------------------------------------------------------------


def in_organisation(ctx: Context) -> None:
    """Scope a path without {org_id} to the caller's current organisation (404 if none)."""
    if ctx.organisation is None:
        load_organisation(ctx)
    ctx.org_id()


def visible_meeting(ctx: Context) -> Meeting:
    """The meeting in the path, if the caller may see it (404 otherwise)."""
    in_organisation(ctx)
    return web.meeting_or_404(ctx)


def prepared_meeting(ctx: Context) -> Meeting:
    """The meeting in the path, for the secretariat only (403 for participants)."""
    meeting = visible_meeting(ctx)
    web.require_prepare(ctx, meeting)
    return meeting


def chaired_meeting(ctx: Context) -> Meeting:
    """The meeting in the path, for its chair or the secretariat (403 for participants)."""
    meeting = visible_meeting(ctx)
    web.require_chair(ctx, meeting)
    return meeting


def _item(ctx: Context, meeting: Meeting) -> AgendaItem:
    found = items.item_of(ctx.db, meeting, ctx.request.path_params["item_id"])
    if found is None:
        raise HTTPException(404, _("This meeting has no such agenda item."))
    return found


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _agenda(ctx: Context, meeting: Meeting, only: set[int] | None = None) -> list[AgendaEntry]:
    plan = queries.agenda_of(ctx.db, meeting)
    return [agenda_entry(p) for p in plan if only is None or p.item.id in only]


def _detail(ctx: Context, meeting: Meeting) -> MeetingDetail:
    viewer = web.viewer(ctx)
    return MeetingDetail(
        **meeting.model_dump(include=set(MeetingDetail.model_fields)),
        may_prepare=access.may_prepare(ctx.db, viewer, meeting),
        may_chair=access.may_chair(ctx.db, viewer, meeting),
        agenda=_agenda(ctx, meeting),
    )


def _filters(ctx: Context) -> MeetingFilter:
    try:
        return MeetingFilter.model_validate(dict(ctx.request.query_params))
    except ValidationError as error:
        raise Refusal(validation_message(error)) from error


# -- meetings ------------------------------------------------------------------------


@api(
    "GET",
    MEETINGS,
    summary="Meetings you may see, soonest first (filters: body_id, state, since, until)",
    response=list[MeetingSummary],
    tags=TAGS,
)
def list_meetings(ctx: Context) -> list[MeetingSummary]:
    in_organisation(ctx)
    wanted = _filters(ctx)
    found = queries.meetings_for(ctx.db, web.viewer(ctx), **wanted.model_dump())
    return [meeting_summary(meeting) for meeting in found]


@api(
    "POST",
    MEETINGS,
    summary="Create a draft meeting (the body's secretariat)",
    body=MeetingCreate,
    response=MeetingDetail,
    status=201,
    tags=TAGS,
)
def create_meeting(ctx: Context, new: MeetingCreate) -> MeetingDetail:
    in_organisation(ctx)
    body = org_queries.body(ctx.db, ctx.org_id(), new.body_id)
    if body is None:
        raise Refusal(_("This organisation has no such body."), "body_id")
    if not access.is_secretariat(ctx.db, web.viewer(ctx), body.id or 0):
        raise HTTPException(403)
    meeting = actions.create_meeting(
        ctx.db,
        actor=ctx.actor,
        body=body,
        **new.model_dump(exclude={"body_id", "starts_at", "ends_at"}),
        starts_at=_utc(new.starts_at),
        ends_at=_utc(new.ends_at),
    )
    return _detail(ctx, meeting)


@api(
    "GET",
    MEETING,
    summary="A meeting: its facts, state and numbered, timed agenda",
    response=MeetingDetail,
    tags=TAGS,
)
def get_meeting(ctx: Context) -> MeetingDetail:
    return _detail(ctx, visible_meeting(ctx))


@api(
    "PATCH",
    MEETING,
    summary="Change a meeting's facts (secretariat)",
    body=MeetingUpdate,
    response=MeetingDetail,
    tags=TAGS,
)
def update_meeting(ctx: Context, change: MeetingUpdate) -> MeetingDetail:
    meeting = prepared_meeting(ctx)
    values = {name: getattr(meeting, name) for name in MeetingUpdate.model_fields}
    values |= change.model_dump(exclude_none=True)
    values["starts_at"], values["ends_at"] = _utc(values["starts_at"]), _utc(values["ends_at"])
    actions.update_meeting(ctx.db, meeting, actor=ctx.actor, **values)
    return _detail(ctx, meeting)


def _transition(ctx: Context, meeting: Meeting, move: MeetingTransition) -> Meeting:
    db, actor, action = ctx.db, ctx.actor, move.action
    plain = {
        MeetingAction.publish: actions.publish,
        MeetingAction.open: actions.open_session,
        MeetingAction.close: actions.close_session,
        MeetingAction.archive: actions.archive,
    }
    if action in plain:
        return plain[action](db, meeting, actor=actor)
    if action == MeetingAction.cancel:
        return actions.cancel(db, meeting, actor=actor, reason=move.reason)
    if action == MeetingAction.postpone:
        return actions.postpone(db, meeting, actor=actor, reason=move.reason)
    return _reschedule(ctx, meeting, move)


def _reschedule(ctx: Context, meeting: Meeting, move: MeetingTransition) -> Meeting:
    if move.starts_at is None:
        raise Refusal(_("Give the date and time."), "starts_at")
    starts_at = _utc(move.starts_at)
    length = meeting.ends_at - meeting.starts_at
    ends_at = _utc(move.ends_at) if move.ends_at else starts_at + length
    return actions.reschedule(
        ctx.db, meeting, actor=ctx.actor, starts_at=starts_at, ends_at=ends_at
    )


@api(
    "POST",
    MEETING + "/transitions",
    summary="Publish, open, close, archive, cancel, postpone or reschedule (409 when illegal)",
    body=MeetingTransition,
    response=MeetingDetail,
    tags=TAGS,
)
def transition(ctx: Context, move: MeetingTransition) -> MeetingDetail:
    meeting = visible_meeting(ctx)
    if move.action in (MeetingAction.open, MeetingAction.close):
        web.require_chair(ctx, meeting)
    else:
        web.require_prepare(ctx, meeting)
    return _detail(ctx, _transition(ctx, meeting, move))


@api(
    "POST",
    MEETING + "/copy",
    summary="Copy a meeting and its agenda into a new draft (secretariat)",
    body=MeetingCopy,
    response=MeetingDetail,
    status=201,
    tags=TAGS,
)
def copy_meeting(ctx: Context, copy: MeetingCopy) -> MeetingDetail:
    meeting = prepared_meeting(ctx)
    twin = actions.copy_meeting(ctx.db, meeting, actor=ctx.actor, starts_at=_utc(copy.starts_at))
    return _detail(ctx, twin)


# -- agenda --------------------------------------------------------------------------


@api(
    "POST",
    ITEMS,
    summary="Add an agenda item (secretariat; announced after publication)",
    body=ItemCreate,
    response=AgendaEntry,
    status=201,
    tags=TAGS,
)
def add_item(ctx: Context, new: ItemCreate) -> AgendaEntry:
    meeting = prepared_meeting(ctx)
    item = items.add_item(ctx.db, meeting, actor=ctx.actor, **new.model_dump())
    return _agenda(ctx, meeting, {item.id or 0})[0]


@api(
    "PATCH",
    ITEM,
    summary="Change an agenda item (secretariat; announced after publication)",
    body=ItemUpdate,
    response=AgendaEntry,
    tags=TAGS,
)
def update_item(ctx: Context, change: ItemUpdate) -> AgendaEntry:
    meeting = prepared_meeting(ctx)
    item = _item(ctx, meeting)
    values = {name: getattr(item, name) for name in ItemUpdate.model_fields}
    values |= change.model_dump(exclude_none=True)
    if "presenter_id" in change.model_fields_set:
        values["presenter_id"] = change.presenter_id
    items.update_item(ctx.db, meeting, item, actor=ctx.actor, **values)
    return _agenda(ctx, meeting, {item.id or 0})[0]


@api(
    "DELETE",
    ITEM,
    summary="Remove an item from a draft, or withdraw it after publication (secretariat)",
    status=204,
    tags=TAGS,
)
def remove_item(ctx: Context) -> Response:
    meeting = prepared_meeting(ctx)
    items.remove_item(ctx.db, meeting, _item(ctx, meeting), actor=ctx.actor)
    return Response(status_code=204)


@api(
    "PUT",
    ITEMS + "/order",
    summary="Reorder the main items or one item's sub-items (secretariat; 409 if stale)",
    body=ItemOrder,
    response=list[AgendaEntry],
    tags=TAGS,
)
def reorder_items(ctx: Context, order: ItemOrder) -> list[AgendaEntry]:
    meeting = prepared_meeting(ctx)
    items.reorder(
        ctx.db, meeting, actor=ctx.actor, parent_id=order.parent_id, ordered_ids=order.item_ids
    )
    return _agenda(ctx, meeting)


# -- positions and the consent block -------------------------------------------------


@api(
    "PUT",
    ITEM + "/position",
    summary="Take your position on an item before the session (members of the body)",
    body=PositionUpdate,
    response=PositionInfo,
    tags=TAGS,
)
def put_position(ctx: Context, position: PositionUpdate) -> PositionInfo:
    meeting = visible_meeting(ctx)
    item = _item(ctx, meeting)
    mine = web.my_participation(ctx, meeting)
    if mine is None:
        raise HTTPException(403, _("Only members of the body take positions on items."))
    row = positions.set_position(
        ctx.db, meeting, item, mine, actor=ctx.actor, kind=position.kind, comment=position.comment
    )
    return PositionInfo.model_validate(row, from_attributes=True)


def _tally(ctx: Context, tally: positions.Tally, number: str) -> ItemTally:
    names = queries.names_of(ctx.db, {p.user_id for p in tally.objections})
    return item_tally(tally, number, names)


@api(
    "GET",
    MEETING + "/positions",
    summary="Positions per item and the consent block (chair and secretariat)",
    response=PositionsReport,
    tags=TAGS,
)
def get_positions(ctx: Context) -> PositionsReport:
    meeting = chaired_meeting(ctx)
    numbers = {p.item.id: p.number for p in queries.agenda_of(ctx.db, meeting)}
    return PositionsReport(
        items=[_tally(ctx, t, numbers[t.item.id]) for t in positions.tallies(ctx.db, meeting)],
        consent_block=[item.id or 0 for item in positions.consent_block(ctx.db, meeting)],
    )


@api(
    "POST",
    MEETING + "/consent",
    summary="Adopt the consent block during the session (chair; 409 outside it or when empty)",
    response=list[AgendaEntry],
    tags=TAGS,
)
def adopt_consent(ctx: Context) -> list[AgendaEntry]:
    meeting = chaired_meeting(ctx)
    adopted = positions.adopt_consent_block(ctx.db, meeting, actor=ctx.actor)
    return _agenda(ctx, meeting, {item.id or 0 for item in adopted})


routes: list[Route] = [
    list_meetings,
    create_meeting,
    get_meeting,
    update_meeting,
    transition,
    copy_meeting,
    add_item,
    update_item,
    remove_item,
    reorder_items,
    put_position,
    get_positions,
    adopt_consent,
]
