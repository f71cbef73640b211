"""Upload safety checks: what a file really is, decided from its bytes, and the name it shows."""

from __future__ import annotations

import codecs
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote
from xml.parsers import expat

import filetype
import olefile
from pypdf import PdfReader

from meetings.errors import Refusal
from meetings.i18n import N_, _, number
from meetings.storage.blobs import Received
from meetings.text import nfc

FIELD = "file"
HEADER_BYTES = 8192
CHUNK_BYTES = 1 << 20
MAX_MEMBERS = 10_000
MAX_DIRECTORY_BYTES = 4 << 20  # the central directory zipfile loads: ~400 bytes a member
MAX_RATIO = 100
RATIO_FLOOR = 10_000_000  # small parts (XML, fonts) compress far better than 100:1
MAX_SMALL_PART = 1 << 20  # [Content_Types].xml, mimetype, manifest.xml
TEXT_PAGES = 3
NAME_LIMIT = 200

ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office embeds Office files (a chart's .xlsx in a .docx): those are allowed.
ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z", ".tar", ".gz", ".bz2", ".xz", ".cab")
MACRO_MARKERS = ("macroenabled", "vbaproject", "macrosheet")
ODF_SCRIPT_FOLDERS = ("Basic/", "Scripts/")

# What the person uploading is told: what is wrong, then what to do.
ACCEPTED = N_(
    "Accepted files are PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument "
    "text and spreadsheets (ODT, ODS), PNG and JPEG images, and plain text saved as UTF-8."
)
NOT_ACCEPTED = N_("This type of file is not accepted.")
TYPE_NOT_ACCEPTED = N_("Files of type %(type)s are not accepted.")
OLD_BINARY = N_("Files in this older binary format (such as .doc, .xls or .msg) are not accepted.")
EMPTY = N_("The file is empty (0 bytes). Choose the file again and check that it opens.")
WRONG_EXTENSION = N_(
    "The file name ends in .%(extension)s, but the file itself is of another type "
    "(%(kind)s). Rename the file or choose the right one."
)
NOT_UTF8 = N_(
    "The text file is not saved as UTF-8. Open it in a text editor, save it with the UTF-8 "
    "encoding, and upload it again."
)
DAMAGED = N_(
    "The document is damaged or incomplete and cannot be opened. Save it again from the "
    "program that made it and upload the new copy."
)
DAMAGED_PDF = N_(
    "The PDF is damaged or incomplete and cannot be opened. Upload it again, or save it "
    "again from the program that made it."
)
NO_PAGES = N_("The PDF has no pages. Check the file and upload it again.")
PASSWORD = N_(
    "The document is password-protected, so it cannot be checked or shown to members. "
    "Save a copy without the password and upload that."
)
MACROS = N_(
    "The document contains macros, which are not accepted because they can run programs. "
    "Save it as an ordinary DOCX, XLSX or PPTX (or ODT, ODS) without macros."
)
TOO_BIG_UNPACKED = N_(
    "The document would unpack to more than %(limit)s MB, far more than a normal document. "
    "Save it again from the program that made it, or split it."
)
OVERCOMPRESSED = N_(
    "The document contains a part that is compressed more than 100 times, which is how "
    "harmful files behave. Save it again from the program that made it and upload the new copy."
)
TOO_MANY_PARTS = N_(
    "The document is made of more than %(count)s parts, more than any normal document. "
    "Save it again from the program that made it."
)
NESTED_ARCHIVE = N_(
    "The document contains another archive (%(name)s). Remove it from the document and "
    "upload it again."
)
LEGACY_STREAMS = {  # the main stream of a legacy Office file, and the advice for it
    "worddocument": N_(
        "This is an old Word document (.doc). Open it in Word or LibreOffice, save it as "
        "DOCX, and upload the new file."
    ),
    "workbook": N_(
        "This is an old Excel workbook (.xls). Open it in Excel or LibreOffice, save it as "
        "XLSX, and upload the new file."
    ),
    "powerpoint document": N_(
        "This is an old PowerPoint file (.ppt). Open it in PowerPoint or LibreOffice, save "
        "it as PPTX, and upload the new file."
    ),
}


@dataclass(frozen=True)
class _Kind:
    name: str
    media_type: str
    extensions: tuple[str, ...]  # the first is the one files are stored with
    label: str


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
KINDS = {
    kind.name: kind
    for kind in (
        _Kind("pdf", "application/pdf", ("pdf",), N_("PDF document")),
        _Kind("docx", _OOXML + "wordprocessingml.document", ("docx",), N_("Word document")),
        _Kind("xlsx", _OOXML + "spreadsheetml.sheet", ("xlsx",), N_("Excel workbook")),
        _Kind("pptx", _OOXML + "presentationml.presentation", ("pptx",), N_("PowerPoint file")),
        _Kind("odt", _ODF + "text", ("odt",), N_("OpenDocument text")),
        _Kind("ods", _ODF + "spreadsheet", ("ods",), N_("OpenDocument spreadsheet")),
        _Kind("png", "image/png", ("png",), N_("PNG image")),
        _Kind("jpeg", "image/jpeg", ("jpg", "jpeg"), N_("JPEG image")),
        _Kind("text", "text/plain", ("txt",), N_("plain-text file")),
    )
}
OOXML_MAIN_PARTS = {
    _OOXML + "wordprocessingml.document.main+xml": "docx",
    _OOXML + "spreadsheetml.sheet.main+xml": "xlsx",
    _OOXML + "presentationml.presentation.main+xml": "pptx",
}
ODF_MIMETYPES = {_ODF + "text": "odt", _ODF + "spreadsheet": "ods"}
IMAGES = {"image/png": "png", "image/apng": "png", "image/jpeg": "jpeg"}  # APNG is a PNG


@dataclass(frozen=True)
class Inspected:
    """What an uploaded file is, read from its bytes; `extension` has no dot."""

    kind: str
    media_type: str
    extension: str
    display_name: str
    pages: int | None = None
    has_text: bool | None = None


@dataclass(frozen=True)
class Checked:
    """An uploaded file, received into the store's temporary folder and read from its bytes."""

    received: Received
    inspected: Inspected


def inspect(path: Path, filename: str, *, max_unpacked: int = 1_000_000_000) -> Inspected:
    """What the file on disk is, or a Refusal (415 or 422) that says what is wrong."""
    if path.stat().st_size == 0:
        raise _refuse(EMPTY)
    with path.open("rb") as handle:
        header = handle.read(HEADER_BYTES)
    name, pages, has_text = _identify(path, header, max_unpacked)
    kind = KINDS[name]
    display_name = _name_for(filename, kind)
    return Inspected(kind.name, kind.media_type, kind.extensions[0], display_name, pages, has_text)


def _identify(path: Path, header: bytes, max_unpacked: int) -> tuple[str, int | None, bool | None]:
    if header.startswith(ZIP_MAGIC):
        return _package_kind(path, max_unpacked), None, None
    if header.startswith(CFB_MAGIC):
        raise _compound_refusal(path)
    guess = filetype.guess(header)
    mime = guess.mime if guess else ""
    if mime == "application/pdf":
        return "pdf", *_pdf_facts(path)
    if mime in IMAGES:
        return IMAGES[mime], None, None
    _check_text(path, header, guess.extension.upper() if guess else "")
    return "text", None, None


def _refuse(message: str, status: int = 422, **values: object) -> Refusal:
    return Refusal(_(message, **values), FIELD, status)


def _not_accepted(first: str = NOT_ACCEPTED, **values: object) -> Refusal:
    """415: what is not accepted, then what is."""
    return Refusal(f"{_(first, **values)} {_(ACCEPTED)}", FIELD, 415)


def _tail(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - size))
        return handle.read()


