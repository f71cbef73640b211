"""The body screens: list, create and rename bodies; add, change and remove seats."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from meetings.archive.models import AuditEntry
from meetings.organisations import queries
from meetings.organisations.models import Body, Membership
from tests.client import Client
from tests.factories import Factory
from tests.organisations.test_admin_people import admin_of


def rows(db: Session, model: type[Any]) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(model)).one()


def seat_form(user_id: int | None, **change: Any) -> dict[str, Any]:
    form = {
        "user_id": str(user_id or ""),
        "title": "Ủy viên",
        "role": "member",
        "voting_right": "on",
        "vote_weight": "1",
        "assistant_id": "",
    }
    return {**form, **change}


def test_admin_creates_a_body_and_sees_it_listed(
    client: Client, factory: Factory, db: Session
) -> None:
    admin_of(client, factory)
    response = client.submit(
        "/admin/bodies", {"name": "Thường trực Chính phủ", "description": "Họp hằng tuần"}
    )
    assert response.status_code == 303
    body = db.exec(select(Body)).one()
    assert response.headers["location"] == f"/admin/bodies/{body.id}"
    assert (body.name, body.description) == ("Thường trực Chính phủ", "Họp hằng tuần")
    assert "Thường trực Chính phủ" in client.get("/admin/bodies").text
    assert "body.created" in db.exec(select(AuditEntry.action)).all()


def test_body_without_a_name_is_refused_and_not_stored(
    client: Client, factory: Factory, db: Session
) -> None:
    admin_of(client, factory)
    response = client.submit("/admin/bodies", {"name": "   ", "description": "Giữ lại"})
    assert response.status_code == 422
    assert "Enter the body&#39;s name." in response.text
    assert 'aria-describedby="body-name-error" aria-invalid="true"' in response.text
    assert "Giữ lại" in response.text, "what was typed is kept"
    assert rows(db, Body) == 0


def test_admin_renames_a_body_but_not_to_an_empty_name(
    client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    body = factory.body(org, "Hội đồng cũ")
    renamed = client.submit(f"/admin/bodies/{body.id}", {"name": "Hội đồng mới"})
    assert renamed.status_code == 303
    refused = client.submit(f"/admin/bodies/{body.id}", {"name": ""})
    assert refused.status_code == 422
    db.refresh(body)
    assert body.name == "Hội đồng mới"


def test_seats_are_added_and_listed_in_protocol_order(
    client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    body = factory.body(org)
    chair = factory.user("Trần Chủ Tọa", organisation=org)
    member = factory.user("Lý Thành Viên", organisation=org)
    assistant = factory.user("Đinh Trợ Lý", organisation=org)
    first = seat_form(chair.id, title="Chủ tịch", role="chair", vote_weight="2")
    second = seat_form(member.id, assistant_id=str(assistant.id))
    assert client.submit(f"/admin/bodies/{body.id}/seats", first).status_code == 303
    assert client.submit(f"/admin/bodies/{body.id}/seats", second).status_code == 303
    seats = queries.seats(db, body.id or 0)
    assert [s.user.name for s in seats] == ["Trần Chủ Tọa", "Lý Thành Viên"]
    assert (seats[0].membership.role, seats[0].membership.vote_weight) == ("chair", 2)
    assert seats[1].assistant is not None and seats[1].assistant.id == assistant.id
    page = client.get(f"/admin/bodies/{body.id}").text.split('id="seats"')[1]
    assert page.index("Trần Chủ Tọa") < page.index("Lý Thành Viên")
    assert "Yes, weight 2" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"vote_weight": "abc"}, "weight", "whole number from 0 to 100"),
        ({"vote_weight": "101"}, "weight", "whole number from 0 to 100"),
        ({"role": "king"}, "role", "Choose a role from the list."),
        ({"user_id": ""}, "person", "Choose a person of this organisation."),
        ({"user_id": "outsider"}, "person", "Choose a person of this organisation."),
        ({"assistant_id": "self"}, "assistant", "cannot be their own assistant"),
        ({"assistant_id": "outsider"}, "assistant", "Choose an assistant from this organisation."),
    ],
)
def test_seat_with_bad_input_is_refused_and_not_stored(
    client: Client,
    factory: Factory,
    db: Session,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    body = factory.body(org)
    person = factory.user(organisation=org)
    outsider = factory.user(organisation=factory.organisation())
    ids = {"self": str(person.id), "outsider": str(outsider.id)}
    change = {key: ids.get(value, value) for key, value in change.items()}
    response = client.submit(f"/admin/bodies/{body.id}/seats", {**seat_form(person.id), **change})
    assert response.status_code == 422
    assert message in response.text
    assert f'id="seat-{field}-error"' in response.text
    assert rows(db, Membership) == 0


def test_a_person_cannot_get_a_second_seat_in_the_same_body(
    client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    body = factory.body(org)
    person = factory.user(organisation=org)
    factory.seat(body, person, title="Ủy viên")
    response = client.submit(
        f"/admin/bodies/{body.id}/seats", seat_form(person.id, title="Phó Chủ tịch")
    )
    assert response.status_code == 422
    assert "already has a seat in this body" in response.text
    seat = db.exec(select(Membership)).one()
    db.refresh(seat)
    assert seat.title == "Ủy viên"


def test_admin_changes_a_seat(client: Client, factory: Factory, db: Session) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    body = factory.body(org)
    seat = factory.seat(body, factory.user("Mai Anh", organisation=org))
    page = client.get(f"/admin/bodies/{body.id}/seats/{seat.id}")
    assert page.status_code == 200 and "Mai Anh" in page.text
    form = seat_form(None, title="Phó Chủ tịch", role="secretary", vote_weight="3")
    response = client.submit(f"/admin/bodies/{body.id}/seats/{seat.id}", form)
    assert response.status_code == 303
    db.refresh(seat)
    assert (seat.title, seat.role, seat.vote_weight) == ("Phó Chủ tịch", "secretary", 3)


def test_guest_seat_never_has_a_vote(client: Client, factory: Factory, db: Session) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    body = factory.body(org)
    guest = factory.user(organisation=org)
    form = seat_form(guest.id, role="guest", vote_weight="5")
    assert client.submit(f"/admin/bodies/{body.id}/seats", form).status_code == 303
    seat = db.exec(select(Membership)).one()
    assert (seat.voting_right, seat.vote_weight) == (False, 0)


def test_unchecked_voting_right_saves_a_seat_without_vote(
    client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    body = factory.body(org)
    seat = factory.seat(body, factory.user(organisation=org))
    form = {key: value for key, value in seat_form(None).items() if key != "voting_right"}
    assert client.submit(f"/admin/bodies/{body.id}/seats/{seat.id}", form).status_code == 303
    db.refresh(seat)
    assert (seat.voting_right, seat.vote_weight) == (False, 0)


def test_admin_removes_a_seat_after_confirming(
    client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    body = factory.body(org)
    seat = factory.seat(body, factory.user("Tạ Quang", organisation=org))
    page = client.get(f"/admin/bodies/{body.id}")
    assert 'data-confirm="Remove the seat of Tạ Quang from this body?"' in page.text
    response = client.submit(f"/admin/bodies/{body.id}/seats/{seat.id}/remove")
    assert response.status_code == 303
    assert rows(db, Membership) == 0
    actions = db.exec(select(AuditEntry.action).order_by(col(AuditEntry.id))).all()
    assert actions[-1] == "body.seat_removed"
    assert (
        "Tạ Quang no longer has a seat in this body." in client.get(f"/admin/bodies/{body.id}").text
    )
