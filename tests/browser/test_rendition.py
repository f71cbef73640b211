"""A Word file read on a tablet through its PDF rendition, made by LibreOffice.

As in test_reader, the scene is made in the test process, straight in the server's SQLite file
and blob store. The server runs the background jobs itself every 5 s; to see the waiting page
first, the test claims the rendition as a busy process would, then lets it go and runs the job
in the test process (whichever process takes it, the page must reload into the reader).
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from meetings.archive.audit import Actor
from meetings.db import make_engine, utcnow
from meetings.documents import actions, renditions
from meetings.documents.models import Rendition, RenditionState
from meetings.documents.validation import inspect
from meetings.storage.blobs import LocalBlobStore
from tests.browser.harness import Tablets
from tests.browser.steps import log_in, shoot, wait_for_path
from tests.browser.test_agenda_drag import _server_database
from tests.browser.test_reader import _received, rendered
from tests.documents.test_renditions import pages_docx
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser

WAIT_MS = 30_000  # the page asks every 3 s; a conversion takes a second or two


@dataclass
class Shelf:
    """A published meeting with one published Word file (its rendition held back at first)."""

    engine: Engine
    store: LocalBlobStore
    soffice: str
    document_id: int
    rendition_id: int
    member_email: str

    def let_go_and_render(self) -> None:
        """Release the claim, then convert here, or wait while the server's own job does."""
        with Session(self.engine, expire_on_commit=False) as db:
            rendition = db.get(Rendition, self.rendition_id)
            assert rendition is not None
            rendition.claimed_at = None
            db.add(rendition)
            db.commit()
            deadline = time.monotonic() + 60
            while rendition.state != RenditionState.done and time.monotonic() < deadline:
                renditions.render_pending(db, self.store, self.soffice)
                time.sleep(0.2)
                db.refresh(rendition)
            assert rendition.state == RenditionState.done, rendition.error


@pytest.fixture
def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        reason = "LibreOffice (soffice) is not installed"
        if os.environ.get("MEETINGS_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(f"MEETINGS_REQUIRE_LIBREOFFICE=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return found


@pytest.fixture
def shelf(server: str, soffice: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shelf]:
    database = _server_database(tmp_path_factory)
    store = LocalBlobStore(Path(database).parent)
    engine = make_engine(f"sqlite:///{database}")
    tag = uuid.uuid4().hex[:8]
    with Session(engine, expire_on_commit=False) as db:
        factory = Factory(db)
        org = factory.organisation(f"Sở Kế hoạch thử nghiệm {tag}")
        body = factory.body(org, "Lãnh đạo Sở")
        member = factory.user("Đỗ Thị Hạnh", organisation=org, email=f"so-{tag}@test.example")
        factory.seat(body, member, title="Phó Giám đốc")
        meeting = factory.meeting(body, "Phiên họp giao ban tháng 12", publish=True)
        content = pages_docx("Tờ trình về kế hoạch đầu tư công", "Phụ lục: danh mục dự án")
        received = _received(store, content)
        actor = Actor(None, "test")
        document = actions.upload(
            db,
            meeting,
            actor=actor,
            store=store,
            received=received,
            inspected=inspect(received.path, "Tờ trình kế hoạch.docx"),
            title="Tờ trình về kế hoạch đầu tư công năm 2027",
        )
        actions.publish(db, meeting, [document], actor=actor)
        held = _hold(db, actions.versions(db, document.id or 0)[0].id or 0)
    yield Shelf(engine, store, soffice, document.id or 0, held, member.email)
    engine.dispose()


def _hold(db: Session, version_id: int) -> int:
    """Claim our rendition before the server's job does (it runs every 5 s), as a busy
    process would: the same compare-and-set as renditions.claim, for this one row."""
    held = db.execute(
        update(Rendition)
        .where(col(Rendition.version_id) == version_id, col(Rendition.claimed_at).is_(None))
        .values(claimed_at=utcnow())
    )
    db.commit()
    assert held.rowcount == 1, "the server's job took the rendition first"  # type: ignore[attr-defined]
    rendition = db.exec(select(Rendition).where(Rendition.version_id == version_id)).one()
    return rendition.id or 0


def test_a_member_reads_a_word_file_in_the_pdf_reader(tablets: Tablets, shelf: Shelf) -> None:
    page = tablets.open("landscape")
    log_in(page, shelf.member_email, PASSWORD)
    wait_for_path(page, "/")
    page.goto(f"/documents/{shelf.document_id}")
    waiting = page.locator('[data-rendition="pending"]')
    expect(waiting).to_be_visible()
    shoot(page, "rendition-pending")

    shelf.let_go_and_render()
    # The waiting panel asks again, and the page reloads into the reader.
    expect(page.locator('#reader-canvas[data-rendered-page="1"]')).to_be_attached(timeout=WAIT_MS)
    expect(page.locator("#reader-count")).to_have_text("2", timeout=WAIT_MS)
    expect(page.get_by_test_id("rendition-note")).to_contain_text("Tờ trình kế hoạch.docx")
    original = page.get_by_test_id("rendition-original")
    expect(original).to_have_attribute(
        "href", f"/documents/{shelf.document_id}/versions/1/file?download=1"
    )
    box = original.bounding_box()
    assert box and box["height"] >= 44, "a link a finger can hit"
    page.locator('[data-action="next"]').click()
    rendered(page, 2)
    shoot(page, "rendition")
