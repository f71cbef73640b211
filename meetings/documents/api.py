"""API for documents: a meeting's documents, uploads and versions, publication, files.

A document the caller may not read answers 404, like a meeting they may not see; what only
the secretariat may do (upload, publish, schedule, restrict, withdraw, read receipts)
answers 403 to the participants who may read the document. Uploads are multipart/form-data
with one `file` part, streamed to disk like the browser's uploads: access is checked before
the body is read, the size limit while it streams, the type from the bytes; a refused upload
leaves nothing behind. Files are served here with HTTP Range, ETag and If-Range exactly as
at their `file_url` (which takes the browser session); confidential PDFs carry the reader's
stamp, and opening a file leaves a read receipt.
"""

from __future__ import annotations

from datetime import UTC

from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException
from starlette.responses import Response

from meetings.agenda.access import FINISHED
from meetings.agenda.api import in_organisation, visible_meeting
from meetings.agenda.models import Meeting
from meetings.agenda.queries import names_of
from meetings.agenda.web import viewer
from meetings.documents import access, actions, downloads, queries, validation
from meetings.documents.api_models import (
    DocumentInfo,
    DocumentVersionInfo,
    PublicationTime,
    ReaderList,
    ReadReceiptInfo,
    UploadFields,
    VersionFields,
)
from meetings.documents.downloads import PDF, Readable, file_url, readable
from meetings.documents.models import DocumentVersion, ReadReceipt
from meetings.errors import Refusal
from meetings.i18n import N_, _
from meetings.web.api import PREFIX, api
from meetings.web.handler import Context
from meetings.web.multipart import Upload

TAGS = ("documents",)
DOCUMENT = "/documents/{document_id:int}"
FILE_TYPES = (PDF, "application/octet-stream")
SECRETARIAT_ONLY = N_("Only the meeting's secretariat may change its documents.")


def _version(version: DocumentVersion) -> DocumentVersionInfo:
    return DocumentVersionInfo(
        **version.model_dump(include=set(DocumentVersionInfo.model_fields)),
        sha256=version.blob,
        file_url=file_url(version.document_id, version.number),
        api_file_url=PREFIX + file_url(version.document_id, version.number),
    )


def _document(ctx: Context, found: Readable) -> DocumentInfo:
    document = found.document
    readers = None
    if found.manages:
        named = access.named_readers(ctx.db, [document.id or 0]).get(document.id or 0)
        readers = sorted(named) if named else None
    return DocumentInfo(
        **document.model_dump(include=set(DocumentInfo.model_fields)),
        state=queries.state_of(document),
        readers=readers,
        file_url=file_url(document.id or 0),
        api_file_url=PREFIX + file_url(document.id or 0),
        versions=[_version(v) for v in found.versions],
    )


def _found(ctx: Context) -> Readable:
    in_organisation(ctx)
    return readable(ctx, ctx.request.path_params["document_id"])


def _managed(ctx: Context) -> Readable:
    """The document in the path, for the secretariat (403 for those who may only read it)."""
    found = _found(ctx)
    if not found.manages:
        raise HTTPException(403, _(SECRETARIAT_ONLY))
    return found


def _current(ctx: Context) -> DocumentInfo:
    """The document as it is after a change."""
    ctx.db.expire_all()
    return _document(ctx, _found(ctx))


@api(
    "GET",
    "/meetings/{meeting_id:int}/documents",
    summary="The meeting's documents you may read, with their versions",
    response=list[DocumentInfo],
    tags=TAGS,
)
def list_documents(ctx: Context) -> list[DocumentInfo]:
    meeting = visible_meeting(ctx)
    who = viewer(ctx)
    shown = [
        d for d in queries.documents_of(ctx.db, meeting) if access.may_read(ctx.db, who, meeting, d)
    ]
    return [_document(ctx, readable(ctx, d.id or 0)) for d in shown]


@api(
    "GET",
    DOCUMENT,
    summary="A document with its versions and the URLs of their files",
    response=DocumentInfo,
    tags=TAGS,
)
def get_document(ctx: Context) -> DocumentInfo:
    return _document(ctx, _found(ctx))


@api(
    "GET",
    DOCUMENT + "/receipts",
    summary="Who has opened which version of a document (the secretariat)",
    response=list[ReadReceiptInfo],
    tags=TAGS,
)
def list_receipts(ctx: Context) -> list[ReadReceiptInfo]:
    found = _found(ctx)
    if not found.manages:
        raise HTTPException(403)
    numbers = {v.id: v.number for v in found.versions}
    rows = _receipts_of(ctx.db, list(numbers))
    names = names_of(ctx.db, {r.user_id for r in rows})
    return [_receipt(r, numbers[r.version_id], names) for r in rows]


def _receipts_of(db: Session, version_ids: list[int | None]) -> list[ReadReceipt]:
    # A read for documents/queries.py (owned elsewhere); kept here until it moves there.
    query = select(ReadReceipt).where(col(ReadReceipt.version_id).in_(version_ids))
    return list(db.exec(query.order_by(col(ReadReceipt.first_read_at), col(ReadReceipt.id))))


def _receipt(row: ReadReceipt, number: int, names: dict[int, str]) -> ReadReceiptInfo:
    return ReadReceiptInfo(
        version=number,
        user_id=row.user_id,
        name=names.get(row.user_id, ""),
        first_read_at=row.first_read_at,
    )


# -- uploads ---------------------------------------------------------------------------


def _open_for_changes(meeting: Meeting) -> None:
    # Checked before the body streams in, so a closed meeting costs no upload.
    if meeting.state in FINISHED:
        raise Refusal(_("The meeting is over: its documents can no longer be changed."), status=409)


