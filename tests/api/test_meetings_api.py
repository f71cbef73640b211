"""The meetings API: facts, lifecycle, agenda, positions and the consent block."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.agenda.models import AgendaItem, Meeting, Position
from meetings.archive.models import AuditEntry
from meetings.organisations.models import Body, Organisation
from tests.api.support import Headers, assert_error, count
from tests.client import Client
from tests.factories import Factory

Bearer = Callable[[User], Headers]
URL = "/api/v1/meetings"
START, END = "2030-12-05T08:00:00+07:00", "2030-12-05T12:00:00+07:00"


@dataclass
class Cabinet:
    """An organisation's body with its chair and a member, a secretary, and someone uninvited."""

    org: Organisation
    body: Body
    people: dict[str, User]
    tokens: dict[str, Headers]

    def meeting(self, factory: Factory, *, publish: bool = False, items: int = 0) -> Meeting:
        return factory.meeting(self.body, items=items, publish=publish)


def _cabinet(factory: Factory, bearer: Bearer, name: str) -> Cabinet:
    org = factory.organisation(name)
    body = factory.body(org, "Ban cán sự đảng")
    people = {
        "secretary": factory.user(organisation=org, role="secretary"),
        "chair": factory.user(organisation=org),
        "member": factory.user(organisation=org),
        "outsider": factory.user(organisation=org),
    }
    factory.seat(body, people["chair"], role="chair", title="Bộ trưởng")
    factory.seat(body, people["member"], title="Thứ trưởng")
    return Cabinet(org, body, people, {role: bearer(user) for role, user in people.items()})


@pytest.fixture
def cabinet(factory: Factory, bearer: Bearer) -> Cabinet:
    return _cabinet(factory, bearer, "Bộ Tư pháp")


@pytest.fixture
def other(factory: Factory, bearer: Bearer) -> Cabinet:
    return _cabinet(factory, bearer, "Bộ Y tế")


def _new(cabinet: Cabinet, **changes: Any) -> dict[str, Any]:
    return {
        "body_id": cabinet.body.id,
        "title": "Phiên họp thường kỳ tháng 12",
        "kind": "regular",
        "starts_at": START,
        "ends_at": END,
        "place": "Phòng họp tầng 3",
        **changes,
    }


def _act(client: Client, meeting: Meeting, headers: Headers, action: str, **more: Any) -> Any:
    return client.post(
        f"{URL}/{meeting.id}/transitions", json={"action": action, **more}, headers=headers
    )


# -- creating and reading ------------------------------------------------------------


def test_secretary_creates_a_draft_and_reads_it_back_in_utc(
    client: Client, db: Session, cabinet: Cabinet
) -> None:
    response = client.post(URL, json=_new(cabinet), headers=cabinet.tokens["secretary"])
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["state"] == "draft" and created["agenda"] == []
    assert created["starts_at"] == "2030-12-05T01:00:00Z"
    assert created["chair_id"] == cabinet.people["chair"].id, "the body's chair by default"
    assert created["may_prepare"] and created["may_chair"]
    again = client.get(f"{URL}/{created['id']}", headers=cabinet.tokens["secretary"])
    assert again.json() == created
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "meeting.created")).one()
    assert entry.actor_id == cabinet.people["secretary"].id


@pytest.mark.parametrize(
    "change",
    [
        {"starts_at": "2030-12-05T08:00:00"},
        {"ends_at": "2030-12-05"},
        {"kind": "party"},
        {"colour": "red"},
        {"title": ""},
        {"body_id": "1"},
        {"ends_at": "2030-12-05T07:00:00+07:00"},
        {"video_url": "ftp://example.org"},
    ],
)
def test_bad_input_is_refused_with_json_and_nothing_is_stored(
    client: Client, db: Session, cabinet: Cabinet, change: dict[str, Any]
) -> None:
    response = client.post(URL, json=_new(cabinet, **change), headers=cabinet.tokens["secretary"])
    assert_error(response, 422, "invalid")
    assert count(db, Meeting) == 0


def test_only_the_secretariat_creates_meetings(
    client: Client, db: Session, cabinet: Cabinet, other: Cabinet
) -> None:
    response = client.post(URL, json=_new(cabinet), headers=cabinet.tokens["member"])
    assert_error(response, 403, "forbidden")
    elsewhere = client.post(URL, json=_new(cabinet), headers=other.tokens["secretary"])
    assert_error(elsewhere, 422, "invalid")
    assert count(db, Meeting) == 0


