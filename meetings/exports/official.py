"""An official document in the layout of Decree 30/2020/ND-CP, as data both renderers share.

The decree's fixed forms (the national heading and motto, "Số:", the place and date line,
"Nơi nhận:", "Lưu: VT", the TM./KT./TL. signing forms) belong to the document's language, not
to the reader's: they are a legal form, so they live here as data rather than in the message
catalogue, where a translator could reword the national heading. Everything else in a
document (title, body, recipients, signer) arrives already written by its builder.

The layout numbers (A4, margins, sizes) come from Appendix I of the decree: margins top and
bottom 20-25 mm, left 30-35 mm, right 15-20 mm; Times New Roman; the national heading 12-13 pt
bold capitals, the motto 13-14 pt bold with a full-length rule under it; the issuing body
12-13 pt bold capitals with a rule of a third to a half of its width; the number 13 pt; the
place and date 13-14 pt italic; the kind 13-14 pt bold capitals and the title 14 pt bold
with a short rule; the body 13-14 pt justified; "Nơi nhận:" 12 pt bold italic and its lines
11 pt; the signer's capacity, position and name 13-14 pt bold; page numbers from page 2,
centred at the top.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

from babel.dates import format_date

from meetings.text import nfc

Language = Literal["vi", "en"]

FONT = "Times New Roman"
# Millimetres: within the decree's ranges, as the Government Office's templates set them.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
HEADER_SPLIT = 0.4  # the issuing body's column; the national heading takes the rest
AUTHORITY_CHARS = 24  # about as many bold 12 pt capitals as fit on a line of that column
SIZES = {
    "national": 12,
    "motto": 13,
    "authority": 12,
    "number": 13,
    "date": 13,
    "kind": 14,
    "title": 14,
    "body": 14,
    "table": 13,
    "recipients_heading": 12,
    "recipients": 11,
    "signature": 14,
    "page_number": 13,
}


@dataclass(frozen=True)
class Forms:
    """The decree's fixed wording in one language."""

    national: str
    motto: str
    number: str
    recipients: str
    archive: str
    capacities: dict[str, str]


FORMS: dict[str, Forms] = {
    "vi": Forms(
        national="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        motto="Độc lập - Tự do - Hạnh phúc",
        number="Số:",
        recipients="Nơi nhận:",
        archive="Lưu: VT",
        capacities={
            "TM": "TM. {of}",
            "KT": "KT. {of}",
            "TL": "TL. {of}",
            "TUQ": "TUQ. {of}",
            "Q": "Q. {of}",
        },
    ),
    "en": Forms(
        national="SOCIALIST REPUBLIC OF VIET NAM",
        motto="Independence - Freedom - Happiness",
        number="No.:",
        recipients="Recipients:",
        archive="Archived: VT",
        capacities={
            "TM": "ON BEHALF OF {of}",
            "KT": "FOR {of}",
            "TL": "BY ORDER OF {of}",
            "TUQ": "BY AUTHORISATION OF {of}",
            "Q": "ACTING {of}",
        },
    ),
}


class Kind(StrEnum):
    """The kinds of administrative document e-Cabinet issues (Appendix III of the decree)."""

    report = "report"
    minutes = "minutes"
    notice = "notice"
    resolution = "resolution"
    decision = "decision"


KINDS: dict[Kind, tuple[str, str, str]] = {  # Vietnamese, English, the symbol's abbreviation
    Kind.report: ("BÁO CÁO", "REPORT", "BC"),
    Kind.minutes: ("BIÊN BẢN", "MINUTES", "BB"),
    Kind.notice: ("THÔNG BÁO", "NOTICE", "TB"),
    Kind.resolution: ("NGHỊ QUYẾT", "RESOLUTION", "NQ"),
    Kind.decision: ("QUYẾT ĐỊNH", "DECISION", "QĐ"),
}

# -- body blocks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A section heading inside the body ("I. KẾT QUẢ", "1. Tán thành"); level 1 to 3."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A justified paragraph with a first-line indent; `lead` is set in bold before the text."""

    text: str
    lead: str = ""
    italic: bool = False


