"""The poll page's shared steps: find the poll (404 unless the viewer may see it), check who
runs it (403), and render the page (or, to htmx, the fragment the page includes) with what this
viewer may see: the running of it for the secretariat and the chair, the answer form for a
member, the draft form for their assistant, the result once closed (to everyone once
published), the summary and its report to those running it once closed, and to the members
once published (the rule of report_views.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from starlette.exceptions import HTTPException
from starlette.responses import Response

from meetings.agenda.queries import body_names, names_of
from meetings.agenda.web import viewer
from meetings.db import utcnow
from meetings.documents import validation
from meetings.documents.queries import size_text
from meetings.errors import Refusal
from meetings.organisations import queries as org_queries
from meetings.organisations.models import BodyRole
from meetings.voting import access, ballot_queries, labels, results
from meetings.voting.models import AnswerDraft, Poll, PollMode, PollState
from meetings.voting.queries import label, options_of
from meetings.web import uploads
from meetings.web.handler import Context

Errors = dict[str, dict[str, str]]  # by form ("answer", "draft-7", "manage", "files"), by field
CLOSED = (PollState.closed, PollState.published)


def user_id(ctx: Context) -> int:
    assert ctx.user is not None and ctx.user.id is not None
    return ctx.user.id


def poll_url(poll: Poll) -> str:
    return f"/polls/{poll.id}"


def poll_or_404(ctx: Context) -> Poll:
    """The poll in the path, if the viewer may see it (an assistant sees their member's)."""
    poll = ballot_queries.seen(ctx.db, viewer(ctx), ctx.request.path_params["poll_id"])
    if poll is None:
        raise HTTPException(404)
    return poll


def managed_or_403(ctx: Context) -> Poll:
    """The poll, for the body's secretariat and chair only (403 for others who see it)."""
    poll = poll_or_404(ctx)
    if not access.may_manage(ctx.db, viewer(ctx), poll):
        raise HTTPException(403)
    return poll


def refused(ctx: Context, refusal: Refusal) -> tuple[int, dict[str, str]]:
    """Undo what the action began; the status and the message at its field ("" for none)."""
    ctx.db.rollback()
    return refusal.status, {refusal.field: refusal.message}


@dataclass(frozen=True)
class Helped:
    """A member the viewer assists: their answer as it stands, and its draft."""

    member_id: int
    name: str
    answer: ballot_queries.Answer
    draft: AnswerDraft | None


def _result(poll: Poll | None) -> dict[str, Any]:
    """What templates/voting/_result.html needs besides the rule (empty while the result is
    not shown)."""
    result: dict[str, Any] = json.loads(poll.result) if poll and poll.result else {}
    return {
        "result": result,
        "outcome": labels.outcome_text(result),
        "outcomes": labels.OUTCOMES,
        "needed": labels.needed_text(poll, result) if poll else "",
    }


def _running(ctx: Context, poll: Poll) -> dict[str, Any]:
    """What the secretariat and the chair see."""
    seat = org_queries.seat_of(ctx.db, poll.body_id, user_id(ctx))
    zone = ZoneInfo(ctx.organisation.timezone if ctx.organisation else ctx.config.timezone)
    deadline = poll.deadline.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if poll.deadline else ""
    return {
        "is_chair": seat is not None and seat.role == BodyRole.chair,
        "recipients": ballot_queries.recipients(ctx.db, poll),
        "deadline_input": deadline,  # as the datetime-local field shows it
    }


def _answering(ctx: Context, poll: Poll) -> dict[str, Any]:
    """What a member and an assistant see of their own answers (opinion ballots only)."""
    if poll.mode != PollMode.ballot or poll.state == PollState.draft:
        return {"mine": None, "my_draft": None, "helped": []}
    helped_ids = ballot_queries.assisted(ctx.db, viewer(ctx), poll)
    names = names_of(ctx.db, set(helped_ids))
    helped = [
        Helped(
            member_id,
            names.get(member_id, "?"),
            ballot_queries.answer_of(ctx.db, poll, member_id),
            ballot_queries.draft_of(ctx.db, poll, member_id),
        )
        for member_id in helped_ids
    ]
    return {
        "mine": ballot_queries.answer_of(ctx.db, poll, user_id(ctx)),
        "my_draft": ballot_queries.draft_of(ctx.db, poll, user_id(ctx)),
        "helped": [h for h in helped if h.answer.eligible],
    }


def _people(ctx: Context, poll: Poll, values: dict[str, Any]) -> dict[int, str]:
    drafts = [values["my_draft"], *(h.draft for h in values["helped"])]
    wanted = {poll.created_by, poll.approved_by, *(d.drafted_by for d in drafts if d)}
    return names_of(ctx.db, wanted)


def render_poll(
    ctx: Context,
    poll: Poll,
    *,
    status: int = 200,
    errors: Errors | None = None,
    typed: dict[str, dict[str, Any]] | None = None,
    receipt: str | None = None,
    fragment: str | None = None,
    **extra: Any,
) -> Response:
    manages = access.may_manage(ctx.db, viewer(ctx), poll)
    values: dict[str, Any] = {
        "is_chair": False,
        "recipients": [],
        **_answering(ctx, poll),
        **(_running(ctx, poll) if manages else {}),
    }
    shows_result = poll.state == PollState.published or (manages and poll.state in CLOSED)
    # An assistant sees the ballot for their member, not its report (as report_views.py says).
    member = manages or access.visible(ctx.db, viewer(ctx), poll.id or 0) is not None
    summary = results.summary(ctx.db, poll) if shows_result and member else []
    return ctx.render(
        "voting/poll.html",
        status,
        fragment=fragment,
        page_title=poll.question,
        poll=poll,
        manages=manages,
        body_name=body_names(ctx.db, poll.organisation_id).get(poll.body_id, ""),
        states=labels.STATES,
        modes=labels.MODES,
        options=options_of(ctx.db, poll.id or 0),
        label=label,
        attachments=ballot_queries.attachments_of(ctx.db, poll.id or 0),
        size_text=size_text,
        limit_mb=uploads.limit_mb(ctx),
        accepted=validation.ACCEPTED,
        deadline_passed=poll.deadline is not None and poll.deadline <= utcnow(),
        shows_result=shows_result,
        summary=summary,
        names=_people(ctx, poll, values),
        me=user_id(ctx),
        errors=errors or {},
        typed=typed or {},
        receipt=receipt,
        rule=labels.rule_text(poll),
        **_result(poll if shows_result else None),
        **values,
        **extra,
    )
