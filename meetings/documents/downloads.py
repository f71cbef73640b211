"""A document's file (with HTTP Range, for the reader and for downloads) and its reader page.

Anything the caller may not read answers 404, as for meetings; a denial of an existing
document is written to the audit log. Opening a file (a full GET, or a range from byte 0)
leaves a read receipt; the reader's later ranges do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formatdate

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from meetings.accounts.models import User
from meetings.agenda.models import Meeting
from meetings.agenda.web import meeting_or_404, viewer
from meetings.archive.audit import record
from meetings.documents import access, actions, queries
from meetings.documents.models import Document, DocumentVersion
from meetings.documents.validation import content_disposition
from meetings.i18n import gettext
from meetings.web.handler import Context, page

PDF = "application/pdf"


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


def opens_file(request: Request, version: DocumentVersion) -> bool:
    """A GET of the whole file, or of a range from its first byte: someone opened it."""
    if request.method != "GET":
        return False
    wanted = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if wanted is None or if_range not in (None, _etag(version), _last_modified(version)):
        return True
    return "".join(wanted.split()).lower().startswith("bytes=0-")


def _send(ctx: Context, found: Readable, version: DocumentVersion) -> Response:
    download = ctx.request.query_params.get("download") == "1"
    if download and not found.may_download:
        raise HTTPException(403)
    if opens_file(ctx.request, version):
        assert ctx.user is not None and ctx.user.id is not None
        actions.mark_read(ctx.db, version, ctx.user.id)
    # Only PDFs are read in the browser; other files always arrive as attachments.
    inline = not download and version.media_type == PDF
    headers = {
        "ETag": _etag(version),
        "Last-Modified": _last_modified(version),
        "Cache-Control": "private, no-cache",
        "Content-Disposition": content_disposition(version.filename, inline=inline),
    }
    path = ctx.request.app.state.blobs.path(version.blob)
    return FileResponse(path, headers=headers, media_type=version.media_type)


@page()
def version_file(ctx: Context) -> Response:
    found = readable(ctx, ctx.request.path_params["document_id"])
    return _send(ctx, found, found.version(ctx.request.path_params["number"]))


@page()
def latest_file(ctx: Context) -> Response:
    found = readable(ctx, ctx.request.path_params["document_id"])
    return _send(ctx, found, found.latest)


# -- the reader page -----------------------------------------------------------------


def _number(ctx: Context, found: Readable) -> DocumentVersion:
    wanted = ctx.request.query_params.get("version", "")
    return found.version(int(wanted)) if wanted.isdigit() else found.latest


def uploaders(ctx: Context, versions: list[DocumentVersion]) -> dict[int, str]:
    """The names of the people who uploaded the versions, by user id."""
    ids = {v.uploaded_by for v in versions if v.uploaded_by is not None}
    people = (ctx.db.get(User, user_id) for user_id in ids)
    return {person.id: person.name for person in people if person and person.id}


@page()
def reader(ctx: Context) -> Response:
    found = readable(ctx, ctx.request.path_params["document_id"])
    version = _number(ctx, found)
    return ctx.render(
        "documents/reader.html",
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
    )


routes = [
    Route("/documents/{document_id:int}", reader, methods=["GET"]),
    Route("/documents/{document_id:int}/file", latest_file, methods=["GET"]),
    Route("/documents/{document_id:int}/versions/{number:int}/file", version_file, methods=["GET"]),
]
