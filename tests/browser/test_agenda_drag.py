"""The agenda builder on a tablet: drag an item by touch, move one with the keyboard.

The meeting is made in the test process with the app's own rules, straight in the server's
SQLite file (the harness keeps it in the package's temporary storage folder), in an
organisation of its own: its secretary has two-factor login already set up with a key the
test knows. So the test neither depends on meetings in the demo data nor touches the demo
accounts that other browser tests enrol (thuky@ sets up two-factor login in test_login.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from meetings.agenda import actions
from meetings.agenda.items import items
from meetings.agenda.models import Meeting
from meetings.db import make_engine
from tests.browser.harness import Tablets
from tests.browser.steps import log_in, shoot, submit, wait_for_path
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser

TITLES = [
    "Báo cáo tình hình kinh tế - xã hội tháng 10",
    "Dự thảo Nghị định về quản lý đầu tư công",
    "Tờ trình về chương trình xây dựng pháp luật",
    "Quyết định thành lập Tổ công tác đặc biệt",
]
HOLD_MS = 300  # longer than the builder's 150 ms touch delay before an item is picked up


@dataclass
class Scene:
    """A meeting with four items, its secretary (two-factor key known) and two members."""

    engine: Engine
    meeting: Meeting
    secretary_email: str
    secretary_totp: str
    member_email: str
    chair_email: str

    @property
    def url(self) -> str:
        return f"/meetings/{self.meeting.id}/agenda"

    def order(self) -> list[str]:
        with Session(self.engine) as db:
            return [i.title for i in items(db, self.meeting.id or 0) if i.parent_id is None]

    def add_item(self, title: str) -> None:
        """Someone else adds an item meanwhile."""
        with Session(self.engine, expire_on_commit=False) as db:
            meeting = db.get(Meeting, self.meeting.id)
            assert meeting is not None
            Factory(db).item(meeting, title)

    def publish(self) -> None:
        with Session(self.engine, expire_on_commit=False) as db:
            meeting = db.get(Meeting, self.meeting.id)
            assert meeting is not None
            actions.publish(db, meeting, actor=Factory(db).actor)


def _server_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SQLite file of the server the harness started (the newest browser storage)."""
    found = sorted(
        tmp_path_factory.getbasetemp().glob("browser-storage*/meetings.sqlite3"),
        key=lambda path: path.stat().st_mtime,
    )
    assert found, "the browser harness keeps its database in a browser-storage folder"
    return found[-1]


@pytest.fixture
def scene(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    engine = make_engine(f"sqlite:///{_server_database(tmp_path_factory)}")
    tag = uuid.uuid4().hex[:8]
    with Session(engine, expire_on_commit=False) as db:
        factory = Factory(db)
        org = factory.organisation(f"Văn phòng Ủy ban thử nghiệm {tag}")
        body = factory.body(org, "Ủy ban nhân dân")
        secretary = factory.user(
            "Nguyễn Thị Vân", organisation=org, role="secretary", email=f"thuky-{tag}@test.example"
        )
        secret = factory.second_factor(secretary)
        chair = factory.user("Võ Thành Yên", organisation=org, email=f"chutich-{tag}@test.example")
        member = factory.user("Lâm Thị Ánh", organisation=org, email=f"uyvien-{tag}@test.example")
        factory.seat(body, chair, role="chair", title="Chủ tịch")
        factory.seat(body, member, title="Phó Chủ tịch")
        meeting = factory.meeting(body, "Phiên họp thường kỳ tháng 11")
        for n, title in enumerate(TITLES):
            factory.item(meeting, title, duration_minutes=20 + 5 * n, consent=n == 3)
        first = items(db, meeting.id or 0)[0]
        factory.item(meeting, "Phụ lục số liệu", parent_id=first.id, duration_minutes=10)
    yield Scene(engine, meeting, secretary.email, secret, member.email, chair.email)
    engine.dispose()


def log_in_secretary(page: Page, scene: Scene) -> None:
    log_in(page, scene.secretary_email, PASSWORD)
    wait_for_path(page, "/login/second-factor")
    page.locator("#code").fill(pyotp.TOTP(scene.secretary_totp).now())
    submit(page, "/login/second-factor")
    wait_for_path(page, "/")


def main_titles(page: Page) -> Locator:
    return page.locator("#agenda-builder > ol > li > .item-row .item-title")


def touch_drag(page: Page, handle: Locator, target: Locator) -> None:
    """Press the handle with a finger, hold, slide to the target's top edge and lift.

    Real touch events through the Chrome DevTools Protocol (Playwright's touchscreen only taps).
    """
    start, end = handle.bounding_box(), target.bounding_box()
    assert start and end
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    goal_y = end["y"] + 6
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, points: list[dict[str, float]]) -> None:
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", [{"x": x, "y": y}])
    page.wait_for_timeout(HOLD_MS)
    steps = 20
    for step in range(1, steps + 1):
        touch("touchMove", [{"x": x, "y": y + (goal_y - y) * step / steps}])
        page.wait_for_timeout(20)
    page.wait_for_timeout(100)
    touch("touchEnd", [])
    cdp.detach()


