"""The attendance API: who is invited, their answers, check-in and quorum."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.agenda import actions
from meetings.agenda.models import Meeting
from meetings.archive.audit import Actor
from meetings.attendance.models import Participant
from tests.api.support import Headers, assert_error, count
from tests.client import Client
from tests.factories import Factory

Bearer = Callable[[User], Headers]
ACTOR = Actor(None, "test")


@dataclass
class Sitting:
    """A published meeting of a body: a chair, three members, a secretary, a deputy, a stranger."""

    meeting: Meeting
    people: dict[str, User]
    tokens: dict[str, Headers]

    @property
    def url(self) -> str:
        return f"/api/v1/meetings/{self.meeting.id}"


@pytest.fixture
def s(factory: Factory, bearer: Bearer) -> Sitting:
    org = factory.organisation("Bộ Tài chính")
    body = factory.body(org, "Lãnh đạo Bộ")
    people = {"secretary": factory.user(organisation=org, role="secretary")}
    for login in ("chair", "anh", "binh", "chi", "deputy"):
        people[login] = factory.user(organisation=org)
    factory.seat(body, people["chair"], role="chair")
    for login in ("anh", "binh", "chi"):
        factory.seat(body, people[login])
    people["stranger"] = factory.user(organisation=factory.organisation("Bộ Y tế"))
    meeting = factory.meeting(body, publish=True, items=1)
    return Sitting(meeting, people, {login: bearer(user) for login, user in people.items()})


def _answer(client: Client, s: Sitting, login: str, **answer: Any) -> Any:
    return client.put(f"{s.url}/answer", json=answer, headers=s.tokens[login])


def _open(db: Session, s: Sitting) -> None:
    actions.open_session(db, s.meeting, actor=ACTOR)


def _row(db: Session, s: Sitting, login: str) -> Participant:
    db.expire_all()
    return db.exec(
        select(Participant).where(
            Participant.meeting_id == s.meeting.id, Participant.user_id == s.people[login].id
        )
    ).one()


# -- answers -------------------------------------------------------------------------


def test_members_answer_their_own_invitations(client: Client, db: Session, s: Sitting) -> None:
    attend = _answer(client, s, "anh", reply="attend")
    assert attend.status_code == 200, attend.text
    assert attend.json()["answer"] == "attend" and attend.json()["user_id"] == s.people["anh"].id
    absent = _answer(client, s, "binh", reply="absent", reason="Đi công tác nước ngoài")
    assert absent.json()["absence_reason"] == "Đi công tác nước ngoài"
    sent = _answer(
        client,
        s,
        "chi",
        reply="substitute",
        reason="Họp Quốc hội",
        substitute_id=s.people["deputy"].id,
    )
    assert sent.json()["substitute_id"] == s.people["deputy"].id
    assert sent.json()["substitute_name"] == s.people["deputy"].name
    assert _row(db, s, "chi").answer == "substitute"


@pytest.mark.parametrize(
    "answer",
    [
        {"reply": "absent"},
        {"reply": "maybe"},
        {"reply": "attend", "mood": "good"},
        {"reply": "substitute", "reason": "Ốm"},
        {"reply": "substitute", "reason": "Ốm", "substitute_id": "7"},
    ],
)
def test_bad_answers_are_refused_and_change_nothing(
    client: Client, db: Session, s: Sitting, answer: dict[str, Any]
) -> None:
    assert_error(_answer(client, s, "anh", **answer), 422, "invalid")
    assert _row(db, s, "anh").answer == "pending"


def test_only_the_invited_answer(client: Client, factory: Factory, s: Sitting) -> None:
    assert_error(_answer(client, s, "secretary", reply="attend"), 404, "not_found")
    assert_error(_answer(client, s, "deputy", reply="attend"), 404, "not_found")
    assert_error(_answer(client, s, "stranger", reply="attend"), 404, "not_found")


def test_a_substitute_sees_the_meeting_but_does_not_answer_for_the_principal(
    client: Client, s: Sitting
) -> None:
    _answer(client, s, "chi", reply="substitute", reason="Ốm", substitute_id=s.people["deputy"].id)
    assert client.get(s.url, headers=s.tokens["deputy"]).status_code == 200
    assert_error(_answer(client, s, "deputy", reply="attend"), 404, "not_found")


# -- the list and who sees what ------------------------------------------------------


def test_absence_reasons_are_for_the_secretariat_the_chair_and_oneself(
    client: Client, s: Sitting
) -> None:
    _answer(client, s, "binh", reply="absent", reason="Việc riêng")

    def reason_seen_by(login: str) -> str | None:
        response = client.get(f"{s.url}/participants", headers=s.tokens[login])
        assert response.status_code == 200, response.text
        rows = {row["user_id"]: row for row in response.json()}
        assert rows[s.people["binh"].id]["answer"] == "absent"
        return rows[s.people["binh"].id]["absence_reason"]

    assert reason_seen_by("secretary") == "Việc riêng"
    assert reason_seen_by("chair") == "Việc riêng"
    assert reason_seen_by("binh") == "Việc riêng"
    assert reason_seen_by("anh") is None


def test_participants_list_names_roles_and_is_hidden_from_strangers(
    client: Client, s: Sitting
) -> None:
    rows = client.get(f"{s.url}/participants", headers=s.tokens["anh"]).json()
    assert {(row["name"], row["role"]) for row in rows} == {
        (s.people["chair"].name, "chair"),
        *((s.people[login].name, "member") for login in ("anh", "binh", "chi")),
    }
    assert_error(
        client.get(f"{s.url}/participants", headers=s.tokens["stranger"]), 404, "not_found"
    )
    assert_error(client.get(f"{s.url}/participants", headers=s.tokens["deputy"]), 404, "not_found")


def test_secretary_invites_a_guest_agency_and_members_may_not(
    client: Client, db: Session, s: Sitting
) -> None:
    before = count(db, Participant)
    guest = {"role": "bridge_point", "name": "Điểm cầu UBND tỉnh Bình An"}
    refused = client.post(f"{s.url}/participants", json=guest, headers=s.tokens["anh"])
    assert_error(refused, 403, "forbidden")
    bad = {"role": "member", "name": "Ai đó"}
    assert_error(
        client.post(f"{s.url}/participants", json=bad, headers=s.tokens["secretary"]),
        422,
        "invalid",
    )
    response = client.post(f"{s.url}/participants", json=guest, headers=s.tokens["secretary"])
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["name"] == "Điểm cầu UBND tỉnh Bình An" and made["user_id"] is None
    assert made["role"] == "bridge_point" and not made["voting_right"]
    assert count(db, Participant) == before + 1


# -- check-in and quorum -------------------------------------------------------------


def test_check_in_opens_with_the_session_and_counts_for_quorum(
    client: Client, db: Session, s: Sitting
) -> None:
    mine = {"presence": "in_room"}
    early = client.post(f"{s.url}/check-in", json=mine, headers=s.tokens["anh"])
    assert_error(early, 409, "conflict")
    quorum = client.get(f"{s.url}/quorum", headers=s.tokens["anh"]).json()
    assert quorum == {"present": 0, "required": 3, "seats": 4, "reached": False}
    _open(db, s)
    arrived = client.post(f"{s.url}/check-in", json=mine, headers=s.tokens["anh"]).json()
    assert arrived["presence"] == "in_room" and arrived["present"]
    chair_row = _row(db, s, "chair")
    by_secretary = client.post(
        f"{s.url}/participants/{chair_row.id}/check-in",
        json={"presence": "remote"},
        headers=s.tokens["secretary"],
    )
    assert by_secretary.json()["presence"] == "remote"
    assert _row(db, s, "chair").checked_in_by == s.people["secretary"].id
    client.post(f"{s.url}/check-in", json=mine, headers=s.tokens["binh"])
    quorum = client.get(f"{s.url}/quorum", headers=s.tokens["chair"]).json()
    assert quorum == {"present": 3, "required": 3, "seats": 4, "reached": True}


def test_check_in_refuses_bad_presence_others_and_unknown_participants(
    client: Client, db: Session, s: Sitting
) -> None:
    _open(db, s)
    bad = client.post(f"{s.url}/check-in", json={"presence": "asleep"}, headers=s.tokens["anh"])
    assert_error(bad, 422, "invalid")
    row = _row(db, s, "binh")
    other = client.post(
        f"{s.url}/participants/{row.id}/check-in",
        json={"presence": "in_room"},
        headers=s.tokens["anh"],
    )
    assert_error(other, 403, "forbidden")
    missing = client.post(
        f"{s.url}/participants/999999/check-in",
        json={"presence": "in_room"},
        headers=s.tokens["secretary"],
    )
    assert_error(missing, 404, "not_found")
    assert_error(
        client.post(
            f"{s.url}/check-in", json={"presence": "in_room"}, headers=s.tokens["secretary"]
        ),
        404,
        "not_found",
    )
    assert _row(db, s, "binh").presence == ""


def test_a_substitute_checks_in_on_the_invitation(client: Client, db: Session, s: Sitting) -> None:
    _answer(client, s, "chi", reply="substitute", reason="Ốm", substitute_id=s.people["deputy"].id)
    _open(db, s)
    response = client.post(
        f"{s.url}/check-in", json={"presence": "in_room"}, headers=s.tokens["deputy"]
    )
    assert response.json()["user_id"] == s.people["chi"].id and response.json()["present"]


def test_other_organisations_see_nothing(client: Client, s: Sitting) -> None:
    stranger = s.tokens["stranger"]
    for response in (
        client.get(f"{s.url}/quorum", headers=stranger),
        client.post(f"{s.url}/participants", json={"role": "guest", "name": "X"}, headers=stranger),
        client.post(f"{s.url}/check-in", json={"presence": "in_room"}, headers=stranger),
    ):
        assert_error(response, 404, "not_found")
