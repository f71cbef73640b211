"""A document's file (with HTTP Range, for the reader and for downloads) and its reader page.

Anything the caller may not read answers 404, as for meetings; a denial of an existing
document is written to the audit log. Opening a file (a full GET, or a range from byte 0)
leaves a read receipt; the reader's later ranges do not. A confidential PDF is served as
the reader's own copy, stamped with their name, unit and the time on every page (stamp.py).
An Office file is read in the page through its PDF rendition (renditions.py), served the same
way, while the original stays downloadable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path
from zoneinfo import ZoneInfo

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from meetings.accounts.models import User
from meetings.agenda.models import Meeting
from meetings.agenda.web import meeting_or_404, viewer
from meetings.archive.audit import record
from meetings.db import utcnow
from meetings.documents import access, actions, queries, renditions, stamp
from meetings.documents.models import (
    Classification,
    Document,
    DocumentVersion,
    Rendition,
    RenditionState,
)
from meetings.documents.validation import content_disposition
from meetings.i18n import gettext
from meetings.organisations import queries as org_queries
from meetings.security import same, sign
from meetings.web.handler import Context, page
from meetings.web.security import is_secure

PDF = "application/pdf"
WAITING_PANEL = "reader-file"  # the id of the panel that asks again while a rendition is made


@dataclass(frozen=True)
class Readable:
    """A document the caller may read, with the versions shown to them (oldest first)."""

    meeting: Meeting
    document: Document
    versions: list[DocumentVersion]
    manages: bool

    @property
    def latest(self) -> DocumentVersion:
        return self.versions[-1]

    def version(self, number: int) -> DocumentVersion:
        found = next((v for v in self.versions if v.number == number), None)
        if found is None:
            raise HTTPException(404)
        return found

    @property
    def may_download(self) -> bool:
        return self.document.original_download or self.manages


def file_url(document_id: int, number: int | None = None) -> str:
    """Where a version's file is served (the latest shown version without a number)."""
    if number is None:
        return f"/documents/{document_id}/file"
    return f"/documents/{document_id}/versions/{number}/file"


def rendition_url(document_id: int, number: int) -> str:
    """Where the PDF rendition of an Office version is served."""
    return f"/documents/{document_id}/versions/{number}/rendition"


def _deny(ctx: Context, document: Document, why: str) -> HTTPException:
    """Record the refusal (committed: the 404 that follows rolls the session back)."""
    record(ctx.db, ctx.actor, "document.denied", ("document", document.id), reason=why)
    ctx.db.commit()
    return HTTPException(404)


def readable(ctx: Context, document_id: int) -> Readable:
    """The document if the caller may read it; 404 (and an audit entry) otherwise."""
    document = ctx.db.get(Document, document_id)
    if document is None:
        raise HTTPException(404)
    try:
        meeting = meeting_or_404(ctx, document.meeting_id)
    except HTTPException:
        raise _deny(ctx, document, "meeting") from None
    if not access.may_read(ctx.db, viewer(ctx), meeting, document):
        raise _deny(ctx, document, "document")
    manages = access.may_manage(ctx.db, viewer(ctx), meeting)
    shown = [
        v for v in actions.versions(ctx.db, document_id) if manages or v.published_at is not None
    ]
    if not shown:
        raise _deny(ctx, document, "version")
    return Readable(meeting, document, shown, manages)


# -- the file ------------------------------------------------------------------------


def _etag(version: DocumentVersion) -> str:
    return f'"{version.blob}"'


def _last_modified(version: DocumentVersion) -> str:
    return formatdate(version.uploaded_at.timestamp(), usegmt=True)


def opens_file(request: Request, etag: str, last_modified: str) -> bool:
    """A GET of the whole file, or of a range from its first byte: someone opened it."""
    if request.method != "GET":
        return False
    wanted = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if wanted is None or if_range not in (None, etag, last_modified):
        return True
    return _from_start(wanted)


def _from_start(wanted: str) -> bool:
    return "".join(wanted.split()).lower().startswith("bytes=0-")


def _send(ctx: Context, found: Readable, version: DocumentVersion) -> Response:
    download = ctx.request.query_params.get("download") == "1"
    if download and not found.may_download:
        raise HTTPException(403)
    # Only PDFs are read in the browser; other files always arrive as attachments.
    inline = not download and version.media_type == PDF
    if found.document.classification == Classification.confidential and version.media_type == PDF:
        return _send_stamped(ctx, found, version, inline)
    if opens_file(ctx.request, _etag(version), _last_modified(version)):
        _mark_read(ctx, version, download=not inline)
    headers = _headers(version, inline, _etag(version), _last_modified(version))
    path = ctx.request.app.state.blobs.path(version.blob)
    return FileResponse(path, headers=headers, media_type=version.media_type)


