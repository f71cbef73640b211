"""The request lifecycle for pages: read the form, authenticate, localise, check, act, render.

Handlers are plain functions of a Context, run in a worker thread with their own database
session, so the rules below them stay synchronous and the event loop stays free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from meetings import i18n
from meetings.accounts import sessions
from meetings.accounts.models import LoginSession, SessionStage, User
from meetings.archive.audit import Actor
from meetings.config import Config
from meetings.db import session_scope
from meetings.organisations import queries as org_queries
from meetings.organisations.models import Organisation
from meetings.web.security import cookie_name, read_cookies

LANG_COOKIE = "ecab_lang"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass
class Context:
    """Everything a handler needs about the request it serves."""

    request: Request
    db: Session
    config: Config
    form: FormData | None
    user: User | None = None
    login: LoginSession | None = None
    organisation: Organisation | None = None
    org_role: str | None = None
    via_token: bool = False
    after: list[Callable[[Response], None]] = field(default_factory=list)

    # -- who and where ---------------------------------------------------------------
    @property
    def ip(self) -> str:
        return self.request.client.host if self.request.client else ""

    @property
    def actor(self) -> Actor:
        return Actor(
            self.user.id if self.user else None,
            self.ip,
            self.organisation.id if self.organisation else None,
        )

    @property
    def htmx(self) -> bool:
        return self.request.headers.get("hx-request") == "true"

    def my_organisations(self) -> list[tuple[Organisation, str]]:
        if self.user is None or self.user.id is None:
            return []
        return org_queries.organisations_of(self.db, self.user.id)

    def unread_notifications(self) -> int:
        from meetings.notifications.actions import unread_count

        if self.user is None or self.user.id is None:
            return 0
        return unread_count(self.db, self.user.id)

    def org_id(self) -> int:
        if self.organisation is None or self.organisation.id is None:
            raise HTTPException(404)
        return self.organisation.id

    # -- input -----------------------------------------------------------------------
    def field(self, name: str, default: str = "") -> str:
        value = self.form.get(name) if self.form else None
        return value.strip() if isinstance(value, str) else default

    def checked(self, name: str) -> bool:
        return self.field(name) in ("on", "true", "1", "yes")

    # -- output ----------------------------------------------------------------------
    def render(
        self, template: str, status: int = 200, fragment: str | None = None, **values: Any
    ) -> HTMLResponse:
        """The full page, or to an htmx request the fragment the page includes."""
        name = (
            fragment
            if fragment and self.htmx and not self.request.headers.get("hx-boosted")
            else template
        )
        templates = self.request.app.state.templates
        values.setdefault("page_title", "")
        return templates.TemplateResponse(
            self.request, name, {"ctx": self, **values}, status_code=status
        )

    def redirect(self, url: str) -> Response:
        """After a change: 303 for plain forms, a full navigation for htmx."""
        if self.htmx:
            return Response(status_code=204, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)

    def flash(self, message: str, kind: str = "success") -> None:
        """A one-line message shown on the next page (carried in a short-lived cookie)."""

        def set_cookie(response: Response) -> None:
            response.set_cookie(
                "ecab_flash",
                quote(f"{kind}:{message}"),
                max_age=60,
                httponly=True,
                samesite="lax",
                path="/",
            )

        self.after.append(set_cookie)

    @property
    def flash_message(self) -> tuple[str, str] | None:
        """The message left by the previous request, once."""
        raw = self.request.cookies.get("ecab_flash")
        if not raw:
            return None
        self.after.append(lambda r: r.delete_cookie("ecab_flash", path="/"))
        kind, _sep, message = unquote(raw).partition(":")
        return kind, message

    def set_login_cookie(self, key: str) -> None:
        name = cookie_name(self.config, self.request.scope, "ecab_session")
        secure = name.startswith("__Host-")
        self.after.append(
            lambda r: r.set_cookie(
                name, key, httponly=True, samesite="lax", secure=secure, path="/"
            )
        )

    def clear_login_cookie(self) -> None:
        name = cookie_name(self.config, self.request.scope, "ecab_session")
        self.after.append(lambda r: r.delete_cookie(name, path="/"))


def safe_next(url: str | None, default: str = "/") -> str:
    """Only same-site paths are followed after login or a switch."""
    if not url:
        return default
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//"):
        return default
    return url


def _load_login(ctx: Context) -> None:
    key = read_cookies(ctx.request.scope).get(
        cookie_name(ctx.config, ctx.request.scope, "ecab_session")
    )
    if not key:
        return
    login = sessions.load(ctx.db, ctx.config, key)
    user = ctx.db.get(User, login.user_id) if login else None
    if login and user and user.is_active:
        ctx.login, ctx.user = login, user


def load_organisation(ctx: Context) -> None:
    """The session's current organisation, else the user's first; with their role there."""
    if ctx.user is None or ctx.user.id is None:
        return
    wanted = ctx.login.organisation_id if ctx.login else None
    orgs = org_queries.organisations_of(ctx.db, ctx.user.id)
    chosen = next((pair for pair in orgs if pair[0].id == wanted), orgs[0] if orgs else None)
    if chosen:
        ctx.organisation, ctx.org_role = chosen


def localise(request: Request, config: Config, user: User | None, timezone: str | None) -> str:
    """Pick the language: the user's choice, the language cookie, the browser's, the default."""
    chosen = (user.locale if user else None) or request.cookies.get(LANG_COOKIE)
    if chosen not in ("vi", "en"):
        chosen = i18n.pick_locale(request.headers.get("accept-language", ""), config.default_locale)
        if not request.headers.get("accept-language"):
            chosen = config.default_locale
    i18n.set_locale(chosen, timezone or config.timezone)
    request.state.locale = chosen
    return chosen


def login_redirect(ctx: Context) -> Response:
    if ctx.login is not None and ctx.login.stage == SessionStage.enrol:
        return ctx.redirect("/account/two-factor")
    if ctx.login is not None and ctx.login.stage == SessionStage.second_factor:
        return ctx.redirect("/login/second-factor")
    target = ctx.request.url.path
    if ctx.request.url.query:
        target += "?" + ctx.request.url.query
    if ctx.request.method != "GET":
        target = "/"
    return ctx.redirect(f"/login?next={quote(target)}")


Handler = Callable[[Context], Response]


def serve_page(
    handler: Handler, request: Request, form: FormData | None, auth: str, roles: tuple[str, ...]
) -> Response:
    """Run a handler in this (worker) thread: session, login, language, role check, errors."""
    config: Config = request.app.state.config
    with session_scope(request.app.state.engine) as db:
        ctx = Context(request, db, config, form)
        _load_login(ctx)
        load_organisation(ctx)
        localise(request, config, ctx.user, ctx.organisation.timezone if ctx.organisation else None)
        request.state.user = ctx.user
        full = ctx.login is not None and ctx.login.stage == SessionStage.full
        if auth == "full" and not full:
            return login_redirect(ctx)
        if auth == "partial" and ctx.login is None:
            return ctx.redirect("/login")
        try:
            if roles and ctx.org_role not in roles:
                raise HTTPException(403)
            response = handler(ctx)
        except HTTPException as exc:
            db.rollback()
            return _error_page(ctx, exc)
        for step in ctx.after:
            step(response)
        return response


def _error_page(ctx: Context, exc: HTTPException) -> Response:
    """The error page inside the layout, with the person's own top bar."""
    from meetings.web.errors import http_detail, render_error

    response = render_error(ctx.request, exc.status_code, http_detail(exc), ctx=ctx)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


MAX_FORM_BYTES = 8 * 1024 * 1024


async def read_form(request: Request) -> FormData | None:
    """The posted form; a declared body over the limit is refused before it is read."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if request.method != "POST" or content_type not in FORM_CONTENT_TYPES:
        return None
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        raise HTTPException(413)
    return await request.form(max_files=20, max_fields=500, max_part_size=MAX_FORM_BYTES)


def page(auth: str = "full", roles: tuple[str, ...] = ()) -> Callable[[Handler], Any]:
    """Make a handler an endpoint. auth: public, partial (mid-login) or full; roles: org roles."""

    def decorate(handler: Handler) -> Any:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            form = await read_form(request)
            try:
                return await run_in_threadpool(serve_page, handler, request, form, auth, roles)
            finally:
                if form is not None:
                    await form.close()

        return endpoint

    return decorate
