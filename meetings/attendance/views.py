"""Attendance pages: who answered and who is here, answering an invitation, check-in, quorum.

The secretariat manages participants; the chair may look. Each invitee answers for themself,
and the invitee or their substitute checks in on the invitation. A meeting the viewer may not
see answers 404; a page of someone who may see the meeting but not do this answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda import access
from meetings.agenda.models import Meeting, MeetingState
from meetings.agenda.web import meeting_or_404, my_participation, require_chair, require_prepare
from meetings.agenda.web import viewer as viewer_of
from meetings.attendance import actions, queries
from meetings.attendance.models import Answer, Participant, ParticipantRole
from meetings.attendance.quorum import is_present
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.organisations import queries as org_queries
from meetings.organisations.models import Body
from meetings.text import nfc
from meetings.web.handler import Context, page

ANSWERS_OPEN = actions.OPEN_FOR_ANSWERS[1:]  # a draft has no invitees yet
NEW_GUEST = {"user_id": "", "name": "", "title": ""}


def _viewer_id(ctx: Context) -> int:
    assert ctx.user is not None and ctx.user.id is not None
    return ctx.user.id


def _body(ctx: Context, meeting: Meeting) -> Body:
    found = org_queries.body(ctx.db, ctx.org_id(), meeting.body_id)
    if found is None:
        raise HTTPException(404)
    return found


def _people_options(ctx: Context, leave_out: set[int]) -> list[tuple[int, str]]:
    return queries.people_options(ctx.db, ctx.org_id(), leave_out)


def _changed(ctx: Context) -> None:
    """Tell the page's quorum panel to refresh after a check-in or a departure."""

    def announce(response: Response) -> None:
        response.headers["HX-Trigger"] = "attendance"

    ctx.after.append(announce)


def _quorum_values(ctx: Context, meeting: Meeting, rows: list[Participant]) -> dict[str, Any]:
    return queries.quorum_values(_body(ctx, meeting), rows)


# -- the secretariat's participants page ---------------------------------------------


def _participants_page(ctx: Context, meeting: Meeting, status: int = 200, **form: Any) -> Response:
    rows = actions.participants(ctx.db, meeting.id or 0)
    form.setdefault("failed", "")
    form.setdefault("errors", {})
    form.setdefault("values", NEW_GUEST)
    form.setdefault("error", "")
    return ctx.render(
        "attendance/participants.html",
        status,
        fragment="attendance/_participants.html",
        page_title=_("Participants"),
        meeting=meeting,
        lines=queries.lines(ctx.db, ctx.org_id(), meeting, rows),
        counts=queries.counts(rows),
        labels=queries.labels(),
        manage=access.may_prepare(ctx.db, viewer_of(ctx), meeting),
        inviting=meeting.state in actions.OPEN_FOR_ANSWERS,
        in_session=meeting.state == MeetingState.in_session,
        people_options=_people_options(ctx, set(actions.audience(ctx.db, meeting.id or 0))),
        **_quorum_values(ctx, meeting, rows),
        **form,
    )


@page()
def participants_page(ctx: Context) -> Response:
    """Answers and attendance at a glance, for the secretariat and the chair."""
    meeting = meeting_or_404(ctx)
    require_chair(ctx, meeting)
    return _participants_page(ctx, meeting)


