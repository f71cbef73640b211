"""API for private notes and highlights: only their owner lists, makes, changes or deletes them.

Another person's note answers 404, as does a document the caller may not read. Areas of a
highlight are [x, y, w, h] fractions (0 to 1) of the page's width and height.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.responses import Response

from meetings.agenda.api import in_organisation
from meetings.agenda.web import viewer
from meetings.documents import notes
from meetings.documents.downloads import Readable, readable
from meetings.documents.models import Note
from meetings.documents.notes import Listed
from meetings.web.api import api
from meetings.web.handler import Context

TAGS = ("notes",)
Colour = Literal["yellow", "green", "blue", "pink"]


class NoteInfo(BaseModel):
    """A private note or highlight on one page of one version of a document."""

    id: int
    document_id: int
    version: int = Field(description="The number of the version it was made on")
    page: int
    kind: Literal["note", "highlight"]
    text: str
    quote: str = Field(description="The highlighted text, when the reader could read it")
    rects: list[list[float]] = Field(description="Highlighted areas: [x, y, w, h] fractions")
    colour: str
    created_at: datetime
    updated_at: datetime


class NoteCreate(BaseModel):
    """A new note (text required) or highlight (rects required) on a page."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["note", "highlight"] = "note"
    version: int | None = Field(None, description="Version number; the latest you may read")
    page: int = Field(ge=1)
    text: str = Field("", max_length=notes.MAX_TEXT)
    quote: str = Field("", max_length=notes.MAX_QUOTE)
    rects: list[list[float]] = Field(default_factory=list, max_length=notes.MAX_RECTS)
    colour: Colour = "yellow"


class NoteUpdate(BaseModel):
    """What may change in a note: its text and its colour."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, max_length=notes.MAX_TEXT)
    colour: Colour | None = None


def _info(listed: Listed) -> NoteInfo:
    note = listed.note
    return NoteInfo(
        **note.model_dump(include={"id", "document_id", "page", "text", "quote", "colour"}),
        kind=note.kind,  # type: ignore[arg-type]
        version=listed.version,
        rects=[list(r) for r in listed.rects],
        created_at=note.created_at,
        updated_at=note.updated_at,
    )


def _found(ctx: Context) -> Readable:
    in_organisation(ctx)
    return readable(ctx, ctx.request.path_params["document_id"])


def _own(ctx: Context) -> Note:
    in_organisation(ctx)
    note = notes.own(ctx.db, viewer(ctx), ctx.request.path_params["note_id"])
    if note is None:
        raise HTTPException(404)
    return note


def _one(ctx: Context, note: Note) -> NoteInfo:
    assert ctx.user is not None and ctx.user.id is not None
    listed = notes.notes_on(ctx.db, ctx.user.id, note.document_id)
    return _info(next(x for x in listed if x.note.id == note.id))


@api(
    "GET",
    "/notes",
    summary="All your notes and highlights on documents you may read",
    response=list[NoteInfo],
    tags=TAGS,
)
def list_my_notes(ctx: Context) -> list[NoteInfo]:
    in_organisation(ctx)
    shelves = notes.my_notes(ctx.db, viewer(ctx))
    return [_info(listed) for shelf in shelves for listed in shelf.notes]


@api(
    "GET",
    "/documents/{document_id:int}/notes",
    summary="Your notes and highlights on a document, on every version",
    response=list[NoteInfo],
    tags=TAGS,
)
def list_document_notes(ctx: Context) -> list[NoteInfo]:
    assert ctx.user is not None and ctx.user.id is not None
    found = _found(ctx)
    return [_info(x) for x in notes.notes_on(ctx.db, ctx.user.id, found.document.id or 0)]


@api(
    "POST",
    "/documents/{document_id:int}/notes",
    summary="Make a private note or highlight on a page of a document",
    body=NoteCreate,
    response=NoteInfo,
    status=201,
    tags=TAGS,
)
def create_note(ctx: Context, new: NoteCreate) -> NoteInfo:
    found = _found(ctx)
    version = found.version(new.version) if new.version is not None else found.latest
    where = (ctx.db, viewer(ctx), found.document, version)
    if new.kind == "highlight":
        note = notes.add_highlight(
            *where,
            actor=ctx.actor,
            page=new.page,
            rects=new.rects,
            colour=new.colour,
            quote=new.quote,
            text=new.text,
        )
    else:
        note = notes.add_note(
            *where, actor=ctx.actor, page=new.page, text=new.text, colour=new.colour
        )
    return _one(ctx, note)


@api(
    "PATCH",
    "/notes/{note_id:int}",
    summary="Change the text or colour of your note",
    body=NoteUpdate,
    response=NoteInfo,
    tags=TAGS,
)
def update_note(ctx: Context, change: NoteUpdate) -> NoteInfo:
    note = notes.edit(ctx.db, _own(ctx), actor=ctx.actor, text=change.text, colour=change.colour)
    return _one(ctx, note)


@api("DELETE", "/notes/{note_id:int}", summary="Delete your note", status=204, tags=TAGS)
def delete_note(ctx: Context) -> Response:
    notes.delete(ctx.db, _own(ctx), actor=ctx.actor)
    return Response(status_code=204)


routes = [list_my_notes, list_document_notes, create_note, update_note, delete_note]
