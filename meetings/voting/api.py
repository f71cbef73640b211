"""API for polls: live votes and opinion ballots, one engine.

A poll the caller may not see answers 404; one they may see but not run answers 403. Casting a
vote answers 201 only once the vote is committed; in a secret poll it carries the receipt,
which is never stored with the voter.
"""

from __future__ import annotations

import json

from sqlmodel import select
from starlette.exceptions import HTTPException
from starlette.routing import Route

from meetings.agenda import web
from meetings.agenda.access import is_secretariat
from meetings.agenda.api import in_organisation
from meetings.agenda.models import AgendaItem
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.organisations import queries as org_queries
from meetings.voting import access, actions, casting, results
from meetings.voting.api_models import (
    BallotInfo,
    DelegationCreate,
    MyVote,
    OptionInfo,
    PollCreate,
    PollInfo,
    PollTransition,
    Receipt,
    SummaryLine,
    VoteCast,
)
from meetings.voting.models import Delegation, Poll, PollMode, PollState, Turnout, Vote
from meetings.voting.queries import eligible_of, label, options_of, votes_cast
from meetings.web.api import api
from meetings.web.handler import Context

TAGS = ("voting",)
POLL = "/polls/{poll_id:int}"


def _poll(ctx: Context) -> Poll:
    in_organisation(ctx)
    poll = access.visible(ctx.db, web.viewer(ctx), ctx.request.path_params["poll_id"])
    if poll is None:
        raise HTTPException(404, _("There is no such poll."))
    return poll


def _managed(ctx: Context) -> Poll:
    poll = _poll(ctx)
    if not access.may_manage(ctx.db, web.viewer(ctx), poll):
        raise Refusal(_("Only the chair or the secretariat may do this."), status=403)
    return poll


def _info(ctx: Context, poll: Poll) -> PollInfo:
    options = [
        OptionInfo(
            id=o.id or 0, label=label(o), meaning=o.meaning, comment_required=o.comment_required
        )
        for o in options_of(ctx.db, poll.id or 0)
    ]
    closed = poll.state in (PollState.closed, PollState.published)
    return PollInfo(
        **poll.model_dump(
            include=set(PollInfo.model_fields)
            - {"options", "eligible", "votes_cast", "result", "may_manage"}
        ),
        options=options,
        eligible=len(eligible_of(ctx.db, poll.id or 0)),
        votes_cast=votes_cast(ctx.db, poll),
        result=json.loads(poll.result) if closed and poll.result else None,
        may_manage=access.may_manage(ctx.db, web.viewer(ctx), poll),
    )


@api(
    "POST",
    "/bodies/{body_id:int}/polls",
    summary="Draft a poll: a live vote on a meeting (its chair or the secretariat) or an "
    "opinion ballot between sessions (the body's secretariat)",
    body=PollCreate,
    response=PollInfo,
    status=201,
    tags=TAGS,
)
def create_poll(ctx: Context, wanted: PollCreate) -> PollInfo:
    in_organisation(ctx)
    body = org_queries.body(ctx.db, ctx.org_id(), ctx.request.path_params["body_id"])
    if body is None:
        raise HTTPException(404, _("There is no such body."))
    viewer = web.viewer(ctx)
    meeting = None
    if wanted.meeting_id is not None:
        meeting = web.meeting_or_404(ctx, wanted.meeting_id)
    if wanted.mode == PollMode.live and meeting is not None:
        web.require_chair(ctx, meeting)
    elif not is_secretariat(ctx.db, viewer, body.id or 0):
        raise Refusal(_("Only the body's secretariat may draft an opinion ballot."), status=403)
    item = ctx.db.get(AgendaItem, wanted.item_id) if wanted.item_id is not None else None
    poll = actions.create(
        ctx.db,
        body,
        actor=ctx.actor,
        question=wanted.question,
        mode=wanted.mode,
        meeting=meeting,
        item=item,
        secret=wanted.secret,
        candidates=wanted.candidates,
        max_choices=wanted.max_choices,
        deadline=wanted.deadline,
        allow_change=wanted.allow_change,
        show_running=wanted.show_running,
    )
    return _info(ctx, poll)


@api(
    "GET",
    POLL,
    summary="A poll, its options, the count of votes, and its result once closed",
    response=PollInfo,
    tags=TAGS,
)
def get_poll(ctx: Context) -> PollInfo:
    return _info(ctx, _poll(ctx))


