"""PDF renditions of Office files: queued on upload, made by LibreOffice in the job, claimed
once, retried then given up, and served like a PDF (Range, read receipt, the reader's stamp).

The conversions are real: they run /usr/bin/soffice (or MEETINGS_SOFFICE). Without LibreOffice
those tests are skipped, unless MEETINGS_REQUIRE_LIBREOFFICE=1 (CI), which fails them instead.
A conversion that fails is a real executable written into tmp_path that exits 1.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import time
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from meetings import jobs
from meetings.config import Config
from meetings.db import utcnow
from meetings.documents import actions, renditions
from meetings.documents.models import Document, DocumentVersion, Rendition, RenditionState
from meetings.documents.validation import inspect
from meetings.storage.blobs import LocalBlobStore
from meetings.text import nfc
from meetings.web.app import create_app
from tests.client import Client
from tests.documents.support import DOCX_RELS, DOCX_TYPES, FIXED_TIME, docx, pdf
from tests.documents.test_downloads import (
    ACTOR,
    Scene,
    as_,
    denials,
    make_scene,
    store_file,
    upload,
    url,
)
from tests.factories import Factory

TEXT = "Tờ trình về dự án đầu tư công năm 2027"
MISSING = "/nonexistent/bin/soffice"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.fixture
def soffice() -> str:
    """LibreOffice's command; skips (fails under MEETINGS_REQUIRE_LIBREOFFICE=1) without it."""
    found = shutil.which(os.environ.get("MEETINGS_SOFFICE") or "soffice")
    if found is None:
        reason = "LibreOffice (soffice) is not installed"
        if os.environ.get("MEETINGS_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(f"MEETINGS_REQUIRE_LIBREOFFICE=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return found


@pytest.fixture
def store(config: Config) -> LocalBlobStore:
    return LocalBlobStore(Path(config.storage_dir))


@pytest.fixture
def scene(factory: Factory, db: Session, store: LocalBlobStore) -> Scene:
    return make_scene(factory, db, store)


@pytest.fixture
def without_libreoffice(config: Config) -> Iterator[Client]:
    """A browser on a server whose MEETINGS_SOFFICE names no program."""
    with Client(create_app(dataclasses.replace(config, soffice=MISSING))) as client:
        yield client


def pages_docx(*pages: str) -> bytes:
    """A Word document with one page per text, split by page breaks."""
    breaks = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    body = breaks.join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in pages)
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body>'
    document += "</w:document>"
    buffer = io.BytesIO()
    parts = {"[Content_Types].xml": DOCX_TYPES, "_rels/.rels": DOCX_RELS}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**parts, "word/document.xml": document}.items():
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def word(
    scene: Scene, content: bytes | None = None, publish: bool = True, **values: str
) -> Document:
    document = upload(
        scene.db, scene.store, scene.meeting, content or docx(TEXT), "Tờ trình số 12.docx", **values
    )
    if publish:
        actions.publish(scene.db, scene.meeting, [document], actor=ACTOR)
    return document


def rendition_of(db: Session, document: Document, number: int = 1) -> Rendition | None:
    db.expire_all()
    version = db.exec(
        select(DocumentVersion).where(
            DocumentVersion.document_id == document.id, DocumentVersion.number == number
        )
    ).one()
    return renditions.of(db, version)


def ready(scene: Scene, document: Document, content: bytes) -> Rendition:
    """The rendition as the job leaves it, from a PDF we give (for the serving tests)."""
    rendition = rendition_of(scene.db, document)
    assert rendition is not None
    received = store_file(scene.store, content)
    rendition.state, rendition.blob = RenditionState.done, scene.store.store(received)
    rendition.size, rendition.pages, rendition.finished_at = received.size, 3, utcnow()
    scene.db.add(rendition)
    scene.db.commit()
    return rendition


def failing_soffice(folder: Path, script: str = 'echo "cannot convert" >&2\nexit 1') -> str:
    """A real program in the place of LibreOffice: it notes its arguments, then runs script."""
    path = folder / "soffice"
    path.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{folder}/arguments"\n{script}\n')
    path.chmod(0o755)
    return str(path)


def rendition_url(document: Document, number: int = 1) -> str:
    return url(document, f"/versions/{number}/rendition")


