"""An official document as a PDF: templates/exports/official.html printed by WeasyPrint.

The fonts are the system's: Times New Roman where installed, else a font with its metrics and
the Vietnamese letters (Liberation Serif 2, Debian's fonts-liberation2; or Tinos). WeasyPrint
needs Pango (libpango-1.0-0, libpangoft2-1.0-0); it is imported when a PDF is made, so the rest
of the app runs on a machine without it.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from meetings import i18n
from meetings.exports.official import Block, OfficialDocument
from meetings.web.templating import TEMPLATES_DIR

MEDIA_TYPE = "application/pdf"
TEMPLATE = "exports/official.html"


def block_kind(block: Block) -> str:
    """ "heading", "paragraph", "bullets" or "table": what the template draws."""
    return type(block).__name__.lower()


@cache
def environment() -> Environment:
    """A Jinja environment for printed documents: the app's templates and translations, no
    request."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message, **values: i18n.gettext(message, **values),
        ngettext=lambda s, p, n, **values: i18n.ngettext(s, p, n, **values),
        newstyle=True,
    )
    env.globals["block_kind"] = block_kind
    return env


def html(document: OfficialDocument) -> str:
    """The document as the HTML page that is printed."""
    created = datetime.combine(document.on, time(), UTC).isoformat()
    return environment().get_template(TEMPLATE).render(document=document, created=created)


def pdf(document: OfficialDocument) -> bytes:
    """The document as PDF bytes (A4, the decree's margins, page numbers from page 2)."""
    import weasyprint  # here, not above: importing it loads Pango

    return weasyprint.HTML(string=html(document), base_url=str(TEMPLATES_DIR)).write_pdf()
