"""Files sent with an opinion ballot: added to or taken off a draft by the secretariat (each
received and checked by meetings.web.uploads), and downloaded by whoever may see the ballot."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from meetings.documents.validation import content_disposition
from meetings.errors import Refusal
from meetings.i18n import _, ngettext
from meetings.voting import ballot_queries, draft_changes
from meetings.voting.draft_changes import Checked
from meetings.voting.poll_page import (
    managed_or_403,
    poll_or_404,
    poll_url,
    refused,
    render_poll,
)
from meetings.web import uploads
from meetings.web.handler import Context, page

FIELD = "files"
SECTION = "voting/_attachments.html"


# -- the pages -------------------------------------------------------------------------------


@page()
def attachment_add(ctx: Context) -> Response:
    """Add files to a drafted ballot (the secretariat and the chair)."""
    poll = managed_or_403(ctx)
    checked: list[Checked] = []
    try:
        checked = uploads.check_files(ctx)
        if not checked:
            raise Refusal(_("Choose at least one file."), FIELD)
        draft_changes.attach(
            ctx.db, poll, checked, actor=ctx.actor, store=ctx.request.app.state.blobs
        )
    except Refusal as refusal:
        status, at = refused(ctx, refusal)
        return render_poll(ctx, poll, status=status, errors={"files": at}, fragment=SECTION)
    finally:
        uploads.discard(checked)
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