# Plain text ----------------------------------------------------------------------------


def _check_text(path: Path, header: bytes, detected: str) -> None:
    """Plain UTF-8 text (a BOM is fine) with no NUL byte, streamed to the end."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                if b"\x00" in chunk:
                    raise _text_refusal(header, detected)
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise _text_refusal(header, detected) from error


def _text_refusal(header: bytes, detected: str) -> Refusal:
    if detected:
        return _not_accepted(TYPE_NOT_ACCEPTED, type=detected)
    return _refuse(NOT_UTF8, 415) if _looks_like_text(header) else _not_accepted()


def _looks_like_text(header: bytes) -> bool:
    """Text in another encoding (UTF-16, Windows-1258, TCVN3) rather than binary data."""
    if header.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(byte < 32 and byte not in b"\t\n\r\f" for byte in header)
    return controls * 100 <= len(header)


# PDF -----------------------------------------------------------------------------------


def _pdf_facts(path: Path) -> tuple[int, bool]:
    """Page count and whether the first pages have text, for a PDF that opens."""
    if b"%%EOF" not in _tail(path, 1024):
        raise _refuse(DAMAGED_PDF)
    with path.open("rb") as handle:  # a file, not a path: pypdf reads a path whole
        reader, encrypted, pages = _open_pdf(handle)
        if encrypted:
            raise _refuse(PASSWORD)
        if pages == 0:
            raise _refuse(NO_PAGES)
        return pages, any(_page_has_text(reader, n) for n in range(min(pages, TEXT_PAGES)))


def _open_pdf(handle: BinaryIO) -> tuple[PdfReader, bool, int]:
    try:
        reader = PdfReader(handle)
        encrypted = reader.is_encrypted
        return reader, encrypted, 0 if encrypted else len(reader.pages)
    except Exception as error:  # pypdf meets a broken file with almost any exception type
        raise _refuse(DAMAGED_PDF) from error


def _page_has_text(reader: PdfReader, n: int) -> bool:
    try:
        return bool(reader.pages[n].extract_text().strip())
    except Exception:  # text is a hint for the reader view; a page that fails has none
        return False


# Office Open XML and OpenDocument (zip packages) ---------------------------------------

_BROKEN_ZIP = (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError)


def _package_kind(path: Path, max_unpacked: int) -> str:
    members, directory = _zip_directory(path)
    if members > MAX_MEMBERS:
        raise _refuse(TOO_MANY_PARTS, count=number(MAX_MEMBERS))
    if directory > MAX_DIRECTORY_BYTES:
        raise _refuse(DAMAGED)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_members(archive.infolist(), max_unpacked)
            return _office_kind(archive)
    except Refusal:
        raise
    except (*_BROKEN_ZIP, expat.ExpatError) as error:
        raise _refuse(DAMAGED) from error


def _zip_directory(path: Path) -> tuple[int, int]:
    """(members, central-directory bytes) from the end records, before zipfile loads them."""
    tail = _tail(path, 22 + 0xFFFF + 20 + 56)  # end record, longest comment, zip64 records
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        raise _refuse(DAMAGED)
    members, directory = struct.unpack_from("<10xHL", tail, end)
    zip64 = end - 20 - 56  # where zipfile looks for the zip64 end record
    if zip64 >= 0 and tail[end - 20 : end - 16] == b"PK\x06\x07":
        if tail[zip64 : zip64 + 4] != b"PK\x06\x06":
            raise _refuse(DAMAGED)
        members, directory = struct.unpack_from("<32xQQ", tail, zip64)
    return members, directory


def _check_members(members: list[zipfile.ZipInfo], max_unpacked: int) -> None:
    """Zip bombs, nested archives and VBA, by what the archive declares (never unpacking)."""
    if len(members) > MAX_MEMBERS:
        raise _refuse(TOO_MANY_PARTS, count=number(MAX_MEMBERS))
    if sum(member.file_size for member in members) > max_unpacked:
        raise _refuse(TOO_BIG_UNPACKED, limit=number(round(max_unpacked / 1_000_000, 3)))
    for member in members:
        name = member.filename.rsplit("/", 1)[-1].lower()
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * member.compress_size:
            raise _refuse(OVERCOMPRESSED)
        if name.endswith(ARCHIVE_SUFFIXES):
            raise _refuse(NESTED_ARCHIVE, name=member.filename.rsplit("/", 1)[-1])
        if name == "vbaproject.bin":
            raise _refuse(MACROS, 415)


def _office_kind(archive: zipfile.ZipFile) -> str:
    members = {member.filename.lower(): member for member in archive.infolist()}
    if "[content_types].xml" in members:
        return _ooxml_kind(archive, members["[content_types].xml"])
    if "mimetype" in members:
        return _odf_kind(archive, members)
    raise _not_accepted(TYPE_NOT_ACCEPTED, type="ZIP")


def _ooxml_kind(archive: zipfile.ZipFile, content_types: zipfile.ZipInfo) -> str:
    """DOCX, XLSX or PPTX from the content type of the package's main part."""
    types = {
        attributes["ContentType"].lower()
        for _tag, attributes in _xml_elements(_small_part(archive, content_types))
        if "ContentType" in attributes
    }
    if any(marker in kind for kind in types for marker in MACRO_MARKERS):
        raise _refuse(MACROS, 415)
    kinds = {OOXML_MAIN_PARTS[kind] for kind in types if kind in OOXML_MAIN_PARTS}
    if len(kinds) != 1:
        raise _not_accepted()
    return kinds.pop()


