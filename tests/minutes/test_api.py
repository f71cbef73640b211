"""The records API: start a record, read it with its sections and automatic facts, save a
section over its version (409 with both texts when someone saved since), the revisions, the
transitions (circulate, approve, addendum), comments; and who may see or change what."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from meetings.accounts.actions import create_api_token
from meetings.accounts.models import User
from meetings.minutes.models import MeetingRecord, RecordComment, SectionRevision
from tests.api.support import assert_error, count
from tests.attendance.support import ACTOR
from tests.client import Client
from tests.factories import Factory
from tests.minutes.support import Held, held

API = "/api/v1"


@pytest.fixture
def h(factory: Factory, db: Session) -> Held:
    return held(factory, db)


def bearer(db: Session, user: User) -> dict[str, str]:
    token = create_api_token(db, user=user, name="script", actor=ACTOR)
    db.commit()
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def start(client: Client, h: Held, kind: str = "minutes") -> dict:  # type: ignore[type-arg]
    made = client.post(
        f"{API}/meetings/{h.s.meeting.id}/records",
        json={"kind": kind},
        headers=bearer(h.s.db, h.s.secretary),
    )
    assert made.status_code == 201, made.text
    return made.json()


def item_section(record: dict, h: Held) -> dict:  # type: ignore[type-arg]
    return next(s for s in record["sections"] if s["item_id"] == h.item.id)


def test_a_record_is_started_and_read_with_its_sections_and_facts(client: Client, h: Held) -> None:
    record = start(client, h)
    assert (record["kind"], record["state"], record["may_edit"]) == ("minutes", "draft", True)
    assert [s["item_id"] for s in record["sections"]] == [None, h.item.id, h.consent_item.id]
    item = item_section(record, h)
    assert (item["number"], item["title"], item["fields"]) == (
        "1",
        "Nội dung 1",
        ["text", "conclusion"],
    )
    labels = [line["label"] for line in item["automatic"]]
    assert labels == ["Speakers", "Opinions", "Vote"]
    read = client.get(f"{API}/records/{record['id']}", headers=bearer(h.s.db, h.s.chair))
    assert read.status_code == 200 and read.json()["may_approve"] is True
    listed = client.get(
        f"{API}/meetings/{h.s.meeting.id}/records", headers=bearer(h.s.db, h.s.chair)
    )
    assert [r["id"] for r in listed.json()] == [record["id"]]


def test_saving_over_a_newer_version_answers_409_with_both_texts(
    client: Client, factory: Factory, db: Session, h: Held
) -> None:
    record = start(client, h)
    item = item_section(record, h)
    path = f"{API}/records/{record['id']}/sections/{item['id']}"
    deputy = factory.user("Phó Văn Phòng", organisation=h.s.org, role="secretary")
    first = client.put(
        path, json={"text": "Thứ nhất", "base_version": 0}, headers=bearer(db, h.s.secretary)
    )
    assert first.status_code == 200, first.text
    assert (first.json()["version"], first.json()["text"]) == (1, "Thứ nhất")
    second = client.put(
        path,
        json={"text": "Thứ hai", "conclusion": "Kết luận", "base_version": 0},
        headers=bearer(db, deputy),
    )
    assert second.status_code == 409
    error = second.json()["error"]
    assert error["code"] == "conflict" and "Nothing was overwritten" in error["message"]
    assert (error["current"]["text"], error["current"]["version"]) == ("Thứ nhất", 1)
    assert error["current"]["updated_by"] == h.s.secretary.id
    assert error["yours"] == {"text": "Thứ hai", "conclusion": "Kết luận", "base_version": 0}
    assert count(db, SectionRevision) == 1
    history = client.get(path + "/revisions", headers=bearer(db, h.s.chair))
    assert [(r["version"], r["saved_by"]) for r in history.json()] == [(1, h.s.secretary.id)]


def test_a_field_left_out_keeps_its_text(client: Client, db: Session, h: Held) -> None:
    record = start(client, h)
    item = item_section(record, h)
    path = f"{API}/records/{record['id']}/sections/{item['id']}"
    secretary = bearer(db, h.s.secretary)
    client.put(
        path,
        json={"text": "Thảo luận", "conclusion": "Kết luận", "base_version": 0},
        headers=secretary,
    )
    only = client.put(
        path, json={"conclusion": "Kết luận mới", "base_version": 1}, headers=secretary
    )
    assert (only.json()["text"], only.json()["conclusion"]) == ("Thảo luận", "Kết luận mới")
    bad = client.put(path, json={"text": "x", "base_version": -1}, headers=secretary)
    assert_error(bad, 422, "invalid")
    unknown = client.put(path, json={"base_version": 2, "title": "x"}, headers=secretary)
    assert_error(unknown, 422, "invalid")


def test_the_workflow_through_the_api(client: Client, db: Session, h: Held) -> None:
    record = start(client, h)
    path = f"{API}/records/{record['id']}"
    secretary, chair, member = (bearer(db, u) for u in (h.s.secretary, h.s.chair, h.s.members[0]))
    assert_error(client.get(path, headers=member), 404, "not_found")
    numbered = client.patch(path, json={"number": "12/BB-CP"}, headers=secretary)
    assert numbered.json()["number"] == "12/BB-CP"
    circulated = client.post(path + "/transitions", json={"action": "circulate"}, headers=secretary)
    assert circulated.json()["state"] == "circulated"
    seen = client.get(path, headers=member).json()
    assert (seen["may_edit"], seen["may_comment"]) == (False, True)
    item = item_section(seen, h)
    assert_error(
        client.put(
            f"{path}/sections/{item['id']}", json={"text": "x", "base_version": 0}, headers=member
        ),
        403,
        "forbidden",
    )
    assert_error(
        client.post(path + "/transitions", json={"action": "approve"}, headers=secretary),
        403,
        "forbidden",
    )
    said = client.post(
        path + "/comments", json={"section_id": item["id"], "text": "Đồng ý."}, headers=member
    )
    assert said.status_code == 201
    assert (said.json()["author"], said.json()["section_id"]) == ("Bộ Trưởng 1", item["id"])
    approved = client.post(path + "/transitions", json={"action": "approve"}, headers=chair)
    assert (approved.json()["state"], approved.json()["approved_by"]) == ("final", h.s.chair.id)
    late = client.post(path + "/comments", json={"text": "Muộn"}, headers=member)
    assert_error(late, 409, "conflict")
    frozen = client.put(
        f"{path}/sections/{item['id']}", json={"text": "x", "base_version": 0}, headers=secretary
    )
    assert "addendum" in assert_error(frozen, 409, "conflict")
    added = client.post(path + "/transitions", json={"action": "addendum"}, headers=secretary)
    assert added.status_code == 200
    addendum = added.json()
    assert (addendum["kind"], addendum["corrects_id"], addendum["state"]) == (
        "addendum",
        record["id"],
        "draft",
    )
    assert count(db, MeetingRecord) == 2 and count(db, RecordComment) == 1
    listed = client.get(f"{path}/comments", headers=chair).json()
    assert [c["text"] for c in listed] == ["Đồng ý."]


def test_strangers_and_bad_requests(client: Client, factory: Factory, db: Session, h: Held) -> None:
    record = start(client, h)
    outsider = bearer(db, h.s.outsider)
    assert_error(client.get(f"{API}/records/{record['id']}", headers=outsider), 404, "not_found")
    assert_error(
        client.get(f"{API}/meetings/{h.s.meeting.id}/records", headers=outsider), 404, "not_found"
    )
    twice = client.post(
        f"{API}/meetings/{h.s.meeting.id}/records",
        json={"kind": "minutes"},
        headers=bearer(db, h.s.secretary),
    )
    assert_error(twice, 409, "conflict")
    wrong = client.post(
        f"{API}/meetings/{h.s.meeting.id}/records",
        json={"kind": "addendum"},
        headers=bearer(db, h.s.secretary),
    )
    assert_error(wrong, 422, "invalid")
    member_start = client.post(
        f"{API}/meetings/{h.s.meeting.id}/records",
        json={"kind": "conclusions"},
        headers=bearer(db, h.s.members[0]),
    )
    assert_error(member_start, 403, "forbidden")
    assert count(db, MeetingRecord) == 1
