"""The PDF reader on a tablet: the first page drawn, the next one, a jump by page number.

As in test_agenda_drag, the organisation, its member and a published meeting with a four-page
PDF are made in the test process, straight in the server's SQLite file and blob store (the
harness keeps both in its temporary storage folder). The harness fails the test on any console
error, CSP violations included.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from meetings.archive.audit import Actor
from meetings.db import make_engine
from meetings.documents import actions
from meetings.documents.models import ReadReceipt
from meetings.documents.validation import inspect
from meetings.storage.blobs import LocalBlobStore, Received
from tests.browser.harness import Tablets
from tests.browser.steps import log_in, shoot, wait_for_path
from tests.browser.test_agenda_drag import _server_database
from tests.documents.support import pdf
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser

PAGES = 4


@dataclass
class Shelf:
    """A published meeting with one published PDF, and a member invited to it."""

    engine: Engine
    document_id: int
    member_email: str

    def receipts(self) -> int:
        with Session(self.engine) as db:
            return len(db.exec(select(ReadReceipt)).all())


def _received(store: LocalBlobStore, content: bytes) -> Received:
    path = store.temp_dir() / f"upload-{uuid.uuid4().hex}"
    path.write_bytes(content)
    return Received(path, hashlib.sha256(content).hexdigest(), len(content))


@pytest.fixture
def shelf(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shelf]:
    database = _server_database(tmp_path_factory)
    store = LocalBlobStore(Path(database).parent)
    engine = make_engine(f"sqlite:///{database}")
    tag = uuid.uuid4().hex[:8]
    with Session(engine, expire_on_commit=False) as db:
        factory = Factory(db)
        org = factory.organisation(f"Văn phòng Bộ thử nghiệm {tag}")
        body = factory.body(org, "Lãnh đạo Bộ")
        member = factory.user("Trần Văn Bình", organisation=org, email=f"bo-{tag}@test.example")
        factory.seat(body, member, title="Thứ trưởng")
        meeting = factory.meeting(body, "Phiên họp lãnh đạo Bộ tháng 12", publish=True)
        received = _received(store, pdf("Du thao Nghi dinh - trang", pages=PAGES))
        actor = Actor(None, "test")
        document = actions.upload(
            db,
            meeting,
            actor=actor,
            store=store,
            received=received,
            inspected=inspect(received.path, "Dự thảo Nghị định.pdf"),
            title="Dự thảo Nghị định về quản lý đầu tư công",
        )
        actions.publish(db, meeting, [document], actor=actor)
    yield Shelf(engine, document.id or 0, member.email)
    engine.dispose()


def rendered(page: Page, number: int) -> None:
    expect(page.locator(f'#reader-canvas[data-rendered-page="{number}"]')).to_be_attached()
    expect(page.locator("#reader-page")).to_have_value(str(number))


def test_a_member_reads_a_pdf_page_by_page(tablets: Tablets, shelf: Shelf) -> None:
    page = tablets.open("portrait")
    assert page.viewport_size == {"width": 768, "height": 1024}
    log_in(page, shelf.member_email, PASSWORD)
    wait_for_path(page, "/")
    page.goto(f"/documents/{shelf.document_id}")
    expect(page.locator("h1")).to_have_text("Dự thảo Nghị định về quản lý đầu tư công")
    rendered(page, 1)
    expect(page.locator("#reader-count")).to_have_text(str(PAGES))
    canvas = page.locator("#reader-canvas").bounding_box()
    stage = page.locator("#reader-stage").bounding_box()
    assert canvas and stage and canvas["width"] >= stage["width"] - 40, "fitted to the width"

    next_button = page.locator('[data-action="next"]')
    box = next_button.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44, "a button a finger can hit"
    next_button.click()
    rendered(page, 2)

    page.locator("#reader-page").fill("3")
    page.locator("#reader-page").press("Enter")
    rendered(page, 3)
    expect(page.locator('.reader-thumb[aria-current="page"]')).to_have_attribute("data-page", "3")
    expect(page.locator(".reader-thumb canvas[data-rendered]").first).to_be_attached()

    page.locator('[data-action="zoom-in"]').click()
    expect(page.locator("#reader-zoom")).to_have_text("125%")
    rendered(page, 3)
    page.locator('[data-action="fit"]').click()
    expect(page.locator("#reader-zoom")).to_have_text("100%")

    page.locator('.reader-thumb[data-page="1"]').click()
    rendered(page, 1)
    assert shelf.receipts() == 1, "opening the file left one read receipt"
    shoot(page, "reader")
