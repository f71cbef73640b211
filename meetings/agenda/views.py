"""Meeting pages: the list, the new and edit forms, the meeting page and its transitions.

A refusal the meeting's state causes (409) answers the error page with the refusal's message;
bad input (422) shows the form again with the message at its field. Nothing is stored then.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda import access, actions, labels, queries
from meetings.agenda.models import Meeting
from meetings.agenda.web import meeting_or_404, my_participation, require_chair, require_prepare
from meetings.agenda.web import viewer as viewer_of
from meetings.db import utcnow
from meetings.documents import queries as documents_queries
from meetings.errors import Refusal
from meetings.i18n import N_, _
from meetings.notifications.actions import change_text
from meetings.organisations import queries as org_queries
from meetings.organisations.models import Body
from meetings.web.handler import Context, page

FIELDS = ("title", "kind", "date", "starts_at", "end_date", "ends_at", "place", "video_url")
PEOPLE = ("chair_id", "secretary_id")
CHAIR_TRANSITIONS = ("open", "close")
DONE = {
    "publish": N_("The meeting has been published and its participants invited."),
    "open": N_("The session is open."),
    "close": N_("The session is closed."),
    "archive": N_("The meeting has been archived."),
    "cancel": N_("The meeting has been cancelled."),
    "postpone": N_("The meeting has been postponed and its participants told."),
    "reschedule": N_("The meeting has been rescheduled and its participants told."),
    "copy": N_("This is the new copy, still a draft. Check its agenda before publishing it."),
}
Errors = dict[str, str]


def _labels() -> dict[str, Any]:
    return {"states": labels.STATES, "kinds": labels.KINDS}


# -- reading the form --------------------------------------------------------------------


def _zone(ctx: Context) -> ZoneInfo:
    return ZoneInfo(ctx.organisation.timezone if ctx.organisation else ctx.config.timezone)


def _day(value: str, field: str) -> date:
    """A date from a date input (2026-11-22), or typed the Vietnamese way (22/11/2026)."""
    if not value:
        raise Refusal(_("This field is required."), field)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if 2000 <= day.year <= 2100:  # also keeps time zone arithmetic far from its limits
            return day
    raise Refusal(_("Give the date as day/month/year, for example 22/11/2026."), field)


def _clock(value: str, field: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise Refusal(_("Give the time as hours and minutes, for example 08:30."), field) from None


def _moment(ctx: Context, day: date, time_field: str) -> datetime:
    """A local date and time from the form, as aware UTC."""
    local = datetime.combine(day, _clock(ctx.field(time_field), time_field), tzinfo=_zone(ctx))
    return local.astimezone(UTC)


def _times(ctx: Context) -> dict[str, datetime]:
    """Start and end; the end date defaults to the start's (most meetings last one day)."""
    day = _day(ctx.field("date"), "date")
    end_day = _day(ctx.field("end_date"), "end_date") if ctx.field("end_date") else day
    return {
        "starts_at": _moment(ctx, day, "starts_at"),
        "ends_at": _moment(ctx, end_day, "ends_at"),
    }


def _person(ctx: Context, field: str) -> int | None:
    value = ctx.field(field)
    if not value:
        return None
    if not value.isdigit():
        raise Refusal(_("Choose a person of this organisation."), field)
    return int(value)


def _facts(ctx: Context) -> dict[str, Any]:
    """The meeting's facts as the actions take them."""
    return {
        "title": ctx.field("title"),
        "kind": ctx.field("kind"),
        "place": ctx.field("place"),
        "video_url": ctx.field("video_url"),
        **{name: _person(ctx, name) for name in PEOPLE},
        **_times(ctx),
    }


def _typed(ctx: Context) -> dict[str, str]:
    """What was typed, to show the form again."""
    return {name: ctx.field(name) for name in (*FIELDS, *PEOPLE, "body_id")}


def _prefilled(ctx: Context, meeting: Meeting) -> dict[str, str]:
    zone = _zone(ctx)
    start, end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    return {
        "body_id": str(meeting.body_id),
        "title": meeting.title,
        "kind": meeting.kind,
        "date": start.date().isoformat(),
        "starts_at": start.strftime("%H:%M"),
        "end_date": end.date().isoformat() if end.date() != start.date() else "",
        "ends_at": end.strftime("%H:%M"),
        "place": meeting.place,
        "video_url": meeting.video_url,
        "chair_id": str(meeting.chair_id or ""),
        "secretary_id": str(meeting.secretary_id or ""),
    }