def _person_id(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise Refusal(_("Choose a person of this organisation."), "user_id")
    return int(text)


def _invite(ctx: Context, role: str) -> Response:
    meeting = meeting_or_404(ctx)
    require_prepare(ctx, meeting)
    values = {name: nfc(ctx.field(name)) for name in NEW_GUEST}
    try:
        row = actions.add_guest(
            ctx.db,
            meeting,
            actor=ctx.actor,
            role=role,
            user_id=_person_id(values["user_id"]),
            name=values["name"],
            title=values["title"],
        )
    except Refusal as refusal:
        ctx.db.rollback()
        errors = {refusal.field: refusal.message} if refusal.field else {}
        error = "" if refusal.field else refusal.message
        return _participants_page(
            ctx, meeting, refusal.status, failed=role, errors=errors, values=values, error=error
        )
    name = queries.names(ctx.db, ctx.org_id()).get(row.user_id or 0, "") or row.name
    if role == ParticipantRole.bridge_point:
        ctx.flash(_("The bridge point %(name)s has been added.", name=name))
    else:
        ctx.flash(_("%(name)s has been invited as a guest.", name=name))
    return ctx.redirect(f"/meetings/{meeting.id}/participants#participant-list")


@page()
def add_guest(ctx: Context) -> Response:
    return _invite(ctx, ParticipantRole.guest)


@page()
def add_bridge_point(ctx: Context) -> Response:
    return _invite(ctx, ParticipantRole.bridge_point)


def _row(ctx: Context, meeting: Meeting) -> Participant:
    found = queries.participant(ctx.db, meeting, ctx.request.path_params["participant_id"])
    if found is None:
        raise HTTPException(404)
    return found


def _record(ctx: Context, change: Callable[[Meeting, Participant], object]) -> Response:
    """A check-in or departure recorded by the secretariat; htmx gets the updated list."""
    meeting = meeting_or_404(ctx)
    require_prepare(ctx, meeting)
    row = _row(ctx, meeting)
    try:
        change(meeting, row)
    except Refusal as refusal:
        ctx.db.rollback()
        return _participants_page(ctx, meeting, refusal.status, error=refusal.message)
    _changed(ctx)
    if ctx.htmx:
        return _participants_page(ctx, meeting)
    return ctx.redirect(f"/meetings/{meeting.id}/participants#participant-{row.id}")


@page()
def record_arrival(ctx: Context) -> Response:
    presence = ctx.field("presence")
    return _record(
        ctx, lambda m, row: actions.check_in(ctx.db, m, row, actor=ctx.actor, presence=presence)
    )


@page()
def record_departure(ctx: Context) -> Response:
    return _record(ctx, lambda m, row: actions.check_out(ctx.db, m, row, actor=ctx.actor))


@page()
def quorum_panel(ctx: Context) -> Response:
    """The quorum panel on its own: a page for a projector, a fragment that refreshes."""
    meeting = meeting_or_404(ctx)
    require_chair(ctx, meeting)
    rows = actions.participants(ctx.db, meeting.id or 0)
    return ctx.render(
        "attendance/quorum.html",
        fragment="attendance/_quorum.html",
        page_title=_("Quorum"),
        meeting=meeting,
        **_quorum_values(ctx, meeting, rows),
    )


# -- the invitee's own answer and attendance -----------------------------------------


def _mine(ctx: Context) -> tuple[Meeting, Participant]:
    """The meeting and the viewer's invitation (as invitee or substitute); 403 without one."""
    meeting = meeting_or_404(ctx)
    row = my_participation(ctx, meeting)
    if row is None:
        raise HTTPException(403)
    return meeting, row


def _own_invitation(ctx: Context) -> tuple[Meeting, Participant]:
    """Only the invitee answers, never their substitute."""
    meeting, row = _mine(ctx)
    if row.user_id != _viewer_id(ctx):
        raise HTTPException(403)
    return meeting, row


def _answer_page(
    ctx: Context, meeting: Meeting, row: Participant, status: int = 200, **form: Any
) -> Response:
    taken = set(actions.audience(ctx.db, meeting.id or 0))
    form.setdefault("errors", {})
    form.setdefault(
        "values",
        {
            "reply": row.answer,
            "reason": row.absence_reason,
            "substitute_id": row.substitute_id or "",
        },
    )
    return ctx.render(
        "attendance/answer.html",
        status,
        page_title=_("Answer the invitation"),
        meeting=meeting,
        body=_body(ctx, meeting),
        row=row,
        answers_open=meeting.state in ANSWERS_OPEN,
        people_options=_people_options(ctx, taken - {row.substitute_id or 0}),
        labels=queries.labels(),
        **form,
    )


@page()
def answer_page(ctx: Context) -> Response:
    """Attend, absent with a reason, or send a substitute."""
    meeting, row = _own_invitation(ctx)
    if ctx.request.method == "GET":
        return _answer_page(ctx, meeting, row)
    values = {name: nfc(ctx.field(name)) for name in ("reply", "reason", "substitute_id")}
    chosen = values["substitute_id"]
    try:
        actions.answer(
            ctx.db,
            meeting,
            row,
            actor=ctx.actor,
            reply=values["reply"],
            reason=values["reason"],
            substitute_id=int(chosen) if chosen.isdigit() else None,
        )
    except Refusal as refusal:
        ctx.db.rollback()
        errors = {refusal.field: refusal.message}
        return _answer_page(ctx, meeting, row, refusal.status, errors=errors, values=values)
    ctx.flash(_("Your answer has been recorded."))
    return ctx.redirect(f"/meetings/{meeting.id}/attendance")


def _attendance_page(
    ctx: Context, meeting: Meeting, row: Participant, status: int = 200, error: str = ""
) -> Response:
    names = queries.names(ctx.db, ctx.org_id())
    return ctx.render(
        "attendance/attendance.html",
        status,
        fragment="attendance/_my_attendance.html",
        page_title=_("My attendance"),
        meeting=meeting,
        body=_body(ctx, meeting),
        row=row,
        invitee=row.user_id == _viewer_id(ctx),
        principal=names.get(row.user_id or 0, ""),
        substitute=names.get(row.substitute_id or 0, ""),
        present=is_present(row),
        late=queries.is_late(row, meeting),
        answers_open=meeting.state in ANSWERS_OPEN,
        in_session=meeting.state == MeetingState.in_session,
        labels=queries.labels(),
        error=error,
    )


@page()
def my_attendance(ctx: Context) -> Response:
    """My answer and my check-in state, with the buttons to check in or leave."""
    meeting, row = _mine(ctx)
    return _attendance_page(ctx, meeting, row)


def _sent_substitute(ctx: Context, row: Participant) -> bool:
    return row.answer == Answer.substitute and row.user_id == _viewer_id(ctx)


def _self_change(ctx: Context, change: Callable[[Meeting, Participant], object]) -> Response:
    meeting, row = _mine(ctx)
    try:
        if _sent_substitute(ctx, row):
            # The row would count as the substitute's presence: answer "attend" first.
            message = _("You have sent a substitute. To attend yourself, change your answer first.")
            raise Refusal(message, status=409)
        change(meeting, row)
    except Refusal as refusal:
        ctx.db.rollback()
        return _attendance_page(ctx, meeting, row, refusal.status, refusal.message)
    _changed(ctx)
    if ctx.htmx:
        return _attendance_page(ctx, meeting, row)
    return ctx.redirect(f"/meetings/{meeting.id}/attendance")


@page()
def check_in(ctx: Context) -> Response:
    """Check myself in, in the room or remote."""
    presence = ctx.field("presence")
    return _self_change(
        ctx, lambda m, row: actions.check_in(ctx.db, m, row, actor=ctx.actor, presence=presence)
    )


@page()
def leave(ctx: Context) -> Response:
    """Record that I leave the meeting before it closes."""
    return _self_change(ctx, lambda m, row: actions.check_out(ctx.db, m, row, actor=ctx.actor))


MEETING = "/meetings/{meeting_id:int}"
PARTICIPANT = MEETING + "/participants/{participant_id:int}"
routes = [
    Route(MEETING + "/participants", participants_page),
    Route(MEETING + "/participants/guests", add_guest, methods=["POST"]),
    Route(MEETING + "/participants/bridge-points", add_bridge_point, methods=["POST"]),
    Route(PARTICIPANT + "/check-in", record_arrival, methods=["POST"]),
    Route(PARTICIPANT + "/leave", record_departure, methods=["POST"]),
    Route(MEETING + "/quorum", quorum_panel),
    Route(MEETING + "/answer", answer_page, methods=["GET", "POST"]),
    Route(MEETING + "/attendance", my_attendance),
    Route(MEETING + "/check-in", check_in, methods=["POST"]),
    Route(MEETING + "/leave", leave, methods=["POST"]),
]