def _odf_kind(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> str:
    """ODT or ODS from the `mimetype` member; Basic and script folders are macros."""
    mimetype = _small_part(archive, members["mimetype"]).decode("ascii", "replace").strip()
    if any(member.filename.startswith(ODF_SCRIPT_FOLDERS) for member in members.values()):
        raise _refuse(MACROS, 415)
    manifest = members.get("meta-inf/manifest.xml")
    if manifest and any(
        tag.endswith(" encryption-data")
        for tag, _attributes in _xml_elements(_small_part(archive, manifest))
    ):
        raise _refuse(PASSWORD)
    if mimetype not in ODF_MIMETYPES:
        raise _not_accepted()
    return ODF_MIMETYPES[mimetype]


def _small_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    if member.flag_bits & 0x1:  # zip encryption
        raise _refuse(PASSWORD)
    if member.file_size > MAX_SMALL_PART:
        raise _refuse(DAMAGED)
    with archive.open(member) as part:
        return part.read(MAX_SMALL_PART)


def _xml_elements(data: bytes) -> list[tuple[str, dict[str, str]]]:
    """(namespace and tag, attributes) of each element; packages may not carry a DTD."""
    elements: list[tuple[str, dict[str, str]]] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = lambda tag, attributes: elements.append((tag, attributes))
    parser.StartDoctypeDeclHandler = _refuse_doctype  # no DTD: no entities to expand
    parser.Parse(data, True)
    return elements


def _refuse_doctype(*_declaration: object) -> None:
    raise _refuse(DAMAGED)


# Compound (OLE) files: legacy Office, and Office files saved with a password -----------


def _compound_refusal(path: Path) -> Refusal:
    try:
        with olefile.OleFileIO(path) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir()}
    except Exception:  # olefile meets a broken file with almost any exception type
        return _refuse(DAMAGED)
    if "encryptedpackage" in streams:  # how Office stores a DOCX/XLSX/PPTX with a password
        return _refuse(PASSWORD)
    if "book" in streams:  # Excel 5 and 95
        streams.add("workbook")
    advice = next((LEGACY_STREAMS[name] for name in LEGACY_STREAMS if name in streams), "")
    return _refuse(advice, 415) if advice else _not_accepted(OLD_BINARY)