def _mark_read(ctx: Context, version: DocumentVersion, *, download: bool = False) -> None:
    assert ctx.user is not None and ctx.user.id is not None
    actions.mark_read(ctx.db, version, ctx.user.id, actor=ctx.actor, download=download)


def _headers(version: DocumentVersion, inline: bool, etag: str, modified: str) -> dict[str, str]:
    return {
        "ETag": etag,
        "Last-Modified": modified,
        "Cache-Control": "private, no-cache",
        "Content-Disposition": content_disposition(version.filename, inline=inline),
    }


# -- a confidential PDF: each reader's own stamped copy --------------------------------

STAMP_MARK = "MẬT"  # the legal marking of a confidential paper: the same in every language
STAMP_TIME = "%H:%M, %d/%m/%Y"  # official style, whatever the reader's language
STAMP_SESSION = 12 * 60  # minutes one reading keeps its stamp while it fetches ranges


class OneReaderCopy(FileResponse):
    """A stamped copy, deleted once sent. Not a BackgroundTask: Starlette skips those when it
    answers 416 or a malformed range itself, or when sending fails."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            Path(self.path).unlink(missing_ok=True)


def _send_stamped(
    ctx: Context, found: Readable, version: DocumentVersion, inline: bool
) -> Response:
    """The PDF with the reader's name, unit and time on every page, for everyone alike."""
    assert ctx.user is not None and ctx.user.id is not None
    kept = _kept_minute(ctx, version)
    minute = _stamp_minute(ctx.request, version, ctx.user.id, kept)
    etag, modified = _stamp_etag(version, ctx.user.id, minute), formatdate(minute * 60, usegmt=True)
    if opens_file(ctx.request, etag, modified):
        _mark_read(ctx, version, download=not inline)
    if minute != kept:
        ctx.after.append(lambda response: _keep_minute(ctx, version, minute, response))
    source = ctx.request.app.state.blobs.path(version.blob)
    temp_dir = ctx.request.app.state.blobs.temp_dir()
    copy = stamp.stamped(source, temp_dir, _stamp_lines(ctx, found.meeting, minute))
    headers = _headers(version, inline, etag, modified)
    return OneReaderCopy(copy, headers=headers, media_type=PDF)


def _stamp_etag(version: DocumentVersion, user_id: int, minute: int) -> str:
    """Per reader and per stamp, so that no cache ever gives one reader another's copy."""
    return f'"{version.blob}-{user_id}-{minute}"'


def _stamp_minute(
    request: Request, version: DocumentVersion, user_id: int, kept: int | None
) -> int:
    """The minute on the stamp (since the epoch): now, for a new reading; the reading's own
    minute while the reader fetches more ranges of its copy (PDF.js asks page by page), so
    that the pieces fit together."""
    now = int(utcnow().timestamp()) // 60
    wanted, if_range = request.headers.get("range"), request.headers.get("if-range")
    if kept is None or wanted is None:
        return now
    if if_range is not None:
        return kept if if_range == _stamp_etag(version, user_id, kept) else now
    return now if _from_start(wanted) else kept


def _stamp_cookie(version: DocumentVersion) -> str:
    return f"ecab_stamp_{version.id}"


def _stamp_signature(ctx: Context, version: DocumentVersion, minute: int) -> str:
    assert ctx.user is not None
    return sign(ctx.config.secret_key, f"stamp:{version.id}:{ctx.user.id}:{minute}")


def _kept_minute(ctx: Context, version: DocumentVersion) -> int | None:
    """The minute of this reader's current reading, from its signed cookie, if recent."""
    value = ctx.request.cookies.get(_stamp_cookie(version), "")
    minute, _dot, signature = value.partition(".")
    if not minute.isdigit() or not same(signature, _stamp_signature(ctx, version, int(minute))):
        return None
    now = int(utcnow().timestamp()) // 60
    return int(minute) if now - STAMP_SESSION <= int(minute) <= now else None


def _keep_minute(ctx: Context, version: DocumentVersion, minute: int, response: Response) -> None:
    response.set_cookie(
        _stamp_cookie(version),
        f"{minute}.{_stamp_signature(ctx, version, minute)}",
        max_age=STAMP_SESSION * 60,
        path=f"/documents/{version.document_id}/",
        secure=is_secure(ctx.config, ctx.request.scope),
        httponly=True,
        samesite="strict",
    )


