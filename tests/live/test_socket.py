"""The meeting socket: who is admitted, the snapshot on connect, and live pushes after commits.

These run the real app in-process (Starlette's test client speaks the websocket protocol to it)
on the test database and the configured broadcast backend (memory, or Redis in the second CI
pass).
"""

from __future__ import annotations

import pytest
from sqlmodel import Session
from starlette.websockets import WebSocketDisconnect

from meetings.accounts.actions import create_api_token
from meetings.agenda.models import Meeting
from meetings.live import announce
from meetings.live.events import AttendanceChanged, Audience
from tests.attendance.support import ACTOR, Scene, log_in, scene
from tests.client import Client
from tests.factories import Factory

ORIGIN = {"origin": "http://testserver"}


def socket_url(s: Scene) -> str:
    return f"/ws/meetings/{s.meeting.id}"


def token_for(db: Session, user) -> str:  # type: ignore[no-untyped-def]
    token = create_api_token(db, user=user, name="tablet", actor=ACTOR)
    db.commit()
    return token


def test_the_secretariat_gets_the_quorum_at_once_and_then_every_check_in(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.secretary)
    with client.websocket_connect(socket_url(s), headers=ORIGIN) as socket:
        snapshot = socket.receive_text()
        assert 'id="quorum"' in snapshot and "0 present" in snapshot
        member = s.row(s.members[0])
        arrival = client.submit(
            s.url(f"/participants/{member.id}/check-in"), {"presence": "in_room"}
        )
        assert arrival.status_code in (200, 303)
        assert "1 present" in quorum_pushed(socket)
        client.submit(s.url(f"/participants/{member.id}/leave"))
        assert "0 present" in quorum_pushed(socket)


def quorum_pushed(socket) -> str:  # type: ignore[no-untyped-def]
    """The next pushed quorum panel (other regions, e.g. who is connected, may come first)."""
    for _ in range(5):
        text = socket.receive_text()
        if 'id="quorum"' in text:
            return text
    raise AssertionError("no quorum panel was pushed")


def test_each_event_takes_the_next_sequence_number_of_its_meeting(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    before = s.meeting.live_seq
    s.check_in(s.members[0])
    s.check_in(s.members[1])
    db.expire_all()
    assert db.get(Meeting, s.meeting.id).live_seq == before + 2  # type: ignore[union-attr]


def test_a_change_rolled_back_announces_nothing_and_takes_no_number(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    before = s.meeting.live_seq
    event = announce.queue(db, AttendanceChanged, s.meeting.id or 0, participant_id=1)
    assert event.seq == before + 1 and db.info["live_events"] == [event]
    db.rollback()
    assert "live_events" not in db.info
    db.expire_all()
    assert db.get(Meeting, s.meeting.id).live_seq == before  # type: ignore[union-attr]


def test_a_member_with_a_token_is_admitted_without_an_origin(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    token = token_for(db, s.members[0])
    headers = {"authorization": f"Bearer {token}"}
    with client.websocket_connect(socket_url(s), headers=headers) as socket:
        socket.close()


@pytest.mark.parametrize(
    "who",
    ["nobody", "outsider", "other_organisation", "wrong_origin", "no_origin", "bad_token"],
)
def test_the_socket_refuses_anyone_else_before_the_handshake(
    client: Client, factory: Factory, db: Session, who: str
) -> None:
    s = scene(factory, db)
    headers = dict(ORIGIN)
    if who == "outsider":
        log_in(client, s.outsider)
    elif who == "other_organisation":
        other = factory.organisation()
        log_in(client, factory.user("Người Ngoài", organisation=other))
    elif who == "wrong_origin":
        log_in(client, s.members[0])
        headers = {"origin": "https://evil.example"}
    elif who == "no_origin":
        log_in(client, s.members[0])
        headers = {}
    elif who == "bad_token":
        headers = {"authorization": "Bearer not-a-real-token"}
    # Closed before the handshake is accepted (a real server answers HTTP 403).
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(socket_url(s), headers=headers),
    ):
        pass
    assert refused.value.code == 1008


def test_a_socket_for_a_meeting_that_does_not_exist_is_refused(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    log_in(client, s.chair)
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/ws/meetings/999999", headers=ORIGIN),
    ):
        pass


def test_each_audience_gets_only_its_regions(client: Client, factory: Factory, db: Session) -> None:
    """The quorum panel is the chair's: members and guests get nothing of it."""
    s = scene(factory, db)
    s.open()
    render = client.app.state.hub.render  # type: ignore[attr-defined]
    meeting_id = s.meeting.id or 0
    assert 'id="quorum"' in render(meeting_id, ("quorum",), Audience.console, "vi")
    assert 'id="quorum"' in render(meeting_id, (), Audience.console, "vi")  # the snapshot
    assert render(meeting_id, ("quorum",), Audience.tablet, "en") == ""
    assert 'id="quorum"' in render(meeting_id, (), Audience.screen, "en")
    assert 'id="quorum"' not in render(meeting_id, (), Audience.tablet, "en")
