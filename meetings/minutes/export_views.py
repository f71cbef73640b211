"""A record to download as an official document, in Word or PDF: for whoever may read it
(a draft only for the secretariat and the chair), in the reader's language unless
`?lang=vi` or `?lang=en` asks for the other."""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import Response
from starlette.routing import Route

from meetings import i18n
from meetings.documents.validation import content_disposition
from meetings.exports import docx, pdf
from meetings.exports.official import OfficialDocument
from meetings.i18n import _
from meetings.minutes.export import record_document
from meetings.minutes.labels import KINDS
from meetings.minutes.models import RecordKind
from meetings.minutes.web import found_or_404
from meetings.web.handler import Context, page


def _language(ctx: Context) -> str:
    wanted = ctx.request.query_params.get("lang", "")
    return wanted if wanted in ("vi", "en") else i18n.current_locale()


def _download(
    ctx: Context, extension: str, render: Callable[[OfficialDocument], bytes], media_type: str
) -> Response:
    found = found_or_404(ctx)
    document = record_document(ctx.db, found.record, found.meeting, _language(ctx))
    name = _(KINDS[RecordKind(found.record.kind)])
    filename = f"{name} {found.record.number or found.record.id}".replace("/", "-")
    headers = {
        "Content-Disposition": content_disposition(f"{filename}.{extension}"),
        "Cache-Control": "private, no-store",
    }
    return Response(render(document), media_type=media_type, headers=headers)


@page()
def record_docx(ctx: Context) -> Response:
    return _download(ctx, "docx", docx.docx, docx.MEDIA_TYPE)


@page()
def record_pdf(ctx: Context) -> Response:
    return _download(ctx, "pdf", pdf.pdf, pdf.MEDIA_TYPE)


RECORD = "/records/{record_id:int}"
routes = [
    Route(RECORD + ".docx", record_docx, methods=["GET"]),
    Route(RECORD + ".pdf", record_pdf, methods=["GET"]),
]
