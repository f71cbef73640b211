"""The live room in three browsers: the chair's console, a member's tablet, the room screen.

The chair moves through the agenda and gives the floor; the other two follow without a reload.
The member's tablet then goes offline (it says it is reconnecting), misses a move, and catches
up from the snapshot when it is back. The organisation, its people and an open meeting are made
straight in the server's database, as in test_agenda_drag.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from meetings.agenda import actions as agenda_actions
from meetings.archive.audit import Actor
from meetings.db import make_engine
from tests.browser.harness import Tablets
from tests.browser.steps import log_in, shoot, wait_for_path
from tests.browser.test_agenda_drag import _server_database
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser

ITEMS = (
    "Báo cáo tình hình kinh tế - xã hội",
    "Dự thảo Nghị định về đầu tư công",
    "Các vấn đề khác",
)


@dataclass
class Room:
    meeting_id: int
    chair: str
    member: str
    screen: str


@pytest.fixture
def room(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    engine = make_engine(f"sqlite:///{_server_database(tmp_path_factory)}")
    tag = uuid.uuid4().hex[:8]
    with Session(engine, expire_on_commit=False) as db:
        factory = Factory(db)
        org = factory.organisation(f"Ủy ban nhân dân thử nghiệm {tag}")
        body = factory.body(org, "Ủy ban nhân dân")
        chair = factory.user("Võ Thành Yên", organisation=org, email=f"chutich-{tag}@test.example")
        member = factory.user("Lâm Thị Ánh", organisation=org, email=f"uyvien-{tag}@test.example")
        screen = factory.user(
            "Màn hình phòng họp", organisation=org, email=f"mh-{tag}@test.example"
        )
        factory.seat(body, chair, role="chair", title="Chủ tịch")
        factory.seat(body, member, title="Phó Chủ tịch")
        factory.seat(body, screen, title="Ủy viên")
        meeting = factory.meeting(body, "Phiên họp thường kỳ tháng 12")
        for title in ITEMS:
            factory.item(meeting, title)
        agenda_actions.publish(db, meeting, actor=Actor(None, "test"))
        agenda_actions.open_session(db, meeting, actor=Actor(None, "test"))
    yield Room(meeting.id or 0, chair.email, member.email, screen.email)
    engine.dispose()


def enter(page: Page, email: str, path: str) -> None:
    log_in(page, email, PASSWORD)
    wait_for_path(page, "/")
    page.goto(path)
    expect(page.locator("#live-state")).to_be_visible()


def connected(page: Page) -> None:
    """The socket is open: its first push (the snapshot) has arrived."""
    expect(page.locator("#live-connection")).to_be_hidden()


def test_three_screens_follow_the_chair_and_a_tablet_catches_up(
    tablets: Tablets, room: Room
) -> None:
    base = f"/meetings/{room.meeting_id}/live"
    console = tablets.open("landscape", language="en")
    tablet = tablets.open("portrait", language="en")
    screen = tablets.open("landscape", language="en")
    enter(console, room.chair, base + "/console")
    enter(tablet, room.member, base)
    enter(screen, room.screen, base + "/screen")
    for page in (console, tablet, screen):
        connected(page)
        expect(page.locator("#live-current")).to_contain_text("No item is under discussion.")

    console.get_by_role("button", name="Next item").click()
    for page in (console, tablet, screen):
        expect(page.locator("#live-current .live-item-title")).to_have_text(ITEMS[0])

    tablet.locator("#live-topic").fill("Về số liệu tăng trưởng")
    tablet.get_by_role("button", name="Ask for the floor").click()
    expect(tablet.locator("#live-my-floor")).to_contain_text("number 1 in the queue")
    queue = console.locator("#live-floor .live-queue")
    expect(queue).to_contain_text("Lâm Thị Ánh")
    console.get_by_role("button", name="Give the floor to Lâm Thị Ánh").click()
    for page in (console, tablet, screen):
        expect(page.locator("#live-speaker .live-speaker-name")).to_have_text("Lâm Thị Ánh")
        expect(page.locator("#live-speaker .live-clock")).to_have_text(re.compile(r"^0[23]:\d\d$"))
    expect(tablet.locator("#live-my-floor")).to_contain_text("You have the floor.")
    clock = console.locator("#live-speaker .live-clock")
    first = clock.inner_text()
    expect(clock).not_to_have_text(first, timeout=3000)  # it counts down by itself

    shoot(console, "live-console")
    shoot(tablet, "live-tablet")
    shoot(screen, "live-screen")

    tablet.context.set_offline(True)
    expect(tablet.locator("#live-connection")).to_be_visible(timeout=15_000)
    console.get_by_role("button", name="Next item").click()
    expect(screen.locator("#live-current .live-item-title")).to_have_text(ITEMS[1])
    expect(tablet.locator("#live-current .live-item-title")).to_have_text(ITEMS[0])
    tablet.context.set_offline(False)
    expect(tablet.locator("#live-current .live-item-title")).to_have_text(ITEMS[1], timeout=20_000)
    connected(tablet)
