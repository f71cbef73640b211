"""Overdue is counted in the organisation's calendar on a day the caller gives: the lists put
overdue tasks first, then the rest by due day, and finished tasks last."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from meetings.agenda.access import Viewer
from meetings.tasks import actions
from meetings.tasks.models import TaskState
from meetings.tasks.queries import Filters, board, is_overdue, mine, today_in
from tests.tasks.support import Scene

DAY = date(2026, 12, 10)  # "today" in these tests, whatever the real clock says


def _viewer(s: Scene, user) -> Viewer:  # type: ignore[no-untyped-def]
    role = "secretary" if user is s.secretary else "member"
    return Viewer(user.id, s.org.id or 0, role)


def _titles(rows) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.task.title for row in rows]


def test_today_is_the_organisations_day_not_utcs() -> None:
    evening_utc = datetime(2026, 12, 9, 18, 30, tzinfo=ZoneInfo("UTC"))
    assert today_in("Asia/Ho_Chi_Minh", evening_utc) == DAY, "01:30 on the 10th in Hà Nội"
    assert today_in("UTC", evening_utc) == DAY - timedelta(days=1)


def test_a_task_is_overdue_only_after_its_due_day_and_while_work_remains(s: Scene) -> None:
    task = s.task(due=DAY)
    assert not is_overdue(task, DAY), "due today is not late yet"
    assert is_overdue(task, DAY + timedelta(days=1))
    actions.submit(s.db, task, actor=s.actor)
    assert not is_overdue(task, DAY + timedelta(days=1)), "reported done: the secretariat's turn"


def test_the_lists_put_overdue_first_then_by_due_day(s: Scene) -> None:
    due = {"a week later": 7, "two days late": -2, "due today": 0, "a week late": -7}
    made = {title: s.task(title=title, due=DAY + timedelta(days=n)) for title, n in due.items()}
    finished = s.task(title="finished long ago", due=DAY - timedelta(days=30))
    actions.submit(s.db, finished, actor=s.actor)
    actions.accept(s.db, finished, actor=s.actor)
    waiting = s.task(title="reported done, late", due=DAY - timedelta(days=3))
    actions.submit(s.db, waiting, actor=s.actor)
    expected = [
        "a week late",
        "two days late",
        "reported done, late",
        "due today",
        "a week later",
        "finished long ago",
    ]
    assert _titles(mine(s.db, _viewer(s, s.assignee), DAY)) == expected
    assert _titles(board(s.db, _viewer(s, s.secretary), DAY, Filters())) == expected
    a_day_later = _titles(mine(s.db, _viewer(s, s.assignee), DAY + timedelta(days=1)))
    assert a_day_later[:3] == ["a week late", "two days late", "due today"], "now late too"
    assert made["due today"].state == TaskState.open


def test_the_overdue_filter_follows_the_day_given(s: Scene) -> None:
    s.task(title="late", due=DAY - timedelta(days=1))
    s.task(title="on time", due=DAY + timedelta(days=1))
    who = _viewer(s, s.secretary)
    assert _titles(board(s.db, who, DAY, Filters(state="overdue"))) == ["late"]
    later = DAY + timedelta(days=2)
    assert _titles(board(s.db, who, later, Filters(state="overdue"))) == ["late", "on time"]


def test_the_board_shows_members_their_bodys_tasks_and_nobody_else_more(s: Scene) -> None:
    s.task(title="of the body", due=DAY)
    assert _titles(board(s.db, _viewer(s, s.member), DAY, Filters())) == ["of the body"]
    assert _titles(board(s.db, _viewer(s, s.outsider), DAY, Filters())) == []
    assert _titles(board(s.db, _viewer(s, s.guest), DAY, Filters())) == []
    stranger = Viewer(s.stranger.id or 0, s.other.id or 0, "secretary")
    assert _titles(board(s.db, stranger, DAY, Filters())) == []
