"""The /api/v1 base: Bearer or session auth, JSON in and out, and the OpenAPI document.

Besides JSON, an operation may take a file (multipart/form-data, streamed to disk: see
multipart.py) or answer one (a download, with HTTP Range).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from meetings import __version__, i18n
from meetings.accounts import actions as account_actions
from meetings.accounts.models import SessionStage
from meetings.config import Config
from meetings.db import session_scope
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.organisations import queries as org_queries
from meetings.storage.blobs import TooLarge
from meetings.web.errors import json_error
from meetings.web.handler import Context, _load_login, load_organisation, localise
from meetings.web.multipart import FILE, BadForm, Upload, read_upload

MAX_BODY = 1024 * 1024
PREFIX = "/api/v1"


@dataclass(frozen=True)
class ApiRoute:
    """One documented API operation."""

    method: str
    path: str
    summary: str
    body: type[BaseModel] | None
    response: Any
    status: int
    tags: tuple[str, ...]
    roles: tuple[str, ...] = ()
    form: type[BaseModel] | None = None  # the fields sent beside one `file` part
    files: tuple[str, ...] = ()  # the media types of a file answered (a download)


REGISTRY: list[ApiRoute] = []

ApiHandler = Callable[..., Any]


def _authenticate(ctx: Context) -> None:
    header = ctx.request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        ctx.user = account_actions.user_for_token(ctx.db, header[7:].strip())
        ctx.via_token = ctx.user is not None
        return
    _load_login(ctx)
    if ctx.login is None or ctx.login.stage != SessionStage.full:
        ctx.user = None


def _scope_organisation(ctx: Context) -> None:
    """{org_id} in the path names the organisation; otherwise the session's current one, or
    for a Bearer token the user's first organisation by name."""
    org_id = ctx.request.path_params.get("org_id")
    if ctx.user is None or ctx.user.id is None:
        return
    if org_id is None:
        load_organisation(ctx)
        return
    for org, role in org_queries.organisations_of(ctx.db, ctx.user.id):
        if org.id == org_id:
            ctx.organisation, ctx.org_role = org, role
            return
    raise HTTPException(404)


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_dump(item) for item in value]
    return value


def _unauthorised() -> Response:
    response = json_error(401, _("Log in or send a valid API token (Authorization: Bearer ...)."))
    response.headers["WWW-Authenticate"] = 'Bearer realm="e-Cabinet"'
    return response


def _parse(model: type[BaseModel] | None, raw: bytes) -> BaseModel | Response | None:
    if model is None:
        return None
    try:
        return model.model_validate_json(raw or b"{}")
    except ValidationError as error:
        return json_error(422, validation_message(error))


class Proceed(Response):
    """What a gate answers when the request may go on to stream its body."""


def _serve(route: ApiRoute, request: Request, act: Callable[[Context], Any]) -> Response:
    """Authenticate, scope the organisation, check the role, then act (which parses the body)."""
    config: Config = request.app.state.config
    with session_scope(request.app.state.engine) as db:
        ctx = Context(request, db, config, None)
        _authenticate(ctx)
        localise(request, config, ctx.user, None)
        request.state.user = ctx.user
        if ctx.user is None:
            return _unauthorised()
        _scope_organisation(ctx)
        if route.roles and ctx.org_role not in route.roles:
            return json_error(403, _("Your role in this organisation does not allow this."))
        try:
            result = act(ctx)
        except Refusal as refusal:
            db.rollback()
            code = "invalid" if refusal.status == 422 else None
            return json_error(refusal.status, refusal.message, code)
        if not isinstance(result, Response):
            result = JSONResponse(_dump(result), status_code=route.status)
        for step in ctx.after:
            step(result)
        return result


def _json(handler: ApiHandler, model: type[BaseModel] | None, raw: bytes) -> Callable[..., Any]:
    def act(ctx: Context) -> Any:
        payload = _parse(model, raw)
        if isinstance(payload, Response):
            return payload
        return handler(ctx, payload) if payload is not None else handler(ctx)

    return act


def _gate(gate: ApiHandler) -> Callable[[Context], Response]:
    def act(ctx: Context) -> Response:
        gate(ctx)
        return Proceed()

    return act


def _filled(handler: ApiHandler, model: type[BaseModel], upload: Upload) -> Callable[..., Any]:
    def act(ctx: Context) -> Any:
        try:
            fields = model.model_validate(upload.fields)
        except ValidationError as error:
            return json_error(422, validation_message(error))
        return handler(ctx, fields, upload)

    return act


def _too_large(config: Config) -> Response:
    message = _(
        "The file is larger than %(limit)s MB. Make it smaller or split it, then upload it again.",
        limit=config.max_upload_mb,
    )
    return json_error(413, message)


async def _streamed(
    route: ApiRoute, handler: ApiHandler, gate: ApiHandler, request: Request
) -> Response:
    """Check access (the gate), then stream the file to disk, then act on it in a thread.

    Nothing of a stranger's body is read; the temporary file is gone afterwards, whatever
    happens (the action moves an accepted one into the blob store first)."""
    assert route.form is not None
    allowed = await run_in_threadpool(_serve, route, request, _gate(gate))
    if not isinstance(allowed, Proceed):
        return allowed
    i18n.set_locale(request.state.locale)  # the caller's language, chosen in the thread
    config: Config = request.app.state.config
    temp_dir = request.app.state.blobs.temp_dir()
    try:
        upload = await read_upload(
            request, route.form.model_fields, temp_dir, config.max_upload_mb * 1024 * 1024
        )
    except TooLarge:
        return _too_large(config)
    except BadForm as bad:
        return json_error(bad.status, bad.message)
    try:
        return await run_in_threadpool(_serve, route, request, _filled(handler, route.form, upload))
    finally:
        upload.received.path.unlink(missing_ok=True)


