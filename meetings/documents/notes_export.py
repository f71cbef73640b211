"""A person's notes as a Word file: by meeting, document, version and page."""

from __future__ import annotations

import io
from itertools import groupby

from docx import Document as WordDocument
from docx.shared import Pt

from meetings.agenda.models import Meeting
from meetings.db import utcnow
from meetings.documents.models import NoteKind
from meetings.documents.notes import COLOURS, Listed, Shelf
from meetings.i18n import _, gettext, local_datetime

FONT = "Times New Roman"  # the administrative documents' font; it carries Vietnamese


def by_meeting(shelves: list[Shelf]) -> list[tuple[Meeting, list[Shelf]]]:
    """The shelves (already in meeting order) grouped under their meeting."""
    grouped = groupby(shelves, key=lambda shelf: shelf.meeting.id)
    return [(group[0].meeting, group) for group in (list(g) for _id, g in grouped)]


def describe(listed: Listed) -> str:
    """One note as a line of text: what kind, where, what it says."""
    note = listed.note
    if note.kind == NoteKind.highlight:
        colour = gettext(COLOURS.get(note.colour, COLOURS["yellow"]))
        head = _("Highlight (%(colour)s)", colour=colour.lower())
        parts = [head, f"“{note.quote}”" if note.quote else "", note.text]
    else:
        parts = [_("Note"), note.text]
    return " — ".join(part for part in parts if part)


def _fonts(word: WordDocument) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = word.styles[name]
        style.font.name = FONT
    word.styles["Normal"].font.size = Pt(13)


def docx(owner: str, shelves: list[Shelf]) -> bytes:
    """The Word file of the shelves' notes, with the owner's name and the time made."""
    word = WordDocument()
    _fonts(word)
    word.add_heading(_("My notes"), level=0)
    word.add_paragraph(f"{owner} · {local_datetime(utcnow())}")
    if not shelves:
        word.add_paragraph(_("You have no notes yet."))
    for meeting, group in by_meeting(shelves):
        word.add_heading(f"{meeting.title} · {local_datetime(meeting.starts_at)}", level=1)
        for shelf in group:
            word.add_heading(shelf.document.title, level=2)
            _versions(word, shelf.notes)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _versions(word: WordDocument, listed: list[Listed]) -> None:
    for number, notes in groupby(listed, key=lambda x: x.version):
        word.add_heading(_("Version %(number)s", number=number), level=3)
        for item in notes:
            paragraph = word.add_paragraph()
            paragraph.add_run(_("Page %(page)s", page=item.note.page) + ": ").bold = True
            paragraph.add_run(describe(item))
