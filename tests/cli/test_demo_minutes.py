"""The demo's records of last month's Government session and the tasks from its conclusions:
written through the actions, final, archived, and loaded once."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, func, select

from meetings.accounts.models import User
from meetings.agenda.models import Meeting, MeetingState
from meetings.archive.models import AuditEntry
from meetings.cli import main
from meetings.config import Config
from meetings.demo import DEMO_PASSWORD
from meetings.demo_minutes import E_ID, MINUTES_NUMBER, NOTICE_NUMBER
from meetings.demo_votes import BALLOT
from meetings.minutes.models import (
    MeetingRecord,
    RecordComment,
    RecordKind,
    RecordSection,
    RecordState,
    SectionRevision,
)
from meetings.tasks.models import Task, TaskState, TaskUpdate
from meetings.tasks.queries import is_overdue
from tests.cli.test_demo_meetings import env  # noqa: F401 - the fixture
from tests.client import Client
from tests.search.support import found


def _user(db: Session, login: str) -> User:
    return db.exec(select(User).where(User.email == f"{login}@chinhphu.example")).one()


def _record(db: Session, kind: str) -> MeetingRecord:
    return db.exec(select(MeetingRecord).where(MeetingRecord.kind == kind)).one()


def _today() -> date:
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def _count(db: Session, model: type) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def test_last_sessions_minutes_and_notice_are_final_and_the_session_archived(
    env: Config,  # noqa: F811
    db: Session,
) -> None:
    assert main(["demo"]) == 0
    minutes, notice = _record(db, RecordKind.minutes), _record(db, RecordKind.conclusions)
    assert (minutes.number, notice.number) == (MINUTES_NUMBER, NOTICE_NUMBER)
    assert minutes.state == notice.state == RecordState.final
    secretary, chair = _user(db, "thuky"), _user(db, "thutuong")
    assert minutes.created_by == notice.created_by == secretary.id
    assert minutes.approved_by == notice.approved_by == chair.id
    assert notice.approved_at and minutes.approved_at and notice.approved_at < minutes.approved_at
    meeting = db.get(Meeting, minutes.meeting_id)
    assert meeting is not None and meeting.state == MeetingState.archived
    sections = db.exec(select(RecordSection).where(RecordSection.record_id == minutes.id)).all()
    items = [s for s in sections if s.item_id is not None]
    assert len(items) == 7 and all(s.text and s.conclusion for s in items)
    assert any("vắng Bộ trưởng Bộ Y tế" in s.text for s in sections if s.item_id is None)
    in_notice = db.exec(select(RecordSection).where(RecordSection.record_id == notice.id)).all()
    # Compared in Python: LIKE ignores the case of ASCII letters on SQLite, not on PostgreSQL.
    (e_id,) = [s for s in in_notice if E_ID.casefold() in s.conclusion.casefold()]
    assert "Giao Bộ Công an chủ trì" in e_id.conclusion and "trước ngày" in e_id.conclusion
    assert db.exec(select(RecordComment).where(RecordComment.record_id == minutes.id)).all()


def test_three_conclusions_became_tasks_of_the_ministers_in_every_state(
    env: Config,  # noqa: F811
    db: Session,
) -> None:
    assert main(["demo"]) == 0
    notice = _record(db, RecordKind.conclusions)
    tasks = {t.assignee_id: t for t in db.exec(select(Task)).all()}
    assert len(tasks) == 3
    e_id = tasks[_user(db, "bt.congan").id or 0]
    investment = tasks[_user(db, "bt.taichinh").id or 0]
    resolution = tasks[_user(db, "cnvpcp").id or 0]
    today = _today()
    assert e_id.state == TaskState.in_progress and e_id.progress == 70
    assert today <= e_id.due <= today + timedelta(days=7), "due in a few days"
    assert is_overdue(investment, today) and investment.state == TaskState.open
    assert resolution.state == TaskState.done and resolution.done_at is not None
    for task in tasks.values():
        section = db.get(RecordSection, task.section_id)
        assert section is not None and section.record_id == notice.id
        assert task.meeting_id == notice.meeting_id and task.agency


def test_loading_the_demo_twice_adds_no_record_revision_or_task(
    env: Config,  # noqa: F811
    db: Session,
) -> None:
    models = (MeetingRecord, RecordSection, SectionRevision, RecordComment, Task, TaskUpdate)
    assert main(["demo"]) == 0
    first = [_count(db, model) for model in models]
    audits = select(func.count()).where(
        col(AuditEntry.action).startswith("minutes.") | col(AuditEntry.action).startswith("task.")
    )
    logged = db.exec(audits).one()
    assert main(["demo"]) == 0
    db.expire_all()
    assert [_count(db, model) for model in models] == first
    assert db.exec(audits).one() == logged


def test_a_member_finds_the_decree_its_conclusion_notice_and_its_ballot_without_accents(
    env: Config,  # noqa: F811
    db: Session,
    client: Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo"]) == 0
    capsys.readouterr()
    client.log_in(_user(db, "bt.tuphap"), DEMO_PASSWORD)
    hits = found(client, "nghi dinh dinh danh")
    session = _record(db, RecordKind.minutes)
    meeting = db.get(Meeting, session.meeting_id)
    assert meeting is not None
    assert {
        ("minutes", f"{MINUTES_NUMBER} {meeting.title}"),
        ("conclusion", f"{NOTICE_NUMBER} {meeting.title}"),
        ("ballot", BALLOT),
    } <= hits
    drafts = [t for kind, t in hits if kind == "document" and t.startswith("Dự thảo Nghị định")]
    assert drafts and "định danh" in drafts[0]


def test_the_minister_sees_the_task_on_my_tasks_and_the_secretariat_on_its_board(
    env: Config,  # noqa: F811
    db: Session,
    client: Client,
    other_client: Client,
) -> None:
    assert main(["demo"]) == 0
    titles = {t.assignee_id: t.title for t in db.exec(select(Task)).all()}
    minister, secretary = _user(db, "bt.congan"), _user(db, "thuky")
    client.log_in(minister, DEMO_PASSWORD)
    mine = client.get("/tasks")
    assert mine.status_code == 200 and titles[minister.id or 0] in mine.text
    other_client.log_in(secretary, DEMO_PASSWORD)
    board = other_client.get("/tasks/board")
    assert board.status_code == 200
    assert all(title in board.text for title in titles.values())
