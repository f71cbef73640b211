"""Files sent with a page's form (a ballot's, a task's): received from the parsed form and
checked from their bytes like meeting documents (type, damage, macros, size). A refused file
leaves nothing behind: neither a row nor a stored blob nor a temporary file.

The forms come through the page machinery's parser, so they share its limit on a request's size
(MAX_FORM_BYTES); the API streams its files instead (meetings.web.multipart).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from starlette.datastructures import UploadFile

from meetings.documents import validation
from meetings.documents.validation import Checked
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.storage.blobs import CHUNK, Received, TooLarge
from meetings.web.handler import MAX_FORM_BYTES, Context

FIELD = "files"
MB = 1024 * 1024


def limit_mb(ctx: Context) -> int:
    """The largest file a form takes: the upload limit, within the page forms' own limit."""
    return min(ctx.config.max_upload_mb, MAX_FORM_BYTES // MB)


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


def _uploads(ctx: Context, most: int | None) -> list[UploadFile]:
    """The chosen files. A form sent without JavaScript carries only their names: refused, so
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
    chosen = [value for value in values if isinstance(value, UploadFile) and value.filename]
    if most is not None and len(chosen) > most:
        raise Refusal(_("Attach at most %(max)s files at a time.", max=most), FIELD)
    return chosen


def _check(ctx: Context, upload: UploadFile, too_large: int) -> Checked:
    name, limit = upload.filename or "", limit_mb(ctx)
    try:
        received = _receive(upload, ctx.request.app.state.blobs.temp_dir(), limit * MB)
    except TooLarge:
        message = _(
            "“%(name)s” is larger than %(limit)s MB. Make it smaller or split it.",
            name=name,
            limit=limit,
        )
        raise Refusal(message, FIELD, too_large) from None
    try:
        inspected = validation.inspect(received.path, name)
    except Refusal as refusal:
        received.path.unlink(missing_ok=True)
        message = _("“%(name)s”: %(problem)s", name=name, problem=refusal.message)
        raise Refusal(message, FIELD) from None  # a form's field: 422, whatever the cause
    return Checked(received, inspected)


def discard(files: list[Checked]) -> None:
    """Delete the temporary copies (those kept were moved into the store already)."""
    for file in files:
        file.received.path.unlink(missing_ok=True)


def check_files(ctx: Context, *, most: int | None = None, too_large: int = 413) -> list[Checked]:
    """Every chosen file, received and checked; the first refused one refuses them all.
    `too_large`: the status for a file over the limit (a form that shows the error beside its
    field may prefer 422)."""
    checked: list[Checked] = []
    try:
        for upload in _uploads(ctx, most):
            checked.append(_check(ctx, upload, too_large))
    except Refusal:
        discard(checked)
        raise
    return checked
