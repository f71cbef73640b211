"""The text of an uploaded file, for search: read from disk in bounded pieces, never raising.

The file has already passed validation, so it is of an accepted kind; but accepted files can
still be odd (a damaged page, a part that is not XML), and a file without text must never
stop an upload. Such a file is logged and gives "".
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from xml.etree import ElementTree

from pypdf import PageObject, PdfReader

from meetings.documents import logger
from meetings.text import nfc

MAX_CHARS = 2_000_000  # about 1,000 pages: the stored text stops there
MAX_XML_BYTES = 50 * 1024 * 1024  # of XML read from one package, all parts together
CHUNK_BYTES = 1 << 20
PAGE_BREAK = "\f"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
DOCX_BODY = "word/document.xml"
DOCX_MARKS = {W + "t": None, W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "p": "\n"}
ODF_MARKS = {T + "tab": "\t", T + "line-break": "\n"}


def extract(path: Path, kind: str) -> str:
    """The file's text in NFC, at most MAX_CHARS characters; "" for kinds without text."""
    reader = READERS.get(kind)
    if reader is None:
        return ""
    try:
        return nfc(reader(path)).strip()[:MAX_CHARS]
    except Exception:  # pypdf, zipfile and expat fail in many ways; the upload must not
        logger.warning("No text could be read from a %s file", kind, exc_info=True)
        return ""


def _joined(pieces: Iterable[str], separator: str = "") -> str:
    """Pieces up to about MAX_CHARS; whatever follows is never read."""
    kept: list[str] = []
    length = 0
    for piece in pieces:
        kept.append(piece)
        length += len(piece) + len(separator)
        if length > MAX_CHARS:
            break
    return separator.join(kept)


# PDF -----------------------------------------------------------------------------------


def _pdf(path: Path) -> str:
    with path.open("rb") as handle:  # a file, not a path: pypdf reads a path whole
        reader = PdfReader(handle)
        return _joined((_page_text(page) for page in reader.pages), PAGE_BREAK)


def _page_text(page: PageObject) -> str:
    try:
        return page.extract_text()
    except Exception:  # one bad page loses its own text, not the document's
        logger.info("A PDF page's text could not be read", exc_info=True)
        return ""


# Zip packages: DOCX and ODT ------------------------------------------------------------


def _ends(archive: zipfile.ZipFile, names: list[str]) -> Iterator[ElementTree.Element]:
    """Each element of the named parts in turn, as it ends; MAX_XML_BYTES read in all.

    XMLPullParser is iterparse fed by hand, so that reading stops at the cap without
    raising on the cut-off XML. Expat 2.4.1 and later refuse entity-expansion bombs, and
    ElementTree never fetches external entities.
    """
    left = MAX_XML_BYTES
    for name in names:
        parser = ElementTree.XMLPullParser(("end",))
        with archive.open(name) as part:
            while left > 0 and (chunk := part.read(min(CHUNK_BYTES, left))):
                left -= len(chunk)
                parser.feed(chunk)
                yield from (element for _event, element in parser.read_events())
        if left <= 0:
            return
        parser.close()
        yield from (element for _event, element in parser.read_events())


def _docx(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return _joined(_docx_pieces(archive, _docx_parts(archive.namelist())))


def _docx_parts(names: list[str]) -> list[str]:
    """The body, then headers, then footers (word/header1.xml, word/footer2.xml...)."""
    xml = sorted(name for name in names if name.endswith(".xml"))
    headers = [name for name in xml if name.startswith("word/header")]
    footers = [name for name in xml if name.startswith("word/footer")]
    return [DOCX_BODY, *headers, *footers]


def _docx_pieces(archive: zipfile.ZipFile, names: list[str]) -> Iterator[str]:
    for element in _ends(archive, names):
        if element.tag not in DOCX_MARKS:
            continue
        yield DOCX_MARKS[element.tag] or element.text or ""
        if element.tag == W + "p":
            element.clear()  # its runs are read: keep memory flat however long the document


def _odt(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return _joined(_odt_paragraphs(archive))


def _odt_paragraphs(archive: zipfile.ZipFile) -> Iterator[str]:
    for element in _ends(archive, ["content.xml"]):
        if element.tag in (T + "p", T + "h"):
            yield _odf_text(element) + "\n"
            # A paragraph inside this one (a note, a text box) ended first and was cleared,
            # so it is read once; its tail lies in its container, not in paragraph text.
            element.clear()


def _odf_text(element: ElementTree.Element) -> str:
    """Mixed content: text, spans and links, with text:s, text:tab and text:line-break."""
    pieces = [element.text or ""]
    for child in element:
        if child.tag == T + "s":
            pieces.append(" " * int(child.get(T + "c", "1")))
        else:
            pieces.append(ODF_MARKS.get(child.tag) or _odf_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


# Plain text ----------------------------------------------------------------------------


def _text(path: Path) -> str:
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        return handle.read(MAX_CHARS + 1)


READERS: dict[str, Callable[[Path], str]] = {
    "pdf": _pdf,
    "docx": _docx,
    "odt": _odt,
    "text": _text,
}