def _upload_meeting(ctx: Context) -> Meeting:
    """The meeting in the path, for its secretariat (404 if invisible, 403 otherwise)."""
    meeting = visible_meeting(ctx)
    if not access.may_manage(ctx.db, viewer(ctx), meeting):
        raise HTTPException(403, _(SECRETARIAT_ONLY))
    _open_for_changes(meeting)
    return meeting


def _version_document(ctx: Context) -> Readable:
    found = _managed(ctx)
    _open_for_changes(found.meeting)
    return found


def _inspect(upload: Upload) -> validation.Inspected:
    name = upload.filename.strip()
    if not name:
        raise Refusal(_("The file came without its name. Choose the file again."), "file")
    return validation.inspect(upload.received.path, name)


def _created(ctx: Context, document_id: int) -> Response:
    ctx.db.expire_all()
    body = _document(ctx, readable(ctx, document_id)).model_dump_json()
    headers = {"Location": f"{PREFIX}/documents/{document_id}"}
    return Response(body, 201, headers=headers, media_type="application/json")


@api(
    "POST",
    "/meetings/{meeting_id:int}/documents",
    summary="Upload a new draft document: one `file` part and its fields (the secretariat)",
    form=UploadFields,
    gate=_upload_meeting,
    response=DocumentInfo,
    status=201,
    tags=TAGS,
)
def upload_document(ctx: Context, fields: UploadFields, upload: Upload) -> Response:
    meeting = _upload_meeting(ctx)
    document = actions.upload(
        ctx.db,
        meeting,
        actor=ctx.actor,
        store=ctx.request.app.state.blobs,
        received=upload.received,
        inspected=_inspect(upload),
        **fields.model_dump(),
    )
    return _created(ctx, document.id or 0)


@api(
    "POST",
    DOCUMENT + "/versions",
    summary="Upload a new version of a document: one `file` part (the secretariat)",
    form=VersionFields,
    gate=_version_document,
    response=DocumentInfo,
    status=201,
    tags=TAGS,
)
def add_version(ctx: Context, _fields: VersionFields, upload: Upload) -> Response:
    found = _version_document(ctx)
    actions.add_version(
        ctx.db,
        found.meeting,
        found.document,
        actor=ctx.actor,
        store=ctx.request.app.state.blobs,
        received=upload.received,
        inspected=_inspect(upload),
    )
    return _created(ctx, found.document.id or 0)


# -- publication, restriction, withdrawal ----------------------------------------------


def _not_withdrawn(found: Readable) -> None:
    if found.document.withdrawn_at is not None:
        raise Refusal(_("This document has been withdrawn."), status=409)


@api(
    "POST",
    DOCUMENT + "/publish",
    summary="Publish a draft to the participants now (the secretariat; done once)",
    response=DocumentInfo,
    tags=TAGS,
)
def publish_document(ctx: Context) -> DocumentInfo:
    found = _managed(ctx)
    _not_withdrawn(found)
    actions.publish(ctx.db, found.meeting, [found.document], actor=ctx.actor)
    return _current(ctx)


@api(
    "PUT",
    DOCUMENT + "/schedule",
    summary="Publish a draft by itself at a set time, or cancel that with null (secretariat)",
    body=PublicationTime,
    response=DocumentInfo,
    tags=TAGS,
)
def schedule_document(ctx: Context, wanted: PublicationTime) -> DocumentInfo:
    found = _managed(ctx)
    _not_withdrawn(found)
    if found.document.published_at is not None:
        raise Refusal(_("This document is already published."), "publish_at", status=409)
    at = wanted.publish_at.astimezone(UTC) if wanted.publish_at else None
    actions.schedule(ctx.db, found.meeting, [found.document], actor=ctx.actor, at=at)
    return _current(ctx)


@api(
    "PUT",
    DOCUMENT + "/readers",
    summary="Name the only participants who may read a document; [] for all (secretariat)",
    body=ReaderList,
    response=DocumentInfo,
    tags=TAGS,
)
def restrict_document(ctx: Context, readers: ReaderList) -> DocumentInfo:
    found = _managed(ctx)
    actions.restrict(
        ctx.db, found.meeting, found.document, actor=ctx.actor, user_ids=readers.user_ids
    )
    return _current(ctx)


@api(
    "POST",
    DOCUMENT + "/withdraw",
    summary="Withdraw a document: hidden from participants, kept in the record (secretariat)",
    response=DocumentInfo,
    tags=TAGS,
)
def withdraw_document(ctx: Context) -> DocumentInfo:
    found = _managed(ctx)
    actions.withdraw(ctx.db, found.meeting, found.document, actor=ctx.actor)
    return _current(ctx)


# -- files -----------------------------------------------------------------------------


@api(
    "GET",
    DOCUMENT + "/file",
    summary="The latest version's file (Range, If-Range; ?download=1 to save it)",
    files=FILE_TYPES,
    tags=TAGS,
)
def latest_file(ctx: Context) -> Response:
    found = _found(ctx)
    return downloads._send(ctx, found, found.latest)


@api(
    "GET",
    DOCUMENT + "/versions/{number:int}/file",
    summary="One version's file (Range, If-Range; ?download=1 to save it)",
    files=FILE_TYPES,
    tags=TAGS,
)
def version_file(ctx: Context) -> Response:
    found = _found(ctx)
    return downloads._send(ctx, found, found.version(ctx.request.path_params["number"]))


routes = [
    list_documents,
    get_document,
    list_receipts,
    upload_document,
    add_version,
    publish_document,
    schedule_document,
    restrict_document,
    withdraw_document,
    latest_file,
    version_file,
]
