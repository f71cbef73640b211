"""Reminders go to the assignee DAYS_BEFORE days before the due day and once it has passed,
each exactly once, whatever the number of runs or processes; the clock is the test's."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from meetings import i18n, jobs
from meetings.archive.models import AuditEntry
from meetings.config import Config
from meetings.notifications.actions import message
from meetings.notifications.models import Notification
from meetings.storage.blobs import LocalBlobStore
from meetings.tasks import actions, reminders
from meetings.tasks.reminders import DAYS_BEFORE, remind_due
from tests.tasks.support import Scene, at, today

DUE = date(2026, 12, 10)


def _sent(db: Session) -> list[tuple[int, str]]:
    db.expire_all()
    rows = db.exec(select(Notification).where(Notification.kind.startswith("task_")))  # type: ignore[attr-defined]
    return [(n.user_id, n.kind) for n in rows if n.kind != "task_assigned"]


def test_each_reminder_goes_out_once_on_its_day(s: Scene) -> None:
    s.task(due=DUE)
    early = DUE - timedelta(days=DAYS_BEFORE + 1)
    assert remind_due(s.db, now=at(early)) == 0, "too early"
    before = DUE - timedelta(days=DAYS_BEFORE)
    assert remind_due(s.db, now=at(before)) == 1
    assert remind_due(s.db, now=at(before)) == 0, "a second run sends nothing"
    assert remind_due(s.db, now=at(DUE, hour=23)) == 0, "due today is not overdue"
    assert _sent(s.db) == [(s.assignee.id, "task_due_soon")]
    late = DUE + timedelta(days=1)
    assert remind_due(s.db, now=at(late, hour=0)) == 1
    assert remind_due(s.db, now=at(late + timedelta(days=5))) == 0
    assert _sent(s.db) == [(s.assignee.id, "task_due_soon"), (s.assignee.id, "task_overdue")]
    reminded = s.db.exec(select(AuditEntry).where(AuditEntry.action == "task.reminded")).all()
    assert len(reminded) == 2


def test_the_day_is_the_organisations_not_utcs(s: Scene) -> None:
    s.task(due=DUE)
    # 18:00 UTC on the due day is already 01:00 the next day in Hà Nội: overdue there.
    evening_utc = at(DUE, hour=23) + timedelta(hours=2)
    assert evening_utc.date() == DUE
    assert remind_due(s.db, now=evening_utc) == 1
    assert _sent(s.db) == [(s.assignee.id, "task_overdue")], "late: no 'due soon' any more"


def test_the_message_names_the_task_and_its_due_day(s: Scene) -> None:
    s.task(title="Báo cáo giải ngân", due=DUE)
    remind_due(s.db, now=at(DUE - timedelta(days=1)))
    note = s.db.exec(select(Notification).where(Notification.kind == "task_due_soon")).one()
    i18n.set_locale("en")
    try:
        assert message(note) == "Reminder: the task “Báo cáo giải ngân” is due on 10/12/2026."
    finally:
        i18n.set_locale("vi")


def test_finished_tasks_are_not_reminded(s: Scene) -> None:
    done = s.task(due=DUE)
    actions.submit(s.db, done, actor=s.actor)
    cancelled = s.task(due=DUE)
    actions.cancel(s.db, cancelled, actor=s.actor, reason="Trùng việc")
    assert remind_due(s.db, now=at(DUE - timedelta(days=1))) == 0
    assert remind_due(s.db, now=at(DUE + timedelta(days=1))) == 0


def test_two_processes_claim_each_reminder_once(s: Scene, engine: Engine) -> None:
    s.task(due=DUE)
    now = at(DUE - timedelta(days=1))
    with Session(engine) as first, Session(engine) as second:
        seen_first = reminders._candidates(first, now)
        seen_second = reminders._candidates(second, now)
        assert len(seen_first) == len(seen_second) == 1, "both runs see the task as owed"
        sent_first = reminders._claim(first, seen_first[0][0], "reminded_before", "task_due_soon")
        sent_second = reminders._claim(
            second, seen_second[0][0], "reminded_before", "task_due_soon"
        )
    assert (sent_first, sent_second) == (1, 0)
    assert _sent(s.db) == [(s.assignee.id, "task_due_soon")]


def test_the_job_runner_sends_the_reminders(s: Scene, engine: Engine, config: Config) -> None:
    s.task(due=today() - timedelta(days=1))
    s.task(due=today() + timedelta(days=1))
    store = LocalBlobStore(config.storage_dir)
    done = jobs.run_once(engine, store, config)
    assert done["task reminders before and after the due day"] == 2
    assert jobs.run_once(engine, store, config)["task reminders before and after the due day"] == 0
    assert sorted(kind for _user, kind in _sent(s.db)) == ["task_due_soon", "task_overdue"]
