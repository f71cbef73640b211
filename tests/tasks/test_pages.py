"""Task pages through HTTP: assigning from a conclusion, who sees and does what, the life of a
task from progress to acceptance, and refusals that store nothing."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session, select

from meetings.archive.models import AuditEntry
from meetings.notifications.models import Notification
from meetings.tasks.models import Task, TaskState, TaskUpdate
from tests.api.support import count
from tests.client import Client
from tests.tasks.support import CONCLUSION, Scene, log_in, today


def _kinds(db: Session, kind: str) -> list[Notification]:
    db.expire_all()
    return list(db.exec(select(Notification).where(Notification.kind == kind)))


def _fresh(db: Session, task: Task) -> Task:
    db.expire_all()
    found = db.get(Task, task.id)
    assert found is not None
    return found


def _new_task(s: Scene, **fields: object) -> dict[str, object]:
    return {
        "body_id": s.body.id,
        "title": "Báo cáo tình hình giải ngân vốn đầu tư công",
        "agency": "Bộ Kế hoạch và Đầu tư",
        "assignee_id": s.assignee.id,
        "due": (today() + timedelta(days=10)).isoformat(),
        **fields,
    }


# -- assigning -------------------------------------------------------------------------------


def test_a_task_from_a_conclusion_is_prefilled_and_keeps_its_source(
    client: Client, db: Session, s: Scene
) -> None:
    log_in(client, s.secretary)
    form = client.get(f"/tasks/new?section={s.section.id}")
    assert form.status_code == 200
    first_line = CONCLUSION.splitlines()[0]
    assert f'value="{first_line}"' in form.text
    assert "Các bộ gửi ý kiến bằng văn bản." in form.text, "the whole conclusion is the detail"
    assert f'name="section" value="{s.section.id}"' in form.text
    sent = client.submit(
        "/tasks/new",
        {
            "section": s.section.id,
            "title": first_line,
            "agency": "Bộ Tài chính",
            "assignee_id": s.assignee.id,
            "due": (today() + timedelta(days=20)).strftime("%d/%m/%Y"),
        },
    )
    assert sent.status_code == 303, sent.text
    task = db.exec(select(Task)).one()
    assert sent.headers["location"] == f"/tasks/{task.id}"
    assert (task.body_id, task.meeting_id, task.item_id, task.section_id) == (
        s.body.id,
        s.meeting.id,
        s.item.id,
        s.section.id,
    )
    assert task.state == TaskState.open and task.created_by == s.secretary.id
    assert [n.user_id for n in _kinds(db, "task_assigned")] == [s.assignee.id]
    audit = db.exec(select(AuditEntry).where(AuditEntry.action == "task.created")).one()
    assert audit.object_id == str(task.id)
    page = client.get(f"/tasks/{task.id}")
    assert s.meeting.title in page.text and "The conclusion" in page.text


def test_a_task_without_a_source_names_its_body(client: Client, db: Session, s: Scene) -> None:
    log_in(client, s.secretary)
    sent = client.submit("/tasks/new", _new_task(s))
    assert sent.status_code == 303, sent.text
    task = db.exec(select(Task)).one()
    assert (task.body_id, task.meeting_id, task.section_id) == (s.body.id, None, None)
    assert task.agency == "Bộ Kế hoạch và Đầu tư"


BAD_INPUT = {
    "title": ({"title": "  "}, "This field is required."),
    "due": ({"due": (today() - timedelta(days=1)).isoformat()}, "cannot be in the past"),
    "assignee_id": ({"assignee_id": "999999"}, "Choose a person of this organisation."),
    "body_id": ({"body_id": "999999"}, "Choose a body from the list."),
}


def test_bad_input_answers_422_at_its_field_and_stores_nothing(
    client: Client, db: Session, s: Scene
) -> None:
    log_in(client, s.secretary)
    for field, (change, message) in BAD_INPUT.items():
        sent = client.submit("/tasks/new", _new_task(s, **change))
        assert sent.status_code == 422, field
        error = re.search(r'class="field-error" id="task-[a-z]+-error">([^<]+)<', sent.text)
        assert error and message in error.group(1), (field, sent.text)
    stranger_as_assignee = client.submit("/tasks/new", _new_task(s, assignee_id=s.stranger.id))
    assert stranger_as_assignee.status_code == 422
    assert count(db, Task) == 0 and count(db, TaskUpdate) == 0
    assert _kinds(db, "task_assigned") == []


def test_only_the_secretariat_assigns_and_a_foreign_conclusion_is_not_found(
    client: Client, other_client: Client, s: Scene
) -> None:
    log_in(client, s.member)
    assert client.get("/tasks/new").status_code == 403
    assert client.submit("/tasks/new", _new_task(s)).status_code == 403
    log_in(other_client, s.stranger)
    assert other_client.get(f"/tasks/new?section={s.section.id}").status_code == 404


# -- who sees what ---------------------------------------------------------------------------


def test_who_sees_a_task_and_who_may_act_on_it(app, s: Scene) -> None:  # type: ignore[no-untyped-def]
    task = s.task()
    url = f"/tasks/{task.id}"
    seen = [
        (s.assignee, 200, True),
        (s.secretary, 200, False),
        (s.chair, 200, False),
        (s.member, 200, False),
        (s.guest, 404, False),
        (s.outsider, 404, False),
        (s.stranger, 404, False),
    ]
    for person, status, reports in seen:
        with Client(app) as browser:
            log_in(browser, person)
            page = browser.get(url)
            assert page.status_code == status, person.name
            assert (f'action="{url}/progress"' in page.text) is reports, person.name
            if status == 200 and person is not s.assignee and person is not s.secretary:
                tried = browser.submit(url + "/progress", {"progress": "10"})
                assert tried.status_code == 403, person.name
                assert browser.submit(url + "/comment", {"comment": "x"}).status_code == 403
            if status == 404:
                assert browser.submit(url + "/progress", {"progress": "10"}).status_code == 404
                assert browser.get(url + "/edit").status_code == 404
    assert _fresh(s.db, task).progress == 0


def test_the_assignee_may_not_accept_and_the_secretariat_may_not_report(
    client: Client, other_client: Client, s: Scene
) -> None:
    task = s.task()
    log_in(client, s.assignee)
    assert client.submit(f"/tasks/{task.id}/accept", {}).status_code == 403
    assert client.get(f"/tasks/{task.id}/edit").status_code == 403
    log_in(other_client, s.secretary)
    assert other_client.submit(f"/tasks/{task.id}/progress", {"progress": "5"}).status_code == 403
    assert other_client.submit(f"/tasks/{task.id}/submit", {}).status_code == 403


# -- the life of a task ----------------------------------------------------------------------


def test_progress_report_return_and_acceptance(
    client: Client, other_client: Client, db: Session, s: Scene
) -> None:
    task = s.task()
    url = f"/tasks/{task.id}"
    log_in(client, s.assignee)
    sent = client.submit(url + "/progress", {"progress": "40", "comment": "Đã lấy ý kiến các bộ"})
    assert sent.status_code == 303, sent.text
    assert (_fresh(db, task).state, _fresh(db, task).progress) == (TaskState.in_progress, 40)
    assert client.submit(url + "/submit", {"comment": "Đã trình"}).status_code == 303
    assert (_fresh(db, task).state, _fresh(db, task).progress) == (TaskState.submitted, 100)
    assert [n.user_id for n in _kinds(db, "task_submitted")] == [s.secretary.id]

    log_in(other_client, s.secretary)
    page = other_client.get(url)
    assert f'action="{url}/accept"' in page.text and f'action="{url}/return"' in page.text
    no_reason = other_client.submit(url + "/return", {"comment": " "})
    assert no_reason.status_code == 422 and "This field is required." in no_reason.text
    assert _fresh(db, task).state == TaskState.submitted
    returned = other_client.submit(url + "/return", {"comment": "Bổ sung số liệu quý IV"})
    assert returned.status_code == 303
    assert _fresh(db, task).state == TaskState.in_progress
    told = _kinds(db, "task_returned")
    assert [n.user_id for n in told] == [s.assignee.id] and "quý IV" in told[0].data

    assert client.submit(url + "/submit", {}).status_code == 303
    assert other_client.submit(url + "/accept", {"comment": "Đạt yêu cầu"}).status_code == 303
    done = _fresh(db, task)
    assert done.state == TaskState.done and done.done_at is not None
    kinds = [u.kind for u in db.exec(select(TaskUpdate).order_by(TaskUpdate.id))]
    assert kinds == ["created", "progress", "submitted", "returned", "submitted", "accepted"]
    history = client.get(url).text
    assert "Bổ sung số liệu quý IV" in history and "Đã lấy ý kiến các bộ" in history
    actions = db.exec(select(AuditEntry.action).where(AuditEntry.object_type == "task")).all()
    assert actions.count("task.submitted") == 2 and "task.accepted" in actions


def test_steps_the_state_does_not_allow_answer_409_and_store_nothing(
    client: Client, other_client: Client, db: Session, s: Scene
) -> None:
    task = s.task()
    url = f"/tasks/{task.id}"
    log_in(other_client, s.secretary)
    early = other_client.submit(url + "/accept", {})
    assert early.status_code == 409 and "Only a task reported done can be accepted." in early.text
    assert other_client.submit(url + "/return", {"comment": "Chưa đạt"}).status_code == 409
    log_in(client, s.assignee)
    client.submit(url + "/submit", {})
    late = client.submit(url + "/progress", {"progress": "50"})
    assert late.status_code == 409
    assert "Progress is reported while the task is being done." in late.text
    assert client.submit(url + "/submit", {}).status_code == 409
    other_client.submit(url + "/accept", {})
    before = count(db, TaskUpdate)
    assert other_client.submit(url + "/cancel", {"comment": "Không cần"}).status_code == 409
    assert client.submit(url + "/comment", {"comment": "Thêm"}).status_code == 409
    assert other_client.get(url + "/edit").status_code == 409
    assert count(db, TaskUpdate) == before
    assert _fresh(db, task).state == TaskState.done


def test_bad_progress_is_refused_at_its_field(client: Client, db: Session, s: Scene) -> None:
    task = s.task()
    log_in(client, s.assignee)
    for value in ("150", "-3", "nửa", ""):
        sent = client.submit(f"/tasks/{task.id}/progress", {"progress": value, "comment": "x"})
        assert sent.status_code == 422, value
        assert 'id="progress-progress-error"' in sent.text
    assert count(db, TaskUpdate) == 1, "only the assignment"
    assert _fresh(db, task).state == TaskState.open


def test_a_refusal_to_htmx_answers_the_fragment(client: Client, s: Scene) -> None:
    task = s.task()
    log_in(client, s.assignee)
    sent = client.htmx("POST", f"/tasks/{task.id}/progress", data={"progress": "101"})
    assert sent.status_code == 422
    assert sent.text.lstrip().startswith('<div id="task">') and "<html" not in sent.text


def test_the_secretariat_cancels_with_a_reason_and_extends_a_due_date(
    client: Client, db: Session, s: Scene
) -> None:
    task = s.task(due=today() - timedelta(days=2))
    task.reminded_overdue = True
    db.add(task)
    db.commit()
    log_in(client, s.secretary)
    form = client.get(f"/tasks/{task.id}/edit")
    assert form.status_code == 200 and task.title in form.text
    new_due = today() + timedelta(days=5)
    values = {
        "title": task.title,
        "agency": task.agency,
        "assignee_id": s.member.id,
        "due": new_due.isoformat(),
    }
    assert client.submit(f"/tasks/{task.id}/edit", values).status_code == 303
    changed = _fresh(db, task)
    assert (changed.due, changed.assignee_id) == (new_due, s.member.id)
    assert not changed.reminded_overdue, "a new due day is reminded of afresh"
    assert [n.user_id for n in _kinds(db, "task_assigned")] == [s.assignee.id, s.member.id]
    assert client.submit(f"/tasks/{task.id}/cancel", {"comment": ""}).status_code == 422
    assert client.submit(f"/tasks/{task.id}/cancel", {"comment": "Trùng việc"}).status_code == 303
    assert _fresh(db, task).state == TaskState.cancelled


# -- the dashboards --------------------------------------------------------------------------


def _titles(html: str) -> list[str]:
    return re.findall(r'class="task-link" href="/tasks/\d+">([^<]+)<', html)


def test_my_tasks_list_overdue_first_then_by_due_date(client: Client, s: Scene) -> None:
    s.task(title="Tuần sau", due=today() + timedelta(days=7))
    s.task(title="Quá hạn hôm qua", due=today() - timedelta(days=1))
    s.task(title="Ngày mai", due=today() + timedelta(days=1))
    s.task(title="Quá hạn tuần trước", due=today() - timedelta(days=7))
    s.task(title="Hôm nay", due=today())
    s.task(title="Của người khác", assignee=s.member)
    log_in(client, s.assignee)
    page = client.get("/tasks")
    assert page.status_code == 200
    assert _titles(page.text) == [
        "Quá hạn tuần trước",
        "Quá hạn hôm qua",
        "Hôm nay",
        "Ngày mai",
        "Tuần sau",
    ]
    assert page.text.count('class="task-row-overdue"') == 2


def test_the_board_filters_by_body_agency_and_state(
    client: Client, other_client: Client, s: Scene
) -> None:
    s.task(title="Tài chính quá hạn", agency="Bộ Tài chính", due=today() - timedelta(days=3))
    s.task(title="Tài chính", agency="Bộ Tài chính")
    s.task(title="Xây dựng", agency="Bộ Xây dựng", due=today() + timedelta(days=2))
    log_in(client, s.secretary)
    board = client.get("/tasks/board")
    assert _titles(board.text) == ["Tài chính quá hạn", "Xây dựng", "Tài chính"]
    by_agency = client.get("/tasks/board", params={"agency": "Bộ Tài chính"})
    assert _titles(by_agency.text) == ["Tài chính quá hạn", "Tài chính"]
    overdue = client.get("/tasks/board", params={"state": "overdue", "body": s.body.id})
    assert _titles(overdue.text) == ["Tài chính quá hạn"]
    fragment = client.get("/tasks/board", params={"state": "open"}, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="task-board"')
    unknown = client.get("/tasks/board", params={"state": "lost", "agency": "Bộ Ngoại giao"})
    assert len(_titles(unknown.text)) == 3 and unknown.text.count('class="notice"') == 2
    log_in(other_client, s.outsider)
    assert _titles(other_client.get("/tasks/board").text) == [], "no seat, no task of his"