# -- queued on upload ----------------------------------------------------------------


def test_office_uploads_are_queued_and_pdfs_and_text_are_not(scene: Scene) -> None:
    office = word(scene, publish=False)
    assert rendition_of(scene.db, office) is not None
    assert rendition_of(scene.db, office).state == RenditionState.pending  # type: ignore[union-attr]
    as_pdf = upload(scene.db, scene.store, scene.meeting, pdf(), "Báo cáo.pdf")
    as_text = upload(scene.db, scene.store, scene.meeting, "Ghi chú".encode(), "Ghi chú.txt")
    assert rendition_of(scene.db, as_pdf) is None
    assert rendition_of(scene.db, as_text) is None
    received = store_file(scene.store, docx("Tờ trình (sửa)"))
    actions.add_version(
        scene.db,
        scene.meeting,
        office,
        actor=ACTOR,
        store=scene.store,
        received=received,
        inspected=inspect(received.path, "Tờ trình (sửa).docx"),
    )
    assert rendition_of(scene.db, office, 2) is not None, "each version gets its own"


def test_without_libreoffice_versions_wait_pending_even_those_uploaded_before(
    scene: Scene,
) -> None:
    document = word(scene)
    old = rendition_of(scene.db, document)
    scene.db.delete(old)
    scene.db.commit()
    assert rendition_of(scene.db, document) is None, "as if uploaded before renditions existed"
    assert renditions.render_pending(scene.db, scene.store, MISSING) == 0
    waiting = rendition_of(scene.db, document)
    assert waiting is not None and waiting.state == RenditionState.pending
    assert waiting.attempts == 0 and waiting.claimed_at is None
    assert renditions.render_pending(scene.db, scene.store, MISSING) == 0
    assert len(scene.db.exec(select(Rendition)).all()) == 1, "made once"


# -- made by LibreOffice -------------------------------------------------------------


def test_a_word_file_becomes_a_pdf_with_its_vietnamese_text(scene: Scene, soffice: str) -> None:
    document = word(scene)
    original = actions.versions(scene.db, document.id or 0)[0].blob
    assert renditions.render_pending(scene.db, scene.store, soffice) == 1
    made = rendition_of(scene.db, document)
    assert made is not None and made.state == RenditionState.done and made.blob
    assert made.pages == 1 and made.attempts == 1 and made.error == ""
    assert made.finished_at is not None
    content = scene.store.path(made.blob).read_bytes()
    assert made.size == len(content) and content.startswith(b"%PDF")
    assert TEXT in nfc(PdfReader(io.BytesIO(content)).pages[0].extract_text())
    assert scene.store.exists(original), "the original stays"
    assert not list(scene.store.temp_dir().glob("rendition-*")), "nothing left behind"
    assert renditions.render_pending(scene.db, scene.store, soffice) == 0, "made only once"


def test_the_job_runner_makes_renditions_too(
    scene: Scene, soffice: str, engine: Engine, config: Config
) -> None:
    document = word(scene, pages_docx("Trang một", "Trang hai"))
    done = jobs.run_once(engine, scene.store, replace(config, soffice=soffice))
    assert done["PDF renditions of Office files"] == 1
    made = rendition_of(scene.db, document)
    assert made is not None and made.state == RenditionState.done and made.pages == 2


# -- claimed once, retried, given up -------------------------------------------------


def test_a_rendition_is_claimed_by_one_process_only(scene: Scene, engine: Engine) -> None:
    word(scene)
    with Session(engine, expire_on_commit=False) as other:
        first = renditions.claim(scene.db)
        assert first is not None and first.attempts == 1 and first.claimed_at is not None
        assert renditions.claim(other) is None, "another process finds nothing to take"
        assert renditions.claim(scene.db) is None
        first.claimed_at = utcnow() - timedelta(seconds=renditions.CLAIM_SECONDS + 1)
        scene.db.add(first)
        scene.db.commit()
        again = renditions.claim(other)
        assert again is not None and again.id == first.id, "a claim left by a dead process"
        assert again.attempts == 2


