"""A closed poll's summary to download as an official report, in Word or PDF.

Those who run the poll get it once it is closed; every member who may see the poll gets it
once the result is published. A poll the viewer may not see answers 404, as everywhere. The
report is in the reader's language unless `?lang=vi` or `?lang=en` asks for the other.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings import i18n
from meetings.agenda.web import viewer
from meetings.documents.validation import content_disposition
from meetings.exports import docx, pdf
from meetings.exports.official import OfficialDocument
from meetings.i18n import _
from meetings.voting import access, report
from meetings.voting.models import Poll, PollState
from meetings.web.handler import Context, page

CLOSED = (PollState.closed, PollState.published)


def reportable(ctx: Context) -> Poll:
    """The poll in the path if this viewer may have its report now; 404 or 409 otherwise."""
    poll = access.visible(ctx.db, viewer(ctx), ctx.request.path_params["poll_id"])
    if poll is None:
        raise HTTPException(404)
    if poll.state not in CLOSED:
        raise HTTPException(409, _("The summary is made once the poll is closed."))
    if poll.state != PollState.published and not access.may_manage(ctx.db, viewer(ctx), poll):
        raise HTTPException(
            409, _("The summary is shared with the members once the result is published.")
        )
    return poll


def _language(ctx: Context) -> str:
    wanted = ctx.request.query_params.get("lang", "")
    return wanted if wanted in ("vi", "en") else i18n.current_locale()


def _download(
    ctx: Context, extension: str, render: Callable[[OfficialDocument], bytes], media_type: str
) -> Response:
    poll = reportable(ctx)
    content = render(report.summary_document(ctx.db, poll, _language(ctx)))
    filename = _("Poll summary %(number)s", number=poll.id) + f".{extension}"
    headers = {
        "Content-Disposition": content_disposition(filename),
        "Cache-Control": "private, no-store",
    }
    return Response(content, media_type=media_type, headers=headers)


@page()
def summary_docx(ctx: Context) -> Response:
    return _download(ctx, "docx", docx.docx, docx.MEDIA_TYPE)


@page()
def summary_pdf(ctx: Context) -> Response:
    return _download(ctx, "pdf", pdf.pdf, pdf.MEDIA_TYPE)


POLL = "/polls/{poll_id:int}"
routes = [
    Route(POLL + "/summary.docx", summary_docx, methods=["GET"]),
    Route(POLL + "/summary.pdf", summary_pdf, methods=["GET"]),
]