def validation_message(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ())) or _("body")
    return _("Field %(field)s: %(problem)s", field=where, problem=first.get("msg", ""))


def api(
    method: str,
    path: str,
    *,
    summary: str,
    response: Any = None,
    body: type[BaseModel] | None = None,
    status: int = 200,
    tags: tuple[str, ...] = (),
    roles: tuple[str, ...] = (),
    form: type[BaseModel] | None = None,
    gate: ApiHandler | None = None,
    files: tuple[str, ...] = (),
) -> Callable[[ApiHandler], Route]:
    """Declare an API operation: it becomes a Route and an entry of the OpenAPI document.

    `roles` are the organisation roles allowed (empty: any member); the body is parsed only
    after the caller is authenticated and allowed, so strangers learn nothing from a 422.
    With `form`, the body is multipart/form-data: one `file` part and these fields; `gate`
    checks access before a byte of it is read, and the handler gets (ctx, fields, upload).
    `files` names the media types of an operation that answers a file rather than JSON.
    """

    def decorate(handler: ApiHandler) -> Route:
        route = ApiRoute(
            method, PREFIX + path, summary, body, response, status, tags, roles, form, files
        )

        async def endpoint(request: Request) -> Response:
            if form is not None:
                return await _streamed(route, handler, gate or (lambda ctx: None), request)
            raw = await request.body() if body is not None else b""
            if len(raw) > MAX_BODY:
                return json_error(413, _("The request body is larger than 1 MB."))
            return await run_in_threadpool(_serve, route, request, _json(handler, body, raw))

        endpoint.__name__ = handler.__name__
        REGISTRY.append(route)
        return Route(PREFIX + path, endpoint, methods=[method])

    return decorate


# -- OpenAPI -------------------------------------------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


def _schema(kind: Any, components: dict[str, Any], mode: str = "serialization") -> dict[str, Any]:
    from pydantic import TypeAdapter

    schema = TypeAdapter(kind).json_schema(
        ref_template="#/components/schemas/{model}",
        mode=mode,  # type: ignore[arg-type]
    )
    components.update(schema.pop("$defs", {}))
    return schema


def _operation(route: ApiRoute, components: dict[str, Any]) -> dict[str, Any]:
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
        for name in re.findall(r"{(\w+)(?::\w+)?}", route.path)
    ]
    responses: dict[str, Any] = {
        "401": {
            "description": "Not authenticated",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
        "404": {
            "description": "Not found or not visible to you",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
    }
    if route.roles:
        responses["403"] = {
            "description": f"Only for these roles: {', '.join(route.roles)}",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    ok: dict[str, Any] = {"description": "Success"}
    if route.response is not None:
        ok["content"] = {"application/json": {"schema": _schema(route.response, components)}}
    responses[str(route.status)] = ok
    if route.files:
        responses.update(_file_responses(route.files))
    plain = re.sub(r"{(\w+):\w+}", r"{\1}", route.path)
    slug = re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")
    operation: dict[str, Any] = {
        "summary": route.summary,
        "operationId": f"{route.method.lower()}_{slug}",
        "tags": list(route.tags),
        "parameters": params,
        "responses": responses,
    }
    if route.form is not None:
        operation["requestBody"] = _form_body(route.form, components)
        responses["413"] = _error("The file is larger than the configured limit")
        responses["422"] = _error("Invalid input, or a file that is refused (with the reason)")
    if route.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": _schema(route.body, components, "validation")}
            },
        }
        responses["422"] = {
            "description": "Invalid input",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    return operation


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _form_body(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    """multipart/form-data: the binary `file` part beside the model's fields."""
    fields = _schema(model, components, "validation")
    schema = {
        **fields,
        "required": [FILE, *fields.get("required", [])],
        "properties": {
            FILE: {"type": "string", "format": "binary", "description": "The file itself"},
            **fields.get("properties", {}),
        },
    }
    return {"required": True, "content": {"multipart/form-data": {"schema": schema}}}


def _file_responses(media_types: tuple[str, ...]) -> dict[str, Any]:
    """A file answered whole (200) or by range (206), with its ETag for If-Range."""
    binary = {media: {"schema": {"type": "string", "format": "binary"}} for media in media_types}
    headers = {
        "ETag": {"schema": {"type": "string"}},
        "Content-Disposition": {"schema": {"type": "string"}},
    }
    return {
        "200": {"description": "The whole file", "headers": headers, "content": binary},
        "206": {
            "description": "The byte range asked for with Range (If-Range honoured)",
            "headers": {**headers, "Content-Range": {"schema": {"type": "string"}}},
            "content": binary,
        },
        "416": {"description": "The range asked for lies outside the file"},
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document for every registered operation."""
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, Any] = {}
    for route in REGISTRY:
        path = re.sub(r"{(\w+):\w+}", r"{\1}", route.path)
        paths.setdefault(path, {})[route.method.lower()] = _operation(route, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "e-Cabinet API", "version": __version__},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }


async def openapi_endpoint(_request: Request) -> JSONResponse:
    return JSONResponse(openapi_document())
