"""Confidential PDFs reach each reader stamped with their name, unit and the time, page by page."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject
from sqlmodel import Session

from meetings.documents import actions, stamp_font
from meetings.documents.models import Document
from meetings.documents.stamp import folded, stamped
from meetings.organisations.models import Organisation
from meetings.storage.blobs import LocalBlobStore
from tests.client import Client
from tests.documents.support import docx, pdf
from tests.documents.test_downloads import ACTOR, Scene, as_, make_scene, upload, url
from tests.factories import Factory

NOW = datetime(2026, 11, 22, 7, 5, 30, tzinfo=UTC)  # 14:05 in Hà Nội
SHOWN_TIME = "14:05, 22/11/2026"
LINE = "Nguyễn Văn An · Thủ tướng Chính phủ · 14:05, 22/11/2026 · MẬT"


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# -- the stamp on its own ------------------------------------------------------------


def test_every_page_carries_the_lines_as_written(tmp_path: Path) -> None:
    source = tmp_path / "source.pdf"
    source.write_bytes(pdf("Trang", pages=3))
    before = sha(source.read_bytes())
    copy = stamped(source, tmp_path, [LINE])
    texts = page_texts(copy.read_bytes())
    assert len(texts) == 3
    for n, text in enumerate(texts, start=1):
        assert f"Trang {n}" in text
        assert LINE in text, "Vietnamese letters, in the embedded font"
    assert sha(source.read_bytes()) == before
    assert PdfReader(copy).metadata is not None
    assert PdfReader(copy).metadata["/Subject"] == LINE, "the Vietnamese original is kept"


def test_the_same_stamp_gives_the_same_bytes(tmp_path: Path) -> None:
    """So that the ranges of one reading, each stamped anew, fit together."""
    source = tmp_path / "source.pdf"
    source.write_bytes(pdf(pages=2))
    first, second = stamped(source, tmp_path, [LINE]), stamped(source, tmp_path, [LINE])
    assert first != second
    assert first.read_bytes() == second.read_bytes()


def test_stamps_made_at_other_minutes_have_the_same_layout(tmp_path: Path) -> None:
    """A range from a copy stamped a few minutes later still fits a reader's earlier copy."""
    source = tmp_path / "source.pdf"
    source.write_bytes(pdf(pages=2))
    early = stamped(source, tmp_path, [LINE]).read_bytes()
    late = stamped(source, tmp_path, [LINE.replace("14:05", "14:59")]).read_bytes()
    assert len(early) == len(late) and early != late
    assert PdfReader(io.BytesIO(early[:1000] + late[1000:])).pages[1].extract_text()


def test_folding_keeps_capitals_and_drops_marks() -> None:
    assert folded("Đặng Thị Ưng · Bộ Tư pháp · MẬT") == "Dang Thi Ung · Bo Tu phap · MAT"


def test_the_font_is_embedded_cut_down_to_the_stamp(tmp_path: Path) -> None:
    source = tmp_path / "source.pdf"
    source.write_bytes(pdf(pages=1))
    copy = stamped(source, tmp_path, [LINE])
    fonts = PdfReader(copy).pages[0]["/Resources"]["/Font"]
    font = next(f.get_object() for name, f in fonts.items() if name == "/ECabinetStamp")
    assert font["/Subtype"] == "/Type0" and "+" in font["/BaseFont"]
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    embedded = descriptor["/FontFile2"].get_object().get_data()
    assert 1_000 < len(embedded) < 60_000, "a subset, not the whole font file"


