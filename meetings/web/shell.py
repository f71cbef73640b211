"""The shell around every page: home, language switch, organisation switch."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from meetings.accounts import actions as account_actions
from meetings.archive.audit import record
from meetings.organisations import queries as org_queries
from meetings.web.handler import LANG_COOKIE, Context, page, safe_next
from meetings.web.templating import STATIC_DIR


@page()
def home(ctx: Context) -> Response:
    assert ctx.user is not None and ctx.user.id is not None
    bodies = (
        org_queries.bodies(ctx.db, ctx.organisation.id)
        if ctx.organisation and ctx.organisation.id
        else []
    )
    return ctx.render("home.html", bodies=bodies)


@page(auth="public")
def switch_language(ctx: Context) -> Response:
    locale = ctx.field("locale")
    if locale not in ("vi", "en"):
        raise HTTPException(400)
    if ctx.user is not None and ctx.login is not None:
        account_actions.set_locale(ctx.db, user=ctx.user, locale=locale)
    ctx.after.append(
        lambda r: r.set_cookie(LANG_COOKIE, locale, max_age=365 * 86400, samesite="lax", path="/")
    )
    return ctx.redirect(safe_next(ctx.field("next")))


@page()
def switch_organisation(ctx: Context) -> Response:
    """Make another of the user's organisations the current one."""
    assert ctx.user is not None and ctx.user.id is not None and ctx.login is not None
    try:
        wanted = int(ctx.field("organisation_id"))
    except ValueError:
        raise HTTPException(400) from None
    if org_queries.role_in(ctx.db, wanted, ctx.user.id) is None:
        raise HTTPException(404)
    ctx.login.organisation_id = wanted
    ctx.db.add(ctx.login)
    record(
        ctx.db, ctx.actor, "organisation.switched", ("organisation", wanted), organisation_id=wanted
    )
    ctx.db.commit()
    return ctx.redirect("/")


async def favicon(_request: Request) -> Response:
    return FileResponse(STATIC_DIR / "img" / "icon.svg", media_type="image/svg+xml")


routes = [
    Route("/favicon.ico", favicon),
    Route("/", home),
    Route("/language", switch_language, methods=["POST"]),
    Route("/organisation", switch_organisation, methods=["POST"]),
]
