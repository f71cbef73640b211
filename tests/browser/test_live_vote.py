"""A live vote in four browsers: the chair's console, two members' tablets, the room screen.

The chair opens a vote on the item under discussion; each member taps a choice on their own
tablet and sees it confirmed; the count goes up on the console and the room screen as they
vote; the chair closes the vote and the result is on every screen. No page is reloaded. The
scene is made straight in the server's database, as in test_live_room: three voters (the
chair and two members, all checked in) and a room screen without a vote, so two votes make
the quorum of two thirds.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from meetings.agenda import actions as agenda_actions
from meetings.agenda import session
from meetings.archive.audit import Actor
from meetings.attendance import actions as attendance
from meetings.attendance.models import Participant
from meetings.db import make_engine
from tests.browser.harness import Tablets
from tests.browser.steps import shoot
from tests.browser.test_agenda_drag import _server_database
from tests.browser.test_live_room import connected, enter
from tests.factories import Factory

pytestmark = pytest.mark.browser

ITEM = "Dự thảo Nghị quyết về phát triển kinh tế số"
ACTOR = Actor(None, "test")
MIN_PX = 44
# Set on each page at the start; a reload would lose it.
MARK, STILL_THERE = "window.notReloaded = true", "window.notReloaded === true"


@dataclass
class VoteRoom:
    meeting_id: int
    chair: str
    members: tuple[str, str]
    screen: str


@pytest.fixture
def vote_room(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoteRoom]:
    """An open session on its only item, the chair and two members checked in."""
    engine = make_engine(f"sqlite:///{_server_database(tmp_path_factory)}")
    tag = uuid.uuid4().hex[:8]
    with Session(engine, expire_on_commit=False) as db:
        factory = Factory(db)
        org = factory.organisation(f"Ủy ban nhân dân biểu quyết {tag}")
        body = factory.body(org, "Ủy ban nhân dân")
        chair = factory.user("Võ Thành Yên", organisation=org, email=f"chutich-{tag}@test.example")
        first = factory.user("Lâm Thị Ánh", organisation=org, email=f"pct-{tag}@test.example")
        second = factory.user("Trần Văn Bình", organisation=org, email=f"uv-{tag}@test.example")
        screen = factory.user(
            "Màn hình phòng họp", organisation=org, email=f"mh-{tag}@test.example"
        )
        factory.seat(body, chair, role="chair", title="Chủ tịch")
        factory.seat(body, first, title="Phó Chủ tịch")
        factory.seat(body, second, title="Ủy viên")
        factory.seat(body, screen, title="Màn hình", voting_right=False)
        meeting = factory.meeting(body, "Phiên họp thường kỳ tháng 12")
        factory.item(meeting, ITEM)
        agenda_actions.publish(db, meeting, actor=ACTOR)
        agenda_actions.open_session(db, meeting, actor=ACTOR)
        session.step(db, meeting, actor=ACTOR, forward=True)
        rows = db.exec(select(Participant).where(Participant.meeting_id == meeting.id)).all()
        voters = {chair.id, first.id, second.id}
        for row in rows:
            if row.user_id in voters:
                attendance.check_in(db, meeting, row, actor=ACTOR, presence="in_room")
    yield VoteRoom(meeting.id or 0, chair.email, (first.email, second.email), screen.email)
    engine.dispose()


def vote(tablet: Page, choice: str) -> None:
    """Tap a choice; it is confirmed and the buttons go away."""
    tablet.get_by_role("button", name=choice, exact=True).click()
    expect(tablet.locator("#live-my-vote")).to_contain_text(
        f"Your vote has been recorded: {choice}."
    )
    expect(tablet.locator("#live-vote .live-vote-button")).to_have_count(3)
    for button in tablet.locator("#live-vote .live-vote-button").all():
        expect(button).to_be_hidden()


def counted(pages: tuple[Page, ...], text: str) -> None:
    for page in pages:
        expect(page.locator("#live-tally .live-tally-count")).to_have_text(text)


def test_members_vote_on_their_tablets_and_every_screen_follows_to_the_result(
    tablets: Tablets, vote_room: VoteRoom
) -> None:
    base = f"/meetings/{vote_room.meeting_id}/live"
    console = tablets.open("landscape", language="en")
    first = tablets.open("portrait", language="en")
    second = tablets.open("landscape", language="en")
    screen = tablets.open("landscape", language="en")
    enter(console, vote_room.chair, base + "/console")
    enter(first, vote_room.members[0], base)
    enter(second, vote_room.members[1], base)
    enter(screen, vote_room.screen, base + "/screen")
    pages = (console, first, second, screen)
    for page in pages:
        connected(page)
        page.evaluate(MARK)
        expect(page.locator("#live-vote")).to_contain_text("No vote on this item.")
    expect(first.locator("#live-vote button")).to_have_count(0)

    question = console.locator("#live-vote-question")
    expect(question).to_have_value(f"Do you approve: {ITEM}?")
    console.get_by_role("button", name="Open a vote on this item").click()
    expect(console.get_by_role("button", name="Close the vote and show the result")).to_be_visible()
    for page in pages:
        expect(page.locator("#live-vote .live-vote-question")).to_have_text(
            f"Do you approve: {ITEM}?"
        )
    counted((console, screen), "0 of 3 have voted")
    expect(screen.locator("#live-vote button")).to_have_count(0)
    for tablet in (first, second):
        expect(tablet.locator("#live-my-vote")).to_contain_text("Tap your choice")
        buttons = tablet.locator("#live-vote .live-vote-button")
        expect(buttons).to_have_text(["Agree", "Disagree", "Abstain"])
        for button in buttons.all():
            box = button.bounding_box()
            assert box is not None and box["height"] >= MIN_PX, f"{button.inner_text()}: {box}"
    shoot(console, "live-vote-console")
    shoot(first, "live-vote-tablet")

    vote(first, "Agree")
    counted((console, screen), "1 of 3 have voted")
    expect(second.locator("#live-vote .live-vote-button").first).to_be_visible()
    vote(second, "Abstain")
    counted((console, screen), "2 of 3 have voted")
    shoot(first, "live-vote-tablet-voted")
    shoot(screen, "live-vote-screen")

    console.get_by_role("button", name="Close the vote and show the result").click()
    expect(console.get_by_role("button", name="Publish the result")).to_be_visible()
    for page in pages:
        result = page.locator("#live-vote .vote-result")
        expect(result.locator(".vote-outcome")).to_have_text("Passed")
        expect(result.locator(".vote-figures th")).to_have_text(["Agree", "Disagree", "Abstain"])
        expect(result.locator(".vote-figures td")).to_have_text(["1", "0", "1"])
        expect(result.locator(".vote-explained")).to_contain_text(
            "2 of 3 took part; 1 in favour, 0 against, 1 abstaining or other."
        )
    expect(screen.locator("#live-tally")).to_be_hidden()  # the result has the figures now
    shoot(screen, "live-vote-screen-result")
    for page in pages:
        assert page.evaluate(STILL_THERE), f"{page.url} was reloaded"