def test_a_failing_conversion_is_tried_three_times_then_given_up(
    scene: Scene, client: Client, tmp_path: Path
) -> None:
    document = word(scene)
    command = failing_soffice(tmp_path)
    for attempt in (1, 2):
        assert renditions.render_pending(scene.db, scene.store, command) == 0
        waiting = rendition_of(scene.db, document)
        assert waiting is not None and waiting.state == RenditionState.pending
        assert waiting.attempts == attempt and "cannot convert" in waiting.error
    assert renditions.render_pending(scene.db, scene.store, command) == 0
    failed = rendition_of(scene.db, document)
    assert failed is not None and failed.state == RenditionState.failed and failed.attempts == 3
    assert renditions.render_pending(scene.db, scene.store, command) == 0
    assert rendition_of(scene.db, document).attempts == 3  # type: ignore[union-attr]
    page = as_(client, scene.people["member"]).get(url(document, ""))
    assert 'data-rendition="failed"' in page.text
    assert "could not be made" in page.text and "Download the original" in page.text
    assert client.get(rendition_url(document)).status_code == 404


def test_libreoffice_gets_a_safe_name_its_own_profile_and_no_shell(
    scene: Scene, tmp_path: Path
) -> None:
    document = upload(
        scene.db, scene.store, scene.meeting, docx(), "; rm -rf ~ $(reboot) 'Tờ'.docx"
    )
    renditions.render_pending(scene.db, scene.store, failing_soffice(tmp_path))
    arguments = (tmp_path / "arguments").read_text().splitlines()
    assert arguments[0].startswith("-env:UserInstallation=file:///")
    assert arguments[1:8] == [
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        arguments[7],
    ]
    assert arguments[-1].endswith("/document.docx")
    assert Path(arguments[-1]).parent.parent == scene.store.temp_dir()
    assert not Path(arguments[-1]).exists(), "the temporary folder is removed"
    assert rendition_of(scene.db, document) is not None