@dataclass(frozen=True)
class Bullets:
    """A list, one "- item" line each, in the Vietnamese administrative style."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A simple ruled table; `align` per column: "left", "center" or "right"."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...] = ()
    widths: tuple[float, ...] = ()  # shares of the text width; equal when empty

    def alignment(self, column: int) -> str:
        return self.align[column] if column < len(self.align) else "left"

    def shares(self) -> tuple[float, ...]:
        count = len(self.header)
        return self.widths if len(self.widths) == count else (1 / count,) * count


Block = Heading | Paragraph | Bullets | Table

# -- the document ----------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    """Who signs: `capacity` TM/KT/TL/TUQ/Q ("" to sign in one's own name) for `on_behalf_of`
    (the collective body, or the head a deputy signs for), then the position and the name."""

    position: str
    name: str
    capacity: str = ""
    on_behalf_of: str = ""

    def lines(self, language: Language) -> list[str]:
        """The bold capitals above the space for the signature and seal."""
        if not self.capacity:
            return [upper(self.position)]
        form = FORMS[language].capacities[self.capacity]
        if self.capacity == "Q":
            return [form.format(of=upper(self.position))]
        return [form.format(of=upper(self.on_behalf_of)), upper(self.position)]


@dataclass(frozen=True)
class OfficialDocument:
    """Everything an official document shows, already in its language."""

    language: Language
    issuer: str  # the issuing body: "Chính phủ", "Ủy ban nhân dân tỉnh Bình An"
    kind: Kind
    title: str  # the summary line under the kind (trích yếu)
    place: str  # where the issuer sits: "Hà Nội", "Bình An"
    on: date
    parent: str = ""  # the authority directly above the issuer, if any
    number: str = ""  # empty: the clerk writes it in when the document is registered
    symbol: str = ""  # empty: the kind's and the issuer's abbreviations, "BC-CP"
    blocks: tuple[Block, ...] = ()
    recipients: tuple[str, ...] = ()
    signature: Signature | None = None
    witness: Signature | None = None  # a second signer on the left: the secretary of minutes
    author: str = field(default="", compare=False)  # for the file's properties only

    @property
    def forms(self) -> Forms:
        return FORMS[self.language]

    @property
    def kind_name(self) -> str:
        vietnamese, english, _abbreviation = KINDS[self.kind]
        return vietnamese if self.language == "vi" else english

    @property
    def authority_lines(self) -> tuple[list[str], list[str]]:
        """The parent authority's lines (none if it has no parent) and the issuing body's, in
        capitals, broken to fit their column."""
        return [upper(line) for line in broken(self.parent)], [
            upper(line) for line in broken(self.issuer)
        ]

    @property
    def number_line(self) -> str:
        symbol = self.symbol or f"{KINDS[self.kind][2]}-{abbreviation(self.issuer)}"
        return f"{self.forms.number} {self.number or BLANK_NUMBER}/{symbol}"

    @property
    def date_line(self) -> str:
        return date_line(self.place, self.on, self.language)

    @property
    def recipient_lines(self) -> list[str]:
        """Each recipient on a "- ...;" line, the archive last with a full stop."""
        lines = [f"- {name.rstrip(';.')};" for name in self.recipients]
        return [*lines, f"- {self.forms.archive}."]

    @property
    def file_title(self) -> str:
        return f"{self.kind_name} {self.title}".strip()


BLANK_NUMBER = "\u00a0" * 8  # room for the registration number, kept by every renderer

# -- helpers for builders and renderers ------------------------------------------------


def upper(text: str) -> str:
    """Capitals the Vietnamese way (NFC, so each letter keeps its one precomposed glyph)."""
    return nfc(text).upper()


def date_line(place: str, on: date, language: Language) -> str:
    """ "Hà Nội, ngày 05 tháng 3 năm 2026": days below 10 and January and February take a
    leading zero (the decree's rule); English: "Hanoi, 5 March 2026"."""
    if language == "en":
        return f"{ENGLISH_PLACES.get(place, place)}, {format_date(on, 'd MMMM y', locale='en')}"
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


ENGLISH_PLACES = {"Hà Nội": "Hanoi", "Thành phố Hồ Chí Minh": "Ho Chi Minh City"}
STATE_NAME = " nước Cộng hòa xã hội chủ nghĩa Việt Nam"
# Words that begin the name of a place within an authority's name ("... tỉnh Bình An").
PLACE_WORDS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")
CAPITAL = "Hà Nội"  # where central bodies sit
JOINING_WORDS = {"-", "–", "và"}  # left out of a symbol: "Bộ Kế hoạch và Đầu tư" -> "BKHĐT"


def authority(organisation: str, body: str) -> tuple[str, str]:
    """(parent, issuer) for a body of an organisation. A body named like its organisation is
    the organisation itself: one line, the fuller name ("Ủy ban nhân dân tỉnh" of "Ủy ban
    nhân dân tỉnh Bình An"), without the state's name the national heading already gives."""
    organisation = nfc(organisation).removesuffix(STATE_NAME).strip()
    body = nfc(body).strip()
    if organisation.casefold().startswith(body.casefold()):
        return "", organisation
    if body.casefold().startswith(organisation.casefold()):
        return "", body
    return organisation, body


def _place_at(words: list[str]) -> tuple[int, int] | None:
    """Where a place's name starts in an authority's name: (the place word's index, its
    length), for a place word followed by a proper name ("tỉnh Bình An", not "Xã hội")."""
    for start in range(len(words)):
        for place_word in PLACE_WORDS:
            size = len(place_word.split())
            said = " ".join(words[start : start + size]).lower()
            following = words[start + size] if start + size < len(words) else ""
            if said == place_word and following[:1].isupper():
                return start, size
    return None


def place_of(*names: str) -> str:
    """Where an authority sits, read from the first of its names that holds a place ("...
    tỉnh Bình An" -> "Bình An", "... Thành phố Hồ Chí Minh" -> "Thành phố Hồ Chí Minh");
    central bodies sit in Hà Nội."""
    for name in names:
        words = nfc(name).split()
        found = _place_at(words)
        if found is not None:
            start, size = found
            place = " ".join(words[start + size :])
            return "Thành phố Hồ Chí Minh" if place == "Hồ Chí Minh" else place
    return CAPITAL


def broken(name: str, limit: int = AUTHORITY_CHARS) -> list[str]:
    """An authority's name in lines of at most about `limit` letters, broken before a place
    where one follows ("Ủy ban nhân dân" / "tỉnh Bình An"), else between words."""
    words = nfc(name).split()
    if len(" ".join(words)) <= limit:
        return [" ".join(words)] if words else []
    place = _place_at(words[1:])
    split = place[0] + 1 if place else 0
    if not place or len(" ".join(words[:split])) > limit:
        split = 1
        while split < len(words) and len(" ".join(words[: split + 1])) <= limit:
            split += 1
    return [" ".join(words[:split]), *broken(" ".join(words[split:]), limit)]


def without_place(name: str) -> str:
    """An authority's name without its place, as a signature gives it ("TM. ỦY BAN NHÂN
    DÂN" for the People's Committee of a province)."""
    words = nfc(name).split()
    found = _place_at(words)
    return " ".join(words[: found[0]]) if found and found[0] > 0 else " ".join(words)


def abbreviation(issuer: str) -> str:
    """The issuer's part of a symbol: initials up to the place ("Ủy ban nhân dân tỉnh Bình
    An" -> "UBND", "Chính phủ" -> "CP", "Bộ Kế hoạch và Đầu tư" -> "BKHĐT")."""
    words = nfc(issuer).split()
    found = _place_at(words)
    named = words[: found[0]] if found else words
    return "".join(_initial(word) for word in named if word not in JOINING_WORDS)


def _initial(word: str) -> str:
    """A word's capital initial; a number stays whole ("Hội đồng 12" -> "HĐ12")."""
    return word if word.isdigit() else _bare(word[0]).upper()


def _bare(letter: str) -> str:
    """A letter without its tone and vowel marks; Đ stays Đ, as symbols write it."""
    if letter in "đĐ":
        return letter
    return unicodedata.normalize("NFD", letter)[0]