# Names ---------------------------------------------------------------------------------

# A dot and 1-8 ASCII letters or digits with at least one letter: "ngày 1.2.2024" has none.
_EXTENSION = re.compile(r"\.((?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,8})$")
_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn"}  # controls, bidi and zero-width marks, unassigned


def _name_for(filename: str, kind: _Kind) -> str:
    """The display name, given the stored extension if it had none; a wrong one is refused."""
    display = clean_name(filename)
    extension = _split(display)[1]
    if not extension:
        return clean_name(f"{display}.{kind.extensions[0]}")
    if extension.lower() not in kind.extensions:
        raise _refuse(WRONG_EXTENSION, extension=extension, kind=_(kind.label))
    return display


def _split(name: str) -> tuple[str, str]:
    match = _EXTENSION.search(name)
    return (name[: match.start()], match[1]) if match else (name, "")


def clean_name(filename: str) -> str:
    """A name to show and to offer for download (never a path on disk): "Tờ trình số 12.pdf"."""
    spaced = re.sub(r"\s", " ", filename)
    visible = "".join(ch for ch in spaced if unicodedata.category(ch) not in _HIDDEN)
    name = re.sub(" +", " ", nfc(re.split(r"[/\\]", visible)[-1])).strip()
    stem, extension = _split(name)
    room = NAME_LIMIT - (len(extension) + 1 if extension else 0)
    stem = stem.strip(" .")[:room].rstrip(" .") or "document"
    return f"{stem}.{extension}" if extension else stem


def content_disposition(display_name: str, inline: bool = False) -> str:
    """An RFC 6266 header: an ASCII filename for old clients and the exact UTF-8 filename*."""
    disposition = "inline" if inline else "attachment"
    fallback = _ascii_name(display_name).replace("\\", "\\\\").replace('"', '\\"')
    encoded = quote(nfc(display_name), safe="")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def _ascii_name(name: str) -> str:
    """Diacritics folded ("Tờ trình đề án" -> "To trinh de an"), other non-ASCII to "_"."""
    decomposed = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    letters = (ch for ch in decomposed if not unicodedata.combining(ch))
    # "%" too: some clients percent-decode the plain filename (RFC 6266, appendix D).
    folded = "".join(ch if " " <= ch <= "~" and ch != "%" else "_" for ch in letters)
    return folded.strip() or "document"
