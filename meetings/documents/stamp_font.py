"""The faces a reader's stamp is drawn in.

`Embedded`: a sans-serif TrueType font with Vietnamese letters (Liberation Sans 2, else DejaVu
Sans, both installed by the set-up), cut down with fontTools to the letters of the stamp and
embedded in the copy as a Type 0 font (Identity-H) with a ToUnicode map, so the page shows
"Nguyễn Văn Ân · MẬT" and the text copies and searches as written.

`Helvetica`: one of the standard PDF fonts, when neither file is on the machine. It has no
glyphs for Vietnamese letters (ư, ơ, ạ, đ ...), so the text is folded to ASCII with its
capitals kept ("Nguyen Van An").

A copy must be the same, byte for byte, for the same lines (the ranges of one reading fit
together), and of the same layout when only the minute of the time differs: the cut-down font
always holds every digit, and digits are all as wide in both fonts.
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    TextStringObject,
)
from pypdf.generic import NumberObject as Int

from meetings.text import fold, nfc

FILES = (
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
ALWAYS = "0123456789 :/,.·-"  # what a time and a date are written with
# pypdf's widths of the standard fonts (from Adobe's AFM files; a private module, so a pypdf
# upgrade may move it), to fit the text to the page.
HELVETICA_WIDTHS = CORE_FONT_METRICS["Helvetica"].character_widths

Add = Callable[[PdfObject], IndirectObject]  # adds an object to the copy, gives its reference


class Helvetica:
    """The standard font, with the text folded to what it can show."""

    def shown(self, text: str) -> str:
        return "".join(fold(ch).upper() if ch.isupper() else fold(ch) for ch in nfc(text))

    def encode(self, text: str) -> str:
        return text.encode("cp1252", "replace").hex()  # /WinAnsiEncoding

    def em(self, text: str) -> float:
        default = HELVETICA_WIDTHS["default"]
        return sum(HELVETICA_WIDTHS.get(ch, default) for ch in text) / 1000

    def objects(self, _add: Add) -> DictionaryObject:
        return DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )


@dataclass(frozen=True)
class Embedded:
    """A TrueType font cut down to some letters: glyph ids, widths and the font file."""

    name: str  # the PostScript name with its subset tag, "ABCDEF+LiberationSans"
    data: bytes
    glyphs: dict[str, int]  # character -> glyph id in `data`
    widths: dict[int, int]  # glyph id -> advance, in thousandths of the font size
    box: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int

    def shown(self, text: str) -> str:
        """The text with any letter the font lacks folded (or "?")."""
        out = []
        for ch in nfc(text):
            if ch not in self.glyphs:
                ch = fold(ch) if all(c in self.glyphs for c in fold(ch)) else "?"
            out.append(ch)
        return "".join(out)

    def encode(self, text: str) -> str:
        return "".join(f"{self.glyphs.get(ch, 0):04x}" for ch in text)

    def em(self, text: str) -> float:
        return sum(self.widths.get(self.glyphs.get(ch, 0), 0) for ch in text) / 1000

    def objects(self, add: Add) -> DictionaryObject:
        """The Type 0 font dictionary with its descendant and descriptor; the font file and
        the ToUnicode map are streams, so they are added as objects of their own."""
        base = NameObject("/" + self.name)
        file = DecodedStreamObject()
        file.set_data(self.data)
        file[NameObject("/Length1")] = Int(len(self.data))
        descriptor = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/FontDescriptor"),
                NameObject("/FontName"): base,
                NameObject("/Flags"): Int(32),  # non-symbolic
                NameObject("/FontBBox"): ArrayObject([Int(v) for v in self.box]),
                NameObject("/ItalicAngle"): Int(0),
                NameObject("/Ascent"): Int(self.ascent),
                NameObject("/Descent"): Int(self.descent),
                NameObject("/CapHeight"): Int(self.cap_height),
                NameObject("/StemV"): Int(80),
                NameObject("/FontFile2"): add(file),
            }
        )
        widths: list[PdfObject] = []
        for gid in sorted(self.widths):
            widths += [Int(gid), ArrayObject([Int(self.widths[gid])])]
        descendant = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/CIDFontType2"),
                NameObject("/BaseFont"): base,
                NameObject("/CIDSystemInfo"): DictionaryObject(
                    {
                        NameObject("/Registry"): TextStringObject("Adobe"),
                        NameObject("/Ordering"): TextStringObject("Identity"),
                        NameObject("/Supplement"): Int(0),
                    }
                ),
                NameObject("/FontDescriptor"): descriptor,
                NameObject("/W"): ArrayObject(widths),
                NameObject("/CIDToGIDMap"): NameObject("/Identity"),
            }
        )
        unicode_map = DecodedStreamObject()
        unicode_map.set_data(self._to_unicode())
        return DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type0"),
                NameObject("/BaseFont"): base,
                NameObject("/Encoding"): NameObject("/Identity-H"),
                NameObject("/DescendantFonts"): ArrayObject([descendant]),
                NameObject("/ToUnicode"): add(unicode_map),
            }
        )

    def _to_unicode(self) -> bytes:
        pairs = sorted((gid, ch) for ch, gid in self.glyphs.items())
        lines = [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<0000> <FFFF>",
            "endcodespacerange",
        ]
        for start in range(0, len(pairs), 100):  # at most 100 to a block
            block = pairs[start : start + 100]
            lines.append(f"{len(block)} beginbfchar")
            lines += [f"<{gid:04x}> <{ch.encode('utf-16-be').hex()}>" for gid, ch in block]
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode("ascii")


Face = Helvetica | Embedded


def face_for(lines: list[str]) -> Face:
    """The embedded font cut down to these lines' letters, or Helvetica without a font file."""
    letters = "".join(sorted(set(nfc("".join(lines))) | set(ALWAYS)))
    found = _cut(letters)
    return found if found is not None else Helvetica()


@functools.lru_cache(maxsize=64)
def _cut(letters: str) -> Embedded | None:
    """The same letters give the same bytes (no timestamp is written)."""
    source = next((path for path in FILES if path.is_file()), None)
    if source is None:
        return None
    font = TTFont(source, recalcTimestamp=False, lazy=False)
    letters += "".join(fold(ch) for ch in letters)  # the fallbacks of letters it lacks
    options = subset.Options()
    options.layout_features = []  # glyphs are placed one by one: no shaping tables
    options.hinting = False
    options.name_IDs = [1, 2, 4, 6]
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: not needed, not subsettable
    cutter = subset.Subsetter(options)
    cutter.populate(text=letters)
    cutter.subset(font)
    data = io.BytesIO()
    font.save(data)
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    glyphs = {chr(code): font.getGlyphID(name) for code, name in cmap.items()}
    widths = {
        font.getGlyphID(name): round(advance * scale)
        for name, (advance, _lsb) in font["hmtx"].metrics.items()
    }
    head, os2 = font["head"], font["OS/2"]
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(letters.encode()).digest()[:6])
    family = font["name"].getDebugName(6) or "Stamp"
    return Embedded(
        name=f"{tag}+{family}",
        data=data.getvalue(),
        glyphs=glyphs,
        widths=widths,
        box=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),  # type: ignore[arg-type]
        ascent=round(os2.sTypoAscender * scale),
        descent=round(os2.sTypoDescender * scale),
        cap_height=round(getattr(os2, "sCapHeight", os2.sTypoAscender) * scale),
    )
