"""Files sent with an opinion ballot: received from the form and checked from their bytes like
meeting documents (type, damage, macros, size), added to or taken off a draft by the
secretariat, and downloaded by whoever may see the ballot.

A form's files come through the page machinery's multipart parser (so they share its limit
on a request's size, MAX_FORM_BYTES). A refused file leaves nothing behind: neither a row nor
a stored blob nor a temporary file.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from meetings.documents import validation
from meetings.documents.validation import content_disposition
from meetings.errors import Refusal
from meetings.i18n import _, ngettext
from meetings.storage.blobs import CHUNK, Received, TooLarge
from meetings.voting import ballot_queries, draft_changes
from meetings.voting.draft_changes import Checked
from meetings.voting.poll_page import (
    MB,
    limit_mb,
    managed_or_403,
    poll_or_404,
    poll_url,
    refused,
    render_poll,
)
from meetings.web.handler import Context, page

FIELD = "files"
SECTION = "voting/_attachments.html"


def _receive(upload: UploadFile, directory: Path, limit: int) -> Received:
    """Copy a parsed upload into the store's temporary folder, hashing it on the way."""
    digest, size = hashlib.sha256(), 0
    handle = tempfile.NamedTemporaryFile(dir=directory, delete=False, prefix="upload-")  # noqa: SIM115
    path = Path(handle.name)
    try:
        with handle:
            upload.file.seek(0)
            while chunk := upload.file.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge
                digest.update(chunk)
                handle.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Received(path, digest.hexdigest(), size)


def _uploads(ctx: Context) -> list[UploadFile]:
    """The chosen files; a form sent without JavaScript carries only their names: refused, so
    that no file the person chose is dropped without a word."""
    values = ctx.form.getlist(FIELD) if ctx.form is not None else []
    if any(isinstance(value, str) and value.strip() for value in values):
        raise Refusal(
            _(
                "Your browser sent the file's name but not the file: sending files needs "
                "JavaScript. Turn it on and choose the file again."
            ),
            FIELD,
        )
    return [value for value in values if isinstance(value, UploadFile) and value.filename]


def _check(ctx: Context, upload: UploadFile) -> Checked:
    name = upload.filename or ""
    limit = limit_mb(ctx)
    try:
        received = _receive(upload, ctx.request.app.state.blobs.temp_dir(), limit * MB)
    except TooLarge:
        message = _(
            "“%(name)s” is larger than %(limit)s MB. Make it smaller or split it.",
            name=name,
            limit=limit,
        )
        raise Refusal(message, FIELD, 413) from None
    try:
        inspected = validation.inspect(received.path, name)
    except Refusal as refusal:
        received.path.unlink(missing_ok=True)
        message = _("“%(name)s”: %(problem)s", name=name, problem=refusal.message)
        raise Refusal(message, FIELD) from None  # a form's field: 422, whatever the cause
    return Checked(received, inspected)


def discard(files: list[Checked]) -> None:
    """Delete the temporary copies (those stored were moved into the store already)."""
    for file in files:
        file.received.path.unlink(missing_ok=True)


def check_files(ctx: Context) -> list[Checked]:
    """Every chosen file, received and checked; the first refused one refuses them all."""
    checked: list[Checked] = []
    try:
        for upload in _uploads(ctx):
            checked.append(_check(ctx, upload))
    except Refusal:
        discard(checked)
        raise
    return checked


# -- the pages -------------------------------------------------------------------------------


@page()
def attachment_add(ctx: Context) -> Response:
    """Add files to a drafted ballot (the secretariat and the chair)."""
    poll = managed_or_403(ctx)
    checked: list[Checked] = []
    try:
        checked = check_files(ctx)
        if not checked:
            raise Refusal(_("Choose at least one file."), FIELD)
        draft_changes.attach(
            ctx.db, poll, checked, actor=ctx.actor, store=ctx.request.app.state.blobs
        )
    except Refusal as refusal:
        status, at = refused(ctx, refusal)
        return render_poll(ctx, poll, status=status, errors={"files": at}, fragment=SECTION)
    finally:
        discard(checked)
    ctx.flash(
        ngettext("%(num)s file has been added.", "%(num)s files have been added.", len(checked))
    )
    return ctx.redirect(poll_url(poll))


@page()
def attachment_remove(ctx: Context) -> Response:
    poll = managed_or_403(ctx)
    attachment = ballot_queries.attachment_of(ctx.db, poll, ctx.request.path_params["file_id"])
    if attachment is None:
        raise HTTPException(404)
    try:
        draft_changes.detach(ctx.db, poll, attachment, actor=ctx.actor)
    except Refusal as refusal:
        status, at = refused(ctx, refusal)
        return render_poll(ctx, poll, status=status, errors={"files": at}, fragment=SECTION)
    ctx.flash(_("“%(name)s” has been taken off the ballot.", name=attachment.filename))
    return ctx.redirect(poll_url(poll))


@page()
def attachment_download(ctx: Context) -> Response:
    """The file, to whoever may see the ballot; always as a download, never shown inline."""
    poll = poll_or_404(ctx)
    attachment = ballot_queries.attachment_of(ctx.db, poll, ctx.request.path_params["file_id"])
    if attachment is None:
        raise HTTPException(404)
    headers = {
        "Content-Disposition": content_disposition(attachment.filename),
        "Cache-Control": "private, no-cache",
        "ETag": f'"{attachment.blob}"',
        "X-Content-Type-Options": "nosniff",
    }
    path = ctx.request.app.state.blobs.path(attachment.blob)
    return FileResponse(path, headers=headers, media_type=attachment.media_type)


FILES = "/polls/{poll_id:int}/attachments"
routes = [
    Route(FILES, attachment_add, methods=["POST"]),
    Route(FILES + "/{file_id:int}", attachment_download, methods=["GET"]),
    Route(FILES + "/{file_id:int}/remove", attachment_remove, methods=["POST"]),
]
