"""Live votes in the room: the chair calls, opens, closes and publishes a vote on the item
under discussion from the console; each member votes with one tap on their tablet and gets
their own choice confirmed (fetched by the tablet, never pushed). The rules are those of
meetings.voting.actions, the same as the API's."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda.models import Meeting
from meetings.agenda.session import current_item
from meetings.agenda.web import meeting_or_404
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.live.events import Audience, PollChanged
from meetings.live.views import LIVE, chair_action, refused, require_tablet, user_id
from meetings.organisations.models import Body
from meetings.voting import actions, casting, queries
from meetings.voting.models import Delegation, Eligible, Poll, PollMode, PollState, Turnout, Vote
from meetings.web.handler import Context, page

VOTE = PollChanged.regions


def _poll(ctx: Context, meeting: Meeting) -> Poll:
    """The live vote named in the path, of this meeting (404 otherwise)."""
    poll = ctx.db.get(Poll, ctx.request.path_params["poll_id"])
    if poll is None or poll.meeting_id != meeting.id or poll.mode != PollMode.live:
        raise HTTPException(404)
    return poll


def _call(ctx: Context, meeting: Meeting) -> None:
    """Call a vote on the item under discussion and open it at once."""
    item = current_item(ctx.db, meeting)
    if item is None:
        raise Refusal(_("Take up an item before calling a vote on it."), status=409)
    opened = queries.shown_in_room(ctx.db, meeting.id or 0, item.id, drafts=False)
    if opened is not None and opened.state == PollState.open:
        raise Refusal(_("Close the open vote before calling another."), status=409)
    body = ctx.db.get(Body, meeting.body_id)
    if body is None:
        raise HTTPException(404)
    poll = actions.create(
        ctx.db,
        body,
        actor=ctx.actor,
        question=ctx.field("question"),
        meeting=meeting,
        item=item,
        secret=ctx.checked("secret"),
        show_running=ctx.checked("show_running"),
    )
    # Should opening fail (the session closed meanwhile), the draft stays on the console.
    actions.open_poll(ctx.db, poll, actor=ctx.actor)


def _transition(change: Callable[..., object]) -> Callable[[Context, Meeting], None]:
    def run(ctx: Context, meeting: Meeting) -> None:
        change(ctx.db, _poll(ctx, meeting), actor=ctx.actor)

    run.__name__ = change.__name__
    return run


def _cancel(ctx: Context, meeting: Meeting) -> None:
    actions.cancel(ctx.db, _poll(ctx, meeting), actor=ctx.actor, reason=_("Cancelled by the chair"))


# -- the member's own vote -----------------------------------------------------------------


def _my_vote(
    ctx: Context,
    meeting: Meeting,
    poll: Poll,
    status: int = 200,
    error: str = "",
    receipt: str | None = None,
) -> Response:
    me = user_id(ctx)
    eligible = ctx.db.exec(
        select(Eligible).where(Eligible.poll_id == poll.id, Eligible.user_id == me)
    ).first()
    delegated = ctx.db.exec(
        select(Delegation).where(Delegation.poll_id == poll.id, Delegation.principal_id == me)
    ).first()
    chosen: list[str] = []
    voted = False
    if poll.secret:
        voted = (
            ctx.db.exec(
                select(Turnout.id).where(Turnout.poll_id == poll.id, Turnout.voter_id == me)
            ).first()
            is not None
        )
    else:
        vote = ctx.db.exec(select(Vote).where(Vote.poll_id == poll.id, Vote.voter_id == me)).first()
        if vote is not None:
            voted = True
            labels = {o.id: queries.label(o) for o in queries.options_of(ctx.db, poll.id or 0)}
            chosen = [labels.get(int(o), "?") for o in vote.choices.split(",")]
    return ctx.render(
        "live/_my_vote.html",
        status,
        meeting=meeting,
        poll=poll,
        eligible=eligible,
        delegated=delegated,
        voted=voted,
        chosen=chosen,
        receipt=receipt,
        error=error,
        oob=ctx.request.method == "POST",
    )


@page()
def my_vote(ctx: Context) -> Response:
    """My vote in the open live vote: whether I may vote, and what I chose."""
    meeting = meeting_or_404(ctx)
    require_tablet(ctx, meeting)
    return _my_vote(ctx, meeting, _poll(ctx, meeting))


@page()
def cast_vote(ctx: Context) -> Response:
    """One tap on the tablet: the vote is committed before the answer confirms it."""
    meeting = meeting_or_404(ctx)
    require_tablet(ctx, meeting)
    poll = _poll(ctx, meeting)
    form = ctx.form.getlist("option") if ctx.form is not None else []
    try:
        if not form or not all(str(o).isdigit() for o in form):
            raise Refusal(_("Choose among the options of this poll."), "option")
        receipt = casting.cast(
            ctx.db,
            poll,
            user_id(ctx),
            [int(str(o)) for o in form],
            actor=ctx.actor,
            comment=ctx.field("comment"),
        )
    except Refusal as refusal:
        ctx.db.rollback()
        if not ctx.htmx:
            return refused(ctx, meeting, Audience.tablet, refusal)
        return _my_vote(ctx, meeting, poll, refusal.status, refusal.message)
    if not ctx.htmx:
        ctx.flash(_("Your vote has been recorded."))
        return ctx.redirect(f"/meetings/{meeting.id}/live")
    ctx.db.refresh(poll)
    return _my_vote(ctx, meeting, poll, receipt=receipt)


POLL = LIVE + "/polls/{poll_id:int}"


def _post(path: str, change: Callable[[Context, Meeting], object]) -> Route:
    return Route(path, page()(chair_action(change, VOTE)), methods=["POST"])


routes = [
    _post(LIVE + "/polls", _call),
    _post(POLL + "/open", _transition(actions.open_poll)),
    _post(POLL + "/close", _transition(actions.close)),
    _post(POLL + "/publish", _transition(actions.publish)),
    _post(POLL + "/cancel", _cancel),
    Route(POLL + "/mine", my_vote),
    Route(POLL + "/vote", cast_vote, methods=["POST"]),
]
