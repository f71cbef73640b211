"""The live-room pages and their actions, through HTTP, with the pushes on an open socket.

One client per test holds both the socket and the POSTs (two TestClients would run the app on
two event loops); the other people's moves are made with the rules straight in the database.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select
from starlette.testclient import WebSocketTestSession

from meetings.agenda import session
from meetings.agenda.models import AgendaItem, ItemStatus, Meeting
from meetings.attendance import actions as attendance
from meetings.live import floor, opinions
from meetings.live.models import FloorRequest, FloorState, Opinion
from tests.attendance.support import ACTOR, Scene, log_in, scene
from tests.client import Client
from tests.factories import Factory

ORIGIN = {"origin": "http://testserver"}


def live(s: Scene, tail: str = "") -> str:
    return s.url(f"/live{tail}")


def with_items(factory: Factory, s: Scene) -> list[AgendaItem]:
    """The scene's meeting with three items: Nội dung 1, Báo cáo kinh tế, Dự án luật."""
    factory.item(s.meeting, "Báo cáo kinh tế")
    factory.item(s.meeting, "Dự án luật đất đai")
    s.db.expire_all()
    return list(
        s.db.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == s.meeting.id)
            .order_by(AgendaItem.position, AgendaItem.id)  # type: ignore[arg-type]
        )
    )


def meeting_now(s: Scene) -> Meeting:
    s.db.expire_all()
    found = s.db.get(Meeting, s.meeting.id)
    assert found is not None
    return found


def until(socket: WebSocketTestSession, wanted: str, limit: int = 10) -> str:
    """The next message holding `wanted` (presence pushes may come in between)."""
    for _ in range(limit):
        text = socket.receive_text()
        if wanted in text:
            return text
    raise AssertionError(f"no message with {wanted!r}")


def htmx_post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.htmx("POST", url, data=data or {})


def guest_of(factory: Factory, s: Scene) -> Any:
    guest = factory.user("Khách Mời Bộ Ngoại giao", organisation=s.org)
    attendance.add_guest(s.db, s.meeting, actor=ACTOR, role="guest", user_id=guest.id)
    return guest


# -- the pages and who may open them --------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "tail", "status"),
    [
        ("secretary", "/console", 200),
        ("chair", "/console", 200),
        ("member", "/console", 403),
        ("guest", "/console", 403),
        ("outsider", "/console", 404),
        ("stranger", "/console", 404),
        ("member", "", 200),
        ("chair", "", 200),
        ("guest", "", 403),
        ("outsider", "", 404),
        ("stranger", "", 404),
        ("guest", "/screen", 200),
        ("member", "/screen", 200),
        ("secretary", "/screen", 200),
        ("outsider", "/screen", 404),
        ("stranger", "/screen", 404),
        ("guest", "/my-floor", 403),
        ("outsider", "/my-floor", 404),
    ],
)
def test_each_live_page_opens_only_for_those_it_is_for(
    client: Client, factory: Factory, db: Session, who: str, tail: str, status: int
) -> None:
    s = scene(factory, db)
    people = {
        "secretary": s.secretary,
        "chair": s.chair,
        "member": s.members[0],
        "outsider": s.outsider,
    }
    if who == "guest":
        people["guest"] = guest_of(factory, s)
    if who == "stranger":
        people["stranger"] = factory.user("Người Ngoài", organisation=factory.organisation())
    log_in(client, people[who])
    response = client.get(live(s, tail))
    assert response.status_code == status
    if status == 200 and tail != "/my-floor":
        view = {"/console": "console", "": "tablet", "/screen": "screen"}[tail]
        assert f'ws-connect="/ws/meetings/{s.meeting.id}?view={view}"' in response.text
        assert 'id="live-state"' in response.text and 'id="live-connection"' in response.text
        assert "vendor/htmx-ext-ws.min.js" in response.text and "js/live.js" in response.text


def test_the_console_paints_every_region_with_its_controls(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.chair)
    text = client.get(live(s, "/console")).text
    for region in ("state", "current", "agenda", "floor", "speaker", "opinions", "presence"):
        assert f'id="live-{region}"' in text
    assert 'id="quorum"' in text
    assert "Next item" in text and "Take up" in text


