"""The organisations API: reading an organisation, its bodies and seats, and changing them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.archive.models import AuditEntry
from meetings.organisations.models import Body, Membership, Organisation
from tests.api.support import Headers, assert_error, count
from tests.client import Client
from tests.factories import Factory

Bearer = Callable[[User], Headers]


@dataclass
class Ministry:
    """An organisation with one person of each role, their tokens, and a body."""

    org: Organisation
    admin: User
    secretary: User
    member: User
    body: Body
    tokens: dict[str, Headers]

    @property
    def url(self) -> str:
        return f"/api/v1/organisations/{self.org.id}"

    @property
    def body_url(self) -> str:
        return f"{self.url}/bodies/{self.body.id}"


@pytest.fixture
def ministry(factory: Factory, bearer: Bearer) -> Ministry:
    return _ministry(factory, bearer, "Bộ Tài chính")


@pytest.fixture
def other(factory: Factory, bearer: Bearer) -> Ministry:
    return _ministry(factory, bearer, "Bộ Y tế")


def _ministry(factory: Factory, bearer: Bearer, name: str) -> Ministry:
    org = factory.organisation(name)
    people = {
        role: factory.user(organisation=org, role=role) for role in ("admin", "secretary", "member")
    }
    body = factory.body(org, "Ban cán sự đảng")
    factory.seat(body, people["member"], title="Thứ trưởng")
    tokens = {role: bearer(user) for role, user in people.items()}
    return Ministry(org, people["admin"], people["secretary"], people["member"], body, tokens)


# -- reading -------------------------------------------------------------------------


def test_member_reads_the_organisation_with_their_role(client: Client, ministry: Ministry) -> None:
    response = client.get(ministry.url, headers=ministry.tokens["member"])
    assert response.status_code == 200
    assert response.json() == {
        "id": ministry.org.id,
        "name": "Bộ Tài chính",
        "short_name": ministry.org.short_name,
        "timezone": "Asia/Ho_Chi_Minh",
        "role": "member",
    }
    admin = client.get(ministry.url, headers=ministry.tokens["admin"])
    assert admin.json()["role"] == "admin"


def test_member_lists_the_bodies_by_name(
    client: Client, factory: Factory, ministry: Ministry
) -> None:
    factory.body(ministry.org, "Hội đồng thi đua khen thưởng")
    response = client.get(f"{ministry.url}/bodies", headers=ministry.tokens["member"])
    assert response.status_code == 200
    bodies = response.json()
    assert [body["name"] for body in bodies] == ["Ban cán sự đảng", "Hội đồng thi đua khen thưởng"]
    assert set(bodies[0]) == {"id", "name", "description", "created_at", "archived_at"}


def test_body_shows_its_seats_in_protocol_order(
    client: Client, factory: Factory, ministry: Ministry
) -> None:
    factory.seat(ministry.body, ministry.secretary, role="secretary", title="Chánh Văn phòng")
    response = client.get(ministry.body_url, headers=ministry.tokens["member"])
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Ban cán sự đảng"
    assert body["seats"] == [
        _seat(ministry.member, title="Thứ trưởng", role="member"),
        _seat(ministry.secretary, title="Chánh Văn phòng", role="secretary"),
    ]


def _seat(user: User, **values: Any) -> dict[str, Any]:
    seat = {"voting_right": True, "vote_weight": 1, "assistant_id": None, **values}
    return {"user_id": user.id, "name": user.name, **seat}


def test_secretary_and_admin_list_the_people(client: Client, ministry: Ministry) -> None:
    for role in ("admin", "secretary"):
        response = client.get(f"{ministry.url}/people", headers=ministry.tokens[role])
        assert response.status_code == 200
        people = {person["id"]: person for person in response.json()}
        assert set(people) == {ministry.admin.id, ministry.secretary.id, ministry.member.id}
        assert people[ministry.member.id] == {
            "id": ministry.member.id,
            "name": ministry.member.name,
            "email": ministry.member.email,
            "role": "member",
            "active": True,
        }


# -- changing ------------------------------------------------------------------------


def test_admin_creates_a_body_recorded_in_the_audit_log(
    client: Client, db: Session, ministry: Ministry
) -> None:
    response = client.post(
        f"{ministry.url}/bodies",
        json={"name": "  Hội đồng   kỷ luật ", "description": "Xét kỷ luật công chức"},
        headers=ministry.tokens["admin"],
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["name"], created["description"]) == (
        "Hội đồng kỷ luật",
        "Xét kỷ luật công chức",
    )
    stored = db.get(Body, created["id"])
    assert stored is not None and stored.organisation_id == ministry.org.id
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "body.created")).all()[-1]
    assert (entry.actor_id, entry.organisation_id) == (ministry.admin.id, ministry.org.id)
    assert entry.object_id == str(created["id"])


def test_admin_renames_a_body_and_keeps_what_was_left_out(
    client: Client, db: Session, ministry: Ministry
) -> None:
    headers = ministry.tokens["admin"]
    described = client.patch(
        ministry.body_url, json={"description": "Lãnh đạo Bộ"}, headers=headers
    )
    assert described.status_code == 200, described.text
    renamed = client.patch(ministry.body_url, json={"name": "Ban cán sự"}, headers=headers)
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["name"], renamed.json()["description"]) == ("Ban cán sự", "Lãnh đạo Bộ")
    db.expire_all()
    stored = db.get(Body, ministry.body.id)
    assert stored is not None and stored.name == "Ban cán sự"


def test_admin_gives_a_seat_then_replaces_it(
    client: Client, db: Session, ministry: Ministry
) -> None:
    url = f"{ministry.body_url}/seats/{ministry.secretary.id}"
    headers = ministry.tokens["admin"]
    seat = {
        "role": "chair",
        "title": "Bộ trưởng",
        "vote_weight": 2,
        "assistant_id": ministry.admin.id,
    }
    created = client.put(url, json=seat, headers=headers)
    assert created.status_code == 200, created.text
    assert created.json() == _seat(
        ministry.secretary,
        role="chair",
        title="Bộ trưởng",
        vote_weight=2,
        assistant_id=ministry.admin.id,
    )
    replaced = client.put(url, json={"role": "guest", "title": "Khách mời"}, headers=headers)
    assert replaced.json() == _seat(
        ministry.secretary, role="guest", title="Khách mời", voting_right=False, vote_weight=0
    )
    seats = db.exec(select(Membership).where(Membership.body_id == ministry.body.id)).all()
    assert len(seats) == 2


def test_admin_takes_a_seat_away(client: Client, db: Session, ministry: Ministry) -> None:
    url = f"{ministry.body_url}/seats/{ministry.member.id}"
    response = client.delete(url, headers=ministry.tokens["admin"])
    assert response.status_code == 204
    assert response.content == b""
    assert count(db, Membership) == 0
    assert_error(client.delete(url, headers=ministry.tokens["admin"]), 404, "not_found")


def test_seat_for_someone_outside_the_organisation_is_404(
    client: Client, db: Session, ministry: Ministry, other: Ministry
) -> None:
    url = f"{ministry.body_url}/seats/{other.member.id}"
    response = client.put(url, json={"role": "member"}, headers=ministry.tokens["admin"])
    assert_error(response, 404, "not_found")
    assert count(db, Membership) == 2


def test_assistant_from_another_organisation_is_refused(
    client: Client, db: Session, ministry: Ministry, other: Ministry
) -> None:
    url = f"{ministry.body_url}/seats/{ministry.member.id}"
    seat = {"role": "member", "title": "Đổi", "assistant_id": other.member.id}
    message = assert_error(
        client.put(url, json=seat, headers=ministry.tokens["admin"]), 422, "invalid"
    )
    assert message
    db.expire_all()
    stored = db.exec(select(Membership).where(Membership.user_id == ministry.member.id)).one()
    assert (stored.title, stored.assistant_id) == ("Thứ trưởng", None)


# -- who may ---------------------------------------------------------------------------


def _writes(ministry: Ministry) -> list[tuple[str, str, dict[str, Any] | None]]:
    seat = f"{ministry.body_url}/seats/{ministry.member.id}"
    return [
        ("POST", f"{ministry.url}/bodies", {"name": "Hội đồng mới"}),
        ("PATCH", ministry.body_url, {"name": "Đổi tên"}),
        ("PUT", seat, {"role": "chair"}),
        ("DELETE", seat, None),
    ]


@pytest.mark.parametrize("role", ["member", "secretary"])
def test_only_admins_change_bodies_and_seats(
    client: Client, db: Session, ministry: Ministry, role: str
) -> None:
    before = count(db, AuditEntry)
    for method, url, payload in _writes(ministry):
        response = client.request(method, url, json=payload, headers=ministry.tokens[role])
        assert_error(response, 403, "forbidden")
    assert count(db, AuditEntry) == before
    assert count(db, Body) == 1


def test_member_may_not_list_the_people(client: Client, ministry: Ministry) -> None:
    response = client.get(f"{ministry.url}/people", headers=ministry.tokens["member"])
    assert_error(response, 403, "forbidden")


def test_another_organisation_is_404_everywhere(
    client: Client, db: Session, ministry: Ministry, other: Ministry
) -> None:
    before = count(db, AuditEntry)
    reads = [other.url, f"{other.url}/bodies", other.body_url, f"{other.url}/people"]
    for url in reads:
        assert_error(client.get(url, headers=ministry.tokens["admin"]), 404, "not_found")
    for method, url, payload in _writes(other):
        response = client.request(method, url, json=payload, headers=ministry.tokens["admin"])
        assert_error(response, 404, "not_found")
    assert_error(
        client.get("/api/v1/organisations/999999", headers=ministry.tokens["admin"]),
        404,
        "not_found",
    )
    assert count(db, AuditEntry) == before


def test_another_organisations_body_under_my_organisation_is_404(
    client: Client, db: Session, ministry: Ministry, other: Ministry
) -> None:
    foreign = f"{ministry.url}/bodies/{other.body.id}"
    headers = ministry.tokens["admin"]
    assert_error(client.get(foreign, headers=headers), 404, "not_found")
    assert_error(client.patch(foreign, json={"name": "Chiếm"}, headers=headers), 404, "not_found")
    seat = f"{foreign}/seats/{other.member.id}"
    assert_error(client.put(seat, json={"role": "chair"}, headers=headers), 404, "not_found")
    assert_error(client.delete(seat, headers=headers), 404, "not_found")
    db.expire_all()
    stored = db.get(Body, other.body.id)
    assert stored is not None and stored.name == "Ban cán sự đảng"
    assert count(db, Membership) == 2


# -- refused input ---------------------------------------------------------------------

BAD_BODIES = {
    "invalid JSON": b'{"name": ',
    "not an object": b'["Ban"]',
    "missing name": b"{}",
    "blank name": b'{"name": "   "}',
    "name of the wrong type": b'{"name": 42}',
    "name too long": ('{"name": "' + "x" * 201 + '"}').encode(),
    "description too long": ('{"name": "A", "description": "' + "x" * 2001 + '"}').encode(),
    "unknown field": b'{"name": "A", "nmae": "B"}',
}


@pytest.mark.parametrize("raw", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_new_body_is_422_and_stores_nothing(
    client: Client, db: Session, ministry: Ministry, raw: bytes
) -> None:
    before = count(db, AuditEntry)
    headers = {**ministry.tokens["admin"], "Content-Type": "application/json"}
    response = client.post(f"{ministry.url}/bodies", content=raw, headers=headers)
    assert_error(response, 422, "invalid")
    assert count(db, Body) == 1
    assert count(db, AuditEntry) == before


BAD_SEATS = {
    "role not in the list": {"role": "president"},
    "weight as text": {"role": "member", "vote_weight": "2"},
    "weight too high": {"role": "member", "vote_weight": 101},
    "voting right as text": {"role": "member", "voting_right": "yes"},
    "title too long": {"role": "member", "title": "x" * 201},
    "own assistant": {"role": "member", "assistant_id": "self"},
    "unknown field": {"role": "member", "weight": 2},
}


@pytest.mark.parametrize("seat", BAD_SEATS.values(), ids=BAD_SEATS.keys())
def test_bad_seat_is_422_and_changes_nothing(
    client: Client, db: Session, ministry: Ministry, seat: dict[str, Any]
) -> None:
    if seat.get("assistant_id") == "self":
        seat = {**seat, "assistant_id": ministry.member.id}
    url = f"{ministry.body_url}/seats/{ministry.member.id}"
    response = client.put(url, json=seat, headers=ministry.tokens["admin"])
    assert_error(response, 422, "invalid")
    db.expire_all()
    stored = db.exec(select(Membership).where(Membership.body_id == ministry.body.id)).one()
    assert (stored.role, stored.title, stored.vote_weight) == ("member", "Thứ trưởng", 1)


def test_422_message_names_the_field(client: Client, ministry: Ministry) -> None:
    response = client.post(
        f"{ministry.url}/bodies",
        json={"name": "A", "nmae": "B"},
        headers={**ministry.tokens["admin"], "Accept-Language": "en"},
    )
    assert "nmae" in assert_error(response, 422, "invalid")