def test_without_a_font_file_the_stamp_is_folded_to_ascii(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine without the fonts the set-up installs still stamps, in Helvetica."""
    monkeypatch.setattr(stamp_font, "FILES", (tmp_path / "missing.ttf",))
    stamp_font._cut.cache_clear()
    source = tmp_path / "source.pdf"
    source.write_bytes(pdf(pages=1))
    try:
        text = page_texts(stamped(source, tmp_path, [LINE]).read_bytes())[0]
    finally:
        stamp_font._cut.cache_clear()
    assert "Nguyen Van An · Thu tuong Chinh phu · 14:05, 22/11/2026 · MAT" in text


def test_a_rotated_page_has_its_footer_along_the_edge_shown_at_the_bottom(
    tmp_path: Path,
) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(pages=1))))
    writer.pages[0][NameObject("/Rotate")] = NumberObject(90)
    source = tmp_path / "rotated.pdf"
    with source.open("wb") as handle:
        writer.write(handle)
    origins: list[tuple[float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_font: object) -> None:
        if text.startswith("Nguyễn") and cm[0] == 0:  # the footer, not the diagonal
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            origins.append((x, y, cm[1]))

    PdfReader(stamped(source, tmp_path, [LINE])).pages[0].extract_text(visitor_text=visit)
    # Turned a quarter clockwise when shown, the page's right edge is the bottom one, and
    # the text runs up the page (+y) so that it reads left to right on screen.
    assert origins == [(pytest.approx(595 - 12), pytest.approx(12), 1)]


# -- served to readers ---------------------------------------------------------------


@pytest.fixture
def store(config) -> LocalBlobStore:  # type: ignore[no-untyped-def]
    return LocalBlobStore(Path(config.storage_dir))


@pytest.fixture
def scene(factory: Factory, db: Session, store: LocalBlobStore) -> Scene:
    """The scene of test_downloads, with a chair and a member whose names have marks."""
    found = make_scene(factory, db, store)
    for who, name in (("chair", "Nguyễn Văn An"), ("member", "Đặng Thị Ưng")):
        found.people[who].name = name
        db.add(found.people[who])
    db.commit()
    return found


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The time the stamps are made at; tests move it by changing clock[0]."""
    now = [NOW]
    monkeypatch.setattr("meetings.documents.downloads.utcnow", lambda: now[0])
    return now


def confidential(scene: Scene, original_download: bool = True) -> Document:
    document = scene.document(publish=False, classification="confidential")
    return reading_only(scene, document) if not original_download else published(scene, document)


def reading_only(scene: Scene, document: Document) -> Document:
    document.original_download = False
    scene.db.add(document)
    scene.db.commit()
    return published(scene, document)


def published(scene: Scene, document: Document) -> Document:
    actions.publish(scene.db, scene.meeting, [document], actor=ACTOR)
    return document


def blob_path(scene: Scene, document: Document) -> Path:
    version = actions.versions(scene.db, document.id or 0)[0]
    return scene.store.path(version.blob)


def test_a_member_reads_a_copy_stamped_on_every_page(
    client: Client, scene: Scene, clock: list[datetime]
) -> None:
    document = confidential(scene)
    response = as_(client, scene.people["member"]).get(url(document))
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("inline")
    assert response.headers["accept-ranges"] == "bytes"
    texts = page_texts(response.content)
    assert len(texts) == len(page_texts(scene.pdf)) == 3
    for text in texts:
        assert f"Đặng Thị Ưng · Ủy viên · {SHOWN_TIME} · MẬT" in text
    minute = int(NOW.timestamp()) // 60
    member_id = scene.people["member"].id
    assert response.headers["etag"] == f'"{sha(scene.pdf)}-{member_id}-{minute}"'
    assert sha(blob_path(scene, document).read_bytes()) == sha(scene.pdf), "the blob is untouched"


def test_two_readers_get_different_copies(
    client: Client, other_client: Client, scene: Scene, clock: list[datetime]
) -> None:
    document = confidential(scene)
    chair = as_(client, scene.people["chair"]).get(url(document))
    member = as_(other_client, scene.people["member"]).get(url(document))
    assert chair.content != member.content
    assert chair.headers["etag"] != member.headers["etag"]
    assert "Nguyễn Văn An" in page_texts(chair.content)[0]
    assert "Đặng Thị Ưng" not in page_texts(chair.content)[0]
    assert "Đặng Thị Ưng" in page_texts(member.content)[0]


def test_the_secretariat_downloads_a_copy_stamped_with_its_own_name(
    client: Client, scene: Scene, clock: list[datetime]
) -> None:
    document = confidential(scene, original_download=False)
    secretary = scene.people["secretary"]
    response = as_(client, secretary).get(url(document) + "?download=1")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    organisation = scene.db.get(Organisation, scene.meeting.organisation_id)
    assert organisation is not None
    stamp = f"{secretary.name} · {organisation.short_name} · {SHOWN_TIME} · MẬT"
    for text in page_texts(response.content):
        assert stamp in text, "no seat in the body: the organisation's short name"
    as_(client, scene.people["member"])
    assert client.get(url(document) + "?download=1").status_code == 403


def test_ranges_of_a_stamped_copy_fit_the_whole_even_minutes_later(
    client: Client, scene: Scene, clock: list[datetime]
) -> None:
    document = confidential(scene)
    as_(client, scene.people["member"])
    whole = client.get(url(document, "/versions/1/file"))
    first = client.get(url(document, "/versions/1/file"), headers={"Range": "bytes=0-99"})
    assert first.status_code == 206
    assert first.headers["content-range"] == f"bytes 0-99/{len(whole.content)}"
    clock[0] = NOW + timedelta(minutes=7)  # PDF.js fetches the later pages as they are shown
    later = client.get(url(document, "/versions/1/file"), headers={"Range": "bytes=300-"})
    assert later.status_code == 206
    assert first.content + whole.content[100:300] + later.content == whole.content
    assert later.headers["etag"] == whole.headers["etag"]


def test_if_range_with_the_copy_s_etag_gives_the_range_and_another_a_new_copy(
    client: Client, scene: Scene, clock: list[datetime]
) -> None:
    document = confidential(scene)
    as_(client, scene.people["member"])
    whole = client.get(url(document))
    clock[0] = NOW + timedelta(minutes=3)
    headers = {"Range": "bytes=0-99", "If-Range": whole.headers["etag"]}
    same = client.get(url(document), headers=headers)
    assert same.status_code == 206
    assert same.content == whole.content[:100]
    stale = client.get(url(document), headers={**headers, "If-Range": f'"{sha(scene.pdf)}"'})
    assert stale.status_code == 200
    assert stale.headers["etag"] != whole.headers["etag"]
    assert "14:08, 22/11/2026" in page_texts(stale.content)[0]


def test_a_new_reading_is_stamped_with_the_new_time(
    client: Client, scene: Scene, clock: list[datetime]
) -> None:
    document = confidential(scene)
    as_(client, scene.people["member"])
    client.get(url(document))
    clock[0] = NOW + timedelta(minutes=10)
    again = client.get(url(document))
    assert "14:15, 22/11/2026" in page_texts(again.content)[0]


def test_a_forged_stamp_cookie_is_ignored(
    client: Client, scene: Scene, clock: list[datetime]
) -> None:
    """Nobody chooses the time on their copy: the kept minute is signed."""
    document = confidential(scene)
    version = actions.versions(scene.db, document.id or 0)[0]
    forged = int((NOW - timedelta(hours=1)).timestamp()) // 60
    as_(client, scene.people["member"])
    client.cookies.set(f"ecab_stamp_{version.id}", f"{forged}.{'0' * 64}")
    response = client.get(url(document), headers={"Range": "bytes=500-599"})
    assert response.status_code == 206
    assert response.headers["etag"].endswith(f'-{int(NOW.timestamp()) // 60}"')


def test_stamped_copies_are_deleted_once_sent(
    client: Client, scene: Scene, clock: list[datetime]
) -> None:
    document = confidential(scene)
    as_(client, scene.people["member"])
    temp = scene.store.temp_dir()
    assert client.get(url(document)).status_code == 200
    assert client.get(url(document), headers={"Range": "bytes=10-20"}).status_code == 206
    refused = client.get(url(document), headers={"Range": "bytes=999999-"})
    assert refused.status_code == 416
    assert client.head(url(document)).status_code == 200
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("classification", ["public", "internal"])
def test_other_documents_are_served_untouched(
    client: Client, scene: Scene, classification: str
) -> None:
    document = scene.document(classification=classification)
    response = as_(client, scene.people["member"]).get(url(document))
    assert response.content == blob_path(scene, document).read_bytes() == scene.pdf
    assert response.headers["etag"] == f'"{sha(scene.pdf)}"'


def test_a_confidential_file_that_is_not_a_pdf_is_sent_as_it_is(
    client: Client, scene: Scene
) -> None:
    word = docx()
    document = upload(
        scene.db,
        scene.store,
        scene.meeting,
        word,
        "Tờ trình.docx",
        classification="confidential",
    )
    reading_only(scene, document)
    as_(client, scene.people["member"])
    assert client.get(url(document) + "?download=1").status_code == 403
    response = client.get(url(document))
    assert response.status_code == 200
    assert response.content == word
    assert response.headers["content-disposition"].startswith("attachment")
