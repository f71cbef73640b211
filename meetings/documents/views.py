"""The secretariat's document pages: the list with read receipts, uploads, publish, withdraw.

Uploads are streamed: the body is the raw file (the name in X-File-Name, percent-encoded;
the metadata in the query string). Access is checked before a byte of it is read, the size
limit while it streams, and the type from the bytes; a refused upload leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from meetings.agenda.access import FINISHED
from meetings.agenda.models import Meeting
from meetings.agenda.web import meeting_or_404, require_prepare
from meetings.documents import actions, queries, validation
from meetings.documents.models import Document
from meetings.errors import Refusal
from meetings.i18n import _, ngettext
from meetings.storage.blobs import BlobStore, Received, TooLarge, receive
from meetings.web.handler import Context, Handler, page, serve_page

# -- an authorised streaming endpoint --------------------------------------------------------


class Proceed(Response):
    """What a gate answers when the request may go on to stream its body."""


Finish = Callable[[Context, Received], Response]


async def _run(request: Request, handler: Handler) -> Response:
    # The page machinery (login, organisation, language, error pages) without a form to read.
    return await run_in_threadpool(serve_page, handler, request, None, "full", ())


def _limit(request: Request) -> int:
    return int(request.app.state.config.max_upload_mb) * 1024 * 1024


async def streamed(request: Request, gate: Handler, finish: Finish) -> Response:
    """Check access, then stream the body to a temporary file, then finish in a thread.

    The temporary file is gone afterwards whatever happens: stored under its hash, or deleted.
    """
    allowed = await _run(request, gate)
    if not isinstance(allowed, Proceed):
        return allowed
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > _limit(request):
        return await _run(request, _too_large)
    store: BlobStore = request.app.state.blobs
    try:
        received = await receive(request.stream(), store.temp_dir(), _limit(request))
    except TooLarge:
        return await _run(request, _too_large)
    try:
        return await _run(request, lambda ctx: finish(ctx, received))
    finally:
        received.path.unlink(missing_ok=True)


def _too_large(ctx: Context) -> Response:
    message = _(
        "The file is larger than %(limit)s MB. Make it smaller or split it, then upload it again.",
        limit=ctx.config.max_upload_mb,
    )
    return _result(ctx, 413, message, _filename(ctx))


# -- the parts of an upload ------------------------------------------------------------------


def _managed(ctx: Context) -> Meeting:
    """The meeting in the path, for the secretariat only (404 if invisible, 403 otherwise)."""
    meeting = meeting_or_404(ctx)
    require_prepare(ctx, meeting)
    return meeting


def _document(ctx: Context, meeting: Meeting) -> Document:
    document = queries.document_of(ctx.db, meeting, ctx.request.path_params["document_id"])
    if document is None:
        raise HTTPException(404)
    return document


def _open_for_changes(meeting: Meeting) -> None:
    if meeting.state in FINISHED:
        raise HTTPException(409, _("The meeting is over: its documents can no longer be changed."))


def _filename(ctx: Context) -> str:
    return unquote(ctx.request.headers.get("x-file-name", "")).strip()


def _named(ctx: Context) -> str:
    name = _filename(ctx)
    if not name:
        raise Refusal(_("The file came without its name. Choose the file again."), "file")
    return name


def _item_id(ctx: Context, meeting: Meeting) -> int | None:
    raw = ctx.request.query_params.get("item_id", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or queries.item_of(ctx.db, meeting, int(raw)) is None:
        raise Refusal(_("Choose an agenda item of this meeting, or none."), "item_id")
    return int(raw)


def _metadata(ctx: Context, meeting: Meeting) -> dict[str, Any]:
    query = ctx.request.query_params
    return {
        "title": query.get("title", "").strip(),
        "kind": query.get("kind", "") or "other",
        "classification": query.get("classification", "") or "internal",
        "agency": query.get("agency", "").strip(),
        "item_id": _item_id(ctx, meeting),
    }


def _inspect(ctx: Context, received: Received) -> validation.Inspected:
    return validation.inspect(received.path, _named(ctx))


def _wants_json(ctx: Context) -> bool:
    return "application/json" in ctx.request.headers.get("accept", "")


def _result(ctx: Context, status: int, message: str, filename: str, **facts: Any) -> Response:
    """The outcome of one upload: JSON for scripts that ask for it, else a list row."""
    if _wants_json(ctx):
        return JSONResponse(
            {"ok": status < 400, "message": message, "file": filename, **facts}, status
        )
    return ctx.render(
        "documents/_upload_result.html", status, ok=status < 400, message=message, filename=filename
    )


def _refused(ctx: Context, refusal: Refusal) -> Response:
    ctx.db.rollback()
    return _result(ctx, refusal.status, refusal.message, _filename(ctx))


# -- upload and new version --------------------------------------------------------------------


def _upload_gate(ctx: Context) -> Response:
    _open_for_changes(_managed(ctx))
    return Proceed(status_code=202)


def _upload_finish(ctx: Context, received: Received) -> Response:
    meeting = _managed(ctx)
    try:
        inspected = _inspect(ctx, received)
        document = actions.upload(
            ctx.db,
            meeting,
            actor=ctx.actor,
            store=ctx.request.app.state.blobs,
            received=received,
            inspected=inspected,
            **_metadata(ctx, meeting),
        )
    except Refusal as refusal:
        return _refused(ctx, refusal)
    message = _("“%(title)s” has been uploaded as a draft.", title=document.title)
    return _result(ctx, 201, message, inspected.display_name, document_id=document.id, version=1)


async def upload(request: Request) -> Response:
    return await streamed(request, _upload_gate, _upload_finish)


def _version_gate(ctx: Context) -> Response:
    meeting = _managed(ctx)
    _document(ctx, meeting)
    _open_for_changes(meeting)
    return Proceed(status_code=202)


def _version_finish(ctx: Context, received: Received) -> Response:
    meeting = _managed(ctx)
    document = _document(ctx, meeting)
    try:
        version = actions.add_version(
            ctx.db,
            meeting,
            document,
            actor=ctx.actor,
            store=ctx.request.app.state.blobs,
            received=received,
            inspected=_inspect(ctx, received),
        )
    except Refusal as refusal:
        return _refused(ctx, refusal)
    message = _(
        "Version %(number)s of “%(title)s” has been uploaded.",
        number=version.number,
        title=document.title,
    )
    return _result(
        ctx, 201, message, version.filename, document_id=document.id, version=version.number
    )


async def add_version(request: Request) -> Response:
    return await streamed(request, _version_gate, _version_finish)


# -- the list, publish and withdraw --------------------------------------------------------------


def _list_page(ctx: Context, meeting: Meeting) -> Response:
    lines = queries.secretariat_lines(ctx.db, meeting)
    return ctx.render(
        "documents/documents.html",
        fragment="documents/_documents.html",
        meeting=meeting,
        lines=lines,
        drafts=sum(1 for line in lines if line.state == "draft"),
        editable=meeting.state not in FINISHED,
        item_options=queries.item_options(ctx.db, meeting),
        kinds=queries.KINDS,
        classifications=queries.CLASSIFICATIONS,
        states=queries.STATES,
        size_text=queries.size_text,
        max_mb=ctx.config.max_upload_mb,
        accepted=_(validation.ACCEPTED),
    )


@page()
def document_list(ctx: Context) -> Response:
    return _list_page(ctx, _managed(ctx))


def _change(ctx: Context, meeting: Meeting, run: Callable[[], str]) -> Response:
    """Make one change, then back to the list with what happened (409 page if refused)."""
    try:
        message = run()
    except Refusal as refusal:
        ctx.db.rollback()
        raise HTTPException(refusal.status, refusal.message) from None
    ctx.flash(message)
    return ctx.redirect(f"/meetings/{meeting.id}/documents")


def _published(count: int) -> str:
    if count == 0:
        return _("There was nothing to publish: every document is already published or withdrawn.")
    return ngettext(
        "%(num)s document has been published and the participants told.",
        "%(num)s documents have been published and the participants told.",
        count,
    )


@page()
def document_publish(ctx: Context) -> Response:
    meeting = _managed(ctx)
    document = _document(ctx, meeting)
    return _change(
        ctx,
        meeting,
        lambda: _published(actions.publish(ctx.db, meeting, [document], actor=ctx.actor)),
    )


@page()
def publish_drafts(ctx: Context) -> Response:
    meeting = _managed(ctx)
    documents = queries.documents_of(ctx.db, meeting)
    return _change(
        ctx,
        meeting,
        lambda: _published(actions.publish(ctx.db, meeting, documents, actor=ctx.actor)),
    )


@page()
def document_withdraw(ctx: Context) -> Response:
    meeting = _managed(ctx)
    document = _document(ctx, meeting)

    def run() -> str:
        actions.withdraw(ctx.db, meeting, document, actor=ctx.actor)
        return _("“%(title)s” has been withdrawn. It stays in the record.", title=document.title)

    return _change(ctx, meeting, run)


@page()
def document_download_switch(ctx: Context) -> Response:
    """Let participants save the original file, or keep it for reading in the page only."""
    meeting = _managed(ctx)
    document = _document(ctx, meeting)
    allowed = ctx.field("allowed") == "yes"

    def run() -> str:
        actions.set_original_download(ctx.db, meeting, document, actor=ctx.actor, allowed=allowed)
        if allowed:
            return _("Participants may now download “%(title)s”.", title=document.title)
        return _("“%(title)s” can now only be read in the page.", title=document.title)

    return _change(ctx, meeting, run)


DOCUMENTS = "/meetings/{meeting_id:int}/documents"
DOCUMENT = DOCUMENTS + "/{document_id:int}"
routes = [
    Route(DOCUMENTS, document_list),
    Route(DOCUMENTS + "/upload", upload, methods=["POST"]),
    Route(DOCUMENTS + "/publish", publish_drafts, methods=["POST"]),
    Route(DOCUMENT + "/versions", add_version, methods=["POST"]),
    Route(DOCUMENT + "/publish", document_publish, methods=["POST"]),
    Route(DOCUMENT + "/withdraw", document_withdraw, methods=["POST"]),
    Route(DOCUMENT + "/download", document_download_switch, methods=["POST"]),
]
