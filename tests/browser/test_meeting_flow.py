"""The issue's "done when", on tablets: the secretary prepares and publishes a ten-item meeting
from the browser, a member answers and marks positions, the chair sees the consent block and
the quorum state, and the same meeting is reachable through the API.

Accounts are made in the server's own SQLite file in an organisation of their own (see
test_agenda_drag.py for why); everything else happens through the pages.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from meetings.db import make_engine
from tests.browser.harness import Tablets
from tests.browser.steps import log_in, shoot, submit, wait_for_path
from tests.browser.test_agenda_drag import _server_database
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser

ITEMS = [
    ("Báo cáo tình hình kinh tế - xã hội tháng 11", 45, False),
    ("Dự thảo Nghị định về định danh và xác thực điện tử", 30, False),
    ("Tờ trình dự án Luật Đầu tư công (sửa đổi)", 30, False),
    ("Dự thảo Nghị quyết về phát triển nhà ở xã hội", 25, False),
    ("Đề án chuyển đổi số quốc gia giai đoạn 2026 - 2030", 25, False),
    ("Báo cáo công tác phòng, chống thiên tai", 20, False),
    ("Dự thảo Nghị định về quản lý giá", 20, False),
    ("Báo cáo kết quả giải quyết khiếu nại, tố cáo", 10, True),
    ("Báo cáo tình hình thực hiện nhiệm vụ được giao", 5, True),
    ("Báo cáo công tác chỉ đạo, điều hành tháng 11", 5, True),
]


@dataclass
class People:
    secretary: str
    secretary_key: str
    chair: str
    member: str


@pytest.fixture
def people(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[People]:
    engine = make_engine(f"sqlite:///{_server_database(tmp_path_factory)}")
    tag = uuid.uuid4().hex[:8]
    with Session(engine, expire_on_commit=False) as db:
        factory = Factory(db)
        org = factory.organisation(f"Chính phủ thử nghiệm {tag}")
        body = factory.body(org, "Chính phủ")
        secretary = factory.user(
            "Nguyễn Thị Vân", organisation=org, role="secretary", email=f"tk-{tag}@test.example"
        )
        key = factory.second_factor(secretary)
        chair = factory.user("Nguyễn Văn An", organisation=org, email=f"tt-{tag}@test.example")
        member = factory.user("Ngô Thị Lan", organisation=org, email=f"bt-{tag}@test.example")
        factory.seat(body, chair, role="chair", title="Thủ tướng Chính phủ")
        factory.seat(body, member, title="Bộ trưởng Bộ Tư pháp")
        factory.seat(body, secretary, role="secretary", title="Thư ký", voting_right=False)
    yield People(secretary.email, key, chair.email, member.email)
    engine.dispose()


def secretary_prepares(page: Page, people: People) -> str:
    log_in(page, people.secretary, PASSWORD)
    wait_for_path(page, "/login/second-factor")
    page.locator("#code").fill(pyotp.TOTP(people.secretary_key).now())
    submit(page, "/login/second-factor")
    wait_for_path(page, "/")
    page.goto("/meetings/new")
    page.locator("#meeting-body").select_option(label="Chính phủ")
    page.locator("#meeting-title").fill("Phiên họp Chính phủ thường kỳ tháng 11")
    page.locator("#meeting-date").fill((date.today() + timedelta(days=3)).isoformat())
    page.locator("#meeting-start").fill("08:00")
    page.locator("#meeting-end").fill("11:30")
    page.locator("#meeting-place").fill("Phòng họp Chính phủ")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/meetings/\d+$"))
    meeting_url = page.url.split("?")[0]
    page.goto(meeting_url + "/agenda")
    for title, minutes, consent in ITEMS:
        page.locator("#item-title").fill(title)
        page.locator("#item-duration").fill(str(minutes))
        if consent:
            page.locator("#item-consent").check()
        page.get_by_role("button", name="Thêm nội dung").or_(
            page.get_by_role("button", name="Add the item")
        ).first.click()
        expect(page.locator("#agenda-builder")).to_contain_text(title)
    shoot(page, "agenda-builder-ten-items")
    page.goto(meeting_url)
    page.locator("form[action$='/publish'] button").click()
    expect(page.locator(".flash")).to_be_visible()
    return meeting_url.removeprefix(page.url.split("/meetings/")[0])


def member_answers_and_objects(page: Page, people: People, meeting: str) -> None:
    log_in(page, people.member, PASSWORD)
    wait_for_path(page, "/")
    page.goto(meeting + "/answer")
    page.locator("#reply-attend").check()
    page.locator("main form button[type=submit]").click()
    wait_for_path(page, meeting + "/attendance")
    page.goto(meeting + "/positions")
    forms = page.locator("form.position-form")
    expect(forms).to_have_count(len(ITEMS))
    objected = forms.nth(7)
    objected.locator("input[value=objection]").check()
    objected.locator("textarea").fill("Cần bổ sung số liệu của quý IV.")
    objected.locator("button[type=submit]").click()
    expect(page.locator("form.position-form").nth(7).locator(".saved")).to_be_visible()
    agreed = page.locator("form.position-form").nth(8)
    agreed.locator("input[value=no_objection]").check()
    agreed.locator("button[type=submit]").click()
    expect(page.locator("form.position-form").nth(8).locator(".saved")).to_be_visible()


def chair_sees_consent_block_and_quorum(page: Page, people: People, meeting: str) -> None:
    log_in(page, people.chair, PASSWORD)
    wait_for_path(page, "/")
    page.goto(meeting + "/positions")
    block = page.get_by_test_id("consent-block")
    expect(block).to_contain_text(ITEMS[8][0])
    expect(block).to_contain_text(ITEMS[9][0])
    expect(block).not_to_contain_text(ITEMS[7][0])
    expect(page.get_by_test_id("consent-dropped")).to_contain_text(ITEMS[7][0])
    shoot(page, "consent-block")
    page.goto(meeting)
    expect(page.locator("#quorum")).to_be_visible()
    api = page.request.get("/api/v1" + meeting)
    assert api.ok, api.text()
    assert len([i for i in api.json()["agenda"] if i["parent_id"] is None]) == len(ITEMS)
    assert api.json()["state"] == "scheduled"


def test_secretary_publishes_members_take_positions_chair_sees_consent_block(
    tablets: Tablets, people: People
) -> None:
    meeting = secretary_prepares(tablets.open("portrait"), people)
    member_answers_and_objects(tablets.open("portrait"), people, meeting)
    chair_sees_consent_block_and_quorum(tablets.open("landscape"), people, meeting)
