"""An archived meeting's BagIt package to download, for the meeting's secretariat."""

from __future__ import annotations

import tempfile
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from meetings.agenda.web import meeting_or_404, require_prepare
from meetings.archive import package
from meetings.errors import Refusal
from meetings.web.handler import Context, page


@page()
def archive_package(ctx: Context) -> Response:
    meeting = meeting_or_404(ctx)
    require_prepare(ctx, meeting)
    store = ctx.request.app.state.blobs
    handle = tempfile.NamedTemporaryFile(dir=store.temp_dir(), prefix="package-", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    try:
        package.export(ctx.db, meeting, store, path, actor=ctx.actor, locale="vi")
    except Refusal as refused:
        path.unlink(missing_ok=True)
        raise HTTPException(refused.status, refused.message) from refused
    return FileResponse(
        path,
        media_type="application/zip",
        filename=f"meeting-{meeting.id}-bagit.zip",
        headers={"Cache-Control": "private, no-store"},
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


routes = [Route("/meetings/{meeting_id:int}/archive.zip", archive_package, methods=["GET"])]