def test_a_conversion_that_hangs_is_stopped(
    scene: Scene, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = word(scene)
    monkeypatch.setattr(renditions, "TIMEOUT_SECONDS", 1)
    started = time.monotonic()
    renditions.render_pending(scene.db, scene.store, failing_soffice(tmp_path, "sleep 30"))
    assert time.monotonic() - started < 10
    waiting = rendition_of(scene.db, document)
    assert waiting is not None and "longer than 1 s" in waiting.error


# -- the reader page -----------------------------------------------------------------


def test_the_reader_says_the_pdf_is_being_prepared_and_asks_again(
    client: Client, scene: Scene, soffice: str
) -> None:
    document = word(scene)
    as_(client, scene.people["member"])
    page = client.get(url(document, "")).text
    assert 'data-rendition="pending"' in page and "being prepared" in page
    assert f'hx-get="/documents/{document.id}?version=1"' in page and "every 3s" in page
    assert "reader.js" not in page
    asking = {"HX-Request": "true", "HX-Target": "reader-file"}
    panel = client.get(url(document, "?version=1"), headers=asking)
    assert 'id="reader-file"' in panel.text and "<html" not in panel.text
    renditions.render_pending(scene.db, scene.store, soffice)
    ready_now = client.get(url(document, "?version=1"), headers=asking)
    assert ready_now.status_code == 204 and ready_now.headers["hx-refresh"] == "true"


def test_without_libreoffice_the_reader_says_renditions_are_unavailable(
    without_libreoffice: Client, scene: Scene
) -> None:
    document = word(scene)
    page = as_(without_libreoffice, scene.people["member"]).get(url(document, "")).text
    assert 'data-rendition="unavailable"' in page and "not available on this server" in page
    assert "hx-get" not in page, "nothing to wait for"
    assert f"/documents/{document.id}/versions/1/file?download=1" in page


def test_a_ready_rendition_opens_in_the_pdf_reader(client: Client, scene: Scene) -> None:
    document = word(scene)
    ready(scene, document, pdf("Trang", pages=3))
    page = as_(client, scene.people["member"]).get(url(document, "")).text
    assert f'data-file="{rendition_url(document)}"' in page
    assert "reader.js" in page and 'data-testid="rendition-note"' in page
    assert "Tờ trình số 12.docx" in page
    assert f'href="/documents/{document.id}/versions/1/file?download=1"' in page
    assert 'data-testid="rendition-original"' in page


def test_no_original_to_download_when_it_is_for_reading_only(client: Client, scene: Scene) -> None:
    document = word(scene)
    ready(scene, document, pdf())
    document.original_download = False
    scene.db.add(document)
    scene.db.commit()
    as_(client, scene.people["member"])
    page = client.get(url(document, "")).text
    assert 'data-testid="rendition-note"' in page
    assert 'data-testid="rendition-original"' not in page and "?download=1" not in page
    assert client.get(rendition_url(document)).status_code == 200
    assert client.get(rendition_url(document) + "?download=1").status_code == 403


# -- the rendition's file ------------------------------------------------------------


def test_the_rendition_is_served_with_ranges_and_leaves_a_read_receipt(
    client: Client, scene: Scene
) -> None:
    document = word(scene)
    content = pdf("Trang", pages=3)
    made = ready(scene, document, content)
    as_(client, scene.people["member"])
    middle = client.get(rendition_url(document), headers={"Range": "bytes=100-199"})
    assert middle.status_code == 206 and middle.content == content[100:200]
    assert scene.receipts() == [], "a later range is not an opening"
    whole = client.get(rendition_url(document))
    assert whole.status_code == 200 and whole.content == content
    assert whole.headers["etag"] == f'"{made.blob}"'
    assert whole.headers["content-type"] == "application/pdf"
    assert whole.headers["content-disposition"].startswith('inline; filename="To trinh so 12.pdf"')
    version = actions.versions(scene.db, document.id or 0)[0]
    assert scene.receipts() == [(version.id, scene.people["member"].id)]


def test_no_rendition_file_until_it_is_ready_nor_for_a_pdf(client: Client, scene: Scene) -> None:
    document = word(scene)
    as_pdf = scene.document()
    as_(client, scene.people["member"])
    assert client.get(rendition_url(document)).status_code == 404
    assert client.get(rendition_url(as_pdf)).status_code == 404
    assert client.get(rendition_url(document, 2)).status_code == 404


@pytest.mark.parametrize("who", ["stranger", "outsider"])
def test_people_outside_the_meeting_get_404(client: Client, scene: Scene, who: str) -> None:
    document = word(scene)
    ready(scene, document, pdf())
    assert as_(client, scene.people[who]).get(rendition_url(document)).status_code == 404
    assert denials(scene.db, document) == 1
    assert scene.receipts() == []


def test_a_guest_never_gets_a_confidential_rendition(client: Client, scene: Scene) -> None:
    internal = word(scene)
    confidential = word(scene, classification="confidential")
    ready(scene, internal, pdf())
    ready(scene, confidential, pdf())
    as_(client, scene.people["guest"])
    assert client.get(rendition_url(internal)).status_code == 200
    assert client.get(rendition_url(confidential)).status_code == 404
    assert denials(scene.db, confidential) == 1


def test_a_draft_rendition_only_to_the_secretariat(
    client: Client, other_client: Client, scene: Scene
) -> None:
    draft = word(scene, publish=False)
    ready(scene, draft, pdf())
    assert as_(client, scene.people["member"]).get(rendition_url(draft)).status_code == 404
    assert as_(other_client, scene.people["secretary"]).get(rendition_url(draft)).status_code == 200


def test_a_confidential_rendition_carries_the_readers_stamp_on_every_page(
    client: Client, scene: Scene, soffice: str
) -> None:
    document = word(
        scene, pages_docx("Trang một", "Trang hai", "Trang ba"), classification="confidential"
    )
    assert renditions.render_pending(scene.db, scene.store, soffice) == 1
    made = rendition_of(scene.db, document)
    assert made is not None and made.pages == 3
    member = scene.people["member"]
    response = as_(client, member).get(rendition_url(document))
    assert response.status_code == 200
    assert response.headers["etag"].startswith(f'"{made.blob}-{member.id}-')
    texts = [nfc(page.extract_text()) for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(texts) == 3
    for text, expected in zip(texts, ("Trang một", "Trang hai", "Trang ba"), strict=True):
        assert expected in text and member.name in text and "MẬT" in text
    first = client.get(rendition_url(document), headers={"Range": "bytes=0-99"})
    assert first.status_code == 206 and first.content == response.content[:100]
    assert scene.store.path(made.blob).read_bytes() != response.content, "the blob is not stamped"
    assert scene.receipts() == [(made.version_id, member.id)]
