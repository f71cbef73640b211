"""Error pages in the layout and the user's language; JSON errors under /api/."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from meetings import i18n
from meetings.i18n import N_, _
from meetings.web import logger
from meetings.web.handler import localise

TITLES = {
    400: N_("The request could not be understood"),
    401: N_("Please log in"),
    403: N_("You do not have access to this page"),
    404: N_("Page not found"),
    405: N_("This action is not allowed here"),
    409: N_("This cannot be done in the current state"),
    413: N_("The file is too large"),
    422: N_("Some information needs correcting"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong on our side"),
}
ADVICE = {
    400: N_("Go back, check what you entered and try again."),
    401: N_("Log in to continue."),
    403: N_("If you think you should have access, ask your organisation's administrator."),
    404: N_("The address may be mistyped, or the item was removed or is not shared with you."),
    405: N_("Go back and use the buttons on the page."),
    409: N_("Reload the page to see the current state, then try again."),
    413: N_("Make the file smaller or split it, then upload again."),
    422: N_("Go back, correct the highlighted fields and send the form again."),
    429: N_("Wait a few minutes, then try again."),
    500: N_(
        "The error has been recorded. Try again in a moment; if it keeps happening, "
        "tell your administrator the time it happened."
    ),
}
CSRF_MESSAGE = N_(
    "This form has expired or was sent from another site. Reload the page and send it again."
)
CODES = {
    400: "bad_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def json_error(status: int, message: str, code: str | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code or CODES.get(status, "error"), "message": message}},
        status_code=status,
    )


def _prepare(request: Request) -> None:
    """Use the language the handler chose, or choose one without the (possibly gone) user."""
    chosen = getattr(request.state, "locale", None)
    if chosen:
        i18n.set_locale(chosen)
    else:
        localise(request, request.app.state.config, None, None)


def render_error(
    request: Request,
    status: int,
    detail: str | None = None,
    ctx: object = None,
    title: str | None = None,
    back: str | None = None,
) -> Response:
    """The error page (with the top bar when the handler's context is given), or JSON."""
    if ctx is None:
        _prepare(request)
    title = title or _(TITLES.get(status, TITLES[500]))
    message = detail or _(ADVICE.get(status, ADVICE[500]))
    if wants_json(request):
        return json_error(status, message if detail else title)
    templates = request.app.state.templates
    values = {
        "back": back,
        "status": status,
        "title": title,
        "message": message,
        "page_title": title,
        "ctx": ctx,
        "user": getattr(request.state, "user", None),
    }
    return templates.TemplateResponse(request, "errors/error.html", values, status_code=status)


def http_detail(exc: HTTPException) -> str | None:
    """The message given when raising, or None for Starlette's default phrase."""
    return exc.detail if exc.detail and exc.detail != _http_phrase(exc.status_code) else None


async def http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    response = render_error(request, exc.status_code, http_detail(exc))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _http_phrase(status: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(status).phrase


async def server_error(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return render_error(request, 500)


CSRF_TITLE = N_("This form has expired")


async def csrf_failure(request: Request, _reason: str) -> Response:
    """403 for a missing or wrong CSRF token, with a way back to the form."""
    _prepare(request)
    referer = request.headers.get("referer", "")
    origin = f"{request.url.scheme}://{request.url.netloc}"
    back = referer[len(origin) :] if referer.startswith(origin + "/") else None
    return render_error(
        request, 403, i18n.gettext(CSRF_MESSAGE), title=i18n.gettext(CSRF_TITLE), back=back
    )
