"""The live-room pages: the chair's console, the members' tablet, the room screen; and the
session's actions (agenda moves, the floor, written opinions).

Each page renders its live regions at first paint with the hub's own renderer, then follows the
meeting over its socket. An action answers htmx with the regions it changed (out of band) and a
plain form with a redirect back to the page; the socket brings the same change to every screen.
A meeting the viewer may not see answers 404; an action they may not take, 403.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda import access, positions, session
from meetings.agenda.models import AgendaItem, Meeting, MeetingState
from meetings.agenda.web import meeting_or_404, my_participation, require_chair
from meetings.agenda.web import viewer as viewer_of
from meetings.documents.access import GUEST_ROLES
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.live import floor, opinions, regions
from meetings.live.events import AgendaChanged, Audience, FloorChanged, OpinionsChanged
from meetings.live.models import FloorRequest, FloorState, Opinion
from meetings.web.handler import Context, page

PAGES = {
    Audience.console: ("live/console.html", "/live/console"),
    Audience.tablet: ("live/tablet.html", "/live"),
    Audience.screen: ("live/screen.html", "/live/screen"),
}


def user_id(ctx: Context) -> int:
    assert ctx.user is not None and ctx.user.id is not None
    return ctx.user.id


def require_tablet(ctx: Context, meeting: Meeting) -> None:
    """The tablet is for members and substitutes (and the chair and the secretariat); guests
    and bridge points only get the room screen."""
    if access.may_chair(ctx.db, viewer_of(ctx), meeting):
        return
    row = my_participation(ctx, meeting)
    if row is None or (row.role in GUEST_ROLES and row.user_id == user_id(ctx)):
        raise HTTPException(403)


def _regions(ctx: Context, meeting: Meeting, view: str, names: tuple[str, ...] = ()) -> Markup:
    env = ctx.request.app.state.templates.env
    return Markup(regions.render(ctx.db, meeting, env, view, names))  # noqa: S704 - our templates


def _page(
    ctx: Context, meeting: Meeting, view: str, status: int = 200, error: str = ""
) -> Response:
    env = ctx.request.app.state.templates.env
    parts = {
        name: Markup(region.render(ctx.db, meeting, env, view))  # noqa: S704 - our templates
        for name, region in regions.REGIONS.items()
        if view in region.views
    }
    titles = {
        Audience.console: _("Session console"),
        Audience.tablet: _("Live meeting"),
        Audience.screen: _("Room screen"),
    }
    # My own attendance (check in, leave) on my tablet: fetched by the page, never pushed.
    invited = my_participation(ctx, meeting) is not None
    return ctx.render(
        PAGES[view][0],
        status,
        page_title=f"{titles[view]} · {meeting.title}",
        meeting=meeting,
        regions=parts,
        error=error,
        invited=invited,
    )


# -- the pages -----------------------------------------------------------------------------


@page()
def console_page(ctx: Context) -> Response:
    """The chair's and the secretariat's console: every region, with the controls."""
    meeting = meeting_or_404(ctx)
    require_chair(ctx, meeting)
    return _page(ctx, meeting, Audience.console)


@page()
def tablet_page(ctx: Context) -> Response:
    """A member's tablet: the item, its documents, the floor, the public opinions."""
    meeting = meeting_or_404(ctx)
    require_tablet(ctx, meeting)
    return _page(ctx, meeting, Audience.tablet)


@page()
def screen_page(ctx: Context) -> Response:
    """The room screen and bridge points: what the chair shares, in large type."""
    return _page(ctx, meeting_or_404(ctx), Audience.screen)


# -- answers -------------------------------------------------------------------------------


def answer(
    ctx: Context, meeting: Meeting, view: str, names: tuple[str, ...], done: str = ""
) -> Response:
    if not ctx.htmx:
        if done:
            ctx.flash(done)
        return ctx.redirect(f"/meetings/{meeting.id}{PAGES[view][1]}")
    changed = _regions(ctx, meeting, view, names)
    return ctx.render("live/_answer.html", regions=changed, done=done, error="")


