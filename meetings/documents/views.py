"""The secretariat's document pages: the list with read receipts, uploads, publish (now or at a
set time), withdraw, and who may read each document.

Uploads are streamed: the body is the raw file (the name in X-File-Name, percent-encoded;
the metadata in the query string). Access is checked before a byte of it is read, the size
limit while it streams, and the type from the bytes; a refused upload leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from meetings.agenda.access import FINISHED
from meetings.agenda.models import Meeting
from meetings.agenda.queries import names_of
from meetings.agenda.web import meeting_or_404, require_prepare
from meetings.archive.guard import require_open_record
from meetings.attendance import actions as attendance
from meetings.documents import access, actions, queries, validation
from meetings.documents.models import Document
from meetings.errors import Refusal
from meetings.i18n import _, local_datetime, ngettext
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
    try:
        require_open_record(meeting)
    except Refusal as refusal:
        raise HTTPException(409, refusal.message) from None
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


Errors = dict[int | None, dict[str, str]]  # by document (None: the "all drafts" form), by field


@dataclass(frozen=True)
class ReaderChoice:
    """A participant who can be named as a reader; guests are left out of confidential ones."""

    user_id: int
    name: str
    guest: bool
    substitutes_for: str = ""


def _reader_choices(ctx: Context, meeting: Meeting) -> list[ReaderChoice]:
    """Everyone invited with an account, and substitutes as themselves, each once."""
    rows = attendance.participants(ctx.db, meeting.id or 0)
    names = names_of(ctx.db, {uid for row in rows for uid in (row.user_id, row.substitute_id)})
    choices: dict[int, ReaderChoice] = {}
    for row in rows:
        invitee = names.get(row.user_id or 0, row.name)
        if row.user_id:
            guest = row.role in access.GUEST_ROLES
            choices.setdefault(row.user_id, ReaderChoice(row.user_id, invitee, guest))
        if row.substitute_id:
            substitute = names.get(row.substitute_id, "?")
            choices.setdefault(
                row.substitute_id, ReaderChoice(row.substitute_id, substitute, False, invitee)
            )
    return list(choices.values())


def _zone(ctx: Context) -> ZoneInfo:
    return ZoneInfo(ctx.organisation.timezone if ctx.organisation else ctx.config.timezone)


def _local_input(ctx: Context) -> Callable[[datetime | None], str]:
    """A stored UTC time as a datetime-local input's value in the organisation's zone."""
    zone = _zone(ctx)
    return lambda at: at.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if at else ""


def _list_page(
    ctx: Context,
    meeting: Meeting,
    *,
    status: int = 200,
    fragment: str = "documents/_documents.html",
    changed: int | None = None,
    errors: Errors | None = None,
    notice: str = "",
) -> Response:
    """The page; to htmx the list, or the one line `changed` when the fragment is a line."""
    lines = queries.secretariat_lines(ctx.db, meeting)
    return ctx.render(
        "documents/documents.html",
        status,
        fragment=fragment,
        meeting=meeting,
        lines=lines,
        line=next((line for line in lines if line.document.id == changed), None),
        drafts=sum(1 for line in lines if line.state == "draft"),
        editable=meeting.state not in FINISHED,
        item_options=queries.item_options(ctx.db, meeting),
        kinds=queries.KINDS,
        classifications=queries.CLASSIFICATIONS,
        states=queries.STATES,
        size_text=queries.size_text,
        max_mb=ctx.config.max_upload_mb,
        accepted=_(validation.ACCEPTED),
        restricted=access.named_readers(ctx.db, [line.document.id or 0 for line in lines]),
        reader_choices=_reader_choices(ctx, meeting),
        local_input=_local_input(ctx),
        zone=_zone(ctx).key,
        errors=errors or {},
        typed={key: ctx.field(key) for key in ("publish_at",)} if errors else {},
        notices={changed: notice} if notice else {},
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


# -- publication at a set time and named readers (htmx answers with the changed line) ----------

TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M")


def _publish_time(ctx: Context) -> datetime:
    """The local date and time of a datetime-local field, as aware UTC (as meeting times are)."""
    raw = ctx.field("publish_at")
    if not raw:
        raise Refusal(_("Choose the date and time of publication."), "publish_at")
    for pattern in TIME_FORMATS:
        try:
            local = datetime.strptime(raw, pattern)
        except ValueError:
            continue
        if 2000 <= local.year <= 2100:  # keeps time zone arithmetic far from its limits
            return local.replace(tzinfo=_zone(ctx)).astimezone(UTC)
    example = _("Give the date and time, for example 22/11/2026 08:30.")
    raise Refusal(example, "publish_at")


def _named_readers(ctx: Context) -> list[int]:
    """The people ticked under "Only these people"; none for "Everyone invited"."""
    if ctx.field("who") != "named":
        return []
    raw = [value for value in (ctx.form.getlist("readers") if ctx.form else []) if value]
    if not all(isinstance(value, str) and value.isdigit() for value in raw):
        raise Refusal(_("Choose people invited to this meeting."), "readers")
    if not raw:
        raise Refusal(_("Tick at least one person, or let everyone invited read it."), "readers")
    return [int(value) for value in raw]  # type: ignore[arg-type]


def _answer(
    ctx: Context, meeting: Meeting, document: Document | None, run: Callable[[], str]
) -> Response:
    """Make one change; to htmx the changed line (or the list), else back to the page.

    Bad input answers 422 with the message at its field; a refused state change the 409 page.
    """
    fragment = "documents/_document.html" if document else "documents/_documents.html"
    changed = document.id if document else None
    try:
        message = run()
    except Refusal as refusal:
        ctx.db.rollback()
        if refusal.status != 422:
            raise HTTPException(refusal.status, refusal.message) from None
        errors = {changed: {refusal.field: refusal.message}}
        return _list_page(
            ctx, meeting, status=422, fragment=fragment, changed=changed, errors=errors
        )
    if ctx.htmx:
        return _list_page(ctx, meeting, fragment=fragment, changed=changed, notice=message)
    ctx.flash(message)
    return ctx.redirect(f"/meetings/{meeting.id}/documents")


def _scheduled(count: int, at: datetime | None) -> str:
    if count == 0:
        return _("There was nothing to schedule: every document is already published or withdrawn.")
    if at is None:
        return ngettext(
            "The set time has been cancelled for %(num)s document; it stays a draft.",
            "The set time has been cancelled for %(num)s documents; they stay drafts.",
            count,
        )
    return ngettext(
        "%(num)s document will be published at %(time)s.",
        "%(num)s documents will be published at %(time)s.",
        count,
        time=local_datetime(at),
    )


def _schedule(ctx: Context, one: bool, cancel: bool) -> Response:
    meeting = _managed(ctx)
    document = _document(ctx, meeting) if one else None

    def run() -> str:
        at = None if cancel else _publish_time(ctx)
        chosen = [document] if document else queries.documents_of(ctx.db, meeting)
        count = actions.schedule(ctx.db, meeting, chosen, actor=ctx.actor, at=at)
        return _scheduled(count, at)

    return _answer(ctx, meeting, document, run)


@page()
def document_schedule(ctx: Context) -> Response:
    return _schedule(ctx, one=True, cancel=False)


@page()
def document_unschedule(ctx: Context) -> Response:
    return _schedule(ctx, one=True, cancel=True)


@page()
def schedule_drafts(ctx: Context) -> Response:
    return _schedule(ctx, one=False, cancel=False)


@page()
def document_readers(ctx: Context) -> Response:
    """Let everyone invited read the document (by classification), or only the people named."""
    meeting = _managed(ctx)
    document = _document(ctx, meeting)

    def run() -> str:
        chosen = _named_readers(ctx)
        actions.restrict(ctx.db, meeting, document, actor=ctx.actor, user_ids=chosen)
        if not chosen:
            return _("Everyone invited may read “%(title)s”.", title=document.title)
        return ngettext(
            "Only %(num)s person may read “%(title)s”, besides the chair and the secretariat.",
            "Only %(num)s people may read “%(title)s”, besides the chair and the secretariat.",
            len(chosen),
            title=document.title,
        )

    return _answer(ctx, meeting, document, run)


DOCUMENTS = "/meetings/{meeting_id:int}/documents"
DOCUMENT = DOCUMENTS + "/{document_id:int}"
routes = [
    Route(DOCUMENTS, document_list),
    Route(DOCUMENTS + "/upload", upload, methods=["POST"]),
    Route(DOCUMENTS + "/publish", publish_drafts, methods=["POST"]),
    Route(DOCUMENTS + "/schedule", schedule_drafts, methods=["POST"]),
    Route(DOCUMENT + "/versions", add_version, methods=["POST"]),
    Route(DOCUMENT + "/publish", document_publish, methods=["POST"]),
    Route(DOCUMENT + "/withdraw", document_withdraw, methods=["POST"]),
    Route(DOCUMENT + "/download", document_download_switch, methods=["POST"]),
    Route(DOCUMENT + "/schedule", document_schedule, methods=["POST"]),
    Route(DOCUMENT + "/unschedule", document_unschedule, methods=["POST"]),
    Route(DOCUMENT + "/readers", document_readers, methods=["POST"]),
]
