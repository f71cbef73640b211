"""The reader's notes panel (htmx fragments), the "my notes" page and its Word export.

The panel is fetched by the reader for the version it shows; every change answers the panel
again. Without htmx a change goes back to the reader. Another person's note answers 404.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda.web import viewer
from meetings.documents import notes, notes_export
from meetings.documents.downloads import Readable, readable
from meetings.documents.models import DocumentVersion, Note
from meetings.documents.validation import content_disposition
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.web.handler import Context, page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def reader_url(document_id: int, version: int, page_number: int) -> str:
    """The reader at a version and a page (reader.js turns to the page in the hash)."""
    return f"/documents/{document_id}?version={version}#page={page_number}"


def _number(ctx: Context, name: str) -> int | None:
    raw = ctx.field(name) or ctx.request.query_params.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 9 else None


def _shown(ctx: Context, found: Readable) -> DocumentVersion:
    """The version the reader shows (the latest if the request names none)."""
    number = _number(ctx, "version")
    return found.version(number) if number is not None else found.latest


def _panel(
    ctx: Context, found: Readable, status: int = 200, message: str = "", **kept: str
) -> Response:
    assert ctx.user is not None and ctx.user.id is not None
    version = _shown(ctx, found)
    return ctx.render(
        "documents/_notes.html",
        status,
        document=found.document,
        version=version,
        current_page=_number(ctx, "page") or 1,
        listed=notes.notes_on(ctx.db, ctx.user.id, found.document.id or 0),
        colours=notes.COLOURS,
        message=message,
        kept=kept,
        reader_url=reader_url,
    )


def _done(ctx: Context, found: Readable) -> Response:
    if ctx.htmx:
        return _panel(ctx, found)
    version = _shown(ctx, found)
    return ctx.redirect(
        reader_url(found.document.id or 0, version.number, _number(ctx, "page") or 1)
    )


def _refused(ctx: Context, found: Readable, refusal: Refusal, **kept: str) -> Response:
    ctx.db.rollback()
    if refusal.status == 404:
        raise HTTPException(404)
    if not ctx.htmx:
        raise HTTPException(refusal.status, refusal.message)
    return _panel(ctx, found, refusal.status, refusal.message, **kept)


# -- the panel -----------------------------------------------------------------------


@page()
def panel(ctx: Context) -> Response:
    found = readable(ctx, ctx.request.path_params["document_id"])
    if not ctx.htmx:
        return ctx.redirect(reader_url(found.document.id or 0, _shown(ctx, found).number, 1))
    return _panel(ctx, found)


@page()
def add_note(ctx: Context) -> Response:
    found = readable(ctx, ctx.request.path_params["document_id"])
    try:
        notes.add_note(
            ctx.db,
            viewer(ctx),
            found.document,
            _shown(ctx, found),
            actor=ctx.actor,
            page=_number(ctx, "page") or 0,
            text=ctx.field("text"),
            colour=ctx.field("colour") or "yellow",
        )
    except Refusal as refusal:
        return _refused(ctx, found, refusal, text=ctx.field("text"))
    return _done(ctx, found)


@page()
def add_highlight(ctx: Context) -> Response:
    found = readable(ctx, ctx.request.path_params["document_id"])
    try:
        notes.add_highlight(
            ctx.db,
            viewer(ctx),
            found.document,
            _shown(ctx, found),
            actor=ctx.actor,
            page=_number(ctx, "page") or 0,
            rects=ctx.field("rects"),
            colour=ctx.field("colour") or "yellow",
            quote=ctx.field("quote"),
            text=ctx.field("text"),
        )
    except Refusal as refusal:
        return _refused(ctx, found, refusal)
    return _done(ctx, found)


def _own(ctx: Context) -> tuple[Note, Readable]:
    """The caller's own note and its document; 404 for anyone else's."""
    note = notes.own(ctx.db, viewer(ctx), ctx.request.path_params["note_id"])
    if note is None:
        raise HTTPException(404)
    return note, readable(ctx, note.document_id)


@page()
def edit_note(ctx: Context) -> Response:
    note, found = _own(ctx)
    try:
        notes.edit(
            ctx.db,
            note,
            actor=ctx.actor,
            text=ctx.field("text"),
            colour=ctx.field("colour") or None,
        )
    except Refusal as refusal:
        return _refused(ctx, found, refusal)
    return _done(ctx, found)


@page()
def delete_note(ctx: Context) -> Response:
    note, found = _own(ctx)
    notes.delete(ctx.db, note, actor=ctx.actor)
    return _done(ctx, found)


# -- my notes ------------------------------------------------------------------------


@page()
def my_notes(ctx: Context) -> Response:
    return ctx.render(
        "documents/my_notes.html",
        page_title=_("My notes"),
        meetings=notes_export.by_meeting(notes.my_notes(ctx.db, viewer(ctx))),
        colours=notes.COLOURS,
        reader_url=reader_url,
    )


@page()
def export(ctx: Context) -> Response:
    assert ctx.user is not None
    shelves = notes.my_notes(ctx.db, viewer(ctx))
    content = notes_export.docx(ctx.user.name, shelves)
    filename = _("My notes") + ".docx"
    headers = {
        "Content-Disposition": content_disposition(filename),
        "Cache-Control": "private, no-store",
    }
    return Response(content, media_type=DOCX, headers=headers)


NOTES = "/documents/{document_id:int}/notes"
routes = [
    Route(NOTES, panel, methods=["GET"]),
    Route(NOTES, add_note, methods=["POST"]),
    Route("/documents/{document_id:int}/highlights", add_highlight, methods=["POST"]),
    Route("/notes", my_notes, methods=["GET"]),
    Route("/notes/export.docx", export, methods=["GET"]),
    Route("/notes/{note_id:int}", edit_note, methods=["POST"]),
    Route("/notes/{note_id:int}/delete", delete_note, methods=["POST"]),
]
