"""Reads for the document pages: the secretariat's list with read receipts, the members' shelf."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from meetings.agenda.access import Viewer
from meetings.agenda.items import items
from meetings.agenda.models import AgendaItem, Meeting
from meetings.agenda.queries import names_of
from meetings.attendance import actions as attendance
from meetings.attendance.models import Participant
from meetings.documents import access
from meetings.documents.access import GUEST_ROLES
from meetings.documents.models import Classification, Document, DocumentVersion, ReadReceipt
from meetings.i18n import N_, number

KINDS = {
    "draft_decree": N_("Draft decree"),
    "report": N_("Report"),
    "submission": N_("Submission"),
    "presentation": N_("Presentation"),
    "other": N_("Other document"),
}
CLASSIFICATIONS = {
    "public": N_("Public"),
    "internal": N_("Internal"),
    "confidential": N_("Confidential (never shown to guests)"),
}
STATES = {"draft": N_("Draft"), "published": N_("Published"), "withdrawn": N_("Withdrawn")}


@dataclass(frozen=True)
class Receipts:
    """Who has opened the latest version of a document, and who has not yet."""

    read: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Line:
    """A document with its latest version, as one row of a list."""

    document: Document
    latest: DocumentVersion | None
    item_title: str = ""
    receipts: Receipts = field(default_factory=Receipts)

    @property
    def state(self) -> str:
        if self.document.withdrawn_at is not None:
            return "withdrawn"
        return "published" if self.document.published_at is not None else "draft"


def state_of(document: Document) -> str:
    return Line(document, None).state


def size_text(size: int) -> str:
    """A file size for people: 820 B, 14.2 KB, 3.5 MB (in the reader's number format)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{number(round(size / scale, 1))} {unit}"
    return f"{number(size)} B"


def documents_of(db: Session, meeting: Meeting) -> list[Document]:
    """Every document of the meeting, withdrawn ones included, oldest first."""
    query = select(Document).where(Document.meeting_id == meeting.id)
    return list(db.exec(query.order_by(col(Document.id))))


def document_of(db: Session, meeting: Meeting, document_id: int) -> Document | None:
    document = db.get(Document, document_id)
    return document if document is not None and document.meeting_id == meeting.id else None


def item_of(db: Session, meeting: Meeting, item_id: int) -> AgendaItem | None:
    item = db.get(AgendaItem, item_id)
    return item if item is not None and item.meeting_id == meeting.id else None


def item_options(db: Session, meeting: Meeting) -> list[tuple[int, str]]:
    return [(item.id or 0, item.title) for item in items(db, meeting.id or 0)]


def latest_versions(db: Session, document_ids: list[int]) -> dict[int, DocumentVersion]:
    """The newest version of each document, by document id."""
    if not document_ids:
        return {}
    rows = db.exec(
        select(DocumentVersion)
        .where(col(DocumentVersion.document_id).in_(document_ids))
        .order_by(col(DocumentVersion.number))
    )
    return {row.document_id: row for row in rows}


def _readers(db: Session, version_ids: list[int]) -> dict[int, set[int]]:
    if not version_ids:
        return {}
    rows = db.exec(
        select(ReadReceipt.version_id, ReadReceipt.user_id).where(
            col(ReadReceipt.version_id).in_(version_ids)
        )
    )
    readers: dict[int, set[int]] = {}
    for version_id, user_id in rows:
        readers.setdefault(version_id, set()).add(user_id)
    return readers


def _audience(rows: list[Participant], confidential: bool) -> list[int]:
    """Everyone invited who may read it: guests never see confidential documents."""
    people: list[int] = []
    for row in rows:
        if confidential and row.role in GUEST_ROLES:
            continue
        people += [uid for uid in (row.user_id, row.substitute_id) if uid]
    return list(dict.fromkeys(people))


def receipts(
    db: Session, meeting: Meeting, latest: dict[int, DocumentVersion], documents: list[Document]
) -> dict[int, Receipts]:
    """For each document, who has opened its latest version among those who may read it."""
    rows = attendance.participants(db, meeting.id or 0)
    readers = _readers(db, [v.id or 0 for v in latest.values()])
    names = names_of(db, {uid for row in rows for uid in (row.user_id, row.substitute_id)})
    named = access.named_readers(db, [d.id or 0 for d in documents])
    out: dict[int, Receipts] = {}
    for document in documents:
        version = latest.get(document.id or 0)
        seen = readers.get(version.id or 0, set()) if version else set()
        people = _audience(rows, document.classification == Classification.confidential)
        if document.id in named:
            people = [uid for uid in people if uid in named[document.id or 0]]
        out[document.id or 0] = Receipts(
            read=[names.get(uid, "?") for uid in people if uid in seen],
            unread=[names.get(uid, "?") for uid in people if uid not in seen],
        )
    return out


def secretariat_lines(db: Session, meeting: Meeting) -> list[Line]:
    """All documents of the meeting, with latest version, agenda item and read receipts."""
    documents = documents_of(db, meeting)
    latest = latest_versions(db, [d.id or 0 for d in documents])
    titles = dict(item_options(db, meeting))
    seen = receipts(db, meeting, latest, documents)
    return [
        Line(d, latest.get(d.id or 0), titles.get(d.item_id or 0, ""), seen[d.id or 0])
        for d in documents
    ]


def shelf(db: Session, viewer: Viewer, meeting: Meeting) -> dict[int | None, list[Line]]:
    """What the viewer may read, by agenda item (None: the meeting's own documents).

    Withdrawn documents are left out here even for the secretariat, who manage them on the
    documents page.
    """
    readable = [
        d
        for d in documents_of(db, meeting)
        if d.withdrawn_at is None and access.may_read(db, viewer, meeting, d)
    ]
    latest = latest_versions(db, [d.id or 0 for d in readable])
    out: dict[int | None, list[Line]] = {}
    for document in readable:
        out.setdefault(document.item_id, []).append(Line(document, latest.get(document.id or 0)))
    return out
