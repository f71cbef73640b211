"""A member's side of an opinion ballot: answering it (agree, disagree, other opinion with a
comment), an assistant drafting the answer that only the member can send, and, once a secret
poll is published, the list of its ballots by receipt, where each voter finds their own.

The vote is committed before the page says so. A secret ballot's receipt is shown once, in
the answer to the request that cast it, and never stored with the voter.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.errors import Refusal
from meetings.i18n import _
from meetings.voting import actions, ballot_queries, casting
from meetings.voting.models import Poll, PollMode
from meetings.voting.poll_page import (
    CLOSED,
    poll_or_404,
    poll_url,
    refused,
    render_poll,
    user_id,
)
from meetings.voting.queries import label, options_of
from meetings.web.handler import Context, page

ANSWER = "voting/_my_answer.html"


def _ballot(ctx: Context) -> Poll:
    """An opinion ballot the viewer sees (a live vote is cast in the room)."""
    poll = poll_or_404(ctx)
    if poll.mode != PollMode.ballot:
        raise HTTPException(404)
    return poll


def _option_ids(ctx: Context) -> list[int]:
    chosen = [str(value) for value in (ctx.form.getlist("option") if ctx.form else [])]
    if not chosen or not all(value.isdigit() for value in chosen):
        raise Refusal(_("Choose your answer."), "options")
    return [int(value) for value in chosen]


def _typed(ctx: Context) -> dict[str, object]:
    chosen = ctx.form.getlist("option") if ctx.form else []
    return {"options": [str(value) for value in chosen], "comment": ctx.field("comment")}


@page()
def answer(ctx: Context) -> Response:
    """The member sends their answer (their assistant's draft, as it stands or changed)."""
    poll = _ballot(ctx)
    try:
        receipt = casting.cast(
            ctx.db,
            poll,
            user_id(ctx),
            _option_ids(ctx),
            actor=ctx.actor,
            comment=ctx.field("comment"),
        )
    except Refusal as refusal:
        status, at = refused(ctx, refusal)
        typed = {"answer": _typed(ctx)}
        errors = {"answer": at}
        return render_poll(ctx, poll, status=status, errors=errors, typed=typed, fragment=ANSWER)
    if receipt is None and not ctx.htmx:
        ctx.flash(_("Your answer has been recorded."))
        return ctx.redirect(poll_url(poll))
    # A secret ballot's receipt is shown now or never: this answer carries it.
    return render_poll(ctx, poll, receipt=receipt, fragment=ANSWER)


def _member_id(ctx: Context) -> int:
    raw = ctx.field("member_id")
    if not raw.isdigit():
        raise Refusal(_("Only the member or their assistant drafts this answer."), status=403)
    return int(raw)


@page()
def draft(ctx: Context) -> Response:
    """An assistant drafts the answer of a member they assist; it counts for nothing until
    the member sends it."""
    poll = _ballot(ctx)
    member_id = 0
    try:
        member_id = _member_id(ctx)
        casting.draft_answer(
            ctx.db,
            poll,
            member_id,
            _option_ids(ctx),
            actor=ctx.actor,
            drafted_by=user_id(ctx),
            comment=ctx.field("comment"),
        )
    except Refusal as refusal:
        status, at = refused(ctx, refusal)
        form = f"draft-{member_id}"
        errors, typed = {form: at}, {form: _typed(ctx)}
        return render_poll(ctx, poll, status=status, errors=errors, typed=typed)
    ctx.flash(_("The draft answer has been saved. The member sees it and sends it themselves."))
    return ctx.redirect(poll_url(poll))


def _receipt_wanted(ctx: Context) -> str:
    """The receipt typed into the search, as written on the page (grouped) or in one piece."""
    return "".join(ctx.request.query_params.get("receipt", "").split()).lower()


@page()
def ballots(ctx: Context) -> Response:
    """A published secret poll's ballots, by receipt: each voter checks their own is counted
    as they cast it, and everyone checks that the ballots add up to the result."""
    poll = poll_or_404(ctx)
    try:
        listed = actions.ballots(ctx.db, poll)
    except Refusal as refusal:
        raise HTTPException(refusal.status, refusal.message) from None
    wanted = _receipt_wanted(ctx)
    shown = [b for b in listed if b.receipt == wanted] if wanted else listed
    options = options_of(ctx.db, poll.id or 0)
    names = {o.id: label(o) for o in options}
    counted = ballot_queries.totals(listed)
    published = _frozen_figures(poll)
    return ctx.render(
        "voting/ballots_by_receipt.html",
        fragment="voting/_receipts.html",
        page_title=_("Ballots of “%(question)s”", question=poll.question),
        poll=poll,
        options=options,
        answer_text=lambda ballot: ", ".join(
            names.get(int(o), "?") for o in ballot.choices.split(",")
        ),
        label=label,
        ballots=shown,
        total=len(listed),
        wanted=wanted,
        counted=counted,
        published=published,
        adds_up=all(counted.get(o.id or 0, 0) == published.get(str(o.id), 0) for o in options),
    )


def _frozen_figures(poll: Poll) -> dict[str, int]:
    """The weight per option in the result frozen at the close, by option id (as text)."""
    if poll.state not in CLOSED or not poll.result:
        return {}
    figures = json.loads(poll.result).get("options", {})
    return {str(key): int(value) for key, value in figures.items()}


POLL = "/polls/{poll_id:int}"
routes = [
    Route(POLL + "/answer", answer, methods=["POST"]),
    Route(POLL + "/draft", draft, methods=["POST"]),
    Route(POLL + "/ballots", ballots),
]
