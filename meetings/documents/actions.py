"""Every change to documents: upload, new version, publish, withdraw, read receipts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from meetings.agenda import rules
from meetings.agenda.access import FINISHED, participation
from meetings.agenda.models import AgendaItem, Meeting
from meetings.archive.audit import Actor, record
from meetings.archive.guard import require_open_record
from meetings.attendance import actions as attendance
from meetings.db import utcnow
from meetings.documents import renditions, text
from meetings.documents.access import GUEST_ROLES
from meetings.documents.models import (
    Classification,
    Document,
    DocumentKind,
    DocumentReader,
    DocumentVersion,
    ReadReceipt,
)
from meetings.documents.validation import Inspected
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.notifications.actions import notify
from meetings.storage.blobs import BlobStore, Received


def _still_open(meeting: Meeting) -> None:
    require_open_record(meeting)
    if meeting.state in FINISHED:
        raise rules.conflict(_("The meeting is over: its documents can no longer be changed."))


def _check(meeting: Meeting, kind: str, classification: str) -> None:
    _still_open(meeting)
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
    renditions.enqueue(db, version)  # an Office file gets its PDF for reading from a job
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


def _publish(db: Session, meeting: Meeting, documents: list[Document], actor: Actor) -> int:
    """Mark drafts published (each only once, even if two workers try) and tell the audience."""
    now = utcnow()
    published: list[Document] = []
    for document in documents:
        if document.published_at is not None or document.withdrawn_at is not None:
            continue
        claimed = db.execute(
            update(Document)
            .where(col(Document.id) == document.id, col(Document.published_at).is_(None))
            .values(published_at=now, publish_at=None)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        db.refresh(document)
        published.append(document)
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


def publish(db: Session, meeting: Meeting, documents: list[Document], *, actor: Actor) -> int:
    """Show draft documents (and their versions) to the participants now; tell them once."""
    _still_open(meeting)
    return _publish(db, meeting, documents, actor)


def schedule(
    db: Session,
    meeting: Meeting,
    documents: list[Document],
    *,
    actor: Actor,
    at: datetime | None,
    now: datetime | None = None,
) -> int:
    """Publish drafts at a set time (None: cancel the schedule). Returns how many changed."""
    _still_open(meeting)
    if at is not None and at <= (now or utcnow()):
        raise Refusal(_("Choose a time in the future, or publish now."), "publish_at")
    changed = 0
    for document in documents:
        if document.published_at is not None or document.withdrawn_at is not None:
            continue
        document.publish_at = at
        db.add(document)
        changed += 1
        record(
            db,
            actor,
            "document.scheduled" if at else "document.unscheduled",
            ("document", document.id),
            at=at.isoformat() if at else None,
        )
    db.commit()
    return changed


def publish_due(db: Session, now: datetime | None = None) -> int:
    """Publish every draft whose set time has come (run by the job runner). Returns how many."""
    now = now or utcnow()
    due = list(
        db.exec(
            select(Document)
            .where(
                col(Document.publish_at).is_not(None),
                col(Document.publish_at) <= now,
                col(Document.published_at).is_(None),
                col(Document.withdrawn_at).is_(None),
            )
            .order_by(col(Document.meeting_id), col(Document.id))
        )
    )
    by_meeting: dict[int, list[Document]] = {}
    for document in due:
        by_meeting.setdefault(document.meeting_id, []).append(document)
    count = 0
    for meeting_id, documents in by_meeting.items():
        meeting = db.get(Meeting, meeting_id)
        if meeting is None or meeting.state in FINISHED:
            continue
        actor = Actor(user_id=None, organisation_id=meeting.organisation_id)
        count += _publish(db, meeting, documents, actor)
    return count


def restrict(
    db: Session, meeting: Meeting, document: Document, *, actor: Actor, user_ids: list[int]
) -> None:
    """Name the only participants who may read the document (none named: no restriction).

    The secretariat and the chair always may; guests are never named for a confidential one.
    """
    _still_open(meeting)
    if document.withdrawn_at is not None:
        raise rules.conflict(_("This document has been withdrawn."))
    chosen = list(dict.fromkeys(user_ids))
    for user_id in chosen:
        invited = participation(db, meeting.id or 0, user_id)
        if invited is None:
            raise Refusal(_("Choose people invited to this meeting."), "readers")
        guest = invited.role in GUEST_ROLES and invited.user_id == user_id
        if guest and document.classification == Classification.confidential:
            raise Refusal(
                _("A confidential document is never shown to guests: leave them out."), "readers"
            )
    for row in db.exec(select(DocumentReader).where(DocumentReader.document_id == document.id)):
        db.delete(row)
    db.flush()
    for user_id in chosen:
        db.add(DocumentReader(document_id=document.id or 0, user_id=user_id))
    record(db, actor, "document.restricted", ("document", document.id), readers=chosen)
    db.commit()


def withdraw(db: Session, meeting: Meeting, document: Document, *, actor: Actor) -> None:
    """A document is withdrawn, never deleted; its versions stay in the record."""
    require_open_record(meeting)
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


def mark_read(
    db: Session, version: DocumentVersion, user_id: int, *, actor: Actor, download: bool = False
) -> None:
    """Audit every opening (or download) of a version; the first one is also the reader's
    read receipt."""
    seen = db.exec(
        select(ReadReceipt.id).where(
            ReadReceipt.version_id == version.id, ReadReceipt.user_id == user_id
        )
    ).first()
    if seen is None:
        db.add(ReadReceipt(version_id=version.id or 0, user_id=user_id))
    action = "document.downloaded" if download else "document.read"
    record(db, actor, action, ("document", version.document_id), version=version.number)
    db.commit()


def set_original_download(
    db: Session, meeting: Meeting, document: Document, *, actor: Actor, allowed: bool
) -> None:
    """Whether participants may save the original file, or only read it in the page."""
    _still_open(meeting)
    document.original_download = allowed
    db.add(document)
    record(db, actor, "document.download_set", ("document", document.id), allowed=allowed)
    db.commit()
