"""Security headers and CSRF protection, as plain ASGI middleware."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from meetings.config import Config
from meetings.security import new_token, same, sign

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_FORM_BYTES = 1024 * 1024
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


def is_secure(config: Config, scope: Scope) -> bool:
    if config.https != "auto":
        return config.https == "on"
    return scope.get("scheme") in ("https", "wss")


def cookie_name(config: Config, scope: Scope, base: str) -> str:
    """`__Host-` cookies over https (Secure, Path=/, no Domain), plain names over http."""
    return f"__Host-{base}" if is_secure(config, scope) else base


def read_cookies(scope: Scope) -> dict[str, str]:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return {}
            return {key: morsel.value for key, morsel in jar.items()}
    return {}


class SecurityHeaders:
    """Adds a strict CSP and the usual hardening headers to every HTTP response."""

    def __init__(self, app: ASGIApp, config: Config) -> None:
        self.app, self.config = app, config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = is_secure(self.config, scope)
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CSP
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
                if secure:
                    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
                if not static and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


FailureRenderer = Callable[[Request, str], Awaitable[Response]]


class CSRFProtection:
    """Signed double-submit tokens: a random cookie, and its HMAC in every unsafe request.

    The token travels in the X-CSRF-Token header (htmx, fetch) or the csrf_token field of a
    urlencoded form. Requests authenticated by a Bearer token carry no cookie and need none.
    """

    def __init__(self, app: ASGIApp, config: Config, on_failure: FailureRenderer) -> None:
        self.app, self.config, self.on_failure = app, config, on_failure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        name = cookie_name(self.config, scope, "ecab_csrf")
        seed = read_cookies(scope).get(name, "")
        fresh = not seed
        if fresh:
            seed = new_token(24)
        expected = sign(self.config.secret_key, f"csrf:{seed}")
        scope.setdefault("state", {})["csrf_token"] = expected
        cookies = read_cookies(scope)
        if (
            scope["type"] == "http"
            and scope["method"] not in SAFE_METHODS
            and _needs_token(scope, cookies, cookie_name(self.config, scope, "ecab_session"))
        ):
            submitted, receive = await _submitted_token(scope, receive)
            if fresh or not submitted or not same(submitted, expected):
                response = await self.on_failure(Request(scope), "csrf")
                await response(scope, receive, send)
                return
        if fresh and scope["type"] == "http":
            send = _setting_cookie(send, name, seed, is_secure(self.config, scope))
        await self.app(scope, receive, send)


def _needs_token(scope: Scope, cookies: dict[str, str], session_cookie: str) -> bool:
    """Pages always; the API only when a session cookie could be riding along."""
    if _bearer(scope):
        return False
    return not scope["path"].startswith("/api/") or session_cookie in cookies


def _bearer(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"authorization" and value[:7].lower() == b"bearer ":
            return True
    return False


def _setting_cookie(send: Send, name: str, value: str, secure: bool) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            response = Response()
            response.set_cookie(name, value, httponly=True, samesite="lax", secure=secure, path="/")
            headers = MutableHeaders(scope=message)
            headers.append("set-cookie", response.headers["set-cookie"])
        await send(message)

    return wrapped


async def _submitted_token(scope: Scope, receive: Receive) -> tuple[str, Receive]:
    """The token from the header, or from a urlencoded body (which is then replayed)."""
    headers = dict(scope.get("headers", []))
    if CSRF_HEADER.encode() in headers:
        return headers[CSRF_HEADER.encode()].decode("latin-1"), receive
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip()
    if content_type != b"application/x-www-form-urlencoded":
        return "", receive
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return "", receive
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return "", receive
        chunks.append(chunk)
        more = message.get("more_body", False)
    body = b"".join(chunks)
    fields = parse_qs(body.decode("latin-1"), max_num_fields=1000)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return (fields.get(CSRF_FIELD) or [""])[0], replay
