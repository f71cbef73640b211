"""Real small files for document tests (PDF with pypdf, DOCX with zipfile) and a meeting scene."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from tests.client import Client

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
DOCX_BODY = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)


def pdf(text: str = "Du thao Nghi dinh", pages: int = 1, password: str = "") -> bytes:
    """A real PDF of `pages` pages, each with a line of text; encrypted if a password is given."""
    writer = PdfWriter()
    for n in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        line = f"{text} {n + 1}".encode("ascii", "replace").decode()
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 760 Td ({line}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def docx(text: str = "Tờ trình Chính phủ") -> bytes:
    """A minimal but valid Word document."""
    buffer = io.BytesIO()
    parts = {
        "[Content_Types].xml": DOCX_TYPES,
        "_rels/.rels": DOCX_RELS,
        "word/document.xml": DOCX_BODY.format(text=text),
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            # A fixed time stamp: the same text always gives the same bytes.
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def upload(
    client: Client,
    url: str,
    content: bytes,
    filename: str,
    *,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    csrf: bool = True,
) -> Any:
    """Send one file the way documents.js does: the raw bytes, the name in X-File-Name."""
    sent = {
        "Content-Type": "application/octet-stream",
        "X-File-Name": quote(filename),
        "Accept": "application/json",
        **({"X-CSRF-Token": client.csrf()} if csrf else {}),
        **(headers or {}),
    }
    return client.post(url, content=content, params=params or {}, headers=sent)


def files_under(folder: Path) -> set[Path]:
    """Every file below a folder (to see what an upload left behind)."""
    return {path for path in folder.rglob("*") if path.is_file()}
