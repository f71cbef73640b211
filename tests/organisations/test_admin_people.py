"""The people screens: list, new accounts, roles, disabling, passwords."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from meetings.accounts.models import User
from meetings.archive.models import AuditEntry
from meetings.organisations import queries
from meetings.organisations.models import Organisation
from tests.client import Client
from tests.factories import Factory

NEW_PASSWORD = "mot-cau-mat-khau-moi-rat-dai"


def admin_of(client: Client, factory: Factory, org: Organisation | None = None) -> User:
    """An administrator of the organisation, logged in with English pages."""
    org = org or factory.organisation()
    admin = factory.user("Quản Trị Viên", organisation=org, role="admin")
    client.cookies.set("ecab_lang", "en")
    client.log_in(admin)
    return admin


def users(db: Session) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(User)).one()


def actions_logged(db: Session) -> list[str]:
    return list(db.exec(select(AuditEntry.action).order_by(col(AuditEntry.id))))


def test_admin_sees_people_with_role_two_factor_and_state(client: Client, factory: Factory) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    gone = factory.user("Lê Văn Cũ", organisation=org, email="cu@test.example")
    gone.is_active = False
    factory.db.add(gone)
    factory.db.commit()
    page = client.get("/admin/people")
    assert page.status_code == 200
    assert "Lê Văn Cũ" in page.text and "cu@test.example" in page.text
    assert "Administrator" in page.text and "Disabled" in page.text
    assert "On" in page.text and "Off" in page.text, "two-factor state of each person"


def test_admin_creates_an_account_in_the_organisation(
    client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    response = client.submit(
        "/admin/people",
        {
            "name": "Phạm  Thị Thu",
            "email": "Thu.Pham@Test.Example",
            "password": NEW_PASSWORD,
            "role": "secretary",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/people"
    user = db.exec(select(User).where(User.email == "thu.pham@test.example")).one()
    assert user.name == "Phạm Thị Thu"
    assert queries.role_in(db, org.id or 0, user.id or 0) == "secretary"
    assert {"user.created", "organisation.person_set"} <= set(actions_logged(db))
    assert "The account of Phạm Thị Thu has been created." in client.get("/admin/people").text


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Enter an e-mail address"),
        ({"email": "taken@test.example"}, "email", "already exists"),
        ({"name": "  "}, "name", "Enter the person"),
        ({"password": "short"}, "password", "at least 10 characters"),
        ({"role": "king"}, "role", "Choose a role from the list."),
    ],
)
def test_new_account_with_bad_input_is_refused_and_nothing_is_stored(
    client: Client,
    factory: Factory,
    db: Session,
    change: dict[str, Any],
    field: str,
    message: str,
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    factory.user(email="taken@test.example", organisation=org)
    before = users(db)
    form = {"name": "Đỗ Văn Mới", "email": "moi@test.example", "password": NEW_PASSWORD}
    response = client.submit("/admin/people", {**form, "role": "member", **change})
    assert response.status_code == 422
    assert message in response.text
    assert f'id="new-{field}-error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert users(db) == before


def test_admin_changes_a_persons_role(client: Client, factory: Factory, db: Session) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    person = factory.user("Vũ Minh", organisation=org)
    response = client.submit(f"/admin/people/{person.id}/role", {"role": "admin"})
    assert response.status_code == 303
    assert queries.role_in(db, org.id or 0, person.id or 0) == "admin"
    assert "The role of Vũ Minh has been changed." in client.get(f"/admin/people/{person.id}").text


def test_admin_cannot_demote_themselves(client: Client, factory: Factory, db: Session) -> None:
    org = factory.organisation()
    admin = admin_of(client, factory, org)
    response = client.submit(f"/admin/people/{admin.id}/role", {"role": "member"})
    assert response.status_code == 409
    assert "You cannot take away your own administrator role" in response.text
    assert queries.role_in(db, org.id or 0, admin.id or 0) == "admin"


def test_disabling_an_account_ends_its_sessions_and_enabling_restores_it(
    client: Client, other_client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    person = factory.user("Hoàng Lan", organisation=org)
    other_client.log_in(person)
    assert other_client.get("/").status_code == 200
    page = client.get(f"/admin/people/{person.id}")
    assert 'data-confirm="Disable the account of Hoàng Lan?"' in page.text
    assert client.submit(f"/admin/people/{person.id}/disable").status_code == 303
    db.refresh(person)
    assert person.is_active is False
    assert other_client.get("/").status_code == 303, "the disabled person is logged out"
    assert client.submit(f"/admin/people/{person.id}/enable").status_code == 303
    db.refresh(person)
    assert person.is_active is True
    assert {"user.disabled", "user.enabled"} <= set(actions_logged(db))


def test_admin_cannot_disable_themselves(client: Client, factory: Factory, db: Session) -> None:
    admin = admin_of(client, factory)
    response = client.submit(f"/admin/people/{admin.id}/disable")
    assert response.status_code == 409
    assert "You cannot disable your own account." in response.text
    db.refresh(admin)
    assert admin.is_active is True


def test_account_shared_with_another_organisation_cannot_be_changed_here(
    client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    shared = factory.user("Bùi Chung", organisation=org)
    factory.join(shared, factory.organisation())
    old_hash = shared.password_hash
    disable = client.submit(f"/admin/people/{shared.id}/disable")
    password = client.submit(f"/admin/people/{shared.id}/password", {"password": NEW_PASSWORD})
    for response in (disable, password):
        assert response.status_code == 409
        assert "also belongs to another organisation" in response.text
    db.refresh(shared)
    assert shared.is_active is True and shared.password_hash == old_hash


def test_admin_sets_a_password_the_person_can_log_in_with(
    client: Client, other_client: Client, factory: Factory
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    person = factory.user("Ngô Bảo", organisation=org)
    response = client.submit(f"/admin/people/{person.id}/password", {"password": NEW_PASSWORD})
    assert response.status_code == 303
    assert other_client.log_in(person, NEW_PASSWORD).headers["location"] == "/"


def test_weak_password_is_refused_next_to_the_field(
    client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    admin_of(client, factory, org)
    person = factory.user(organisation=org)
    old_hash = person.password_hash
    response = client.submit(f"/admin/people/{person.id}/password", {"password": "short"})
    assert response.status_code == 422
    assert 'id="person-password-error"' in response.text
    db.refresh(person)
    assert person.password_hash == old_hash