def test_members_see_published_meetings_but_not_drafts(
    client: Client, factory: Factory, cabinet: Cabinet
) -> None:
    draft = cabinet.meeting(factory)
    published = cabinet.meeting(factory, publish=True, items=2)
    member = cabinet.tokens["member"]
    assert_error(client.get(f"{URL}/{draft.id}", headers=member), 404, "not_found")
    detail = client.get(f"{URL}/{published.id}", headers=member).json()
    assert detail["state"] == "scheduled"
    assert not detail["may_prepare"] and not detail["may_chair"]
    assert [entry["number"] for entry in detail["agenda"]] == ["1", "2"]
    listed = client.get(URL, headers=member).json()
    assert [m["id"] for m in listed] == [published.id]
    secretary = client.get(URL, headers=cabinet.tokens["secretary"]).json()
    assert {m["id"] for m in secretary} == {draft.id, published.id}


def test_people_not_invited_and_other_organisations_get_404(
    client: Client, factory: Factory, cabinet: Cabinet, other: Cabinet
) -> None:
    meeting = cabinet.meeting(factory, publish=True, items=1)
    item = f"{URL}/{meeting.id}/items"
    for headers in (cabinet.tokens["outsider"], other.tokens["secretary"]):
        assert_error(client.get(f"{URL}/{meeting.id}", headers=headers), 404, "not_found")
        assert_error(
            client.patch(f"{URL}/{meeting.id}", json={"title": "X"}, headers=headers),
            404,
            "not_found",
        )
        assert_error(_act(client, meeting, headers, "open"), 404, "not_found")
        assert_error(client.post(item, json={"title": "Y"}, headers=headers), 404, "not_found")
        assert client.get(URL, headers=headers).json() == []
    assert_error(client.get(f"{URL}/999999", headers=cabinet.tokens["secretary"]), 404, "not_found")


def test_a_token_acts_in_its_users_first_organisation(
    client: Client, factory: Factory, bearer: Bearer, cabinet: Cabinet, other: Cabinet
) -> None:
    """Bộ Tư pháp sorts before Bộ Y tế, so a token of someone in both works in the former."""
    both = other.people["secretary"]
    factory.join(both, cabinet.org, "secretary")
    mine = cabinet.meeting(factory)
    theirs = other.meeting(factory)
    headers = bearer(both)
    assert client.get(f"{URL}/{mine.id}", headers=headers).status_code == 200
    assert_error(client.get(f"{URL}/{theirs.id}", headers=headers), 404, "not_found")


def test_someone_in_no_organisation_gets_404(
    client: Client, factory: Factory, bearer: Bearer
) -> None:
    headers = bearer(factory.user())
    assert_error(client.get(URL, headers=headers), 404, "not_found")


def test_a_browser_session_uses_its_current_organisation(
    client: Client, factory: Factory, cabinet: Cabinet, other: Cabinet
) -> None:
    person = cabinet.people["member"]
    factory.join(person, other.org)
    factory.seat(other.body, person)
    here, there = cabinet.meeting(factory, publish=True), other.meeting(factory, publish=True)
    client.log_in(person)
    assert client.get(f"{URL}/{here.id}").status_code == 200
    assert_error(client.get(f"{URL}/{there.id}"), 404, "not_found")
    assert client.submit("/organisation", {"organisation_id": str(other.org.id)}).status_code == 303
    assert [m["id"] for m in client.get(URL).json()] == [there.id]
    assert_error(client.get(f"{URL}/{here.id}"), 404, "not_found")


