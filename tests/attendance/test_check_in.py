"""Checking myself in during the session, in the room or remote, and leaving early."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from meetings.attendance import actions
from tests.attendance.support import ACTOR, log_in, scene
from tests.client import Client
from tests.factories import Factory


@pytest.mark.parametrize(
    ("presence", "shown"), [("in_room", "In the room since"), ("remote", "Remote since")]
)
def test_a_member_checks_in(
    client: Client, factory: Factory, db: Session, presence: str, shown: str
) -> None:
    s = scene(factory, db)
    s.open()
    member = s.members[0]
    log_in(client, member)
    page = client.get(s.url("/attendance"))
    assert "Check in: in the room" in page.text and "Check in: remote" in page.text
    response = client.submit(s.url("/check-in"), {"presence": presence})
    assert response.status_code == 303
    row = s.row(member)
    assert (row.presence, row.checked_in_by, row.left_at) == (presence, member.id, None)
    page = client.get(s.url("/attendance")).text
    assert shown in page and "Leave the meeting" in page and "Late arrival" not in page


def test_a_late_member_is_told_so(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    s.open(minutes_ago=25)
    log_in(client, s.members[0])
    client.submit(s.url("/check-in"), {"presence": "in_room"})
    assert "Late arrival" in client.get(s.url("/attendance")).text


def test_a_member_leaves_early_and_may_come_back(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    member = s.members[0]
    log_in(client, member)
    client.submit(s.url("/check-in"), {"presence": "in_room"})
    assert client.submit(s.url("/leave")).status_code == 303
    assert s.row(member).left_at is not None
    page = client.get(s.url("/attendance")).text
    assert "Left at" in page and "Check in: in the room" in page
    client.submit(s.url("/check-in"), {"presence": "remote"})
    row = s.row(member)
    assert (row.presence, row.left_at) == ("remote", None)


def test_check_in_waits_for_the_session(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    log_in(client, s.members[0])
    assert "Check-in opens when the session opens." in client.get(s.url("/attendance")).text
    refused = client.submit(s.url("/check-in"), {"presence": "in_room"})
    assert refused.status_code == 409
    assert "Check-in opens when the session opens." in refused.text
    assert s.row(s.members[0]).presence == ""


def test_bad_presence_and_leaving_without_arriving_are_refused(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.members[0])
    refused = client.submit(s.url("/check-in"), {"presence": "garden"})
    assert refused.status_code == 422
    assert "Choose in the room or remote." in refused.text
    assert client.submit(s.url("/leave")).status_code == 409
    row = s.row(s.members[0])
    assert (row.presence, row.left_at) == ("", None)


def test_the_substitute_checks_in_on_the_invitation(
    client: Client, other_client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    member, deputy = s.members[0], s.outsider
    actions.answer(
        db,
        s.meeting,
        s.row(member),
        actor=ACTOR,
        reply="substitute",
        reason="Ốm",
        substitute_id=deputy.id,
    )
    s.open()
    log_in(client, deputy)
    assert client.submit(s.url("/check-in"), {"presence": "in_room"}).status_code == 303
    row = s.row(member)
    assert (row.presence, row.checked_in_by, row.answer) == ("in_room", deputy.id, "substitute")

    log_in(other_client, member)
    page = other_client.get(s.url("/attendance")).text
    assert f"{deputy.name} attends in your place." in page
    assert "Check in: in the room" not in page
    refused = other_client.submit(s.url("/check-in"), {"presence": "remote"})
    assert refused.status_code == 409
    assert s.row(member).presence == "in_room"


def test_a_guest_checks_in_too(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    actions.add_guest(db, s.meeting, actor=ACTOR, role="guest", user_id=s.outsider.id)
    s.open()
    log_in(client, s.outsider)
    assert client.submit(s.url("/check-in"), {"presence": "remote"}).status_code == 303
    assert s.row(s.outsider).presence == "remote"


def test_htmx_check_in_answers_with_my_attendance(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.members[0])
    response = client.htmx("POST", s.url("/check-in"), data={"presence": "in_room"})
    assert response.status_code == 200
    assert response.text.startswith('<section class="panel" id="my-attendance"')
    assert "In the room since" in response.text
