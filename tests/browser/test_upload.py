"""The meeting pack on a tablet: the secretary uploads several files in one go (a progress bar
each), a bad file is refused with its reason, the pack is published, and a member finds it
under the agenda item. Accounts are made in the server's SQLite file (see test_agenda_drag.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from meetings.db import make_engine
from tests.browser.harness import Tablets
from tests.browser.steps import log_in, shoot, submit, wait_for_path
from tests.browser.test_agenda_drag import _server_database
from tests.documents.support import docx, pdf
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser


@dataclass
class Pack:
    meeting_id: int
    secretary: str
    key: str
    member: str


@pytest.fixture
def pack(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pack]:
    engine = make_engine(f"sqlite:///{_server_database(tmp_path_factory)}")
    tag = uuid.uuid4().hex[:8]
    with Session(engine, expire_on_commit=False) as db:
        factory = Factory(db)
        org = factory.organisation(f"Bộ thử nghiệm tài liệu {tag}")
        body = factory.body(org, "Ban cán sự")
        secretary = factory.user(
            "Nguyễn Thị Vân", organisation=org, role="secretary", email=f"vt-{tag}@test.example"
        )
        key = factory.second_factor(secretary)
        member = factory.user("Ngô Thị Lan", organisation=org, email=f"tv-{tag}@test.example")
        factory.seat(body, member, title="Ủy viên")
        meeting = factory.meeting(body, "Phiên họp tháng 11", items=2, publish=True)
    yield Pack(meeting.id or 0, secretary.email, key, member.email)
    engine.dispose()


def test_secretary_uploads_a_pack_in_one_go_and_a_member_finds_it(
    tablets: Tablets, pack: Pack, tmp_path: Path
) -> None:
    files = {
        "Dự thảo Nghị định.pdf": pdf("Du thao Nghi dinh", pages=3),
        "Tờ trình số 12.docx": docx("Tờ trình Chính phủ về dự thảo Nghị định"),
        "bao-cao.pdf": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    tablets.log.expect_error(f"/meetings/{pack.meeting_id}/documents/upload", 422)
    page = tablets.open("portrait")
    log_in(page, pack.secretary, PASSWORD)
    wait_for_path(page, "/login/second-factor")
    page.locator("#code").fill(pyotp.TOTP(pack.key).now())
    submit(page, "/login/second-factor")
    wait_for_path(page, "/")
    page.goto(f"/meetings/{pack.meeting_id}/documents")
    page.locator("#upload-files").set_input_files([str(tmp_path / name) for name in files])
    page.locator("#upload-item").select_option(index=1)
    page.locator("form.upload-form button[type=submit]").click()
    results = page.locator("#upload-results li")
    expect(results).to_have_count(3)
    expect(page.locator("#upload-results li.upload-ok")).to_have_count(2)
    failed = page.locator("#upload-results li.upload-failed")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("bao-cao.pdf")
    expect(page.locator("#upload-results progress")).to_have_count(3)
    expect(page.locator("#document-list")).to_contain_text("Dự thảo Nghị định")
    expect(page.locator("#document-list")).to_contain_text("Tờ trình số 12")
    shoot(page, "documents")
    page.locator(f"form[action='/meetings/{pack.meeting_id}/documents/publish'] button").click()
    expect(page.locator(".flash")).to_be_visible()

    reader = tablets.open("portrait")
    log_in(reader, pack.member, PASSWORD)
    wait_for_path(reader, "/")
    reader.goto(f"/meetings/{pack.meeting_id}")
    expect(reader.locator("main")).to_contain_text("Dự thảo Nghị định")
    expect(reader.locator("main")).to_contain_text("Tờ trình số 12")
