"""My notifications: newest first, in my language, and marking them read."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from meetings.i18n import _
from meetings.notifications import actions
from meetings.web.handler import Context, page


def _user_id(ctx: Context) -> int:
    assert ctx.user is not None and ctx.user.id is not None
    return ctx.user.id


@page()
def notifications_page(ctx: Context) -> Response:
    """The viewer's own notifications; those of another organisation name it."""
    rows = actions.for_user(ctx.db, _user_id(ctx))
    return ctx.render(
        "notifications/list.html",
        page_title=_("Notifications"),
        items=[(row, actions.message(row), *actions.link(row)) for row in rows],
        unread=any(row.read_at is None for row in rows),
        organisations={org.id: org.name for org, _role in ctx.my_organisations()},
        here=ctx.organisation.id if ctx.organisation else None,
    )


@page()
def mark_all_read(ctx: Context) -> Response:
    actions.mark_all_read(ctx.db, _user_id(ctx))
    ctx.flash(_("All your notifications are marked as read."))
    return ctx.redirect("/notifications")


routes = [
    Route("/notifications", notifications_page),
    Route("/notifications/read", mark_all_read, methods=["POST"]),
]