@api(
    "POST",
    POLL + "/transitions",
    summary="Approve (a ballot: the body's chair), open, remind, close (idempotent), publish "
    "or cancel a poll",
    body=PollTransition,
    response=PollInfo,
    tags=TAGS,
)
def transition(ctx: Context, wanted: PollTransition) -> PollInfo:
    poll = _managed(ctx)
    if wanted.action == "approve":
        actions.approve(ctx.db, poll, actor=ctx.actor)
    elif wanted.action == "remind":
        actions.remind(ctx.db, poll, actor=ctx.actor)
    elif wanted.action == "open":
        actions.open_poll(ctx.db, poll, actor=ctx.actor)
    elif wanted.action == "close":
        actions.close(ctx.db, poll, actor=ctx.actor)
    elif wanted.action == "publish":
        actions.publish(ctx.db, poll, actor=ctx.actor)
    else:
        actions.cancel(ctx.db, poll, actor=ctx.actor, reason=wanted.reason)
    return _info(ctx, poll)


@api(
    "POST",
    POLL + "/votes",
    summary="Cast your vote (or your principal's); 409 if already cast",
    body=VoteCast,
    response=Receipt,
    status=201,
    tags=TAGS,
)
def cast_vote(ctx: Context, wanted: VoteCast) -> Receipt:
    poll = _poll(ctx)
    user_id = ctx.user.id if ctx.user else 0
    receipt = casting.cast(
        ctx.db,
        poll,
        user_id or 0,
        wanted.option_ids,
        actor=ctx.actor,
        comment=wanted.comment,
        on_behalf_of=wanted.on_behalf_of,
    )
    return Receipt(voter_id=wanted.on_behalf_of or user_id or 0, receipt=receipt)


@api(
    "GET",
    POLL + "/my-vote",
    summary="Whether you have voted (and, in a named poll, how)",
    response=MyVote,
    tags=TAGS,
)
def my_vote(ctx: Context) -> MyVote:
    poll = _poll(ctx)
    user_id = ctx.user.id if ctx.user else 0
    delegated = ctx.db.exec(
        select(Delegation.delegate_id).where(
            Delegation.poll_id == poll.id, Delegation.principal_id == user_id
        )
    ).first()
    if poll.secret:
        voted = ctx.db.exec(
            select(Turnout.id).where(Turnout.poll_id == poll.id, Turnout.voter_id == user_id)
        ).first()
        return MyVote(voted=voted is not None, option_ids=None, delegated_to=delegated)
    vote = ctx.db.exec(
        select(Vote).where(Vote.poll_id == poll.id, Vote.voter_id == user_id)
    ).first()
    chosen = [int(o) for o in vote.choices.split(",")] if vote else None
    return MyVote(voted=vote is not None, option_ids=chosen, delegated_to=delegated)


@api(
    "POST",
    POLL + "/delegation",
    summary="Let another member (or your substitute) vote in your name",
    body=DelegationCreate,
    status=204,
    tags=TAGS,
)
def delegate(ctx: Context, wanted: DelegationCreate) -> None:
    poll = _poll(ctx)
    casting.delegate(
        ctx.db, poll, ctx.user.id if ctx.user else 0, wanted.delegate_id, actor=ctx.actor
    )  # type: ignore[arg-type]


@api(
    "GET",
    POLL + "/ballots",
    summary="The ballots of a published secret poll, by receipt",
    response=list[BallotInfo],
    tags=TAGS,
)
def ballots(ctx: Context) -> list[BallotInfo]:
    poll = _poll(ctx)
    return [
        BallotInfo(
            receipt=b.receipt, option_ids=[int(o) for o in b.choices.split(",")], weight=b.weight
        )
        for b in actions.ballots(ctx.db, poll)
    ]


@api(
    "GET",
    POLL + "/summary",
    summary="Figures and comments per option, once closed (chair and secretariat)",
    response=list[SummaryLine],
    tags=TAGS,
)
def summary(ctx: Context) -> list[SummaryLine]:
    poll = _managed(ctx)
    if poll.state not in (PollState.closed, PollState.published):
        raise Refusal(_("The summary is made once the poll is closed."), status=409)
    return [
        SummaryLine(
            option_id=line.option_id, label=line.label, weight=line.weight, comments=line.comments
        )
        for line in results.summary(ctx.db, poll)
    ]


routes: list[Route] = [
    create_poll,
    get_poll,
    transition,
    cast_vote,
    my_vote,
    delegate,
    ballots,
    summary,
]