def refused(ctx: Context, meeting: Meeting, view: str, refusal: Refusal) -> Response:
    ctx.db.rollback()
    if ctx.htmx:
        return ctx.render("live/_message.html", refusal.status, error=refusal.message, done="")
    return _page(ctx, meeting, view, refusal.status, refusal.message)


def chair_action(
    change: Callable[[Context, Meeting], object], names: tuple[str, ...]
) -> Callable[[Context], Response]:
    """A console action: the chair's (or the secretariat's), answered with the console's
    changed regions."""

    def handler(ctx: Context) -> Response:
        meeting = meeting_or_404(ctx)
        require_chair(ctx, meeting)
        try:
            change(ctx, meeting)
        except Refusal as refusal:
            return refused(ctx, meeting, Audience.console, refusal)
        return answer(ctx, meeting, Audience.console, names)

    handler.__name__ = getattr(change, "__name__", "live_action").lstrip("_")
    return handler


# -- finding what the path and form name ---------------------------------------------------


def _item(ctx: Context, meeting: Meeting) -> AgendaItem:
    item = ctx.db.get(AgendaItem, ctx.request.path_params["item_id"])
    if item is None or item.meeting_id != meeting.id:
        raise HTTPException(404)
    return item


def _floor_request(ctx: Context, meeting: Meeting, request_id: int) -> FloorRequest:
    row = ctx.db.get(FloorRequest, request_id)
    if row is None or row.meeting_id != meeting.id:
        raise HTTPException(404)
    return row


def _chosen_request(ctx: Context, meeting: Meeting) -> FloorRequest | None:
    """The request named in the form (none: the first in the queue)."""
    raw = ctx.field("request_id")
    if not raw:
        return None
    if not raw.isdigit():
        raise Refusal(_("Choose a request from the queue."), "request_id")
    return _floor_request(ctx, meeting, int(raw))


def _opinion(ctx: Context, meeting: Meeting) -> Opinion:
    row = ctx.db.get(Opinion, ctx.request.path_params["opinion_id"])
    if row is None or row.meeting_id != meeting.id:
        raise HTTPException(404)
    return row


# -- the chair's moves ---------------------------------------------------------------------

# The opinions shown are those of the current item: they change with it.
AGENDA = (*AgendaChanged.regions, "opinions")
FLOOR = FloorChanged.regions
OPINIONS = OpinionsChanged.regions


def _take_up(ctx: Context, meeting: Meeting) -> None:
    session.go_to(ctx.db, meeting, _item(ctx, meeting), actor=ctx.actor)


def _next(ctx: Context, meeting: Meeting) -> None:
    session.step(ctx.db, meeting, actor=ctx.actor, forward=True)


def _adopt_consent(ctx: Context, meeting: Meeting) -> None:
    positions.adopt_consent_block(ctx.db, meeting, actor=ctx.actor)


def _previous(ctx: Context, meeting: Meeting) -> None:
    session.step(ctx.db, meeting, actor=ctx.actor, forward=False)


def _mark(ctx: Context, meeting: Meeting) -> None:
    session.mark(ctx.db, meeting, _item(ctx, meeting), ctx.field("status"), actor=ctx.actor)


def _grant(ctx: Context, meeting: Meeting) -> None:
    floor.grant(ctx.db, meeting, _chosen_request(ctx, meeting), actor=ctx.actor)


def _skip(ctx: Context, meeting: Meeting) -> None:
    row = _floor_request(ctx, meeting, ctx.request.path_params["request_id"])
    floor.skip(ctx.db, meeting, row, actor=ctx.actor)


def _end(ctx: Context, meeting: Meeting) -> None:
    floor.end(ctx.db, meeting, actor=ctx.actor)


def _show(ctx: Context, meeting: Meeting) -> None:
    public = ctx.field("public")
    if public not in ("0", "1"):
        raise Refusal(_("Choose to show or to hide the opinion."), "public")
    opinions.show(ctx.db, meeting, _opinion(ctx, meeting), public=public == "1", actor=ctx.actor)


# -- the member's own request and opinion --------------------------------------------------


