"""The secretariat's participants page: answers at a glance, guests, bridge points, check-in."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from meetings.agenda import actions as agenda
from meetings.attendance import actions
from meetings.attendance.models import Participant
from meetings.notifications.models import Notification
from tests.attendance.support import ACTOR, Scene, log_in, scene
from tests.client import Client
from tests.factories import Factory


def counts(html: str) -> dict[str, int]:
    found = re.findall(r'<li class="answer-(\w+)"><strong>(\d+)</strong>', html)
    return {key: int(n) for key, n in found}


def participants(db: Session, s: Scene) -> list[Participant]:
    db.expire_all()
    return list(db.exec(select(Participant).where(Participant.meeting_id == s.meeting.id)))


def test_answers_at_a_glance(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db, members=4)
    first, second, third, _fourth = s.members
    actions.answer(db, s.meeting, s.row(first), actor=ACTOR, reply="attend")
    actions.answer(db, s.meeting, s.row(second), actor=ACTOR, reply="absent", reason="Ốm")
    actions.answer(
        db,
        s.meeting,
        s.row(third),
        actor=ACTOR,
        reply="substitute",
        reason="Công tác nước ngoài",
        substitute_id=s.outsider.id,
    )
    log_in(client, s.secretary)
    page = client.get(s.url("/participants"))
    assert page.status_code == 200
    assert counts(page.text) == {"attend": 1, "absent": 1, "substitute": 1, "pending": 2}
    for text in ("Ốm", "Công tác nước ngoài", s.outsider.name, "Sends a substitute", "Chair"):
        assert text in page.text
    assert "Not checked in" in page.text
    assert "two thirds of 5 seats" in page.text


def test_the_chair_may_look_but_not_manage(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    log_in(client, s.chair)
    page = client.get(s.url("/participants"))
    assert page.status_code == 200
    assert "Invite a guest" not in page.text
    refused = client.submit(s.url("/participants/bridge-points"), {"name": "Lào Cai"})
    assert refused.status_code == 403
    assert len(participants(db, s)) == 4


def test_secretariat_invites_a_person_as_guest_who_is_told(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    log_in(client, s.secretary)
    form = {"user_id": str(s.outsider.id), "title": "Thứ trưởng Bộ Tư pháp"}
    added = client.submit(s.url("/participants/guests"), form)
    assert added.status_code == 303
    row = s.row(s.outsider)
    assert (row.role, row.title, row.voting_right, row.counts_for_quorum) == (
        "guest",
        "Thứ trưởng Bộ Tư pháp",
        False,
        False,
    )
    told = db.exec(select(Notification).where(Notification.user_id == s.outsider.id)).all()
    assert [n.kind for n in told] == ["invitation"]
    page = client.get(s.url("/participants")).text
    assert f"{s.outsider.name} has been invited as a guest." in page
    assert "Thứ trưởng Bộ Tư pháp" in page


def test_secretariat_invites_an_agency_and_a_bridge_point(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    log_in(client, s.secretary)
    agency = {"user_id": "", "name": "Ngân hàng Nhà nước Việt Nam", "title": "Đại diện"}
    assert client.submit(s.url("/participants/guests"), agency).status_code == 303
    bridge = {"name": "Điểm cầu UBND tỉnh Lào Cai"}
    assert client.submit(s.url("/participants/bridge-points"), bridge).status_code == 303
    added = {(row.role, row.name) for row in participants(db, s) if row.user_id is None}
    assert added == {
        ("guest", "Ngân hàng Nhà nước Việt Nam"),
        ("bridge_point", "Điểm cầu UBND tỉnh Lào Cai"),
    }
    page = client.get(s.url("/participants")).text
    assert "The bridge point Điểm cầu UBND tỉnh Lào Cai has been added." in page
    assert "Bridge point" in page and "Ngân hàng Nhà nước Việt Nam" in page
    assert counts(page)["pending"] == 4, "agencies and sites without an account do not answer"


@pytest.mark.parametrize(
    ("url", "form", "message"),
    [
        ("/participants/guests", {"name": " "}, "Choose a person or give the name"),
        ("/participants/guests", {"user_id": "x"}, "Choose a person of this organisation."),
        ("/participants/guests", {"user_id": "999999"}, "Choose a person of this organisation."),
        ("/participants/guests", {"user_id": "{member}"}, "This person is already invited."),
        ("/participants/bridge-points", {"name": ""}, "Choose a person or give the name"),
    ],
)
def test_bad_guests_are_refused_and_nothing_is_stored(
    client: Client, factory: Factory, db: Session, url: str, form: dict[str, str], message: str
) -> None:
    s = scene(factory, db)
    log_in(client, s.secretary)
    form = {key: value.format(member=s.members[0].id) for key, value in form.items()}
    refused = client.submit(s.url(url), form)
    assert refused.status_code == 422
    assert message in refused.text
    assert "Correct the form below." in refused.text
    assert len(participants(db, s)) == 4


def test_no_guests_once_the_meeting_is_closed(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    agenda.close_session(db, s.meeting, actor=ACTOR)
    log_in(client, s.secretary)
    refused = client.submit(s.url("/participants/bridge-points"), {"name": "Hà Giang"})
    assert refused.status_code == 409
    assert "Guests can no longer be invited to this meeting." in refused.text
    assert len(participants(db, s)) == 4


def test_secretariat_checks_people_in_and_records_departures(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.secretary)
    page = client.get(s.url("/participants")).text
    assert f'aria-label="Check in {s.members[0].name}"' in page
    first, second = s.row(s.members[0]), s.row(s.members[1])
    in_room = client.submit(s.url(f"/participants/{first.id}/check-in"), {"presence": "in_room"})
    assert in_room.status_code == 303
    remote = client.submit(s.url(f"/participants/{second.id}/check-in"), {"presence": "remote"})
    assert remote.status_code == 303
    first, second = s.row(s.members[0]), s.row(s.members[1])
    assert (first.presence, first.checked_in_by) == ("in_room", s.secretary.id)
    assert second.presence == "remote"
    left = client.submit(s.url(f"/participants/{first.id}/leave"))
    assert left.status_code == 303
    assert s.row(s.members[0]).left_at is not None
    page = client.get(s.url("/participants")).text
    assert "Left" in page and "Remote" in page
    assert "Late arrival" not in page, "arriving just after the opening is on time"


def test_check_in_through_htmx_answers_with_the_list_and_refreshes_quorum(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.secretary)
    row = s.row(s.members[0])
    response = client.htmx(
        "POST", s.url(f"/participants/{row.id}/check-in"), data={"presence": "in_room"}
    )
    assert response.status_code == 200
    assert response.text.startswith('<section class="panel" id="participant-list"')
    assert response.headers["hx-trigger"] == "attendance"
    assert "<html" not in response.text
    assert s.row(s.members[0]).presence == "in_room"


def test_late_arrivals_are_marked(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    s.open(minutes_ago=30)
    s.check_in(s.members[0])
    log_in(client, s.secretary)
    page = client.get(s.url("/participants")).text
    assert page.count("Late arrival") == 1


def test_bridge_points_and_agencies_are_checked_in_by_the_secretariat(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    actions.add_guest(db, s.meeting, actor=ACTOR, role="bridge_point", name="Điểm cầu Cà Mau")
    s.open()
    site = next(row for row in participants(db, s) if row.role == "bridge_point")
    log_in(client, s.secretary)
    response = client.submit(s.url(f"/participants/{site.id}/check-in"), {"presence": "remote"})
    assert response.status_code == 303
    db.refresh(site)
    assert site.presence == "remote"


@pytest.mark.parametrize(("opened", "status"), [(False, 409), (True, 422)])
def test_bad_check_ins_are_refused(
    client: Client, factory: Factory, db: Session, opened: bool, status: int
) -> None:
    s = scene(factory, db)
    if opened:
        s.open()
    log_in(client, s.secretary)
    row = s.row(s.members[0])
    presence = "on the moon" if opened else "in_room"
    refused = client.submit(s.url(f"/participants/{row.id}/check-in"), {"presence": presence})
    assert refused.status_code == status
    assert s.row(s.members[0]).presence == ""


def test_departure_of_someone_not_checked_in_is_refused(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.secretary)
    row = s.row(s.members[0])
    refused = client.submit(s.url(f"/participants/{row.id}/leave"))
    assert refused.status_code == 409
    assert "Only someone checked in during the session can leave." in refused.text
    assert s.row(s.members[0]).left_at is None


def test_the_guest_list_offers_only_people_not_yet_invited(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    log_in(client, s.secretary)
    page = client.get(s.url("/participants")).text
    offered = set(re.findall(r'<option value="(\d+)"', page))
    assert offered == {str(s.outsider.id), str(s.secretary.id)}