def test_list_filters_and_refuses_bad_filters(
    client: Client, factory: Factory, cabinet: Cabinet
) -> None:
    draft = cabinet.meeting(factory)
    published = cabinet.meeting(factory, publish=True)
    other_body = factory.body(cabinet.org)
    factory.meeting(other_body)
    headers = cabinet.tokens["secretary"]

    def ids(query: str) -> list[int]:
        response = client.get(f"{URL}?{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [m["id"] for m in response.json()]

    assert ids("state=scheduled") == [published.id]
    assert set(ids(f"body_id={cabinet.body.id}")) == {draft.id, published.id}
    start = draft.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(ids(f"since={start}")) == 3
    assert ids(f"until={start}") == []
    for bad in ("state=dreaming", "body_id=x", "since=2030-12-05T08:00:00", "colour=red"):
        assert_error(client.get(f"{URL}?{bad}", headers=headers), 422, "invalid")


# -- changing and moving through the life --------------------------------------------


def test_secretary_changes_facts_and_the_change_is_announced_after_publication(
    client: Client, factory: Factory, cabinet: Cabinet
) -> None:
    meeting = cabinet.meeting(factory, publish=True)
    before = meeting.sequence
    response = client.patch(
        f"{URL}/{meeting.id}",
        json={"starts_at": "2030-12-06T08:00:00+07:00", "ends_at": "2030-12-06T11:00:00+07:00"},
        headers=cabinet.tokens["secretary"],
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["starts_at"] == "2030-12-06T01:00:00Z"
    assert changed["title"] == meeting.title and changed["place"] == meeting.place
    assert changed["sequence"] == before + 1


def test_members_may_not_change_a_meeting_they_see(
    client: Client, db: Session, factory: Factory, cabinet: Cabinet
) -> None:
    meeting = cabinet.meeting(factory, publish=True, items=1)
    member = cabinet.tokens["member"]
    base = f"{URL}/{meeting.id}"
    item_id = db.exec(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)).one()
    for response in (
        client.patch(base, json={"title": "Khác"}, headers=member),
        _act(client, meeting, member, "cancel", reason="Không"),
        _act(client, meeting, member, "open"),
        client.post(f"{base}/copy", json={"starts_at": START}, headers=member),
        client.post(f"{base}/items", json={"title": "Thêm"}, headers=member),
        client.patch(f"{base}/items/{item_id}", json={"title": "Sửa"}, headers=member),
        client.delete(f"{base}/items/{item_id}", headers=member),
        client.put(f"{base}/items/order", json={"item_ids": [item_id]}, headers=member),
        client.get(f"{base}/positions", headers=member),
        client.post(f"{base}/consent", headers=member),
    ):
        assert_error(response, 403, "forbidden")
    db.refresh(meeting)
    assert meeting.state == "scheduled" and count(db, AgendaItem) == 1


def test_the_whole_life_through_transitions(
    client: Client, db: Session, factory: Factory, cabinet: Cabinet
) -> None:
    meeting = cabinet.meeting(factory, items=1)
    secretary, chair = cabinet.tokens["secretary"], cabinet.tokens["chair"]
    assert _act(client, meeting, secretary, "publish").json()["state"] == "scheduled"
    assert _act(client, meeting, chair, "open").json()["state"] == "in_session"
    assert _act(client, meeting, chair, "close").json()["state"] == "closed"
    archived = _act(client, meeting, secretary, "archive").json()
    assert archived["state"] == "archived" and archived["closed_at"]
    actions = [
        e.action for e in db.exec(select(AuditEntry).where(AuditEntry.object_id == str(meeting.id)))
    ]
    assert {"meeting.published", "meeting.open", "meeting.close", "meeting.archive"} <= set(actions)


def test_illegal_transitions_are_409_and_change_nothing(
    client: Client, db: Session, factory: Factory, cabinet: Cabinet
) -> None:
    meeting = cabinet.meeting(factory)
    secretary = cabinet.tokens["secretary"]
    for action in ("open", "close", "archive", "postpone", "reschedule"):
        extra = {"reason": "Lý do", "starts_at": START}
        assert_error(_act(client, meeting, secretary, action, **extra), 409, "conflict")
    db.refresh(meeting)
    assert meeting.state == "draft"


def test_transitions_refuse_unknown_actions_and_missing_reasons(
    client: Client, db: Session, factory: Factory, cabinet: Cabinet
) -> None:
    meeting = cabinet.meeting(factory, publish=True)
    secretary = cabinet.tokens["secretary"]
    assert_error(_act(client, meeting, secretary, "adjourn"), 422, "invalid")
    assert_error(_act(client, meeting, secretary, "cancel"), 422, "invalid")
    assert_error(_act(client, meeting, secretary, "cancel", reason="x", why="y"), 422, "invalid")
    db.refresh(meeting)
    assert meeting.state == "scheduled" and meeting.state_reason == ""


def test_postpone_then_reschedule_keeps_the_length(
    client: Client, factory: Factory, cabinet: Cabinet
) -> None:
    meeting = cabinet.meeting(factory, publish=True)
    secretary = cabinet.tokens["secretary"]
    postponed = _act(client, meeting, secretary, "postpone", reason="Chờ ý kiến Bộ Chính trị")
    assert postponed.json()["state_reason"] == "Chờ ý kiến Bộ Chính trị"
    assert_error(_act(client, meeting, secretary, "reschedule"), 422, "invalid")
    moved = _act(client, meeting, secretary, "reschedule", starts_at=START).json()
    assert moved["state"] == "scheduled"
    assert moved["starts_at"] == "2030-12-05T01:00:00Z"
    assert moved["ends_at"] == "2030-12-05T05:00:00Z", "four hours, as before"


def test_copy_makes_a_new_draft_with_the_agenda(
    client: Client, factory: Factory, cabinet: Cabinet
) -> None:
    meeting = cabinet.meeting(factory, publish=True, items=3)
    response = client.post(
        f"{URL}/{meeting.id}/copy", json={"starts_at": START}, headers=cabinet.tokens["secretary"]
    )
    assert response.status_code == 201, response.text
    twin = response.json()
    assert twin["state"] == "draft" and twin["copied_from_id"] == meeting.id
    assert [e["title"] for e in twin["agenda"]] == ["Nội dung 1", "Nội dung 2", "Nội dung 3"]


# -- the agenda ----------------------------------------------------------------------


def test_secretary_builds_the_agenda(
    client: Client, db: Session, factory: Factory, cabinet: Cabinet
) -> None:
    meeting = cabinet.meeting(factory)
    base, headers = f"{URL}/{meeting.id}/items", cabinet.tokens["secretary"]
    first = client.post(
        base,
        json={
            "title": "Báo cáo tình hình kinh tế - xã hội",
            "presenter_agency": "Bộ Tài chính",
            "duration_minutes": 40,
        },
        headers=headers,
    )
    assert first.status_code == 201, first.text
    report = first.json()
    assert report["number"] == "1" and report["planned_start"] == meeting.starts_at.isoformat(
        timespec="seconds"
    ).replace("+00:00", "Z")
    part = client.post(
        base, json={"title": "Phụ lục", "parent_id": report["id"]}, headers=headers
    ).json()
    assert part["number"] == "1.1"
    second = client.post(
        base, json={"title": "Dự thảo Nghị định", "consent": True}, headers=headers
    )
    decree = second.json()
    assert decree["number"] == "2" and decree["consent"]
    changed = client.patch(f"{base}/{decree['id']}", json={"duration_minutes": 5}, headers=headers)
    assert changed.json()["duration_minutes"] == 5 and changed.json()["consent"]
    order = client.put(
        f"{base}/order", json={"item_ids": [decree["id"], report["id"]]}, headers=headers
    )
    assert [(e["number"], e["title"]) for e in order.json()][:2] == [
        ("1", "Dự thảo Nghị định"),
        ("2", "Báo cáo tình hình kinh tế - xã hội"),
    ]
    assert client.delete(f"{base}/{part['id']}", headers=headers).status_code == 204
    assert client.delete(f"{base}/{report['id']}", headers=headers).status_code == 204
    assert [i.title for i in db.exec(select(AgendaItem))] == ["Dự thảo Nghị định"]


def test_removing_a_main_item_from_a_draft_removes_its_sub_items(
    client: Client, db: Session, factory: Factory, cabinet: Cabinet
) -> None:
    meeting = cabinet.meeting(factory)
    report = factory.item(meeting, "Báo cáo")
    factory.item(meeting, "Phụ lục", parent_id=report.id)
    url = f"{URL}/{meeting.id}/items/{report.id}"
    assert client.delete(url, headers=cabinet.tokens["secretary"]).status_code == 204
    assert count(db, AgendaItem) == 0


def test_after_publication_an_item_is_withdrawn_not_deleted(
    client: Client, db: Session, factory: Factory, cabinet: Cabinet
) -> None:
    meeting = cabinet.meeting(factory, publish=True, items=2)
    first = db.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).first()
    assert first is not None
    headers = cabinet.tokens["secretary"]
    assert client.delete(f"{URL}/{meeting.id}/items/{first.id}", headers=headers).status_code == 204
    agenda = client.get(f"{URL}/{meeting.id}", headers=headers).json()["agenda"]
    assert [e["status"] for e in agenda] == ["withdrawn", "pending"]