def test_the_room_screen_has_no_controls(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, guest_of(factory, s))
    text = client.get(live(s, "/screen")).text
    main = text[text.index('<main id="main"') :]
    assert "<button" not in main.split("</main>")[0]
    assert 'id="live-agenda"' not in text and 'id="live-floor"' not in text


def test_the_meeting_page_links_to_the_live_pages_during_the_session(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    log_in(client, s.members[0])
    assert f'href="/meetings/{s.meeting.id}/live"' not in client.get(s.url()).text
    s.open()
    assert f'href="/meetings/{s.meeting.id}/live"' in client.get(s.url()).text
    log_in(client, s.chair)
    assert f'href="/meetings/{s.meeting.id}/live/console"' in client.get(s.url()).text


# -- the chair's moves ----------------------------------------------------------------------


def test_next_takes_up_the_first_item_and_every_console_hears_it(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    items = with_items(factory, s)
    s.open()
    log_in(client, s.chair)
    with client.websocket_connect(
        f"/ws/meetings/{s.meeting.id}?view=console", headers=ORIGIN
    ) as ws:
        until(ws, 'id="live-current"')
        response = htmx_post(client, live(s, "/next"))
        assert response.status_code == 200
        assert 'id="live-current"' in response.text and "Nội dung 1" in response.text
        assert meeting_now(s).current_item_id == items[0].id
        pushed = until(ws, 'id="live-current"')
        assert "Nội dung 1" in pushed and 'id="live-agenda"' in pushed

        htmx_post(client, live(s, "/next"))
        assert meeting_now(s).current_item_id == items[1].id
        assert "Báo cáo kinh tế" in until(ws, 'id="live-current"')
        assert s.db.get(AgendaItem, items[0].id).status == ItemStatus.done  # type: ignore[union-attr]

        htmx_post(client, live(s, "/previous"))
        assert meeting_now(s).current_item_id == items[0].id
        assert "Nội dung 1" in until(ws, 'id="live-current"')


def test_the_chair_takes_up_any_item_and_marks_items(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    items = with_items(factory, s)
    s.open()
    log_in(client, s.secretary)
    with client.websocket_connect(f"/ws/meetings/{s.meeting.id}?view=tablet", headers=ORIGIN) as ws:
        until(ws, 'id="live-current"')
        assert htmx_post(client, live(s, f"/items/{items[2].id}/take-up")).status_code == 200
        assert meeting_now(s).current_item_id == items[2].id
        assert "Dự án luật đất đai" in until(ws, 'id="live-current"')

        marked = htmx_post(client, live(s, f"/items/{items[2].id}/mark"), {"status": "deferred"})
        assert marked.status_code == 200
        assert meeting_now(s).current_item_id is None
        assert s.db.get(AgendaItem, items[2].id).status == ItemStatus.deferred  # type: ignore[union-attr]
        assert "No item is under discussion." in until(ws, 'id="live-current"')

        htmx_post(client, live(s, f"/items/{items[2].id}/mark"), {"status": "pending"})
        s.db.expire_all()
        assert s.db.get(AgendaItem, items[2].id).status == ItemStatus.pending  # type: ignore[union-attr]


def test_a_plain_form_is_answered_with_a_redirect_to_the_console(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.chair)
    response = client.submit(live(s, "/next"))
    assert response.status_code == 303
    assert response.headers["location"] == live(s, "/console")


def test_moves_outside_the_session_are_refused_and_change_nothing(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    log_in(client, s.chair)
    client.get(live(s, "/console"))
    response = htmx_post(client, live(s, "/next"))
    assert response.status_code == 409
    assert "only be done while the session is open" in response.text
    assert 'id="live-message"' in response.text
    assert meeting_now(s).current_item_id is None
    plain = client.submit(live(s, "/next"))
    assert plain.status_code == 409 and 'id="live-console"' not in plain.text
    assert "only be done while the session is open" in plain.text


def test_bad_input_and_unknown_objects_are_refused(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    items = with_items(factory, s)
    s.open()
    log_in(client, s.chair)
    client.get(live(s, "/console"))
    bad = htmx_post(client, live(s, f"/items/{items[0].id}/mark"), {"status": "adopted"})
    assert bad.status_code == 422 and "Choose done, deferred or pending." in bad.text
    assert htmx_post(client, live(s, "/items/999999/take-up")).status_code == 404
    assert htmx_post(client, live(s, "/floor/999999/skip")).status_code == 404
    assert htmx_post(client, live(s, "/floor/grant"), {"request_id": "x"}).status_code == 422
    assert htmx_post(client, live(s, "/opinions/999999/show"), {"public": "1"}).status_code == 404
    assert meeting_now(s).current_item_id is None


def test_a_member_may_not_run_the_session(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    s.open()
    member = s.members[1]
    request = floor.ask(db, s.meeting, member.id or 0, topic="", actor=ACTOR)
    log_in(client, s.members[0])
    client.get(live(s))
    for tail in ("/next", "/previous", "/floor/grant", f"/floor/{request.id}/skip", "/floor/end"):
        assert htmx_post(client, live(s, tail)).status_code == 403, tail
    db.expire_all()
    assert db.get(FloorRequest, request.id).state == FloorState.waiting  # type: ignore[union-attr]
    log_in(client, s.outsider)
    client.get("/")
    assert htmx_post(client, live(s, "/floor/grant")).status_code == 404


# -- the floor -------------------------------------------------------------------------------


def test_the_chair_gives_the_floor_and_every_screen_shows_the_speaker(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    first = floor.ask(db, s.meeting, s.members[0].id or 0, topic="Về vốn", actor=ACTOR)
    second = floor.ask(db, s.meeting, s.members[1].id or 0, topic="", actor=ACTOR)
    log_in(client, s.chair)
    with client.websocket_connect(
        f"/ws/meetings/{s.meeting.id}?view=console", headers=ORIGIN
    ) as ws:
        snapshot = until(ws, 'id="live-floor"')
        assert "Bộ Trưởng 1" in snapshot and "Give the floor" in snapshot
        response = htmx_post(client, live(s, "/floor/grant"), {"request_id": str(second.id)})
        assert response.status_code == 200 and 'id="live-speaker"' in response.text
        db.expire_all()
        assert db.get(FloorRequest, second.id).state == FloorState.speaking  # type: ignore[union-attr]
        pushed = until(ws, 'id="live-speaker"')
        assert "Bộ Trưởng 2" in pushed and 'data-allotted="180"' in pushed
        assert "data-started-at=" in pushed

        htmx_post(client, live(s, f"/floor/{first.id}/skip"))
        db.expire_all()
        assert db.get(FloorRequest, first.id).state == FloorState.skipped  # type: ignore[union-attr]
        assert "Nobody is waiting for the floor." in until(ws, 'id="live-floor"')

        assert htmx_post(client, live(s, "/floor/end")).status_code == 200
        db.expire_all()
        assert db.get(FloorRequest, second.id).state == FloorState.done  # type: ignore[union-attr]
        assert "Nobody has the floor." in until(ws, 'id="live-speaker"')

        nobody = htmx_post(client, live(s, "/floor/grant"))
        assert nobody.status_code == 409 and "Nobody is waiting for the floor." in nobody.text


def test_a_member_asks_for_the_floor_and_withdraws(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    member = s.members[0]
    floor.ask(db, s.meeting, s.members[1].id or 0, topic="", actor=ACTOR)
    log_in(client, member)
    assert "Ask for the floor" in client.get(live(s, "/my-floor")).text
    with client.websocket_connect(f"/ws/meetings/{s.meeting.id}?view=tablet", headers=ORIGIN) as ws:
        snapshot = until(ws, 'id="live-floor"')
        assert f'hx-get="/meetings/{s.meeting.id}/live/my-floor"' in snapshot
        asked = htmx_post(client, live(s, "/floor"), {"topic": "Ý kiến về  vốn"})
        assert asked.status_code == 200
        assert "number 2 in the queue" in asked.text and "Withdraw my request" in asked.text
        mine = floor.mine(db, s.meeting.id or 0, member.id or 0)
        assert mine is not None and mine.topic == "Ý kiến về vốn"
        pushed = until(ws, 'id="live-floor"')
        assert "Bộ Trưởng 1" in pushed and "Ý kiến về vốn" in pushed
        assert "Give the floor" not in pushed, "the tablet has no chair's controls"

        again = htmx_post(client, live(s, "/floor"), {"topic": ""})
        assert again.status_code == 409 and "already asked" in again.text

        withdrawn = htmx_post(client, live(s, "/floor/withdraw"))
        assert withdrawn.status_code == 200 and "Ask for the floor" in withdrawn.text
        db.expire_all()
        assert floor.mine(db, s.meeting.id or 0, member.id or 0) is None
        assert "Bộ Trưởng 1" not in until(ws, 'id="live-floor"')

    nothing = htmx_post(client, live(s, "/floor/withdraw"))
    assert nothing.status_code == 409 and "no request waiting" in nothing.text


def test_asking_outside_the_session_is_refused(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    log_in(client, s.members[0])
    client.get(live(s))
    refused = htmx_post(client, live(s, "/floor"), {"topic": ""})
    assert refused.status_code == 409
    assert db.exec(select(FloorRequest)).all() == []


def test_a_guest_may_not_ask_for_the_floor_nor_post(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, guest_of(factory, s))
    client.get(live(s, "/screen"))
    assert htmx_post(client, live(s, "/floor"), {"topic": ""}).status_code == 403
    assert htmx_post(client, live(s, "/opinions"), {"text": "Xin ý kiến"}).status_code == 403
    assert db.exec(select(FloorRequest)).all() == [] and db.exec(select(Opinion)).all() == []


# -- written opinions ------------------------------------------------------------------------


def test_a_members_opinion_reaches_the_console_but_not_the_tablets(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    items = with_items(factory, s)
    s.open()
    session.go_to(db, s.meeting, items[0], actor=ACTOR)
    log_in(client, s.members[0])
    with client.websocket_connect(f"/ws/meetings/{s.meeting.id}?view=tablet", headers=ORIGIN) as ws:
        until(ws, 'id="live-opinions"')
        posted = htmx_post(client, live(s, "/opinions"), {"text": "Đề nghị bổ sung điều 5"})
        assert posted.status_code == 200
        assert "Your opinion has been sent to the chair." in posted.text
        assert "Đề nghị bổ sung điều 5" not in posted.text, "still private"
        pushed = until(ws, 'id="live-opinions"')
        assert "Đề nghị bổ sung điều 5" not in pushed
        empty = htmx_post(client, live(s, "/opinions"), {"text": "   "})
        assert empty.status_code == 422 and "Write your opinion first." in empty.text
    assert [o.text for o in db.exec(select(Opinion))] == ["Đề nghị bổ sung điều 5"]


def test_the_chair_shows_an_opinion_to_everyone_and_hides_it(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    items = with_items(factory, s)
    s.open()
    session.go_to(db, s.meeting, items[0], actor=ACTOR)
    opinion = opinions.post(db, s.meeting, s.members[0].id or 0, text="Nhất trí", actor=ACTOR)
    log_in(client, s.chair)
    with client.websocket_connect(f"/ws/meetings/{s.meeting.id}?view=screen", headers=ORIGIN) as ws:
        assert "Nhất trí" not in until(ws, 'id="live-opinions"')
        shown = htmx_post(client, live(s, f"/opinions/{opinion.id}/show"), {"public": "1"})
        assert shown.status_code == 200 and "Shown to everyone" in shown.text
        db.expire_all()
        assert db.get(Opinion, opinion.id).public is True  # type: ignore[union-attr]
        assert "Nhất trí" in until(ws, 'id="live-opinions"')
        htmx_post(client, live(s, f"/opinions/{opinion.id}/show"), {"public": "0"})
        assert "Nhất trí" not in until(ws, 'id="live-opinions"')
        odd = htmx_post(client, live(s, f"/opinions/{opinion.id}/show"), {"public": "maybe"})
        assert odd.status_code == 422
