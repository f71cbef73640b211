"""API for documents: what a meeting offers the caller to read, one document, read receipts.

The files themselves are served at the `file_url` of each version (outside /api/v1, with
HTTP Range; a session cookie or the same Bearer token opens them). A document the caller
may not read answers 404, like a meeting they may not see; the read receipts are for the
secretariat (403 for the other participants).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException

from meetings.agenda.api import in_organisation, visible_meeting
from meetings.agenda.queries import names_of
from meetings.agenda.web import viewer
from meetings.documents import access, queries
from meetings.documents.downloads import Readable, file_url, readable
from meetings.documents.models import DocumentVersion, ReadReceipt
from meetings.web.api import api
from meetings.web.handler import Context

TAGS = ("documents",)


class DocumentVersionInfo(BaseModel):
    """One uploaded version of a document."""

    number: int
    filename: str
    size: int = Field(description="Bytes")
    media_type: str
    file_kind: str
    sha256: str
    pages: int | None
    has_text: bool | None = Field(description="The PDF carries text (not only scanned images)")
    uploaded_by: int | None
    uploaded_at: datetime
    published_at: datetime | None
    file_url: str = Field(description="GET it (HTTP Range supported); ?download=1 to save it")


class DocumentInfo(BaseModel):
    """A document of a meeting with the versions the caller may read, oldest first."""

    id: int
    meeting_id: int
    item_id: int | None
    title: str
    kind: str
    agency: str
    classification: str
    state: str = Field(description="draft, published or withdrawn")
    original_download: bool = Field(description="Participants may save the original file")
    published_at: datetime | None
    withdrawn_at: datetime | None
    created_at: datetime
    file_url: str = Field(description="The latest version's file")
    versions: list[DocumentVersionInfo]


class ReadReceiptInfo(BaseModel):
    """The first time a person opened a version."""

    version: int
    user_id: int
    name: str
    first_read_at: datetime


def _version(version: DocumentVersion) -> DocumentVersionInfo:
    return DocumentVersionInfo(
        **version.model_dump(include=set(DocumentVersionInfo.model_fields)),
        sha256=version.blob,
        file_url=file_url(version.document_id, version.number),
    )


def _document(found: Readable) -> DocumentInfo:
    document = found.document
    return DocumentInfo(
        **document.model_dump(include=set(DocumentInfo.model_fields)),
        state=queries.state_of(document),
        file_url=file_url(document.id or 0),
        versions=[_version(v) for v in found.versions],
    )


def _found(ctx: Context) -> Readable:
    in_organisation(ctx)
    return readable(ctx, ctx.request.path_params["document_id"])


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
    return [_document(readable(ctx, d.id or 0)) for d in shown]


@api(
    "GET",
    "/documents/{document_id:int}",
    summary="A document with its versions and the URLs of their files",
    response=DocumentInfo,
    tags=TAGS,
)
def get_document(ctx: Context) -> DocumentInfo:
    return _document(_found(ctx))


@api(
    "GET",
    "/documents/{document_id:int}/receipts",
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


routes = [list_documents, get_document, list_receipts]
