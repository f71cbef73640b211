"""Text for search: read from each accepted kind of file, stored on every new version."""

from __future__ import annotations

import io
import logging
import unicodedata
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter
from sqlmodel import Session, select

from meetings.documents import text
from meetings.documents.models import DocumentVersion
from tests.attendance.support import Scene, log_in, scene
from tests.client import Client
from tests.documents.support import docx, pdf, upload
from tests.factories import Factory

VIETNAMESE = "Tờ trình Chính phủ về dự thảo Nghị định quy định chi tiết Luật Đất đai"
ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
    "<text:h>Báo cáo</text:h>"
    '<text:p>Kết quả<text:s text:c="2"/>thực hiện <text:span>Nghị quyết</text:span> số 01'
    "<text:line-break/>năm 2026</text:p>"
    "</office:text></office:body></office:document-content>"
)
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", ODT_CONTENT)
    return buffer.getvalue()


def with_part(package: bytes, name: str, xml: str) -> bytes:
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(name, xml)
    return buffer.getvalue()


def blank_pdf() -> bytes:
    """A scan as far as text goes: a page with no text layer."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# -- each kind ---------------------------------------------------------------------------------


def test_pdf_text_is_read_from_every_page_with_form_feeds(tmp_path: Path) -> None:
    path = write(tmp_path, "a.pdf", pdf("Du thao Nghi dinh", pages=3))
    pages = text.extract(path, "pdf").split("\f")
    assert [page.strip() for page in pages] == [f"Du thao Nghi dinh {n}" for n in (1, 2, 3)]


def test_docx_vietnamese_text_is_kept_intact_and_composed(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", VIETNAMESE)
    path = write(tmp_path, "a.docx", docx(decomposed))
    extracted = text.extract(path, "docx")
    assert extracted == VIETNAMESE
    assert unicodedata.is_normalized("NFC", extracted)


def test_docx_headers_and_footers_follow_the_body(tmp_path: Path) -> None:
    header = f'<w:hdr xmlns:w="{WORD}"><w:p><w:r><w:t>BỘ TƯ PHÁP</w:t></w:r></w:p></w:hdr>'
    footer = f'<w:ftr xmlns:w="{WORD}"><w:p><w:r><w:t>Trang</w:t></w:r></w:p></w:ftr>'
    package = with_part(
        with_part(docx("Nội dung"), "word/header1.xml", header), "word/footer1.xml", footer
    )
    path = write(tmp_path, "a.docx", package)
    assert text.extract(path, "docx").split("\n") == ["Nội dung", "BỘ TƯ PHÁP", "Trang"]


def test_docx_xml_is_read_only_up_to_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paragraphs = "</w:t></w:r></w:p><w:p><w:r><w:t>".join(f"Đoạn {n}" for n in range(5000))
    path = write(tmp_path, "a.docx", docx(paragraphs))
    monkeypatch.setattr(text, "MAX_XML_BYTES", 10_000)
    extracted = text.extract(path, "docx")
    assert extracted.startswith("Đoạn 0\nĐoạn 1\n")
    assert "Đoạn 4999" not in extracted


def test_odt_paragraphs_and_headings_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "a.odt", odt())
    assert text.extract(path, "odt") == "Báo cáo\nKết quả  thực hiện Nghị quyết số 01\nnăm 2026"


def test_plain_text_loses_its_byte_order_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "\ufeffThông báo kết luận".encode())
    assert text.extract(path, "text") == "Thông báo kết luận"


def test_stored_text_stops_at_two_million_characters(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"a" * (text.MAX_CHARS + 100))
    assert len(text.extract(path, "text")) == text.MAX_CHARS


def test_a_pdf_without_a_text_layer_gives_no_text(tmp_path: Path) -> None:
    assert text.extract(write(tmp_path, "scan.pdf", blank_pdf()), "pdf") == ""


def test_kinds_without_text_give_none(tmp_path: Path) -> None:
    assert text.extract(write(tmp_path, "a.png", b"\x89PNG\r\n\x1a\n"), "png") == ""


def test_an_odd_file_is_logged_and_gives_no_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path, "a.docx", docx("<không đóng"))
    with caplog.at_level(logging.WARNING, logger="meetings.documents"):
        assert text.extract(path, "docx") == ""
    assert "No text could be read from a docx file" in caplog.text


# -- stored on upload --------------------------------------------------------------------------


@pytest.fixture
def s(factory: Factory, db: Session, client: Client) -> Scene:
    made = scene(factory, db, members=1)
    log_in(client, made.secretary)
    return made


def uploaded_version(
    client: Client, db: Session, s: Scene, content: bytes, name: str
) -> DocumentVersion:
    response = upload(client, s.url("/documents/upload"), content, name)
    assert response.status_code == 201, response.text
    db.expire_all()
    document_id = response.json()["document_id"]
    return db.exec(select(DocumentVersion).where(DocumentVersion.document_id == document_id)).one()


def test_an_upload_stores_the_text_on_its_version(client: Client, db: Session, s: Scene) -> None:
    version = uploaded_version(client, db, s, docx(VIETNAMESE), "Tờ trình.docx")
    assert version.text == VIETNAMESE


def test_a_scanned_pdf_is_stored_without_text(client: Client, db: Session, s: Scene) -> None:
    version = uploaded_version(client, db, s, blank_pdf(), "scan.pdf")
    assert (version.text, version.has_text, version.pages) == ("", False, 1)
