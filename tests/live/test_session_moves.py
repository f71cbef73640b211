"""The chair's moves through the agenda during the session: go to an item, next, previous, and
marking items done, deferred or pending again; each numbered, audited and announced on commit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from meetings.agenda import actions as agenda
from meetings.agenda import items as agenda_items
from meetings.agenda import session
from meetings.agenda.models import AgendaItem, Meeting
from meetings.archive.audit import Actor, verify
from meetings.archive.models import AuditEntry
from meetings.errors import Refusal
from meetings.live import announce
from meetings.live.events import AgendaChanged, Event
from tests.attendance.support import ACTOR, Scene, scene
from tests.factories import Factory


@contextmanager
def heard(engine: Engine) -> Iterator[list[Event]]:
    """The events announced through `engine` while the block runs (after their commits)."""
    events: list[Event] = []
    announce.attach(engine, events.append)
    try:
        yield events
    finally:
        announce.detach(engine)


def live_seq(db: Session, meeting: Meeting) -> int:
    db.expire_all()
    return int(db.exec(select(Meeting.live_seq).where(Meeting.id == meeting.id)).one())


def audit(db: Session, prefix: str) -> list[AuditEntry]:
    rows = db.exec(select(AuditEntry).order_by(col(AuditEntry.id)))
    return [row for row in rows if row.action.startswith(prefix)]


def chair_of(s: Scene) -> Actor:
    return Actor(s.chair.id, "10.0.0.1", s.org.id)


def statuses(db: Session, *rows: AgendaItem) -> list[str]:
    db.expire_all()
    return [db.get(AgendaItem, row.id).status for row in rows]  # type: ignore[union-attr]


def current_id(db: Session, s: Scene) -> int | None:
    db.expire_all()
    return db.get(Meeting, s.meeting.id).current_item_id  # type: ignore[union-attr]


@pytest.fixture
def room(factory: Factory, db: Session) -> tuple[Scene, list[AgendaItem]]:
    """An open session whose agenda reads: 1, 2, 2.a, 2.b, 3."""
    s = scene(factory, db)
    first = agenda_items.items(db, s.meeting.id or 0)[0]
    second = factory.item(s.meeting, "Nội dung 2")
    sub_a = factory.item(s.meeting, "Nội dung 2.a", parent_id=second.id)
    sub_b = factory.item(s.meeting, "Nội dung 2.b", parent_id=second.id)
    third = factory.item(s.meeting, "Nội dung 3")
    s.open()
    return s, [first, second, sub_a, sub_b, third]


def test_going_to_an_item_takes_it_up_and_the_one_before_goes_back_to_pending(
    db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (first, second, _, _, third) = room
    assert session.go_to(db, s.meeting, third, actor=chair_of(s)) is third
    assert current_id(db, s) == third.id
    session.go_to(db, s.meeting, first, actor=chair_of(s))
    assert statuses(db, first, second, third) == ["current", "pending", "pending"]
    assert current_id(db, s) == first.id


def test_going_again_to_the_current_item_keeps_it_current(
    db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (first, *_) = room
    session.go_to(db, s.meeting, first, actor=chair_of(s))
    session.go_to(db, s.meeting, first, actor=chair_of(s))
    assert statuses(db, first) == ["current"]
    assert current_id(db, s) == first.id


def test_going_to_a_finished_item_reopens_it(
    db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (first, second, *_) = room
    session.mark(db, s.meeting, first, "done", actor=chair_of(s))
    session.go_to(db, s.meeting, first, actor=chair_of(s))
    assert statuses(db, first, second) == ["current", "pending"]


def test_next_finishes_the_current_item_and_walks_the_agenda_sub_items_included(
    db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, agenda_rows = room
    session.go_to(db, s.meeting, agenda_rows[0], actor=chair_of(s))
    taken = [session.step(db, s.meeting, actor=chair_of(s)) for _ in range(4)]
    assert [row.id for row in taken] == [row.id for row in agenda_rows[1:]]
    assert statuses(db, *agenda_rows) == ["done", "done", "done", "done", "current"]
    assert current_id(db, s) == agenda_rows[-1].id


def test_next_without_a_current_item_takes_up_the_first_pending_one(
    db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (first, second, *_) = room
    session.mark(db, s.meeting, first, "deferred", actor=chair_of(s))
    assert session.step(db, s.meeting, actor=chair_of(s)).id == second.id
    assert statuses(db, first, second) == ["deferred", "current"]


def test_next_passes_over_items_that_are_not_pending(
    factory: Factory, db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (first, second, sub_a, sub_b, third) = room
    session.mark(db, s.meeting, second, "deferred", actor=chair_of(s))
    session.mark(db, s.meeting, sub_a, "done", actor=chair_of(s))
    agenda_items.remove_item(db, s.meeting, sub_b, actor=ACTOR)  # withdrawn in session
    session.go_to(db, s.meeting, first, actor=chair_of(s))
    assert session.step(db, s.meeting, actor=chair_of(s)).id == third.id
    assert statuses(db, first, second, sub_a, sub_b, third) == [
        "done",
        "deferred",
        "done",
        "withdrawn",
        "current",
    ]


def test_next_does_not_go_back_to_pending_items_before_the_current_one(
    db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (first, *_, third) = room
    session.go_to(db, s.meeting, third, actor=chair_of(s))
    with pytest.raises(Refusal) as refused:
        session.step(db, s.meeting, actor=chair_of(s))
    assert refused.value.status == 409
    assert statuses(db, first, third) == ["pending", "current"]  # nothing finished
    assert current_id(db, s) == third.id


def test_next_with_nothing_pending_left_is_refused(
    db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, agenda_rows = room
    for row in agenda_rows:
        session.mark(db, s.meeting, row, "done", actor=chair_of(s))
    with pytest.raises(Refusal) as refused:
        session.step(db, s.meeting, actor=chair_of(s))
    assert refused.value.status == 409


def test_previous_goes_back_to_the_item_before_whatever_its_state_but_not_a_withdrawn_one(
    db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (first, second, sub_a, sub_b, third) = room
    session.mark(db, s.meeting, sub_a, "done", actor=chair_of(s))
    agenda_items.remove_item(db, s.meeting, sub_b, actor=ACTOR)
    session.go_to(db, s.meeting, third, actor=chair_of(s))
    back = session.step(db, s.meeting, actor=chair_of(s), forward=False)
    assert back.id == sub_a.id
    # The item left behind was not finished: it is pending again.
    assert statuses(db, sub_a, sub_b, third) == ["current", "withdrawn", "pending"]
    assert session.step(db, s.meeting, actor=chair_of(s), forward=False).id == second.id
    assert statuses(db, first, second, sub_a) == ["pending", "current", "pending"]


def test_previous_after_next_reopens_the_item_just_finished(
    db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (first, second, *_) = room
    session.go_to(db, s.meeting, first, actor=chair_of(s))
    session.step(db, s.meeting, actor=chair_of(s))
    assert statuses(db, first, second) == ["done", "current"]
    session.step(db, s.meeting, actor=chair_of(s), forward=False)
    assert statuses(db, first, second) == ["current", "pending"]


@pytest.mark.parametrize("where", ["first", "nowhere"])
def test_previous_with_nothing_before_is_refused(
    db: Session, room: tuple[Scene, list[AgendaItem]], where: str
) -> None:
    s, (first, *_) = room
    if where == "first":
        session.go_to(db, s.meeting, first, actor=chair_of(s))
    before = live_seq(db, s.meeting)
    with pytest.raises(Refusal) as refused:
        session.step(db, s.meeting, actor=chair_of(s), forward=False)
    assert refused.value.status == 409
    assert live_seq(db, s.meeting) == before


@pytest.mark.parametrize("status", ["done", "deferred", "pending"])
def test_marking_the_current_item_leaves_no_item_current(
    db: Session, room: tuple[Scene, list[AgendaItem]], status: str
) -> None:
    s, (first, second, *_) = room
    session.go_to(db, s.meeting, first, actor=chair_of(s))
    assert session.mark(db, s.meeting, first, status, actor=chair_of(s)) is first
    assert statuses(db, first, second) == [status, "pending"]
    assert current_id(db, s) is None
    assert session.current_item(db, db.get(Meeting, s.meeting.id)) is None  # type: ignore[arg-type]


def test_marking_another_item_keeps_the_current_one(
    db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (first, second, *_) = room
    session.go_to(db, s.meeting, first, actor=chair_of(s))
    session.mark(db, s.meeting, second, "deferred", actor=chair_of(s))
    assert statuses(db, first, second) == ["current", "deferred"]
    assert current_id(db, s) == first.id
    session.mark(db, s.meeting, second, "pending", actor=chair_of(s))
    assert statuses(db, second) == ["pending"]


@pytest.mark.parametrize("status", ["current", "withdrawn", "adopted", ""])
def test_a_mark_other_than_done_deferred_or_pending_is_refused(
    db: Session, room: tuple[Scene, list[AgendaItem]], status: str
) -> None:
    s, (first, *_) = room
    before = live_seq(db, s.meeting)
    with pytest.raises(Refusal) as refused:
        session.mark(db, s.meeting, first, status, actor=chair_of(s))
    assert (refused.value.status, refused.value.field) == (422, "status")
    assert statuses(db, first) == ["pending"]
    assert live_seq(db, s.meeting) == before
    assert audit(db, "meeting.item_marked") == []


def test_a_withdrawn_item_can_be_neither_taken_up_nor_marked(
    db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (_, second, *_) = room
    agenda_items.remove_item(db, s.meeting, second, actor=ACTOR)
    for move in (
        lambda: session.go_to(db, s.meeting, second, actor=chair_of(s)),
        lambda: session.mark(db, s.meeting, second, "done", actor=chair_of(s)),
    ):
        with pytest.raises(Refusal) as refused:
            move()
        assert refused.value.status == 409
    assert statuses(db, second) == ["withdrawn"]
    assert current_id(db, s) is None


def test_an_item_of_another_meeting_is_refused(
    factory: Factory, db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (first, *_) = room
    other = factory.meeting(s.body, "Phiên họp khác", items=1)
    foreign = agenda_items.items(db, other.id or 0)[0]
    session.go_to(db, s.meeting, first, actor=chair_of(s))
    before = live_seq(db, s.meeting)
    for move in (
        lambda: session.go_to(db, s.meeting, foreign, actor=chair_of(s)),
        lambda: session.mark(db, s.meeting, foreign, "done", actor=chair_of(s)),
    ):
        with pytest.raises(Refusal) as refused:
            move()
        assert (refused.value.status, refused.value.field) == (422, "item_id")
    assert statuses(db, foreign, first) == ["pending", "current"]
    assert current_id(db, s) == first.id
    assert live_seq(db, s.meeting) == before


@pytest.mark.parametrize("when", ["before_opening", "after_closing"])
def test_every_move_is_refused_outside_the_session(
    factory: Factory, db: Session, when: str
) -> None:
    s = scene(factory, db)
    item = agenda_items.items(db, s.meeting.id or 0)[0]
    if when == "after_closing":
        s.open()
        agenda.close_session(db, s.meeting, actor=ACTOR)
    moves = [
        lambda: session.go_to(db, s.meeting, item, actor=chair_of(s)),
        lambda: session.step(db, s.meeting, actor=chair_of(s)),
        lambda: session.step(db, s.meeting, actor=chair_of(s), forward=False),
        lambda: session.mark(db, s.meeting, item, "done", actor=chair_of(s)),
    ]
    for move in moves:
        with pytest.raises(Refusal) as refused:
            move()
        assert refused.value.status == 409
    assert statuses(db, item) == ["pending"]
    assert current_id(db, s) is None
    assert audit(db, "meeting.item_") == []


def test_each_move_takes_the_next_number_and_is_audited(
    db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (first, second, *_) = room
    before = live_seq(db, s.meeting)
    session.go_to(db, s.meeting, first, actor=chair_of(s))
    session.step(db, s.meeting, actor=chair_of(s))
    session.mark(db, s.meeting, second, "deferred", actor=chair_of(s))
    assert live_seq(db, s.meeting) == before + 3
    entries = audit(db, "meeting.item_")
    assert [(e.action, e.object_type, e.object_id) for e in entries] == [
        ("meeting.item_taken_up", "agenda_item", str(first.id)),
        ("meeting.item_taken_up", "agenda_item", str(second.id)),
        ("meeting.item_marked", "agenda_item", str(second.id)),
    ]
    assert [json.loads(e.data) for e in entries] == [
        {"finished": None},
        {"finished": first.id},
        {"status": "deferred"},
    ]
    assert {(e.actor_id, e.ip, e.organisation_id) for e in entries} == {
        (s.chair.id, "10.0.0.1", s.org.id)
    }
    assert verify(db) is None


def test_each_move_is_announced_after_its_commit_in_order(
    engine: Engine, db: Session, room: tuple[Scene, list[AgendaItem]]
) -> None:
    s, (first, second, _, _, third) = room
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        session.go_to(db, s.meeting, first, actor=chair_of(s))
        assert events == [
            AgendaChanged(meeting_id=s.meeting.id or 0, seq=before + 1, item_id=first.id or 0)
        ]
        session.step(db, s.meeting, actor=chair_of(s))
        session.mark(db, s.meeting, third, "deferred", actor=chair_of(s))
        with pytest.raises(Refusal):
            session.mark(db, s.meeting, third, "withdrawn", actor=chair_of(s))
    assert [(e.seq, e.item_id) for e in events] == [  # type: ignore[attr-defined]
        (before + 1, first.id),
        (before + 2, second.id),
        (before + 3, third.id),
    ]
    assert all(isinstance(e, AgendaChanged) for e in events)
    assert "live_events" not in db.info
