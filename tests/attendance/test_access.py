"""Who may use the attendance pages: 404 for a meeting one may not see, 403 for the wrong role."""

from __future__ import annotations

from sqlmodel import Session, func, select

from meetings.archive.models import AuditEntry
from meetings.attendance.models import Participant
from tests.attendance.support import Scene, log_in, scene
from tests.client import Client
from tests.factories import Factory

MANAGE = [
    ("POST", "/participants/guests"),
    ("POST", "/participants/bridge-points"),
    ("POST", "/participants/{row}/check-in"),
    ("POST", "/participants/{row}/leave"),
]
LOOK = [("GET", "/participants"), ("GET", "/quorum")]
MINE = [
    ("GET", "/answer"),
    ("POST", "/answer"),
    ("GET", "/attendance"),
    ("POST", "/check-in"),
    ("POST", "/leave"),
]
EVERY = MANAGE + LOOK + MINE
FORM = {"reply": "attend", "presence": "in_room", "name": "Điểm cầu", "user_id": ""}


def statuses(client: Client, s: Scene, routes: list[tuple[str, str]]) -> dict[str, int]:
    row = s.row(s.members[0]).id if s.meeting.state != "draft" else 0
    answers = {}
    for method, tail in routes:
        url = s.url(tail.format(row=row))
        response = client.get(url) if method == "GET" else client.submit(url, FORM)
        answers[f"{method} {tail}"] = response.status_code
    return answers


def writes(db: Session) -> tuple[int, int]:
    db.expire_all()
    entries = db.exec(select(func.count()).select_from(AuditEntry)).one()
    rows = db.exec(select(func.count()).select_from(Participant)).one()
    return entries, rows


def test_another_organisation_sees_nothing(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    s.open()
    stranger = factory.user("Thư Ký Khác", organisation=factory.organisation(), role="secretary")
    log_in(client, stranger)
    before = writes(db)
    assert set(statuses(client, s, EVERY).values()) == {404}
    assert writes(db) == before


def test_a_person_who_is_not_invited_sees_nothing(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.outsider)
    before = writes(db)
    assert set(statuses(client, s, EVERY).values()) == {404}
    assert writes(db) == before


def test_members_do_not_see_a_draft(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db, publish=False)
    log_in(client, s.members[0])
    assert set(statuses(client, s, EVERY).values()) == {404}


def test_an_invited_member_may_not_manage_or_look(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.members[1])
    before = writes(db)
    assert set(statuses(client, s, MANAGE + LOOK).values()) == {403}
    assert writes(db) == before


def test_the_chair_may_look_but_not_manage(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.chair)
    assert set(statuses(client, s, LOOK).values()) == {200}
    before = writes(db)
    assert set(statuses(client, s, MANAGE).values()) == {403}
    assert writes(db) == before


def test_the_secretariat_has_no_invitation_of_its_own(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.secretary)
    assert set(statuses(client, s, LOOK).values()) == {200}
    assert set(statuses(client, s, MINE).values()) == {403}


def test_a_participant_of_another_meeting_is_not_found(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    other = factory.meeting(s.body, "Phiên họp chuyên đề", publish=True)
    stranger_row = db.exec(select(Participant).where(Participant.meeting_id == other.id)).first()
    assert stranger_row is not None
    log_in(client, s.secretary)
    for tail in ("check-in", "leave"):
        response = client.submit(s.url(f"/participants/{stranger_row.id}/{tail}"), FORM)
        assert response.status_code == 404
    db.refresh(stranger_row)
    assert stranger_row.presence == ""


def test_logged_out_visitors_are_sent_to_log_in(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    for method, tail in EVERY:
        url = s.url(tail.format(row=1))
        response = client.get(url) if method == "GET" else client.submit(url, FORM)
        assert response.status_code == 303, (method, tail)
        assert response.headers["location"].startswith("/login")
