"""The quorum panel follows the body's rules, as set on the body's administration page."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from meetings.attendance import actions
from tests.attendance.support import ACTOR, log_in, scene
from tests.client import Client
from tests.factories import Factory


@pytest.mark.parametrize(
    ("remote", "substitutes", "present", "reached"),
    [
        (False, False, 3, False),
        (True, False, 4, True),
        (False, True, 4, True),
        (True, True, 5, True),
    ],
)
def test_two_thirds_of_six_seats_by_the_bodys_rules(
    client: Client,
    other_client: Client,
    factory: Factory,
    db: Session,
    remote: bool,
    substitutes: bool,
    present: int,
    reached: bool,
) -> None:
    s = scene(factory, db, members=5)
    admin = factory.user("Quản Trị", organisation=s.org, role="admin")
    log_in(client, admin)
    rules = {"quorum_numerator": "2", "quorum_denominator": "3"}
    rules |= {"remote_counts_for_quorum": "on"} if remote else {}
    rules |= {"substitutes_count_for_quorum": "on"} if substitutes else {}
    assert client.submit(f"/admin/bodies/{s.body.id}/rules", rules).status_code == 303

    m1, m2, m3, m4, _m5 = s.members
    actions.answer(
        db,
        s.meeting,
        s.row(m3),
        actor=ACTOR,
        reply="substitute",
        reason="Ốm",
        substitute_id=s.outsider.id,
    )
    s.open()
    for user in (s.chair, m1, m3, m4):
        s.check_in(user)
    s.check_in(m2, "remote")

    log_in(other_client, s.chair)
    panel = other_client.get(s.url("/quorum")).text
    assert "two thirds of 6 seats" in panel
    assert f"{present} present, 4 required" in panel
    assert ("Quorum reached" if reached else "Quorum not reached") in panel
    counts = "Members taking part remotely count." if remote else "remotely do not count."
    assert counts in panel
    assert ("Substitutes count." if substitutes else "Substitutes do not count.") in panel


def test_the_panel_refreshes_itself_during_the_session(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    log_in(client, s.chair)
    before = client.get(s.url("/quorum")).text
    assert "hx-trigger" not in before, "nothing changes before the session"
    s.open()
    fragment = client.htmx("GET", s.url("/quorum"))
    assert fragment.text.startswith('<section class="panel quorum quorum-short" id="quorum"')
    assert 'hx-trigger="every 10s, attendance from:body"' in fragment.text
    s.check_in(s.chair)
    for member in s.members[:2]:
        s.check_in(member)
    assert "Quorum reached" in client.htmx("GET", s.url("/quorum")).text


def test_an_unusual_fraction_is_shown_as_numbers(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.body.quorum_numerator, s.body.quorum_denominator = 5, 7
    db.add(s.body)
    db.commit()
    log_in(client, s.secretary)
    assert "5/7 of 4 seats" in client.get(s.url("/participants")).text


def test_an_equivalent_fraction_is_named(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    s.body.quorum_numerator, s.body.quorum_denominator = 50, 100
    db.add(s.body)
    db.commit()
    log_in(client, s.secretary)
    assert "one half of 4 seats" in client.get(s.url("/quorum")).text
