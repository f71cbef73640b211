"""Every change to documents: upload, new version, publish, withdraw, read receipts."""

from __future__ import annotations

from sqlmodel import Session, col, select

from meetings.agenda import rules
from meetings.agenda.access import FINISHED
from meetings.agenda.models import AgendaItem, Meeting
from meetings.archive.audit import Actor, record
from meetings.attendance import actions as attendance
from meetings.db import utcnow
from meetings.documents import text
from meetings.documents.models import (
    Classification,
    Document,
    DocumentKind,
    DocumentVersion,
    ReadReceipt,
)
from meetings.documents.validation import Inspected
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.notifications.actions import notify
from meetings.storage.blobs import BlobStore, Received


def _check(meeting: Meeting, kind: str, classification: str) -> None:
    if meeting.state in FINISHED:
        raise rules.conflict(_("The meeting is over: its documents can no longer be changed."))
    if kind not in DocumentKind.__members__:
        raise Refusal(_("Choose a kind of document from the list."), "kind")
    if classification not in Classification.__members__:
        raise Refusal(_("Choose a classification from the list."), "classification")


def _version(
    db: Session,
    document: Document,
    number: int,
    received: Received,
    inspected: Inspected,
    store: BlobStore,
    actor: Actor,
) -> DocumentVersion:
    extracted = text.extract(received.path, inspected.kind)  # before the store moves the file
    version = DocumentVersion(
        document_id=document.id or 0,
        number=number,
        blob=store.store(received),
        size=received.size,
        media_type=inspected.media_type,
        file_kind=inspected.kind,
        filename=inspected.display_name,
        pages=inspected.pages,
        has_text=inspected.has_text,
        text=extracted,
        uploaded_by=actor.user_id,
        published_at=utcnow() if document.published_at else None,
    )
    db.add(version)
    db.flush()
    return version


def upload(
    db: Session,
    meeting: Meeting,
    *,
    actor: Actor,
    store: BlobStore,
    received: Received,
    inspected: Inspected,
    title: str = "",
    kind: str = DocumentKind.other,
    classification: str = Classification.internal,
    agency: str = "",
    item_id: int | None = None,
) -> Document:
    """A new draft document with its first version (not yet shown to participants)."""
    _check(meeting, kind, classification)
    if item_id is not None:
        item = db.get(AgendaItem, item_id)
        if item is None or item.meeting_id != meeting.id:
            raise Refusal(_("Choose an item of this meeting's agenda."), "item_id")
    title = rules.text(
        title or inspected.display_name.rsplit(".", 1)[0], "title", 300, required=True
    )
    document = Document(
        organisation_id=meeting.organisation_id,
        meeting_id=meeting.id or 0,
        item_id=item_id,
        title=title,
        kind=kind,
        classification=classification,
        agency=rules.text(agency, "agency", 200),
        created_by=actor.user_id,
    )
    db.add(document)
    db.flush()
    version = _version(db, document, 1, received, inspected, store, actor)
    record(
        db,
        actor,
        "document.uploaded",
        ("document", document.id),
        version=version.id,
        sha256=version.blob,
        size=version.size,
    )
    db.commit()
    return document


def versions(db: Session, document_id: int) -> list[DocumentVersion]:
    return list(
        db.exec(
            select(DocumentVersion)
            .where(DocumentVersion.document_id == document_id)
            .order_by(col(DocumentVersion.number))
        )
    )


def add_version(
    db: Session,
    meeting: Meeting,
    document: Document,
    *,
    actor: Actor,
    store: BlobStore,
    received: Received,
    inspected: Inspected,
) -> DocumentVersion:
    """A new version after the others; once published, participants are told of it."""
    _check(meeting, document.kind, document.classification)
    if document.withdrawn_at is not None:
        raise rules.conflict(_("This document has been withdrawn."))
    number = len(versions(db, document.id or 0)) + 1
    version = _version(db, document, number, received, inspected, store, actor)
    if document.published_at:
        notify(
            db,
            attendance.audience(db, meeting.id or 0),
            "document_version",
            organisation_id=meeting.organisation_id,
            meeting_id=meeting.id,
            title=meeting.title,
            document=document.title,
            number=number,
        )
    record(
        db,
        actor,
        "document.version_added",
        ("document", document.id),
        number=number,
        sha256=version.blob,
    )
    db.commit()
    return version


def publish(db: Session, meeting: Meeting, documents: list[Document], *, actor: Actor) -> int:
    """Show draft documents (and their versions) to the participants; tell them once."""
    if meeting.state in FINISHED:
        raise rules.conflict(_("The meeting is over: its documents can no longer be changed."))
    now = utcnow()
    published = [d for d in documents if d.published_at is None and d.withdrawn_at is None]
    for document in published:
        document.published_at = now
        db.add(document)
        for version in versions(db, document.id or 0):
            version.published_at = version.published_at or now
            db.add(version)
        record(db, actor, "document.published", ("document", document.id))
    if published:
        notify(
            db,
            attendance.audience(db, meeting.id or 0),
            "documents_published",
            organisation_id=meeting.organisation_id,
            meeting_id=meeting.id,
            title=meeting.title,
            count=len(published),
        )
    db.commit()
    return len(published)


def withdraw(db: Session, meeting: Meeting, document: Document, *, actor: Actor) -> None:
    """A document is withdrawn, never deleted; its versions stay in the record."""
    if document.withdrawn_at is not None:
        raise rules.conflict(_("This document has already been withdrawn."))
    document.withdrawn_at = utcnow()
    db.add(document)
    if document.published_at:
        notify(
            db,
            attendance.audience(db, meeting.id or 0),
            "document_withdrawn",
            organisation_id=meeting.organisation_id,
            meeting_id=meeting.id,
            title=meeting.title,
            document=document.title,
        )
    record(db, actor, "document.withdrawn", ("document", document.id))
    db.commit()


def mark_read(db: Session, version: DocumentVersion, user_id: int) -> None:
    """Note the first time someone opens a version (later openings change nothing)."""
    seen = db.exec(
        select(ReadReceipt.id).where(
            ReadReceipt.version_id == version.id, ReadReceipt.user_id == user_id
        )
    ).first()
    if seen is None:
        db.add(ReadReceipt(version_id=version.id or 0, user_id=user_id))
        db.commit()


def set_original_download(
    db: Session, meeting: Meeting, document: Document, *, actor: Actor, allowed: bool
) -> None:
    """Whether participants may save the original file, or only read it in the page."""
    if meeting.state in FINISHED:
        raise rules.conflict(_("The meeting is over: its documents can no longer be changed."))
    document.original_download = allowed
    db.add(document)
    record(db, actor, "document.download_set", ("document", document.id), allowed=allowed)
    db.commit()
