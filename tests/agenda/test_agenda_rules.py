"""Agenda rules: numbering and planned times, amendments after publication, their notices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from meetings import i18n
from meetings.agenda import actions, items
from meetings.agenda.models import Amendment, ItemStatus
from meetings.agenda.queries import agenda_of
from meetings.archive.audit import Actor
from meetings.errors import Refusal
from meetings.notifications.actions import change_text, message
from meetings.notifications.models import Notification
from tests.factories import Factory

ACTOR = Actor(None, "test")


def test_items_are_numbered_and_timed_from_the_start(db: Session, factory: Factory) -> None:
    meeting = factory.meeting(factory.body(factory.organisation()))
    first = factory.item(meeting, "Khai mạc", duration_minutes=10)
    report = factory.item(meeting, "Báo cáo", duration_minutes=20)
    factory.item(meeting, "Phần 1", parent_id=report.id, duration_minutes=15)
    factory.item(meeting, "Phần 2", parent_id=report.id, duration_minutes=15)
    factory.item(meeting, "Bế mạc", duration_minutes=5)
    plan = agenda_of(db, meeting)
    assert [p.number for p in plan] == ["1", "2", "2.1", "2.2", "3"]
    start = meeting.starts_at
    offsets = [(p.starts_at - start) // timedelta(minutes=1) for p in plan]
    assert offsets == [0, 10, 10, 25, 40], "a main item lasts as long as its sub-items"
    assert plan[0].item.id == first.id


def test_withdrawn_items_take_no_time(db: Session, factory: Factory) -> None:
    meeting = factory.meeting(factory.body(factory.organisation()))
    factory.item(meeting, "A", duration_minutes=30)
    b = factory.item(meeting, "B", duration_minutes=30)
    factory.item(meeting, "C", duration_minutes=30)
    actions.publish(db, meeting, actor=ACTOR)
    items.remove_item(db, meeting, b, actor=ACTOR)
    plan = agenda_of(db, meeting)
    assert plan[1].item.status == ItemStatus.withdrawn
    assert plan[2].starts_at - meeting.starts_at == timedelta(minutes=30)


def test_draft_changes_are_not_amendments(db: Session, factory: Factory) -> None:
    meeting = factory.meeting(factory.body(factory.organisation()), items=2)
    items.remove_item(db, meeting, items.items(db, meeting.id or 0)[0], actor=ACTOR)
    assert db.exec(select(Amendment)).first() is None
    assert len(items.items(db, meeting.id or 0)) == 1


def test_changes_after_publication_are_amendments_announced_in_each_readers_language(
    db: Session, factory: Factory
) -> None:
    org = factory.organisation()
    body = factory.body(org)
    member = factory.user(organisation=org)
    factory.seat(body, member)
    meeting = factory.meeting(body, items=2, publish=True)
    factory.item(meeting, "Dự thảo Nghị định về định danh điện tử")
    later = meeting.starts_at + timedelta(hours=2)
    actions.update_meeting(
        db,
        meeting,
        actor=ACTOR,
        title=meeting.title,
        starts_at=later,
        ends_at=later + timedelta(hours=3),
        kind=meeting.kind,
        place=meeting.place,
        video_url="",
        chair_id=meeting.chair_id,
        secretary_id=meeting.secretary_id,
    )
    kinds = [a.kind for a in db.exec(select(Amendment))]
    assert kinds == ["item_added", "time_changed"]
    assert meeting.sequence == 2
    notices = db.exec(select(Notification).where(Notification.user_id == member.id)).all()
    assert [n.kind for n in notices] == ["invitation", "agenda_amended", "meeting_changed"]
    i18n.set_locale("en", "Asia/Ho_Chi_Minh")
    english = message(notices[1])
    i18n.set_locale("vi", "Asia/Ho_Chi_Minh")
    vietnamese = message(notices[1])
    assert "Dự thảo Nghị định về định danh điện tử" in english and english.startswith("The agenda")
    assert vietnamese != english
    amendment = db.exec(select(Amendment)).first()
    assert amendment is not None and "định danh" in change_text(amendment.kind, amendment.data)


def test_finished_meetings_refuse_agenda_changes(db: Session, factory: Factory) -> None:
    meeting = factory.meeting(factory.body(factory.organisation()), items=1, publish=True)
    actions.open_session(db, meeting, actor=ACTOR)
    actions.close_session(db, meeting, actor=ACTOR)
    with pytest.raises(Refusal) as refused:
        factory.item(meeting, "Muộn")
    assert refused.value.status == 409


def test_sub_items_only_under_main_items_of_the_same_agenda(db: Session, factory: Factory) -> None:
    body = factory.body(factory.organisation())
    meeting, other = factory.meeting(body), factory.meeting(body)
    foreign = factory.item(other, "Của phiên khác")
    main = factory.item(meeting, "Chính")
    sub = factory.item(meeting, "Phụ", parent_id=main.id)
    for parent in (foreign.id, sub.id):
        with pytest.raises(Refusal):
            factory.item(meeting, "Sai chỗ", parent_id=parent)