def _refused(ctx: Context, refusal: Refusal) -> Errors:
    """Undo whatever the action began; a refused state change is the 409 page."""
    ctx.db.rollback()
    if refusal.status != 422:
        raise HTTPException(refusal.status, refusal.message)
    return {refusal.field: refusal.message}


# -- the list ------------------------------------------------------------------------------


def _filters(ctx: Context, bodies: dict[int, str]) -> tuple[int | None, str | None, list[str]]:
    """The body and state asked for; a value we do not know is ignored and said so."""
    raw_body = ctx.request.query_params.get("body", "")
    raw_state = ctx.request.query_params.get("state", "")
    ignored = []
    body_id = int(raw_body) if raw_body.isdigit() and int(raw_body) in bodies else None
    if raw_body and body_id is None:
        ignored.append(_("That body was not found, so meetings of every body are shown."))
    state = raw_state if raw_state in labels.STATES else None
    if raw_state and state is None:
        ignored.append(_("That state is not known, so meetings in every state are shown."))
    return body_id, state, ignored


@page()
def meeting_list(ctx: Context) -> Response:
    viewer = viewer_of(ctx)
    bodies = queries.body_names(ctx.db, viewer.organisation_id)
    body_id, state, ignored = _filters(ctx, bodies)
    upcoming, past = queries.meeting_lists(
        ctx.db, viewer, now=utcnow(), body_id=body_id, state=state
    )
    return ctx.render(
        "agenda/meetings.html",
        fragment="agenda/_meeting_list.html",
        upcoming=upcoming,
        past=past,
        bodies=bodies,
        chosen={"body": str(body_id or ""), "state": state or ""},
        ignored=ignored,
        may_create=bool(queries.bodies_to_prepare(ctx.db, viewer)),
        **_labels(),
    )


# -- new and edit --------------------------------------------------------------------------


def _form(
    ctx: Context,
    values: dict[str, str],
    meeting: Meeting | None = None,
    errors: Errors | None = None,
    status: int = 200,
) -> Response:
    people = [(user.id, user.name) for user, _role in org_queries.people(ctx.db, ctx.org_id())]
    return ctx.render(
        "agenda/meeting_form.html",
        status,
        meeting=meeting,
        values=values,
        errors=errors or {},
        bodies=queries.bodies_to_prepare(ctx.db, viewer_of(ctx)),
        body_names=queries.body_names(ctx.db, ctx.org_id()),
        people=people,
        kind_options=[(kind, _(label)) for kind, label in labels.KINDS.items()],
        zone=_zone(ctx).key,
        **_labels(),
    )


def _chosen_body(ctx: Context, choices: list[tuple[int, str]]) -> Body:
    raw = ctx.field("body_id")
    body = org_queries.body(ctx.db, ctx.org_id(), int(raw)) if raw.isdigit() else None
    if body is None or body.id not in dict(choices):
        raise Refusal(_("Choose a body from the list."), "body_id")
    return body


@page()
def meeting_new(ctx: Context) -> Response:
    choices = queries.bodies_to_prepare(ctx.db, viewer_of(ctx))
    if not choices:
        raise HTTPException(403)
    if ctx.request.method == "GET":
        only = str(choices[0][0]) if len(choices) == 1 else ""
        return _form(ctx, {"kind": "regular", "body_id": only})
    try:
        body = _chosen_body(ctx, choices)
        meeting = actions.create_meeting(ctx.db, actor=ctx.actor, body=body, **_facts(ctx))
    except Refusal as refusal:
        return _form(ctx, _typed(ctx), errors=_refused(ctx, refusal), status=422)
    ctx.flash(_("The meeting has been created as a draft. Build its agenda, then publish it."))
    return ctx.redirect(f"/meetings/{meeting.id}")


@page()
def meeting_edit(ctx: Context) -> Response:
    meeting = meeting_or_404(ctx)
    require_prepare(ctx, meeting)
    try:
        actions.refuse_if_finished(meeting)
    except Refusal as refusal:
        raise HTTPException(409, refusal.message) from None
    if ctx.request.method == "GET":
        return _form(ctx, _prefilled(ctx, meeting), meeting)
    try:
        actions.update_meeting(ctx.db, meeting, actor=ctx.actor, **_facts(ctx))
    except Refusal as refusal:
        errors = _refused(ctx, refusal)
        return _form(ctx, {**_typed(ctx), "body_id": str(meeting.body_id)}, meeting, errors, 422)
    ctx.flash(_("The changes have been saved."))
    return ctx.redirect(f"/meetings/{meeting.id}")


