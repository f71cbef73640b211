"""Private notes and highlights: one reader's own, on one page of one version of a document.

Only the owner ever sees, changes or deletes a note; to everyone else it does not exist. A
note stays on the version it was made on, so a new version never moves or loses it. The
audit log records notes by id only: their text is private.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from meetings.agenda.access import Viewer
from meetings.agenda.models import Meeting
from meetings.archive.audit import Actor, record
from meetings.db import utcnow
from meetings.documents import access
from meetings.documents.models import Document, DocumentVersion, Note, NoteKind
from meetings.errors import Refusal
from meetings.i18n import N_, _

COLOURS = {"yellow": N_("Yellow"), "green": N_("Green"), "blue": N_("Blue"), "pink": N_("Pink")}
MAX_TEXT = 4000
MAX_QUOTE = 1000
MAX_RECTS = 50
MAX_PAGE = 100_000  # when the version's page count is not known
Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class Listed:
    """A note with the number of the version it was made on."""

    note: Note
    version: int

    @property
    def rects(self) -> list[Rect]:
        return [tuple(r) for r in json.loads(self.note.rects)] if self.note.rects else []


@dataclass(frozen=True)
class Shelf:
    """One document's notes, for the "my notes" page and the export."""

    meeting: Meeting
    document: Document
    notes: list[Listed]


# -- checks ------------------------------------------------------------------------


def _meeting_if_readable(db: Session, viewer: Viewer, document: Document) -> Meeting | None:
    meeting = db.get(Meeting, document.meeting_id)
    if meeting is None or not access.may_read(db, viewer, meeting, document):
        return None
    return meeting


def _not_found() -> Refusal:
    return Refusal(_("This document was not found."), status=404)


def _readable(db: Session, viewer: Viewer, document: Document) -> Meeting:
    meeting = _meeting_if_readable(db, viewer, document)
    if meeting is None:
        raise _not_found()
    return meeting


def _page(version: DocumentVersion, page: int) -> int:
    last = version.pages or MAX_PAGE
    if not 1 <= page <= last:
        raise Refusal(_("Choose a page between 1 and %(last)s.", last=last), "page")
    return page


def _colour(colour: str) -> str:
    if colour not in COLOURS:
        raise Refusal(_("Choose one of the colours offered."), "colour")
    return colour


def _text(text: str, required: bool) -> str:
    text = text.strip()
    if required and not text:
        raise Refusal(_("Write the note first."), "text")
    if len(text) > MAX_TEXT:
        raise Refusal(_("A note can be at most %(max)s characters long.", max=MAX_TEXT), "text")
    return text