def expect_saved(page: Page) -> None:
    live = page.locator("#agenda-live")
    expect(live).to_have_text(live.get_attribute("data-saved") or "Order saved")


def test_secretary_reorders_the_agenda_by_touch_and_by_keyboard(
    tablets: Tablets, scene: Scene
) -> None:
    page = tablets.open("portrait")
    assert page.viewport_size == {"width": 768, "height": 1024}
    log_in_secretary(page, scene)
    page.goto(scene.url)
    expect(main_titles(page)).to_have_text(TITLES)
    handle = page.locator(".handle-main").nth(2)
    box = handle.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44, "a handle a finger can hold"
    shoot(page, "agenda-builder")

    # Touch: the third item is dragged above the first; the order is saved at once.
    handle.scroll_into_view_if_needed()
    page.locator("#agenda-builder").scroll_into_view_if_needed()
    first_row = page.locator("#agenda-builder > ol > li").first
    touch_drag(page, handle, first_row)
    expect_saved(page)
    dragged = [TITLES[2], TITLES[0], TITLES[1], TITLES[3]]
    expect(main_titles(page)).to_have_text(dragged)
    expect(page.locator("#agenda-builder .item-number").first).to_have_text("1")
    assert scene.order() == dragged
    page.reload()
    expect(main_titles(page)).to_have_text(dragged)

    # Keyboard: focus "Move down" on the (new) first item and press Enter.
    first_id = page.locator("#agenda-builder > ol > li").first.get_attribute("data-id")
    move_down = page.locator(f'[data-focus-key="down-{first_id}"]')
    move_down.focus()
    page.keyboard.press("Enter")
    moved = [TITLES[0], TITLES[2], TITLES[1], TITLES[3]]
    expect(main_titles(page)).to_have_text(moved)
    expect_saved(page)
    expect(page.locator(f'[data-focus-key="down-{first_id}"]')).to_be_focused()
    assert scene.order() == moved
    page.reload()
    expect(main_titles(page)).to_have_text(moved)


def test_a_drag_on_an_agenda_changed_meanwhile_is_refused_and_the_agenda_reloaded(
    tablets: Tablets, scene: Scene
) -> None:
    tablets.log.expect_error(f"{scene.url}/order", 409)
    page = tablets.open("landscape")
    log_in_secretary(page, scene)
    page.goto(scene.url)
    expect(main_titles(page)).to_have_text(TITLES)
    scene.add_item("Kết luận của Chủ tọa")
    rows = page.locator("#agenda-builder > ol > li")
    rows.nth(1).scroll_into_view_if_needed()
    touch_drag(page, page.locator(".handle-main").nth(1), rows.first)
    expect(page.get_by_test_id("agenda-problem")).to_be_visible()
    expect(main_titles(page)).to_have_text([*TITLES, "Kết luận của Chủ tọa"])
    assert scene.order() == [*TITLES, "Kết luận của Chủ tọa"]


def test_positions_page_for_a_member_and_for_the_secretariat(
    tablets: Tablets, scene: Scene
) -> None:
    scene.publish()
    member = tablets.open("portrait")
    log_in(member, scene.member_email, PASSWORD)
    wait_for_path(member, "/")
    member.goto(f"/meetings/{scene.meeting.id}/positions")
    forms = member.locator("form.position-form")
    expect(forms).to_have_count(len(TITLES) + 1)
    for choice in forms.nth(0).locator("label.choice").all():
        size = choice.bounding_box()
        assert size and size["height"] >= 44, "each position is a label a finger can hit"
    forms.nth(0).locator("input[value=no_objection]").check()
    forms.nth(0).locator("button[type=submit]").click()
    expect(member.locator(".position-item").nth(0).locator(".saved")).to_be_visible()
    objection = member.locator(".position-item").nth(4)  # the consent item, 4.
    objection.locator("input[value=objection]").check()
    objection.locator("textarea").fill("Cần làm rõ thành phần Tổ công tác")
    objection.locator("button[type=submit]").click()
    expect(member.locator(".position-item").nth(4).locator(".saved")).to_be_visible()
    shoot(member, "positions")

    secretary = tablets.open("landscape")
    log_in_secretary(secretary, scene)
    secretary.goto(f"/meetings/{scene.meeting.id}/positions")
    expect(secretary.locator("#tally")).to_contain_text("Cần làm rõ thành phần Tổ công tác")
    expect(secretary.get_by_test_id("consent-dropped")).to_contain_text(TITLES[3])
    shoot(secretary, "positions-tally")