# -- the meeting page ----------------------------------------------------------------------


def _allowed(ctx: Context, meeting: Meeting) -> dict[str, Any]:
    """What this viewer may do here: the legal transitions for their role, and the links."""
    viewer = viewer_of(ctx)
    prepare = access.may_prepare(ctx.db, viewer, meeting)
    chair = access.may_chair(ctx.db, viewer, meeting)
    legal = [name for name, states in actions.TRANSITIONS.items() if meeting.state in states]
    return {
        "may_prepare": prepare,
        "transitions": [t for t in legal if (chair if t in CHAIR_TRANSITIONS else prepare)],
        "editable": prepare and meeting.state not in access.FINISHED,
        "participation": my_participation(ctx, meeting),
    }


def _meeting_page(
    ctx: Context, meeting: Meeting, status: int = 200, errors: dict[str, Errors] | None = None
) -> Response:
    agenda = queries.agenda_of(ctx.db, meeting)
    people = {meeting.chair_id, meeting.secretary_id, *(p.item.presenter_id for p in agenda)}
    body = org_queries.body(ctx.db, meeting.organisation_id, meeting.body_id)
    return ctx.render(
        "agenda/meeting.html",
        status,
        meeting=meeting,
        body_name=body.name if body else "",
        agenda=agenda,
        names=queries.names_of(ctx.db, people),
        amendments=queries.amendments(ctx.db, meeting.id or 0),
        change_text=change_text,
        item_statuses=labels.ITEM_STATUSES,
        errors=errors or {},
        copy_values=_prefilled(ctx, meeting),
        document_shelf=documents_queries.shelf(ctx.db, viewer_of(ctx), meeting),
        **_allowed(ctx, meeting),
        **_labels(),
    )


@page()
def meeting_page(ctx: Context) -> Response:
    return _meeting_page(ctx, meeting_or_404(ctx))


# -- transitions ---------------------------------------------------------------------------


def _transition(ctx: Context, name: str, run: Callable[[Meeting], Meeting]) -> Response:
    """Check the role, make the one change, and go back to the meeting (or to its copy)."""
    meeting = meeting_or_404(ctx)
    (require_chair if name in CHAIR_TRANSITIONS else require_prepare)(ctx, meeting)
    try:
        result = run(meeting)
    except Refusal as refusal:
        errors = {name: _refused(ctx, refusal)}
        return _meeting_page(ctx, meeting, 422, errors)
    ctx.flash(_(DONE[name]))
    return ctx.redirect(f"/meetings/{result.id}")


def _transition_page(name: str, run: Callable[[Context, Meeting], Meeting]) -> Any:
    def handler(ctx: Context) -> Response:
        return _transition(ctx, name, lambda meeting: run(ctx, meeting))

    handler.__name__ = f"meeting_{name}"
    return page()(handler)


def _copy(ctx: Context, meeting: Meeting) -> Meeting:
    starts_at = _moment(ctx, _day(ctx.field("date"), "date"), "starts_at")
    return actions.copy_meeting(ctx.db, meeting, actor=ctx.actor, starts_at=starts_at)


RUN: dict[str, Callable[[Context, Meeting], Meeting]] = {
    "publish": lambda ctx, m: actions.publish(ctx.db, m, actor=ctx.actor),
    "open": lambda ctx, m: actions.open_session(ctx.db, m, actor=ctx.actor),
    "close": lambda ctx, m: actions.close_session(ctx.db, m, actor=ctx.actor),
    "archive": lambda ctx, m: actions.archive(ctx.db, m, actor=ctx.actor),
    "cancel": lambda ctx, m: actions.cancel(ctx.db, m, actor=ctx.actor, reason=ctx.field("reason")),
    "postpone": lambda ctx, m: actions.postpone(
        ctx.db, m, actor=ctx.actor, reason=ctx.field("reason")
    ),
    "reschedule": lambda ctx, m: actions.reschedule(ctx.db, m, actor=ctx.actor, **_times(ctx)),
    "copy": _copy,
}

MEETING = "/meetings/{meeting_id:int}"
routes = [
    Route("/meetings", meeting_list),
    Route("/meetings/new", meeting_new, methods=["GET", "POST"]),
    Route(MEETING, meeting_page),
    Route(MEETING + "/edit", meeting_edit, methods=["GET", "POST"]),
    *(
        Route(f"{MEETING}/{name}", _transition_page(name, run), methods=["POST"])
        for name, run in RUN.items()
    ),
]
