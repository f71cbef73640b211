"""A reader's stamp on every page of a confidential PDF: who they are and when they read it.

The stamp is drawn in each page's own content (a faint diagonal across the page and a footer
line), so it prints and cannot be hidden by switching annotations off, as a FreeText
annotation could. Its font is embedded, cut down to the stamp's letters, so Vietnamese names
show as written (meetings.documents.stamp_font); the document's /Subject keeps the lines too.

The copy is a temporary file for one reader: it is never cached nor stored as a blob. The
same source and lines give the same bytes, so the ranges of one reading fit together.
pypdf holds the whole document in memory while it writes the copy: fine for meeting papers
(tens of MB), but each reader being served costs that much memory for a moment.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
)

from meetings.documents.stamp_font import Face, Helvetica, face_for
from meetings.text import nfc

FONT = NameObject("/ECabinetStamp")
FAINT = NameObject("/ECabinetStampFaint")
FOOTER_SIZE = 7.0
MARGIN = 12.0  # the footer's distance from the page's edges
DIAGONAL_SIZE = 36.0  # at most; smaller when the text is long or the page small
DIAGONAL_SHARE = 0.75  # of the page's diagonal that the longest line may take
OPACITY = 0.2  # the diagonal: visible, yet the page stays readable beneath it
RED = "0.75 0 0 rg"  # the colour of "MẬT" stamps


def stamped(source: Path, target_dir: Path, lines: list[str]) -> Path:
    """A copy of the PDF, in target_dir, with the lines on every page; the caller deletes it."""
    face = face_for(lines)
    shown = [face.shown(line) for line in lines]
    with source.open("rb") as handle:  # a file, not a path: pypdf reads a path whole
        writer = PdfWriter(clone_from=PdfReader(handle))
        opening = _stream(writer, b"q\n")
        font = writer._add_object(face.objects(writer._add_object))
        faint = writer._add_object(_faint())
        for page in writer.pages:
            _stamp(writer, page, face, shown, opening, font, faint)
        writer.add_metadata({"/Subject": " · ".join(nfc(line) for line in lines)})
        return _write(writer, target_dir)


def folded(text: str) -> str:
    """What Helvetica can show: "Nguyễn Văn Ân · MẬT" -> "Nguyen Van An · MAT"."""
    return Helvetica().shown(text)


def _write(writer: PdfWriter, target_dir: Path) -> Path:
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (the file outlives this function)
        dir=target_dir, prefix="stamp-", suffix=".pdf", delete=False
    )
    path = Path(handle.name)
    try:
        with handle:
            writer.write(handle)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _faint() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/ExtGState"),
            NameObject("/ca"): FloatObject(OPACITY),
        }
    )


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    """Left uncompressed (some 700 bytes a page): then copies stamped at other minutes have
    the same layout, byte for byte, and a reading whose ranges straddle two stamps (two tabs,
    a long pause) still fits together."""
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


# -- one page ------------------------------------------------------------------------


def _stamp(
    writer: PdfWriter,
    page: PageObject,
    face: Face,
    shown: list[str],
    opening: IndirectObject,
    font: IndirectObject,
    faint: IndirectObject,
) -> None:
    """The page's content between q and Q (whatever state it leaves), then the stamp."""
    resources = _dictionary(page, "/Resources")
    _dictionary(resources, "/Font")[FONT] = font
    _dictionary(resources, "/ExtGState")[FAINT] = faint
    stamp = _stream(writer, b"Q\n" + _drawing(page, face, shown))
    page[NameObject("/Contents")] = ArrayObject([opening, *_contents(page), stamp])


def _dictionary(parent: DictionaryObject, key: str) -> DictionaryObject:
    """parent[key] (shared with other pages if it is shared), made if missing."""
    found = parent.get(key)
    value = found.get_object() if found is not None else None
    if not isinstance(value, DictionaryObject):
        value = DictionaryObject()
        parent[NameObject(key)] = value
    return value


def _contents(page: PageObject) -> list[PdfObject]:
    """References to the page's content streams, left as they are (compressed)."""
    raw = page.raw_get("/Contents") if "/Contents" in page else None
    if raw is None:
        return []
    value = raw.get_object()
    if isinstance(value, ArrayObject):
        return list(value)
    return [raw]


def _drawing(page: PageObject, face: Face, shown: list[str]) -> bytes:
    """The stamp, drawn upright in the page as it is shown (after its /Rotate)."""
    width, height, matrix = _frame(page)
    return "\n".join(
        [
            "{} {} {} {} {:.2f} {:.2f} cm".format(*matrix),
            _diagonal(width, height, face, shown),
            _footer(width, face, shown),
        ]
    ).encode("ascii")


def _frame(page: PageObject) -> tuple[float, float, tuple[float, ...]]:
    """The shown width and height, and the matrix from shown to page coordinates."""
    box = page.cropbox
    x0, y0, x1, y1 = float(box.left), float(box.bottom), float(box.right), float(box.top)
    width, height = x1 - x0, y1 - y0
    rotation = page.rotation % 360
    if rotation == 90:
        return height, width, (0, 1, -1, 0, x1, y0)
    if rotation == 180:
        return width, height, (-1, 0, 0, -1, x1, y1)
    if rotation == 270:
        return height, width, (0, -1, 1, 0, x0, y1)
    return width, height, (1, 0, 0, 1, x0, y0)


def _diagonal(width: float, height: float, face: Face, shown: list[str]) -> str:
    """The lines, centred, faint, from the bottom-left corner towards the top-right."""
    longest = max((face.em(line) for line in shown), default=0.0) or 1.0
    size = min(DIAGONAL_SIZE, DIAGONAL_SHARE * math.hypot(width, height) / longest)
    angle = math.atan2(height, width)
    cos, sin = math.cos(angle), math.sin(angle)
    leading = size * 1.25
    top = (len(shown) - 1) * leading / 2 - size * 0.35  # centred on the cap height
    texts = [
        _text(face, line, size, -face.em(line) * size / 2, top - n * leading)
        for n, line in enumerate(shown)
    ]
    place = f"{cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} {width / 2:.2f} {height / 2:.2f} cm"
    return "\n".join(["q", f"{FAINT} gs", RED, place, *texts, "Q"])


def _footer(width: float, face: Face, shown: list[str]) -> str:
    """The lines at the foot of the page, small, fitted to its width."""
    longest = max((face.em(line) for line in shown), default=0.0) or 1.0
    size = min(FOOTER_SIZE, (width - 2 * MARGIN) / longest)
    leading = size * 1.25
    last = len(shown) - 1
    texts = [
        _text(face, line, size, MARGIN, MARGIN + (last - n) * leading)
        for n, line in enumerate(shown)
    ]
    return "\n".join(["q", RED, *texts, "Q"])


def _text(face: Face, line: str, size: float, x: float, y: float) -> str:
    return f"BT {FONT} {size:.2f} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm <{face.encode(line)}> Tj ET"
