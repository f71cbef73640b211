"""Upload checks: the type comes from the bytes, harmful or unreadable files are refused."""

from __future__ import annotations

import codecs
import io
import struct
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from email.message import Message
from email.utils import collapse_rfc2231_value
from pathlib import Path

import pytest
from pypdf import PdfWriter

from meetings import i18n
from meetings.documents.validation import clean_name, content_disposition, inspect
from meetings.errors import Refusal

OOXML = "application/vnd.openxmlformats-officedocument."
DOCX_MAIN = OOXML + "wordprocessingml.document.main+xml"
XLSX_MAIN = OOXML + "spreadsheetml.sheet.main+xml"
PPTX_MAIN = OOXML + "presentationml.presentation.main+xml"
ODF = "application/vnd.oasis.opendocument."
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
Parts = dict[str, str | bytes]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.set_locale("en")
    yield
    i18n.set_locale("vi")


def saved(tmp_path: Path, data: bytes, name: str = "upload.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path: Path, filename: str, **options: int) -> Refusal:
    with pytest.raises(Refusal) as caught:
        inspect(path, filename, **options)
    assert caught.value.field == "file"
    return caught.value


# Builders: real files, made here ---------------------------------------------------------


def blank_pdf(pages: int = 1, password: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def text_pdf(text: str) -> bytes:
    """A one-page PDF written by hand: a Helvetica text object, a correct xref table."""
    content = b"BT /F1 24 Tf 72 720 Td (%s) Tj ET" % text.encode("ascii")
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(pdf)


def package(parts: Parts) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(main_type: str, main_part: str, extra: Parts | None = None) -> bytes:
    """A minimal Office Open XML package: content types, package relationships, main part."""
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/officeDocument" Target="{main_part}"/></Relationships>'
    )
    main = '<?xml version="1.0" encoding="UTF-8"?><root>Tờ trình</root>'
    parts: Parts = {"[Content_Types].xml": types, "_rels/.rels": rels, main_part: main}
    return package(parts | (extra or {}))


def docx(extra: Parts | None = None) -> bytes:
    return ooxml(DOCX_MAIN, "word/document.xml", extra)


def odf(mimetype: str, extra: Parts | None = None) -> bytes:
    """A minimal OpenDocument package: `mimetype` first and stored, then the content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def compound_file(*streams: str) -> bytes:
    """A minimal compound (OLE) file, CFB v3: header, one FAT sector, one directory sector."""
    end, free, fat, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = struct.pack(
        "<8s16s5H6s9I",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        bytes(16),
        0x3E,  # minor version
        3,  # major version: 512-byte sectors
        0xFFFE,  # little-endian
        9,
        6,
        bytes(6),
        0,  # directory sectors (always 0 in version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,
        4096,
        end,  # no mini FAT
        0,
        end,  # no DIFAT sectors
        0,
    ) + struct.pack("<109I", 0, *[free] * 108)
    table = struct.pack("<128I", fat, end, *[free] * 126)

    def entry(name: str, kind: int, child: int = none, right: int = none) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return struct.pack(
            "<64sHBBIII16sIQQIQ", raw, len(raw), kind, 1, none, right, child, bytes(16),
            0, 0, 0, end, 0,
        )  # fmt: skip

    entries = [entry("Root Entry", 5, child=1 if streams else none)]
    for n, name in enumerate(streams, 1):
        entries.append(entry(name, 2, right=n + 1 if n < len(streams) else none))
    directory = b"".join(entries).ljust(512, b"\x00")
    return header + table + directory


# PDF -------------------------------------------------------------------------------------


def test_pdf_with_text_gives_pages_and_text(tmp_path: Path) -> None:
    path = saved(tmp_path, text_pdf("Du thao Nghi dinh"))
    inspected = inspect(path, "Tờ trình số 12.pdf")
    assert inspected.kind == "pdf"
    assert inspected.media_type == "application/pdf"
    assert inspected.extension == "pdf"
    assert inspected.display_name == "Tờ trình số 12.pdf"
    assert (inspected.pages, inspected.has_text) == (1, True)


def test_scanned_pdf_without_text_counts_pages(tmp_path: Path) -> None:
    inspected = inspect(saved(tmp_path, blank_pdf(pages=4)), "Biên bản.PDF")
    assert (inspected.pages, inspected.has_text) == (4, False)
    assert inspected.display_name == "Biên bản.PDF"


def test_name_without_extension_gets_the_stored_one(tmp_path: Path) -> None:
    inspected = inspect(saved(tmp_path, blank_pdf()), "Tờ trình ngày 1.2.2024")
    assert inspected.display_name == "Tờ trình ngày 1.2.2024.pdf"


def test_uploaded_name_is_cleaned_for_display(tmp_path: Path) -> None:
    typed = unicodedata.normalize("NFD", "..\\..\\Tờ trình\u202e số 12.pdf")
    assert inspect(saved(tmp_path, blank_pdf()), typed).display_name == "Tờ trình số 12.pdf"


def test_encrypted_pdf_is_refused_as_password_protected(tmp_path: Path) -> None:
    path = saved(tmp_path, blank_pdf(password="mat-khau"))
    error = refusal(path, "bao-cao.pdf")
    assert error.status == 422
    assert "password-protected" in error.message


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda pdf: pdf[: len(pdf) // 2], id="cut-in-half"),
        pytest.param(lambda pdf: pdf[:-300] + b"\n%%EOF\n", id="cut-before-the-end"),
        pytest.param(lambda pdf: b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"%%EOF", id="garbage"),
    ],
)
def test_damaged_pdf_is_refused(tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    error = refusal(saved(tmp_path, damage(text_pdf("Nghi quyet"))), "nghi-quyet.pdf")
    assert error.status == 422
    assert "PDF is damaged or incomplete" in error.message


def test_pdf_without_pages_is_refused(tmp_path: Path) -> None:
    error = refusal(saved(tmp_path, blank_pdf(pages=0)), "trong.pdf")
    assert error.status == 422
    assert "no pages" in error.message


# Office Open XML and OpenDocument ---------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "kind"),
    [
        (docx(), "Dự thảo.docx", "docx"),
        (ooxml(XLSX_MAIN, "xl/workbook.xml"), "Số liệu.xlsx", "xlsx"),
        (ooxml(PPTX_MAIN, "ppt/presentation.xml"), "Trình chiếu.pptx", "pptx"),
        (odf(ODF + "text"), "Văn bản.odt", "odt"),
        (odf(ODF + "spreadsheet"), "Bảng tính.ods", "ods"),
    ],
)
def test_office_documents_are_known_by_their_content(
    tmp_path: Path, content: bytes, filename: str, kind: str
) -> None:
    inspected = inspect(saved(tmp_path, content), filename)
    assert (inspected.kind, inspected.extension, inspected.display_name) == (
        kind,
        kind,
        filename,
    )
    assert inspected.media_type.startswith("application/vnd.")
    assert (inspected.pages, inspected.has_text) == (None, None)


def test_office_file_with_an_embedded_workbook_is_accepted(tmp_path: Path) -> None:
    chart_data = ooxml(XLSX_MAIN, "xl/workbook.xml")
    content = docx({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": chart_data})
    assert inspect(saved(tmp_path, content), "Báo cáo.docx").kind == "docx"


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (ooxml("application/vnd.ms-word.document.macroEnabled.main+xml", "word/d.xml"), "a.docm"),
        (ooxml("application/vnd.ms-excel.sheet.macroEnabled.main+xml", "xl/w.xml"), "a.xlsm"),
        (
            ooxml("application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml", "p.xml"),
            "a.pptm",
        ),
        (docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "disguised.docx"),
        (odf(ODF + "text", {"Basic/Standard/Module1.xml": "<module/>"}), "a.odt"),
        (odf(ODF + "spreadsheet", {"Scripts/python/run.py": "import os"}), "a.ods"),
    ],
)
def test_office_files_with_macros_are_refused(
    tmp_path: Path, content: bytes, filename: str
) -> None:
    error = refusal(saved(tmp_path, content), filename)
    assert error.status == 415
    assert "contains macros" in error.message


def test_member_compressed_from_200_mb_of_zeros_is_refused_without_unpacking(
    tmp_path: Path,
) -> None:
    path = saved(tmp_path, b"", "bomb.docx")
    zeros = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/media/image1.png", "w") as member:
            for _ in range(200):
                member.write(zeros)
    assert path.stat().st_size < 2_000_000
    started = time.perf_counter()
    error = refusal(path, "bomb.docx")
    assert time.perf_counter() - started < 1
    assert error.status == 422
    assert "compressed more than 100 times" in error.message


def test_archive_that_unpacks_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = saved(tmp_path, docx({"word/media/photo.png": bytes(range(256)) * 40}))
    error = refusal(path, "lon.docx", max_unpacked=5_000)
    assert error.status == 422
    assert "would unpack to more than" in error.message


def test_archive_of_more_than_10000_members_is_refused(tmp_path: Path) -> None:
    path = saved(tmp_path, b"", "many.xlsx")
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(10_001):
            archive.writestr(f"xl/p{n}", b"")
    error = refusal(path, "many.xlsx")
    assert error.status == 422
    assert "more than 10,000 parts" in error.message


def test_archive_nested_inside_a_document_is_refused(tmp_path: Path) -> None:
    inner = package({"payload.txt": "x"})
    error = refusal(saved(tmp_path, docx({"word/media/more.zip": inner})), "a.docx")
    assert error.status == 422
    assert "contains another archive (more.zip)" in error.message


def test_content_types_with_a_dtd_are_refused(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Types>&b;</Types>'
    )
    error = refusal(saved(tmp_path, package({"[Content_Types].xml": laughs})), "a.docx")
    assert error.status == 422
    assert "damaged" in error.message


def test_broken_zip_is_refused_as_damaged(tmp_path: Path) -> None:
    error = refusal(saved(tmp_path, docx()[:200]), "cut.docx")
    assert error.status == 422
    assert "damaged or incomplete" in error.message


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (package({"a.txt": "x"}), "Files of type ZIP are not accepted."),
        (odf(ODF + "presentation"), "This type of file is not accepted."),
        (ooxml(OOXML + "wordprocessingml.template.main+xml", "w.xml"), "not accepted"),
    ],
)
def test_other_archives_are_refused_listing_what_is_accepted(
    tmp_path: Path, content: bytes, said: str
) -> None:
    error = refusal(saved(tmp_path, content), "file")
    assert error.status == 415
    assert said in error.message
    assert "Accepted files are PDF, Word (DOCX)" in error.message


def test_password_protected_opendocument_is_refused(tmp_path: Path) -> None:
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
        "</manifest:file-entry></manifest:manifest>"
    )
    content = odf(ODF + "text", {"META-INF/manifest.xml": manifest})
    error = refusal(saved(tmp_path, content), "mat.odt")
    assert error.status == 422
    assert "password-protected" in error.message


# Compound (OLE) files ---------------------------------------------------------------------


def test_encrypted_office_file_is_refused_as_password_protected(tmp_path: Path) -> None:
    content = compound_file("EncryptionInfo", "EncryptedPackage")
    error = refusal(saved(tmp_path, content), "Mật.docx")
    assert error.status == 422
    assert "password-protected" in error.message


@pytest.mark.parametrize(
    ("stream", "filename", "advice"),
    [
        ("WordDocument", "cu.doc", "save it as DOCX"),
        ("Workbook", "cu.xls", "save it as XLSX"),
        ("PowerPoint Document", "cu.ppt", "save it as PPTX"),
    ],
)
def test_legacy_office_files_ask_for_the_new_format(
    tmp_path: Path, stream: str, filename: str, advice: str
) -> None:
    error = refusal(saved(tmp_path, compound_file(stream, "\x05SummaryInformation")), filename)
    assert error.status == 415
    assert advice in error.message


def test_damaged_compound_file_is_refused(tmp_path: Path) -> None:
    error = refusal(saved(tmp_path, compound_file("WordDocument")[:700]), "cu.doc")
    assert error.status == 422
    assert "damaged or incomplete" in error.message


def test_other_compound_files_are_refused(tmp_path: Path) -> None:
    error = refusal(saved(tmp_path, compound_file("__substg1.0_0037001F")), "thu.msg")
    assert error.status == 415
    assert "older binary format" in error.message


# Images and text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "kind", "media_type", "extension"),
    [
        (PNG, "So do.png", "png", "image/png", "png"),
        (JPEG, "Ảnh.jpeg", "jpeg", "image/jpeg", "jpg"),
        (JPEG, "Ảnh.JPG", "jpeg", "image/jpeg", "jpg"),
    ],
)
def test_images_are_known_by_their_magic_numbers(
    tmp_path: Path, content: bytes, filename: str, kind: str, media_type: str, extension: str
) -> None:
    inspected = inspect(saved(tmp_path, content), filename)
    assert (inspected.kind, inspected.media_type, inspected.extension) == (
        kind,
        media_type,
        extension,
    )
    assert inspected.display_name == unicodedata.normalize("NFC", filename)


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_utf8_text_in_vietnamese_is_accepted(tmp_path: Path, bom: bytes) -> None:
    text = "Kính gửi: Thủ tướng Chính phủ.\nĐề nghị xem xét.\n" * 50_000  # streamed in chunks
    inspected = inspect(saved(tmp_path, bom + text.encode()), "ghi chu.txt")
    assert (inspected.kind, inspected.media_type, inspected.extension) == (
        "text",
        "text/plain",
        "txt",
    )


def test_text_starting_like_a_bitmap_is_still_text(tmp_path: Path) -> None:
    assert inspect(saved(tmp_path, b"BM: bien ban hop"), "bm.txt").kind == "text"


@pytest.mark.parametrize(
    "encoded",
    [
        "Café, résumé, naïve".encode("latin-1"),
        "Kính gư\u0309i Chính phu\u0309".encode("cp1258"),  # Windows-1258: tones combine
        "Tờ trình Chính phủ".encode("utf-16"),
    ],
)
def test_text_in_another_encoding_asks_for_utf8(tmp_path: Path, encoded: bytes) -> None:
    error = refusal(saved(tmp_path, encoded), "ghi chu.txt")
    assert error.status == 415
    assert "not saved as UTF-8" in error.message


def test_text_with_nul_bytes_is_refused(tmp_path: Path) -> None:
    error = refusal(saved(tmp_path, b"abc\x00\x01\x02\x03" * 8), "x.txt")
    assert error.status == 415
    assert "This type of file is not accepted" in error.message


def test_empty_file_is_refused(tmp_path: Path) -> None:
    error = refusal(saved(tmp_path, b""), "trong.pdf")
    assert error.status == 422
    assert "empty (0 bytes)" in error.message


def test_unknown_binary_is_refused_by_its_detected_type(tmp_path: Path) -> None:
    error = refusal(saved(tmp_path, b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "anh.gif")
    assert error.status == 415
    assert "Files of type GIF are not accepted." in error.message
    assert "PNG and JPEG images" in error.message


@pytest.mark.parametrize(
    ("content", "filename", "said"),
    [
        (PNG, "report.pdf", "ends in .pdf, but the file itself is of another type (PNG image)"),
        (blank_pdf(), "Tờ trình.docx", "ends in .docx, but the file itself is of another type"),
        (docx(), "cu.doc", "ends in .doc, but the file itself is of another type (Word document)"),
        (b"plain words", "notes.html", "ends in .html, but the file itself is of another type"),
    ],
)
def test_extension_that_disagrees_with_the_content_is_refused(
    tmp_path: Path, content: bytes, filename: str, said: str
) -> None:
    error = refusal(saved(tmp_path, content), filename)
    assert error.status == 422
    assert said in error.message


# Names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("C:\\\\x\\\\y.pdf", "y.pdf"),
        ("/home/lan/../Biên bản.docx", "Biên bản.docx"),
        ("bao\x00cao\x1b[31m.pdf", "baocao[31m.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("a\u200bb\u2066c\u2069.pdf", "abc.pdf"),
        ("  Tờ \t trình\n\nsố   12 .pdf ", "Tờ trình số 12.pdf"),
        ("", "document"),
        (".pdf", "document.pdf"),
        ("../", "document"),
        ("...", "document"),
        ("Quyết định ngày 1.2.2024", "Quyết định ngày 1.2.2024"),
    ],
)
def test_clean_name_keeps_a_safe_display_name(filename: str, shown: str) -> None:
    assert clean_name(filename) == shown


def test_clean_name_composes_vietnamese_typed_in_nfd() -> None:
    decomposed = unicodedata.normalize("NFD", "Tờ trình số 12.pdf")
    assert decomposed != "Tờ trình số 12.pdf"
    assert clean_name(decomposed) == "Tờ trình số 12.pdf"


def test_clean_name_limits_length_and_keeps_the_extension() -> None:
    shown = clean_name("Nghị quyết " * 40 + ".docx")
    assert shown == ("Nghị quyết " * 40)[:195] + ".docx"
    assert len(shown) == 200


# Content-Disposition ----------------------------------------------------------------------


def parsed(header: str) -> tuple[str, str, str]:
    """(disposition, plain filename, filename*) as a mail parser reads RFC 2231 parameters."""
    message = Message()
    message["Content-Disposition"] = header
    params = message.get_params(header="content-disposition")
    assert params is not None
    plain = next(value for key, value in params if key == "filename" and isinstance(value, str))
    extended = next(value for key, value in params if isinstance(value, tuple))
    return params[0][0], plain, collapse_rfc2231_value(extended)


def test_content_disposition_for_a_vietnamese_name() -> None:
    header = content_disposition("Tờ trình số 12 (Đề án).pdf")
    assert header == (
        'attachment; filename="To trinh so 12 (De an).pdf"; '
        "filename*=UTF-8''T%E1%BB%9D%20tr%C3%ACnh%20s%E1%BB%91%2012%20%28%C4%90%E1%BB%81%20"
        "%C3%A1n%29.pdf"
    )
    assert parsed(header) == (
        "attachment",
        "To trinh so 12 (De an).pdf",
        "Tờ trình số 12 (Đề án).pdf",
    )


def test_content_disposition_inline_escapes_quotes_and_keeps_the_header_on_one_line() -> None:
    header = content_disposition('Báo cáo "mật"\r\nX-Evil: 1 50%.pdf', inline=True)
    assert "\r" not in header and "\n" not in header
    disposition, plain, exact = parsed(header)
    assert disposition == "inline"
    assert 'filename="Bao cao \\"mat\\"__X-Evil: 1 50_.pdf"' in header
    assert plain == 'Bao cao "mat"__X-Evil: 1 50_.pdf'
    assert exact == 'Báo cáo "mật"\r\nX-Evil: 1 50%.pdf'