def test_agenda_refuses_stale_orders_bad_items_and_unknown_ids(
    client: Client, db: Session, factory: Factory, cabinet: Cabinet, other: Cabinet
) -> None:
    meeting = cabinet.meeting(factory, items=2)
    base, headers = f"{URL}/{meeting.id}/items", cabinet.tokens["secretary"]
    assert_error(
        client.put(f"{base}/order", json={"item_ids": [1]}, headers=headers), 409, "conflict"
    )
    assert_error(
        client.post(base, json={"title": "X", "duration_minutes": 900}, headers=headers),
        422,
        "invalid",
    )
    assert_error(
        client.post(base, json={"title": "X", "parent_id": 99999}, headers=headers), 422, "invalid"
    )
    foreign = other.meeting(factory, items=1)
    foreign_item = db.exec(select(AgendaItem.id).where(AgendaItem.meeting_id == foreign.id)).one()
    assert_error(
        client.patch(f"{base}/{foreign_item}", json={"title": "Y"}, headers=headers),
        404,
        "not_found",
    )
    assert count(db, AgendaItem) == 3


# -- positions and the consent block -------------------------------------------------


def test_positions_shape_the_consent_block_the_chair_adopts(
    client: Client, db: Session, factory: Factory, cabinet: Cabinet
) -> None:
    meeting = cabinet.meeting(factory)
    plain = factory.item(meeting, "Tờ trình dự án Luật")
    quiet = factory.item(meeting, "Báo cáo công tác (thông qua theo danh sách)", consent=True)
    disputed = factory.item(meeting, "Báo cáo khiếu nại, tố cáo", consent=True)
    another = factory.item(meeting, "Báo cáo khác", consent=True)
    base = f"{URL}/{meeting.id}"
    member, chair = cabinet.tokens["member"], cabinet.tokens["chair"]
    early = client.put(
        f"{base}/items/{quiet.id}/position", json={"kind": "no_objection"}, headers=chair
    )
    assert_error(early, 403, "forbidden")  # nobody is invited to a draft yet
    _act(client, meeting, cabinet.tokens["secretary"], "publish")

    def take(item: AgendaItem, headers: Headers, **position: str) -> Any:
        return client.put(f"{base}/items/{item.id}/position", json=position, headers=headers)

    assert take(quiet, member, kind="no_objection").json()["kind"] == "no_objection"
    assert_error(take(disputed, member, kind="objection"), 422, "invalid")
    assert take(disputed, member, kind="objection", comment="Cần thảo luận").status_code == 200
    assert take(plain, chair, kind="wish_to_speak").status_code == 200
    report = client.get(f"{base}/positions", headers=chair).json()
    assert report["consent_block"] == [quiet.id, another.id]
    tallies = {t["item_id"]: t for t in report["items"]}
    assert tallies[disputed.id]["objection"] == 1
    assert tallies[disputed.id]["objections"] == [
        {
            "user_id": cabinet.people["member"].id,
            "name": cabinet.people["member"].name,
            "comment": "Cần thảo luận",
        }
    ]
    assert tallies[plain.id]["wish_to_speak"] == 1
    assert disputed.id not in report["consent_block"]
    assert_error(client.post(f"{base}/consent", headers=chair), 409, "conflict")
    _act(client, meeting, chair, "open")
    adopted = client.post(f"{base}/consent", headers=chair).json()
    assert [e["id"] for e in adopted] == report["consent_block"]
    assert all(e["status"] == "done" and e["adopted_by_consent_at"] for e in adopted)
    assert_error(take(plain, member, kind="no_objection"), 409, "conflict")
    assert count(db, Position) == 3


def test_only_invited_members_take_positions(
    client: Client, factory: Factory, cabinet: Cabinet
) -> None:
    meeting = cabinet.meeting(factory, publish=True, items=1)
    agenda = client.get(f"{URL}/{meeting.id}", headers=cabinet.tokens["secretary"]).json()
    url = f"{URL}/{meeting.id}/items/{agenda['agenda'][0]['id']}/position"
    response = client.put(url, json={"kind": "no_objection"}, headers=cabinet.tokens["secretary"])
    assert_error(response, 403, "forbidden")
    bad = client.put(url, json={"kind": "abstain"}, headers=cabinet.tokens["member"])
    assert_error(bad, 422, "invalid")
    missing = client.put(
        f"{URL}/{meeting.id}/items/99999/position",
        json={"kind": "no_objection"},
        headers=cabinet.tokens["member"],
    )
    assert_error(missing, 404, "not_found")
