"""Positions before the meeting, the tally, and adopting the consent block, over HTTP."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from meetings.agenda import actions
from meetings.agenda.items import items, remove_item
from meetings.agenda.models import AgendaItem, ItemStatus, Meeting, MeetingState, Position
from meetings.archive.audit import Actor
from meetings.archive.models import AuditEntry
from meetings.attendance.models import Participant
from tests.agenda.test_builder import Office, logged_in
from tests.client import Client
from tests.factories import Factory

ACTOR = Actor(None, "test")


@pytest.fixture
def office(factory: Factory) -> Office:
    """A published meeting: items 1 and 2 are consent items, item 3 is discussed."""
    org = factory.organisation()
    body = factory.body(org)
    secretary = factory.user("Nguyễn Thị Vân", organisation=org, role="secretary")
    chair = factory.user("Nguyễn Văn An", organisation=org)
    member = factory.user("Bùi Thị Hạnh", organisation=org)
    guest = factory.user("Đặng Văn Hải", organisation=org)
    outsider = factory.user("Lò Văn Tâm", organisation=org)
    factory.seat(body, chair, role="chair", title="Chủ tịch")
    factory.seat(body, member)
    factory.seat(body, guest, role="guest", voting_right=False)
    meeting = factory.meeting(body)
    factory.item(meeting, "Quyết định bổ nhiệm", consent=True)
    factory.item(meeting, "Báo cáo tình hình thực hiện", consent=True)
    factory.item(meeting, "Dự thảo Luật Đất đai (sửa đổi)")
    actions.publish(factory.db, meeting, actor=ACTOR)
    return Office(org, secretary, chair, member, guest, outsider, meeting)


def url(office: Office) -> str:
    return f"/meetings/{office.meeting.id}/positions"


def item_ids(db: Session, meeting: Meeting) -> list[int]:
    return [i.id or 0 for i in items(db, meeting.id or 0)]


def positions(db: Session) -> list[tuple[int, int, str, str]]:
    db.expire_all()
    rows = db.exec(select(Position).order_by(Position.item_id, Position.user_id))
    return [(r.item_id, r.user_id, r.kind, r.comment) for r in rows]


def counts(html: str, item_id: int) -> dict[str, int]:
    row = re.search(rf'<tr id="tally-{item_id}".*?</tr>', html, re.S)
    assert row, f"no tally row for item {item_id}"
    cells = re.findall(r'data-kind="(\w+)">(\d+)</td>', row.group(0))
    return {kind: int(n) for kind, n in cells}


def block(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


# -- members take positions -------------------------------------------------------------


def test_a_member_marks_and_changes_a_position(client: Client, office: Office, db: Session) -> None:
    first = item_ids(db, office.meeting)[0]
    logged_in(client, office.member)
    page = client.get(url(office))
    assert page.status_code == 200
    assert "My positions" in page.text and 'name="kind"' in page.text
    assert 'id="tally"' not in page.text, "members do not see each other's positions"
    response = client.submit(url(office), {"item_id": first, "kind": "no_objection"})
    assert response.status_code == 303
    assert response.headers["location"] == f"{url(office)}#position-{first}"
    assert positions(db) == [(first, office.member.id, "no_objection", "")]
    client.submit(url(office), {"item_id": first, "kind": "wish_to_speak", "comment": "Ý kiến"})
    assert positions(db) == [(first, office.member.id, "wish_to_speak", "Ý kiến")]
    page = client.get(url(office))
    assert re.search(
        rf'id="kind-{first}-wish_to_speak" name="kind" value="wish_to_speak" checked', page.text
    )


def test_with_htmx_the_member_gets_the_items_form_back(
    client: Client, office: Office, db: Session
) -> None:
    first = item_ids(db, office.meeting)[0]
    logged_in(client, office.member)
    client.get(url(office))
    response = client.htmx("POST", url(office), data={"item_id": first, "kind": "no_objection"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li class="position-item" id="position-{first}">')
    assert "Your position has been saved." in response.text
    assert "<html" not in response.text


def test_an_objection_needs_a_comment(client: Client, office: Office, db: Session) -> None:
    first = item_ids(db, office.meeting)[0]
    logged_in(client, office.member)
    response = client.submit(url(office), {"item_id": first, "kind": "objection", "comment": " "})
    assert response.status_code == 422
    assert "Say what you object to." in response.text
    assert f'id="comment-{first}-error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert positions(db) == []
    fragment = client.htmx("POST", url(office), data={"item_id": first, "kind": "objection"})
    assert fragment.status_code == 422 and "Say what you object to." in fragment.text
    assert positions(db) == []


def test_an_unknown_position_or_item_is_refused(
    client: Client, office: Office, db: Session
) -> None:
    first = item_ids(db, office.meeting)[0]
    logged_in(client, office.member)
    response = client.submit(url(office), {"item_id": first, "kind": "abstain"})
    assert response.status_code == 422
    assert client.submit(url(office), {"item_id": 999999, "kind": "objection"}).status_code == 404
    assert client.submit(url(office), {"item_id": "x", "kind": "objection"}).status_code == 404
    assert positions(db) == []


@pytest.mark.parametrize("state", ["in_session", "postponed"])
def test_positions_are_refused_once_the_session_is_open_or_the_meeting_postponed(
    client: Client, office: Office, db: Session, state: str
) -> None:
    if state == "in_session":
        actions.open_session(db, office.meeting, actor=ACTOR)
    else:
        actions.postpone(db, office.meeting, actor=ACTOR, reason="Chưa đủ tài liệu")
    first = item_ids(db, office.meeting)[0]
    logged_in(client, office.member)
    page = client.get(url(office))
    assert "Positions are taken between publication and the opening of the session." in page.text
    assert 'name="kind"' not in page.text
    response = client.submit(url(office), {"item_id": first, "kind": "no_objection"})
    assert response.status_code == 409
    assert "Positions are taken between publication and the opening" in response.text
    fragment = client.htmx("POST", url(office), data={"item_id": first, "kind": "no_objection"})
    assert fragment.status_code == 409
    assert 'role="alert">Positions are taken between publication' in fragment.text
    assert positions(db) == []


def test_positions_are_refused_on_a_draft(
    client: Client, factory: Factory, office: Office, db: Session
) -> None:
    draft = factory.meeting(factory.body(office.org), items=1)
    draft.chair_id = office.chair.id
    db.add(draft)
    # Invited one by one before publication (the body's seats are invited when it is published).
    db.add(Participant(meeting_id=draft.id or 0, user_id=office.chair.id, role="chair"))
    db.commit()
    logged_in(client, office.chair)
    response = client.submit(
        f"/meetings/{draft.id}/positions",
        {"item_id": item_ids(db, draft)[0], "kind": "no_objection"},
    )
    assert response.status_code == 409
    assert positions(db) == []


def test_no_position_is_taken_on_a_withdrawn_item(
    client: Client, office: Office, db: Session
) -> None:
    third = db.get(AgendaItem, item_ids(db, office.meeting)[2])
    assert third is not None
    remove_item(db, office.meeting, third, actor=ACTOR)
    logged_in(client, office.member)
    assert f'id="position-{third.id}"' not in client.get(url(office)).text
    data = {"item_id": third.id, "kind": "no_objection"}
    assert client.submit(url(office), data).status_code == 409
    response = client.htmx("POST", url(office), data=data)
    assert response.status_code == 409 and "This item has been withdrawn." in response.text
    assert positions(db) == []


def test_guests_may_not_take_positions_and_strangers_do_not_see_the_page(
    client: Client, other_client: Client, office: Office, db: Session
) -> None:
    first = item_ids(db, office.meeting)[0]
    logged_in(client, office.guest)
    assert client.get(url(office)).status_code == 403
    assert client.submit(url(office), {"item_id": first, "kind": "no_objection"}).status_code == 403
    logged_in(other_client, office.outsider)
    assert other_client.get(url(office)).status_code == 404
    response = other_client.submit(url(office), {"item_id": first, "kind": "no_objection"})
    assert response.status_code == 404
    assert positions(db) == []


def test_the_secretariat_sees_the_tally_but_takes_no_position(
    client: Client, office: Office, db: Session
) -> None:
    logged_in(client, office.secretary)
    page = client.get(url(office))
    assert page.status_code == 200
    assert 'id="tally"' in page.text and "My positions" not in page.text
    first = item_ids(db, office.meeting)[0]
    assert client.submit(url(office), {"item_id": first, "kind": "no_objection"}).status_code == 403


# -- the tally and the consent block ----------------------------------------------------


def test_the_chair_sees_the_tally_with_objections_and_who_made_them(
    client: Client, other_client: Client, office: Office, db: Session
) -> None:
    first, second, third = item_ids(db, office.meeting)
    logged_in(other_client, office.member)
    other_client.submit(url(office), {"item_id": first, "kind": "no_objection"})
    other_client.submit(
        url(office), {"item_id": second, "kind": "objection", "comment": "Cần bổ sung số liệu"}
    )
    other_client.submit(url(office), {"item_id": third, "kind": "wish_to_speak"})
    logged_in(client, office.chair)
    client.submit(url(office), {"item_id": first, "kind": "no_objection"})
    client.submit(url(office), {"item_id": third, "kind": "objection", "comment": "Chưa rõ"})
    page = client.get(url(office))
    assert page.status_code == 200
    assert "My positions" in page.text, "the chair is a member of the body too"
    assert counts(page.text, first) == {"no_objection": 2, "objection": 0, "wish_to_speak": 0}
    assert counts(page.text, second) == {"no_objection": 0, "objection": 1, "wish_to_speak": 0}
    assert counts(page.text, third) == {"no_objection": 0, "objection": 1, "wish_to_speak": 1}
    assert "<strong>Bùi Thị Hạnh</strong>: Cần bổ sung số liệu" in page.text
    assert "<strong>Nguyễn Văn An</strong>: Chưa rõ" in page.text


def test_an_objected_consent_item_drops_out_of_the_consent_block(
    client: Client, other_client: Client, office: Office, db: Session
) -> None:
    first, second, _third = item_ids(db, office.meeting)
    logged_in(client, office.secretary)
    page = client.get(url(office))
    assert "Quyết định bổ nhiệm" in block(page.text, "consent-block")
    assert "Báo cáo tình hình thực hiện" in block(page.text, "consent-block")
    assert "Dự thảo Luật Đất đai" not in block(page.text, "consent-block")
    logged_in(other_client, office.member)
    other_client.submit(url(office), {"item_id": second, "kind": "objection", "comment": "Sai"})
    page = client.get(url(office))
    assert "Quyết định bổ nhiệm" in block(page.text, "consent-block")
    assert "Báo cáo tình hình thực hiện" not in block(page.text, "consent-block")
    assert "Báo cáo tình hình thực hiện" in block(page.text, "consent-dropped")
    assert f'id="consent-{first}"' in page.text and f'id="dropped-{second}"' in page.text
    assert "Adopt the consent block" not in page.text, "only during the session"


def test_the_chair_adopts_the_consent_block_during_the_session(
    client: Client, other_client: Client, office: Office, db: Session
) -> None:
    first, second, third = item_ids(db, office.meeting)
    logged_in(other_client, office.member)
    other_client.submit(url(office), {"item_id": second, "kind": "objection", "comment": "Sai"})
    actions.open_session(db, office.meeting, actor=ACTOR)
    logged_in(client, office.chair)
    page = client.get(url(office))
    assert "Adopt the consent block" in page.text
    response = client.submit(f"/meetings/{office.meeting.id}/consent")
    assert response.status_code == 303
    db.expire_all()
    adopted = db.get(AgendaItem, first)
    assert adopted is not None and adopted.status == ItemStatus.done
    assert adopted.adopted_by_consent_at is not None
    for other in (second, third):
        row = db.get(AgendaItem, other)
        assert row is not None and row.status == ItemStatus.pending
        assert row.adopted_by_consent_at is None
    audit = db.exec(
        select(AuditEntry).where(AuditEntry.action == "agenda.adopted_by_consent")
    ).all()
    assert [(e.object_id, e.actor_id) for e in audit] == [(str(first), office.chair.id)]
    page = client.get(response.headers["location"])
    assert "1 item adopted by consent." in page.text
    assert "Quyết định bổ nhiệm" in block(page.text, "consent-adopted")
    assert 'data-testid="consent-block-empty"' in page.text
    again = client.submit(f"/meetings/{office.meeting.id}/consent")
    assert again.status_code == 409
    assert "No item is left in the consent block." in again.text


def test_the_secretariat_may_adopt_for_the_chair(
    client: Client, office: Office, db: Session
) -> None:
    actions.open_session(db, office.meeting, actor=ACTOR)
    logged_in(client, office.secretary)
    assert client.submit(f"/meetings/{office.meeting.id}/consent").status_code == 303
    db.expire_all()
    statuses = [i.status for i in items(db, office.meeting.id or 0)]
    assert statuses == [ItemStatus.done, ItemStatus.done, ItemStatus.pending]


def test_a_member_may_not_adopt_the_consent_block(
    client: Client, office: Office, db: Session
) -> None:
    actions.open_session(db, office.meeting, actor=ACTOR)
    logged_in(client, office.member)
    assert "Adopt the consent block" not in client.get(url(office)).text
    assert client.submit(f"/meetings/{office.meeting.id}/consent").status_code == 403
    db.expire_all()
    assert all(i.status == ItemStatus.pending for i in items(db, office.meeting.id or 0))


@pytest.mark.parametrize("state", [MeetingState.scheduled, MeetingState.closed])
def test_the_consent_block_is_adopted_only_during_the_session(
    client: Client, office: Office, db: Session, state: str
) -> None:
    if state == MeetingState.closed:
        actions.open_session(db, office.meeting, actor=ACTOR)
        actions.close_session(db, office.meeting, actor=ACTOR)
    logged_in(client, office.chair)
    response = client.submit(f"/meetings/{office.meeting.id}/consent")
    assert response.status_code == 409
    assert "The consent block is adopted during the session." in response.text
    db.expire_all()
    assert all(i.adopted_by_consent_at is None for i in items(db, office.meeting.id or 0))
    assert (
        db.exec(select(AuditEntry).where(AuditEntry.action == "agenda.adopted_by_consent")).first()
        is None
    )
