"""Pages for logging in and out, two-factor login, password, sessions and API tokens."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.accounts import actions, totp
from meetings.accounts import sessions as login_sessions
from meetings.accounts.models import ApiToken, SessionStage
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.security import same, sign
from meetings.web.handler import Context, page, safe_next


@page(auth="public")
def login(ctx: Context) -> Response:
    next_url = safe_next(ctx.request.query_params.get("next") or ctx.field("next"))
    if ctx.request.method == "GET":
        if ctx.login is not None and ctx.login.stage == SessionStage.full:
            return ctx.redirect(next_url)
        return ctx.render("accounts/login.html", next=next_url, email="", error=None)
    email = ctx.field("email")
    outcome = actions.log_in(
        ctx.db,
        ctx.config,
        email=email,
        password=ctx.form.get("password", "") if ctx.form else "",  # type: ignore[arg-type]
        ip=ctx.ip,
        user_agent=ctx.request.headers.get("user-agent", ""),
    )
    if outcome.status == "throttled":
        error = _("Too many failed attempts. Try again in %(n)s minutes.", n=outcome.minutes)
        return ctx.render("accounts/login.html", 429, next=next_url, email=email, error=error)
    if outcome.status == "invalid":
        error = _("The e-mail address or the password is not right.")
        return ctx.render("accounts/login.html", 422, next=next_url, email=email, error=error)
    ctx.set_login_cookie(outcome.key)
    if outcome.status == "second_factor":
        return ctx.redirect(f"/login/second-factor?next={next_url}")
    if outcome.status == "enrol":
        return ctx.redirect("/account/two-factor")
    return ctx.redirect(next_url)


@page(auth="partial")
def second_factor(ctx: Context) -> Response:
    assert ctx.login is not None
    next_url = safe_next(ctx.request.query_params.get("next") or ctx.field("next"))
    if ctx.login.stage != SessionStage.second_factor:
        return ctx.redirect(next_url)
    if ctx.request.method == "GET":
        return ctx.render("accounts/second_factor.html", next=next_url, error=None)
    outcome = actions.give_second_factor(
        ctx.db, ctx.config, login=ctx.login, code=ctx.field("code"), ip=ctx.ip
    )
    if outcome.status == "throttled":
        error = _("Too many failed attempts. Try again in %(n)s minutes.", n=outcome.minutes)
        return ctx.render("accounts/second_factor.html", 429, next=next_url, error=error)
    if outcome.status != "ok":
        error = _(
            "That code is not right. Enter the 6-digit code your app shows now, or a recovery code."
        )
        return ctx.render("accounts/second_factor.html", 422, next=next_url, error=error)
    ctx.set_login_cookie(outcome.key)
    return ctx.redirect(next_url)


@page(auth="public")
def logout(ctx: Context) -> Response:
    if ctx.login is not None:
        actions.log_out(ctx.db, login=ctx.login, actor=ctx.actor)
    ctx.clear_login_cookie()
    return ctx.redirect("/login")


@page()
def account(ctx: Context) -> Response:
    assert ctx.user is not None
    return ctx.render(
        "accounts/account.html",
        codes_left=totp.recovery_codes_left(ctx.db, ctx.user),
        required=actions.requires_second_factor(ctx.db, ctx.user),
    )


@page()
def change_password(ctx: Context) -> Response:
    assert ctx.user is not None and ctx.login is not None
    if ctx.request.method == "GET":
        return ctx.render("accounts/password.html", errors={})
    try:
        actions.change_password(
            ctx.db,
            user=ctx.user,
            current=_raw(ctx, "current"),
            new=_raw(ctx, "new"),
            keep_session_id=ctx.login.id,
            actor=ctx.actor,
        )
    except Refusal as refusal:
        return ctx.render("accounts/password.html", 422, errors={refusal.field: refusal.message})
    ctx.flash(_("Your password has been changed. Your other sessions were ended."))
    return ctx.redirect("/account")


def _raw(ctx: Context, name: str) -> str:
    value = ctx.form.get(name) if ctx.form else None
    return value if isinstance(value, str) else ""


def _enrol_page(
    ctx: Context, status: int = 200, secret: str | None = None, error: str | None = None
) -> Response:
    assert ctx.user is not None
    secret = secret or totp.new_secret()
    uri = totp.provisioning_uri(ctx.user, secret)
    return ctx.render(
        "accounts/two_factor.html",
        status,
        secret=secret,
        qr=totp.qr_svg(uri),
        signature=sign(ctx.config.secret_key, f"totp:{ctx.user.id}:{secret}"),
        error=error,
        codes=None,
        codes_left=totp.recovery_codes_left(ctx.db, ctx.user),
        required=actions.requires_second_factor(ctx.db, ctx.user),
    )


@page(auth="partial")
def two_factor(ctx: Context) -> Response:
    """Set up two-factor login (forced for officers at first login, or by choice)."""
    assert ctx.user is not None and ctx.login is not None
    if ctx.login.stage == SessionStage.second_factor:
        return ctx.redirect("/login/second-factor")
    if ctx.request.method == "GET" or ctx.user.totp_enabled_at is not None:
        if ctx.user.totp_enabled_at is not None:
            return ctx.redirect("/account")
        return _enrol_page(ctx)
    secret = ctx.field("secret")
    if not same(
        sign(ctx.config.secret_key, f"totp:{ctx.user.id}:{secret}"), ctx.field("signature")
    ):
        raise HTTPException(400)
    try:
        outcome = actions.enrol_second_factor(
            ctx.db, ctx.config, login=ctx.login, secret=secret, code=ctx.field("code"), ip=ctx.ip
        )
    except Refusal as refusal:
        return _enrol_page(ctx, 422, secret, refusal.message)
    if outcome.key:
        ctx.set_login_cookie(outcome.key)
    return ctx.render("accounts/recovery_codes.html", codes=outcome.recovery_codes)


@page()
def disable_two_factor(ctx: Context) -> Response:
    assert ctx.user is not None
    try:
        actions.disable_second_factor(
            ctx.db, user=ctx.user, code=ctx.field("code"), actor=ctx.actor
        )
    except Refusal as refusal:
        return ctx.render(
            "accounts/account.html",
            422,
            error=refusal.message,
            codes_left=totp.recovery_codes_left(ctx.db, ctx.user),
            required=actions.requires_second_factor(ctx.db, ctx.user),
        )
    ctx.flash(_("Two-factor login is off."))
    return ctx.redirect("/account")


@page()
def renew_recovery_codes(ctx: Context) -> Response:
    assert ctx.user is not None
    if ctx.user.totp_enabled_at is None:
        return ctx.redirect("/account/two-factor")
    codes = actions.new_recovery_codes(ctx.db, user=ctx.user, actor=ctx.actor)
    return ctx.render("accounts/recovery_codes.html", codes=codes)


@page()
def my_sessions(ctx: Context) -> Response:
    assert ctx.user is not None and ctx.user.id is not None and ctx.login is not None
    rows = login_sessions.live_for_user(ctx.db, ctx.config, ctx.user.id)
    return ctx.render("accounts/sessions.html", rows=rows, fragment="accounts/_sessions.html")


@page()
def end_session(ctx: Context) -> Response:
    assert ctx.user is not None and ctx.login is not None
    session_id = ctx.request.path_params["session_id"]
    if not actions.end_session(ctx.db, user=ctx.user, session_id=session_id, actor=ctx.actor):
        raise HTTPException(404)
    if session_id == ctx.login.id:
        ctx.clear_login_cookie()
        return ctx.redirect("/login")
    ctx.flash(_("The session has been ended."))
    return ctx.redirect("/account/sessions")


@page()
def end_other_sessions(ctx: Context) -> Response:
    assert ctx.user is not None and ctx.login is not None
    count = actions.end_other_sessions(ctx.db, user=ctx.user, keep_id=ctx.login.id, actor=ctx.actor)
    ctx.flash(_("%(n)s other sessions were ended.", n=count))
    return ctx.redirect("/account/sessions")


def _tokens(ctx: Context) -> list[ApiToken]:
    from sqlmodel import col, select

    assert ctx.user is not None
    return list(
        ctx.db.exec(
            select(ApiToken)
            .where(ApiToken.user_id == ctx.user.id)
            .order_by(col(ApiToken.id).desc())
        )
    )


@page()
def tokens(ctx: Context) -> Response:
    assert ctx.user is not None
    if ctx.request.method == "GET":
        return ctx.render("accounts/tokens.html", tokens=_tokens(ctx), new_token=None, error=None)
    try:
        token = actions.create_api_token(
            ctx.db, user=ctx.user, name=ctx.field("name"), actor=ctx.actor
        )
    except Refusal as refusal:
        return ctx.render(
            "accounts/tokens.html", 422, tokens=_tokens(ctx), new_token=None, error=refusal.message
        )
    return ctx.render("accounts/tokens.html", 201, tokens=_tokens(ctx), new_token=token, error=None)


@page()
def revoke_token(ctx: Context) -> Response:
    assert ctx.user is not None
    if not actions.revoke_api_token(
        ctx.db, user=ctx.user, token_id=ctx.request.path_params["token_id"], actor=ctx.actor
    ):
        raise HTTPException(404)
    ctx.flash(_("The token has been revoked."))
    return ctx.redirect("/account/tokens")


routes = [
    Route("/login", login, methods=["GET", "POST"]),
    Route("/login/second-factor", second_factor, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/account", account),
    Route("/account/password", change_password, methods=["GET", "POST"]),
    Route("/account/two-factor", two_factor, methods=["GET", "POST"]),
    Route("/account/two-factor/disable", disable_two_factor, methods=["POST"]),
    Route("/account/two-factor/recovery-codes", renew_recovery_codes, methods=["POST"]),
    Route("/account/sessions", my_sessions),
    Route("/account/sessions/{session_id:int}/end", end_session, methods=["POST"]),
    Route("/account/sessions/end-others", end_other_sessions, methods=["POST"]),
    Route("/account/tokens", tokens, methods=["GET", "POST"]),
    Route("/account/tokens/{token_id:int}/revoke", revoke_token, methods=["POST"]),
]
