"""Opinion ballot pages for the secretariat and the chair: the list of ballots, drafting a new
one (question, description, deadline, files), the poll page, and running a ballot: approve
(the body's chair), send, remind, cancel, publish. It closes by itself at its deadline
(actions.close_due, run by the job runner).

Bad input answers 422 with the form again and the message at its field, and stores nothing; a
change the state refuses answers 409 with its message; a poll the viewer cannot see answers 404,
one they see but may not run 403. The member's side is in ballot_views.py, files in
attachments.py; `routes` lists all three.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda.queries import bodies_to_prepare
from meetings.agenda.web import viewer
from meetings.db import utcnow
from meetings.documents import validation
from meetings.errors import Refusal
from meetings.i18n import _, ngettext
from meetings.organisations import queries as org_queries
from meetings.organisations.models import Body
from meetings.voting import actions, ballot_queries, ballot_views, draft_changes, labels
from meetings.voting import attachments as attachment_views
from meetings.voting.models import Poll, PollMode
from meetings.voting.poll_page import (
    managed_or_403,
    poll_or_404,
    poll_url,
    refused,
    render_poll,
)
from meetings.voting.queries import eligible_count
from meetings.web import uploads
from meetings.web.handler import Context, page

FIELDS = ("body_id", "question", "description", "deadline")
TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M")


# -- the list --------------------------------------------------------------------------------


@page()
def ballot_list(ctx: Context) -> Response:
    """The ballots I can see: open ones first, then drafts (to those running them), then done."""
    me = viewer(ctx)
    return ctx.render(
        "voting/ballots.html",
        page_title=_("Opinion ballots"),
        lists=ballot_queries.ballot_lists(ctx.db, me),
        may_create=bool(bodies_to_prepare(ctx.db, me)),
        states=labels.STATES,
    )


# -- a new ballot ----------------------------------------------------------------------------


def _zone(ctx: Context) -> ZoneInfo:
    return ZoneInfo(ctx.organisation.timezone if ctx.organisation else ctx.config.timezone)


def _deadline(ctx: Context) -> datetime:
    """The local date and time typed (datetime-local, or 22/11/2026 17:00) as aware UTC, in
    the future."""
    raw = ctx.field("deadline")
    if not raw:
        raise Refusal(_("Choose the date and time by which members answer."), "deadline")
    for pattern in TIME_FORMATS:
        try:
            local = datetime.strptime(raw, pattern)
        except ValueError:
            continue
        if 2000 <= local.year <= 2100:  # keeps time zone arithmetic far from its limits
            deadline = local.replace(tzinfo=_zone(ctx)).astimezone(UTC)
            if deadline <= utcnow():
                raise Refusal(_("Choose a deadline in the future."), "deadline")
            return deadline
    raise Refusal(_("Give the date and time, for example 22/11/2026 17:00."), "deadline")


def _body(ctx: Context, choices: list[tuple[int, str]]) -> Body:
    raw = ctx.field("body_id")
    body = org_queries.body(ctx.db, ctx.org_id(), int(raw)) if raw.isdigit() else None
    if body is None or body.id not in dict(choices):
        raise Refusal(_("Choose a body from the list."), "body_id")
    return body


def _question(ctx: Context) -> str:
    """Checked before the files are read, so that a blank question does not cost the files
    chosen; actions.create checks it again."""
    return actions.checked_question(ctx.field("question"))


def _new_form(
    ctx: Context,
    choices: list[tuple[int, str]],
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return ctx.render(
        "voting/new.html",
        status,
        fragment="voting/_new_form.html",
        page_title=_("New opinion ballot"),
        bodies=choices,
        values=values,
        errors=errors or {},
        zone=_zone(ctx).key,
        limit_mb=uploads.limit_mb(ctx),
        accepted=validation.ACCEPTED,
    )


def _draft(ctx: Context, choices: list[tuple[int, str]]) -> Poll:
    """Check the form, then the files, then make the draft with its description and files."""
    body, question, deadline = _body(ctx, choices), _question(ctx), _deadline(ctx)
    description = draft_changes.check_description(ctx.field("description"))
    checked = uploads.check_files(ctx)
    try:
        poll = actions.create(
            ctx.db,
            body,
            actor=ctx.actor,
            question=question,
            mode=PollMode.ballot,
            deadline=deadline,
            secret=ctx.checked("secret"),
        )
        if description:
            draft_changes.describe(ctx.db, poll, actor=ctx.actor, description=description)
        if checked:
            store = ctx.request.app.state.blobs
            draft_changes.attach(ctx.db, poll, checked, actor=ctx.actor, store=store)
    finally:
        uploads.discard(checked)
    return poll


@page()
def ballot_new(ctx: Context) -> Response:
    """The secretariat of a body drafts a ballot; its chair approves it before it is sent."""
    choices = bodies_to_prepare(ctx.db, viewer(ctx))
    if not choices:
        raise HTTPException(403)
    if ctx.request.method == "GET":
        only = str(choices[0][0]) if len(choices) == 1 else ""
        return _new_form(ctx, choices, {"body_id": only})
    try:
        poll = _draft(ctx, choices)
    except Refusal as refusal:
        status, at = refused(ctx, refusal)
        typed = {name: ctx.field(name) for name in FIELDS} | {"secret": ctx.checked("secret")}
        return _new_form(ctx, choices, typed, at, 413 if status == 413 else 422)
    ctx.flash(_("The ballot has been drafted. The body's chair approves it before it is sent."))
    return ctx.redirect(poll_url(poll))


# -- the poll page and running it --------------------------------------------------------------


@page()
def poll_view(ctx: Context) -> Response:
    return render_poll(ctx, poll_or_404(ctx))


def _sent(ctx: Context, poll: Poll) -> str:
    actions.open_poll(ctx.db, poll, actor=ctx.actor)
    count = eligible_count(ctx.db, poll.id or 0)
    return ngettext(
        "The ballot has been sent to %(num)s member.",
        "The ballot has been sent to %(num)s members.",
        count,
    )


def _reminded(ctx: Context, poll: Poll) -> str:
    count = actions.remind(ctx.db, poll, actor=ctx.actor)
    if count == 0:
        return _("Everyone has answered: nobody needed a reminder.")
    return ngettext(
        "A reminder has been sent to the %(num)s member who has not answered.",
        "A reminder has been sent to the %(num)s members who have not answered.",
        count,
    )


def _approved(ctx: Context, poll: Poll) -> str:
    actions.approve(ctx.db, poll, actor=ctx.actor)
    return _("The ballot is approved: it can be sent.")


def _cancelled(ctx: Context, poll: Poll) -> str:
    actions.cancel(ctx.db, poll, actor=ctx.actor, reason=ctx.field("reason"))
    return _("The ballot has been cancelled.")


def _published(ctx: Context, poll: Poll) -> str:
    actions.publish(ctx.db, poll, actor=ctx.actor)
    return _("The result has been published to the members.")


@page()
def poll_restate(ctx: Context) -> Response:
    """The secretariat changes a drafted ballot's question or deadline."""
    poll = managed_or_403(ctx)
    was_approved = poll.approved_at is not None
    try:
        changed = draft_changes.restate(
            ctx.db, poll, actor=ctx.actor, question=_question(ctx), deadline=_deadline(ctx)
        )
    except Refusal as refusal:
        status, at = refused(ctx, refusal)
        if status != 422:
            raise HTTPException(status, refusal.message) from None
        typed = {"restate": {name: ctx.field(name) for name in ("question", "deadline")}}
        return render_poll(ctx, poll, status=status, errors={"restate": at}, typed=typed)
    if not changed:
        ctx.flash(_("Nothing has changed."))
    elif was_approved:
        ctx.flash(_("The ballot has been changed: the body's chair approves it again."))
    else:
        ctx.flash(_("The ballot has been changed."))
    return ctx.redirect(poll_url(poll))


RUN: dict[str, Callable[[Context, Poll], str]] = {
    "approve": _approved,
    "send": _sent,
    "remind": _reminded,
    "cancel": _cancelled,
    "publish": _published,
}


def _transition_page(name: str, run: Callable[[Context, Poll], str]) -> Any:
    def handler(ctx: Context) -> Response:
        poll = managed_or_403(ctx)
        try:
            message = run(ctx, poll)
        except Refusal as refusal:
            status, at = refused(ctx, refusal)
            if status != 422:
                raise HTTPException(status, refusal.message) from None
            return render_poll(ctx, poll, status=status, errors={"manage": at})
        ctx.flash(message)
        return ctx.redirect(poll_url(poll))

    handler.__name__ = f"poll_{name}"
    return page()(handler)


POLL = "/polls/{poll_id:int}"
routes = [
    Route("/ballots", ballot_list),
    Route("/ballots/new", ballot_new, methods=["GET", "POST"]),
    Route(POLL, poll_view),
    Route(f"{POLL}/restate", poll_restate, methods=["POST"]),
    *(
        Route(f"{POLL}/{name}", _transition_page(name, run), methods=["POST"])
        for name, run in RUN.items()
    ),
    *ballot_views.routes,
    *attachment_views.routes,
]