def _my_floor(ctx: Context, meeting: Meeting, status: int = 200, error: str = "") -> Response:
    mine = floor.mine(ctx.db, meeting.id or 0, user_id(ctx))
    queue = [row.id for row in floor.waiting(ctx.db, meeting.id or 0)]
    place = queue.index(mine.id) + 1 if mine is not None and mine.id in queue else 0
    return ctx.render(
        "live/_my_floor.html",
        status,
        meeting=meeting,
        mine=mine,
        place=place,
        in_session=meeting.state == MeetingState.in_session,
        error=error,
    )


def _own_floor_change(ctx: Context, change: Callable[[Meeting], object]) -> Response:
    meeting = meeting_or_404(ctx)
    require_tablet(ctx, meeting)
    try:
        change(meeting)
    except Refusal as refusal:
        ctx.db.rollback()
        if ctx.htmx:
            return _my_floor(ctx, meeting, refusal.status, refusal.message)
        return _page(ctx, meeting, Audience.tablet, refusal.status, refusal.message)
    if ctx.htmx:
        return _my_floor(ctx, meeting)
    return ctx.redirect(f"/meetings/{meeting.id}/live")


@page()
def my_floor(ctx: Context) -> Response:
    """My request to speak and my place in the queue, or the button to ask."""
    meeting = meeting_or_404(ctx)
    require_tablet(ctx, meeting)
    return _my_floor(ctx, meeting)


@page()
def ask_for_floor(ctx: Context) -> Response:
    def ask(meeting: Meeting) -> None:
        floor.ask(ctx.db, meeting, user_id(ctx), topic=ctx.field("topic"), actor=ctx.actor)

    return _own_floor_change(ctx, ask)


@page()
def withdraw_request(ctx: Context) -> Response:
    def withdraw(meeting: Meeting) -> None:
        session.require_session(meeting)
        mine = floor.mine(ctx.db, meeting.id or 0, user_id(ctx))
        if mine is None or mine.state != FloorState.waiting:
            raise Refusal(_("You have no request waiting."), status=409)
        floor.withdraw(ctx.db, meeting, mine, actor=ctx.actor)

    return _own_floor_change(ctx, withdraw)


@page()
def post_opinion(ctx: Context) -> Response:
    """A member's written opinion on the item under discussion."""
    meeting = meeting_or_404(ctx)
    require_tablet(ctx, meeting)
    try:
        opinions.post(ctx.db, meeting, user_id(ctx), text=ctx.field("text"), actor=ctx.actor)
    except Refusal as refusal:
        return refused(ctx, meeting, Audience.tablet, refusal)
    done = _("Your opinion has been sent to the chair.")
    return answer(ctx, meeting, Audience.tablet, OPINIONS, done)


LIVE = "/meetings/{meeting_id:int}/live"
ITEM = LIVE + "/items/{item_id:int}"


def _post(path: str, change: Callable[[Context, Meeting], object], names: tuple[str, ...]) -> Route:
    return Route(path, page()(chair_action(change, names)), methods=["POST"])


routes = [
    Route(LIVE, tablet_page),
    Route(LIVE + "/console", console_page),
    Route(LIVE + "/screen", screen_page),
    Route(LIVE + "/my-floor", my_floor),
    Route(LIVE + "/floor", ask_for_floor, methods=["POST"]),
    Route(LIVE + "/floor/withdraw", withdraw_request, methods=["POST"]),
    Route(LIVE + "/opinions", post_opinion, methods=["POST"]),
    _post(ITEM + "/take-up", _take_up, AGENDA),
    _post(ITEM + "/mark", _mark, AGENDA),
    _post(LIVE + "/next", _next, AGENDA),
    _post(LIVE + "/previous", _previous, AGENDA),
    _post(LIVE + "/consent", _adopt_consent, AGENDA),
    _post(LIVE + "/floor/grant", _grant, FLOOR),
    _post(LIVE + "/floor/{request_id:int}/skip", _skip, FLOOR),
    _post(LIVE + "/floor/end", _end, FLOOR),
    _post(LIVE + "/opinions/{opinion_id:int}/show", _show, OPINIONS),
]