def _stamp_lines(ctx: Context, meeting: Meeting, minute: int) -> list[str]:
    """The reader's name; their title in the meeting's body, else their organisation's short
    name; the time where the organisation is; the marking. Written as one line, e.g.
    Nguyễn Văn An · Thủ tướng Chính phủ · 14:05, 22/11/2026 · MẬT."""
    assert ctx.user is not None and ctx.user.id is not None and ctx.organisation is not None
    seat = org_queries.seat_of(ctx.db, meeting.body_id, ctx.user.id)
    unit = seat.title if seat and seat.title else ctx.organisation.short_name
    zone = ZoneInfo(ctx.organisation.timezone)
    when = datetime.fromtimestamp(minute * 60, UTC).astimezone(zone).strftime(STAMP_TIME)
    return [" · ".join(part for part in (ctx.user.name, unit, when, STAMP_MARK) if part)]


@page()
def version_file(ctx: Context) -> Response:
    found = readable(ctx, ctx.request.path_params["document_id"])
    return _send(ctx, found, found.version(ctx.request.path_params["number"]))


@page()
def latest_file(ctx: Context) -> Response:
    found = readable(ctx, ctx.request.path_params["document_id"])
    return _send(ctx, found, found.latest)


@page()
def version_rendition(ctx: Context) -> Response:
    """The PDF made from an Office version, served as a PDF version would be (Range, read
    receipt, the reader's stamp when confidential); 404 until it is ready."""
    found = readable(ctx, ctx.request.path_params["document_id"])
    version = found.version(ctx.request.path_params["number"])
    rendition = renditions.done(ctx.db, version)
    if rendition is None:
        raise HTTPException(404)
    return _send(ctx, found, _as_pdf(version, rendition))


def _as_pdf(version: DocumentVersion, rendition: Rendition) -> DocumentVersion:
    """The version as its rendition, never saved: the version's own id (so a reading leaves
    the version's read receipt and keeps its stamp cookie) with the rendition's bytes."""
    assert rendition.blob is not None
    return DocumentVersion(
        id=version.id,
        document_id=version.document_id,
        number=version.number,
        blob=rendition.blob,
        size=rendition.size or 0,
        media_type=PDF,
        file_kind="pdf",
        filename=renditions.pdf_name(version.filename),
        pages=rendition.pages,
        uploaded_by=version.uploaded_by,
        uploaded_at=renditions.when_done(rendition, version),
        published_at=version.published_at,
    )


# -- the reader page -----------------------------------------------------------------


def _number(ctx: Context, found: Readable) -> DocumentVersion:
    wanted = ctx.request.query_params.get("version", "")
    return found.version(int(wanted)) if wanted.isdigit() else found.latest


def uploaders(ctx: Context, versions: list[DocumentVersion]) -> dict[int, str]:
    """The names of the people who uploaded the versions, by user id."""
    ids = {v.uploaded_by for v in versions if v.uploaded_by is not None}
    people = (ctx.db.get(User, user_id) for user_id in ids)
    return {person.id: person.name for person in people if person and person.id}


def _reading_url(found: Readable, version: DocumentVersion, rendition: Rendition | None) -> str:
    """The PDF the page shows: the file itself, or its ready rendition ("" for none)."""
    if version.media_type == PDF:
        return file_url(found.document.id or 0, version.number)
    if rendition is not None and rendition.state == RenditionState.done:
        return rendition_url(found.document.id or 0, version.number)
    return ""


@page()
def reader(ctx: Context) -> Response:
    found = readable(ctx, ctx.request.path_params["document_id"])
    version = _number(ctx, found)
    rendition = renditions.of(ctx.db, version) if renditions.wanted(version) else None
    reading_url = _reading_url(found, version, rendition)
    if reading_url and ctx.htmx and ctx.request.headers.get("hx-target") == WAITING_PANEL:
        # The panel waiting for a rendition: it is ready, and the reader needs the whole page.
        return Response(status_code=204, headers={"HX-Refresh": "true"})
    return ctx.render(
        "documents/reader.html",
        fragment="documents/_reader_file.html",
        page_title=found.document.title,
        found=found,
        document=found.document,
        meeting=found.meeting,
        version=version,
        uploaders=uploaders(ctx, found.versions),
        state_label=gettext(queries.STATES[queries.state_of(found.document)]),
        kind_label=gettext(queries.KINDS.get(found.document.kind, queries.KINDS["other"])),
        classification_label=gettext(queries.CLASSIFICATIONS[found.document.classification]),
        size=queries.size_text(version.size),
        file_url=file_url(found.document.id or 0, version.number),
        is_pdf=version.media_type == PDF,
        reading_url=reading_url,
        rendition=rendition,
        renditions_available=renditions.available(ctx.config.soffice),
    )


routes = [
    Route("/documents/{document_id:int}", reader, methods=["GET"]),
    Route("/documents/{document_id:int}/file", latest_file, methods=["GET"]),
    Route("/documents/{document_id:int}/versions/{number:int}/file", version_file, methods=["GET"]),
    Route(
        "/documents/{document_id:int}/versions/{number:int}/rendition",
        version_rendition,
        methods=["GET"],
    ),
]
