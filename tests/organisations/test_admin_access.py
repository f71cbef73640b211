"""Who may use the administration screens: admins of the organisation, and no one else."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session, func, select

from meetings.accounts.models import User
from meetings.organisations.models import Body, Membership, Organisation
from tests.client import Client
from tests.factories import Factory
from tests.organisations.test_admin_people import admin_of

EVERY_URL = [
    ("GET", "/admin"),
    ("GET", "/admin/people"),
    ("POST", "/admin/people"),
    ("GET", "/admin/bodies"),
    ("POST", "/admin/bodies"),
]
URLS_WITH_IDS = [
    ("GET", "/admin/people/{person}"),
    ("POST", "/admin/people/{person}/role"),
    ("POST", "/admin/people/{person}/password"),
    ("POST", "/admin/people/{person}/disable"),
    ("POST", "/admin/people/{person}/enable"),
    ("GET", "/admin/bodies/{body}"),
    ("POST", "/admin/bodies/{body}"),
    ("POST", "/admin/bodies/{body}/seats"),
    ("GET", "/admin/bodies/{body}/seats/{seat}"),
    ("POST", "/admin/bodies/{body}/seats/{seat}"),
    ("POST", "/admin/bodies/{body}/seats/{seat}/remove"),
    ("GET", "/admin/bodies/{body}/import"),
    ("POST", "/admin/bodies/{body}/import"),
    ("POST", "/admin/bodies/{body}/import/confirm"),
]
FORM = {
    "name": "Tên Mới",
    "email": "moi@test.example",
    "password": "mot-mat-khau-rat-dai-2026",
    "role": "member",
    "user_id": "1",
    "vote_weight": "1",
    "csv": "email,name\nmoi@test.example,Tên Mới\n",
}


@dataclass
class Scene:
    """An organisation with a person, a body and a seat, as seen by a logged-in client."""

    org: Organisation
    person: User
    body: Body
    seat: Membership

    def url(self, template: str) -> str:
        return template.format(person=self.person.id, body=self.body.id, seat=self.seat.id)


def scene(factory: Factory) -> Scene:
    org = factory.organisation()
    person = factory.user("Người Được Bảo Vệ", organisation=org)
    body = factory.body(org, "Hội đồng Bảo vệ")
    return Scene(org, person, body, factory.seat(body, person))


def send(client: Client, method: str, url: str) -> int:
    if method == "GET":
        return client.get(url).status_code
    return client.submit(url, FORM).status_code


def unchanged(db: Session, place: Scene) -> None:
    db.expire_all()
    assert db.exec(select(func.count()).select_from(Membership)).one() == 1
    person = db.get(User, place.person.id)
    assert person is not None and person.is_active and person.name == "Người Được Bảo Vệ"
    body = db.get(Body, place.body.id)
    assert body is not None and body.name == "Hội đồng Bảo vệ"


@pytest.mark.parametrize("role", ["member", "secretary"])
@pytest.mark.parametrize(("method", "url"), EVERY_URL + URLS_WITH_IDS)
def test_people_who_are_not_admins_are_refused_every_admin_page(
    client: Client, factory: Factory, role: str, method: str, url: str
) -> None:
    place = scene(factory)
    client.log_in(factory.user(organisation=place.org, role=role))
    assert send(client, method, place.url(url)) == 403
    unchanged(factory.db, place)


@pytest.mark.parametrize(("method", "url"), URLS_WITH_IDS)
def test_admin_of_another_organisation_gets_404_for_its_ids(
    client: Client, factory: Factory, db: Session, method: str, url: str
) -> None:
    place = scene(factory)
    admin_of(client, factory)
    factory.body(factory.organisation(), "Hội đồng khác")
    assert send(client, method, place.url(url)) == 404
    unchanged(db, place)


def test_seat_of_another_organisations_body_is_404_under_an_own_body(
    client: Client, factory: Factory, db: Session
) -> None:
    place = scene(factory)
    org = factory.organisation()
    admin_of(client, factory, org)
    own = factory.body(org)
    url = f"/admin/bodies/{own.id}/seats/{place.seat.id}"
    assert client.get(url).status_code == 404
    assert client.submit(url + "/remove").status_code == 404
    assert db.exec(select(func.count()).select_from(Membership)).one() == 1


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get("/admin/people")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
