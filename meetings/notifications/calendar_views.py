"""Calendar files: one meeting's .ics, and a private feed URL to subscribe to.

The feed needs no login: its secret token, shown once and stored only as a hash, is the key.
It lists what its owner may see in every organisation they belong to.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings import i18n
from meetings.agenda.web import meeting_or_404
from meetings.i18n import _
from meetings.notifications import calendar
from meetings.web.handler import Context, page

MEDIA_TYPE = "text/calendar; charset=utf-8"


def _base_url(ctx: Context) -> str:
    return str(ctx.request.base_url).rstrip("/")


def _ics(content: bytes, filename: str, disposition: str = "attachment") -> Response:
    return Response(
        content,
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )


@page()
def meeting_ics(ctx: Context) -> Response:
    meeting = meeting_or_404(ctx)
    content = calendar.calendar(ctx.db, [meeting], base_url=_base_url(ctx))
    return _ics(content, f"meeting-{meeting.id}.ics")


@page(auth="public")
def feed(ctx: Context) -> Response:
    owner = calendar.feed_owner(ctx.db, ctx.request.path_params["token"])
    if owner is None:
        raise HTTPException(404)
    i18n.set_locale(owner.locale or ctx.config.default_locale)
    meetings = calendar.feed_meetings(ctx.db, owner)
    name = _("e-Cabinet meetings")
    content = calendar.calendar(ctx.db, meetings, base_url=_base_url(ctx), name=name)
    return _ics(content, "e-cabinet.ics", "inline")


def _feed_page(ctx: Context, status: int = 200, new_url: str | None = None) -> Response:
    assert ctx.user is not None
    return ctx.render(
        "calendar/account_calendar.html",
        status,
        feed=calendar.active_feed(ctx.db, ctx.user.id or 0),
        new_url=new_url,
        webcal_url="webcal://" + new_url.split("://", 1)[1] if new_url else None,
    )


@page()
def account_calendar(ctx: Context) -> Response:
    assert ctx.user is not None
    if ctx.request.method == "GET":
        return _feed_page(ctx)
    token = calendar.create_feed(ctx.db, user=ctx.user, actor=ctx.actor)
    return _feed_page(ctx, 201, f"{_base_url(ctx)}/calendar/{token}.ics")


@page()
def revoke_feed(ctx: Context) -> Response:
    assert ctx.user is not None
    if calendar.revoke_feed(ctx.db, user=ctx.user, actor=ctx.actor):
        ctx.flash(_("Your private calendar link no longer works."))
    return ctx.redirect("/account/calendar")


routes = [
    Route("/meetings/{meeting_id:int}.ics", meeting_ics),
    Route("/calendar/{token}.ics", feed),
    Route("/account/calendar", account_calendar, methods=["GET", "POST"]),
    Route("/account/calendar/revoke", revoke_feed, methods=["POST"]),
]