def _fraction(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(value)
    return float(value)


def _rect(raw: Any) -> Rect:
    if not isinstance(raw, list | tuple) or len(raw) != 4:
        raise ValueError(raw)
    x, y, w, h = (_fraction(v) for v in raw)
    slack = 1e-3  # rounding in the browser
    if min(x, y) < 0 or w <= 0 or h <= 0 or x + w > 1 + slack or y + h > 1 + slack:
        raise ValueError(raw)
    return (round(x, 5), round(y, 5), round(min(w, 1 - x), 5), round(min(h, 1 - y), 5))


def parse_rects(raw: str | list[Any]) -> str:
    """The highlighted areas as stored: JSON [[x, y, w, h], ...] in fractions of the page."""
    refused = Refusal(_("The highlighted area is not valid. Draw it again."), "rects")
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_RECTS:
            raise ValueError(value)
        return json.dumps([_rect(r) for r in value], separators=(",", ":"))
    except (ValueError, TypeError):
        raise refused from None


def _version(
    db: Session, viewer: Viewer, document: Document, version: DocumentVersion
) -> DocumentVersion:
    """A version of this document that the viewer may read (drafts: the secretariat only)."""
    meeting = _readable(db, viewer, document)
    if version.document_id != document.id:
        raise Refusal(_("This version is not one of the document's."), "version")
    if version.published_at is None and not access.may_manage(db, viewer, meeting):
        raise _not_found()
    return version


# -- changes -----------------------------------------------------------------------


def _add(db: Session, actor: Actor, note: Note) -> Note:
    db.add(note)
    db.flush()
    record(
        db,
        actor,
        f"{note.kind}.added",
        ("note", note.id),
        document_id=note.document_id,
        version_id=note.version_id,
    )
    db.commit()
    db.refresh(note)
    return note


def add_note(
    db: Session,
    viewer: Viewer,
    document: Document,
    version: DocumentVersion,
    *,
    actor: Actor,
    page: int,
    text: str,
    colour: str = "yellow",
) -> Note:
    """A private note on a page of the version the viewer reads."""
    note = Note(
        user_id=viewer.user_id,
        document_id=document.id or 0,
        version_id=_version(db, viewer, document, version).id or 0,
        page=_page(version, page),
        kind=NoteKind.note,
        text=_text(text, required=True),
        colour=_colour(colour),
    )
    return _add(db, actor, note)


def add_highlight(
    db: Session,
    viewer: Viewer,
    document: Document,
    version: DocumentVersion,
    *,
    actor: Actor,
    page: int,
    rects: str | list[Any],
    colour: str = "yellow",
    quote: str = "",
    text: str = "",
) -> Note:
    """A private highlight: areas of one page, with the text under them when known."""
    if len(quote) > MAX_QUOTE:
        raise Refusal(_("The highlighted text is too long: highlight less at once."), "quote")
    note = Note(
        user_id=viewer.user_id,
        document_id=document.id or 0,
        version_id=_version(db, viewer, document, version).id or 0,
        page=_page(version, page),
        kind=NoteKind.highlight,
        text=_text(text, required=False),
        quote=quote.strip(),
        rects=parse_rects(rects),
        colour=_colour(colour),
    )
    return _add(db, actor, note)


def edit(
    db: Session, note: Note, *, actor: Actor, text: str | None = None, colour: str | None = None
) -> Note:
    """Change a note's text or colour (the caller has checked it is the actor's own)."""
    if text is not None:
        note.text = _text(text, required=note.kind == NoteKind.note)
    if colour is not None:
        note.colour = _colour(colour)
    note.updated_at = utcnow()
    db.add(note)
    record(db, actor, f"{note.kind}.edited", ("note", note.id), document_id=note.document_id)
    db.commit()
    db.refresh(note)
    return note


def delete(db: Session, note: Note, *, actor: Actor) -> None:
    """The owner's own private data: really deleted, recorded by id only."""
    record(db, actor, f"{note.kind}.deleted", ("note", note.id), document_id=note.document_id)
    db.delete(note)
    db.commit()


# -- reads -------------------------------------------------------------------------


def own(db: Session, viewer: Viewer, note_id: int) -> Note | None:
    """The note, if it is the viewer's own and they may still read its document."""
    note = db.get(Note, note_id)
    if note is None or note.user_id != viewer.user_id:
        return None
    document = db.get(Document, note.document_id)
    if document is None or _meeting_if_readable(db, viewer, document) is None:
        return None
    return note


def _listed(db: Session, rows: list[Note]) -> list[Listed]:
    ids = {row.version_id for row in rows}
    numbers = dict(
        db.exec(
            select(DocumentVersion.id, DocumentVersion.number).where(
                col(DocumentVersion.id).in_(ids)
            )
        ).all()
    )
    return [Listed(row, numbers.get(row.version_id, 0)) for row in rows]


def _ordered(listed: list[Listed]) -> list[Listed]:
    """Newest version first, then by page, then as made."""
    return sorted(listed, key=lambda x: (-x.version, x.note.page, x.note.created_at, x.note.id))


def notes_on(db: Session, user_id: int, document_id: int) -> list[Listed]:
    """The user's notes and highlights on one document, on every version."""
    rows = db.exec(
        select(Note).where(Note.user_id == user_id, Note.document_id == document_id)
    ).all()
    return _ordered(_listed(db, list(rows)))


def my_notes(db: Session, viewer: Viewer) -> list[Shelf]:
    """All the viewer's notes on documents they may read in their current organisation,
    by meeting (soonest first) and document."""
    rows = list(db.exec(select(Note).where(Note.user_id == viewer.user_id)).all())
    by_document: dict[int, list[Note]] = {}
    for row in rows:
        by_document.setdefault(row.document_id, []).append(row)
    shelves = []
    for document_id, notes in by_document.items():
        document = db.get(Document, document_id)
        if document is None or document.organisation_id != viewer.organisation_id:
            continue
        meeting = _meeting_if_readable(db, viewer, document)
        if meeting is None:
            continue
        shelves.append(Shelf(meeting, document, _ordered(_listed(db, notes))))
    return sorted(shelves, key=lambda s: (s.meeting.starts_at, s.meeting.id, s.document.id))
