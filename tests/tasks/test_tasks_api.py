"""The tasks API: the list with its filters, assigning, changing, progress and comments, the
steps of a task's life, files; who may do what; bad input that stores nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from meetings.accounts.actions import create_api_token
from meetings.tasks.models import TaskAttachment, TaskUpdate
from tests.api.support import assert_error, count
from tests.attendance.support import ACTOR
from tests.client import Client
from tests.documents.support import pdf
from tests.tasks.support import Scene, today

API = "/api/v1"


def bearer(db: Session, user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    token = create_api_token(db, user=user, name="tablet", actor=ACTOR)
    db.commit()
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def _create(client: Client, s: Scene, **values: object) -> dict:  # type: ignore[type-arg]
    body = {
        "body_id": s.body.id,
        "title": "Hoàn thiện dự thảo Nghị định",
        "agency": "Bộ Tài chính",
        "assignee_id": s.assignee.id,
        "due": (today() + timedelta(days=14)).isoformat(),
        **values,
    }
    made = client.post(f"{API}/tasks", json=body, headers=bearer(s.db, s.secretary))
    assert made.status_code == 201, made.text
    return made.json()


def test_assigning_from_a_conclusion_and_reading_the_task(client: Client, s: Scene) -> None:
    task = _create(client, s, section_id=s.section.id)
    assert (task["meeting_id"], task["item_id"], task["section_id"]) == (
        s.meeting.id,
        s.item.id,
        s.section.id,
    )
    assert task["state"] == "open" and task["overdue"] is False and task["may_manage"] is True
    assert [u["kind"] for u in task["updates"]] == ["created"]
    read = client.get(f"{API}/tasks/{task['id']}", headers=bearer(s.db, s.assignee)).json()
    assert read["is_assignee"] is True and read["may_manage"] is False


def test_the_life_of_a_task_through_the_api(client: Client, s: Scene) -> None:
    task = _create(client, s)
    url = f"{API}/tasks/{task['id']}"
    assignee, secretary = bearer(s.db, s.assignee), bearer(s.db, s.secretary)
    report = client.post(
        url + "/updates", json={"progress": 30, "comment": "Bắt đầu"}, headers=assignee
    )
    assert report.status_code == 201 and report.json()["state"] == "in_progress"
    assert report.json()["progress"] == 30
    noted = client.post(url + "/updates", json={"comment": "Cần số liệu"}, headers=secretary)
    assert noted.status_code == 201 and noted.json()["updates"][-1]["kind"] == "comment"
    refused = client.post(url + "/updates", json={"progress": 50}, headers=secretary)
    assert_error(refused, 403, "forbidden")
    early = client.post(url + "/transitions", json={"action": "accept"}, headers=secretary)
    assert_error(early, 409, "conflict")
    submitted = client.post(url + "/transitions", json={"action": "submit"}, headers=assignee)
    assert submitted.json()["state"] == "submitted"
    no_reason = client.post(url + "/transitions", json={"action": "return"}, headers=secretary)
    assert_error(no_reason, 422, "invalid")
    back = client.post(
        url + "/transitions",
        json={"action": "return", "comment": "Thiếu phụ lục"},
        headers=secretary,
    )
    assert back.json()["state"] == "in_progress"
    client.post(url + "/transitions", json={"action": "submit"}, headers=assignee)
    done = client.post(url + "/transitions", json={"action": "accept"}, headers=secretary)
    assert done.json()["state"] == "done" and done.json()["done_at"]
    late = client.post(url + "/updates", json={"progress": 100}, headers=assignee)
    assert_error(late, 409, "conflict")


def test_the_list_filters_and_orders_overdue_first(client: Client, s: Scene) -> None:
    s.task(title="quá hạn", due=today() - timedelta(days=1), agency="Bộ Xây dựng")
    s.task(title="sắp đến hạn", due=today() + timedelta(days=2))
    s.task(title="của bộ trưởng", assignee=s.member, due=today() + timedelta(days=1))
    secretary = bearer(s.db, s.secretary)
    listed = client.get(f"{API}/tasks", headers=secretary).json()
    assert [t["title"] for t in listed] == ["quá hạn", "của bộ trưởng", "sắp đến hạn"]
    assert [t["overdue"] for t in listed] == [True, False, False]
    overdue = client.get(f"{API}/tasks", params={"state": "overdue"}, headers=secretary).json()
    assert [t["title"] for t in overdue] == ["quá hạn"]
    by_agency = client.get(f"{API}/tasks", params={"agency": "Bộ Xây dựng"}, headers=secretary)
    assert [t["title"] for t in by_agency.json()] == ["quá hạn"]
    mine = client.get(f"{API}/tasks", params={"mine": "true"}, headers=bearer(s.db, s.member))
    assert [t["title"] for t in mine.json()] == ["của bộ trưởng"]
    outsider = client.get(f"{API}/tasks", headers=bearer(s.db, s.outsider)).json()
    assert outsider == []
    unknown = client.get(f"{API}/tasks", params={"colour": "red"}, headers=secretary)
    assert_error(unknown, 422, "invalid")


def test_who_may_see_and_assign(client: Client, s: Scene) -> None:
    task = s.task()
    url = f"{API}/tasks/{task.id}"
    assert client.get(url, headers=bearer(s.db, s.chair)).status_code == 200
    assert_error(client.get(url, headers=bearer(s.db, s.outsider)), 404, "not_found")
    assert_error(client.get(url, headers=bearer(s.db, s.stranger)), 404, "not_found")
    member = bearer(s.db, s.member)
    body = {
        "body_id": s.body.id,
        "title": "x",
        "assignee_id": s.member.id,
        "due": today().isoformat(),
    }
    assert_error(client.post(f"{API}/tasks", json=body, headers=member), 403, "forbidden")
    assert_error(client.patch(url, json={"title": "y"}, headers=member), 403, "forbidden")
    stranger = client.post(f"{API}/tasks", json=body, headers=bearer(s.db, s.stranger))
    assert_error(stranger, 404, "not_found")


def test_bad_input_answers_422_and_stores_nothing(client: Client, s: Scene) -> None:
    secretary = bearer(s.db, s.secretary)
    good = {
        "body_id": s.body.id,
        "title": "Báo cáo",
        "assignee_id": s.assignee.id,
        "due": today().isoformat(),
    }
    bad = [
        {**good, "colour": "red"},
        {**good, "title": " "},
        {**good, "due": (today() - timedelta(days=1)).isoformat()},
        {**good, "due": "31/12/2026"},
        {**good, "assignee_id": s.stranger.id},
        {**good, "section_id": 999999},
    ]
    for body in bad:
        assert_error(client.post(f"{API}/tasks", json=body, headers=secretary), 422, "invalid")
    task = s.task()
    url = f"{API}/tasks/{task.id}"
    over = client.post(url + "/updates", json={"progress": 101}, headers=bearer(s.db, s.assignee))
    assert_error(over, 422, "invalid")
    assert count(s.db, TaskUpdate) == 1, "only the one task's assignment"


def test_changing_a_task_sends_only_what_changes(client: Client, s: Scene) -> None:
    task = s.task()
    later = (today() + timedelta(days=30)).isoformat()
    url = f"{API}/tasks/{task.id}"
    changed = client.patch(url, json={"due": later}, headers=bearer(s.db, s.secretary))
    assert changed.status_code == 200, changed.text
    assert changed.json()["due"] == later and changed.json()["title"] == task.title
    assert changed.json()["updates"][-1]["kind"] == "changed"


def test_a_file_is_attached_and_downloaded(client: Client, s: Scene) -> None:
    task = s.task()
    url = f"{API}/tasks/{task.id}/files"
    assignee = bearer(s.db, s.assignee)
    sent = client.post(
        url,
        files={"file": ("báo cáo.pdf", pdf(), "application/pdf")},
        data={"comment": "Dự thảo lần 2"},
        headers=assignee,
    )
    assert sent.status_code == 201, sent.text
    info = sent.json()
    assert info["filename"] == "báo cáo.pdf" and info["media_type"] == "application/pdf"
    download = client.get(info["file_url"], headers=bearer(s.db, s.member))
    assert download.status_code == 200 and download.content == pdf()
    assert download.headers["x-content-type-options"] == "nosniff"
    refused = client.post(
        url, files={"file": ("x.pdf", b"MZ" + b"\x00" * 100, "application/pdf")}, headers=assignee
    )
    assert refused.status_code in (415, 422)
    assert count(s.db, TaskAttachment) == 1
    stranger = client.post(
        url, files={"file": ("a.pdf", pdf(), "application/pdf")}, headers=bearer(s.db, s.outsider)
    )
    assert_error(stranger, 404, "not_found")


def test_the_operations_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert set(paths[f"{API}/tasks"]) == {"get", "post"}
    assert set(paths[f"{API}/tasks/{{task_id}}"]) == {"get", "patch"}
    for tail in ("/updates", "/transitions", "/files"):
        assert "post" in paths[f"{API}/tasks/{{task_id}}{tail}"], tail
    assert "get" in paths[f"{API}/tasks/{{task_id}}/files/{{file_id}}"]
