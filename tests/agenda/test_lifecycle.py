"""The meeting's state machine: every legal move works, every illegal one is a 409 refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from meetings.agenda import actions
from meetings.agenda.models import Meeting, MeetingState
from meetings.archive.audit import Actor
from meetings.archive.models import AuditEntry
from meetings.attendance.models import Participant
from meetings.errors import Refusal
from meetings.notifications.models import Notification
from tests.factories import Factory

ACTOR = Actor(None, "test")


def _do(db: Session, meeting: Meeting, transition: str) -> None:
    later = meeting.starts_at + timedelta(days=7)
    calls = {
        "publish": lambda: actions.publish(db, meeting, actor=ACTOR),
        "open": lambda: actions.open_session(db, meeting, actor=ACTOR),
        "close": lambda: actions.close_session(db, meeting, actor=ACTOR),
        "archive": lambda: actions.archive(db, meeting, actor=ACTOR),
        "cancel": lambda: actions.cancel(db, meeting, actor=ACTOR, reason="Trùng lịch"),
        "postpone": lambda: actions.postpone(db, meeting, actor=ACTOR, reason="Chưa đủ tài liệu"),
        "reschedule": lambda: actions.reschedule(
            db, meeting, actor=ACTOR, starts_at=later, ends_at=later + timedelta(hours=3)
        ),
    }
    calls[transition]()


PATHS = {
    MeetingState.draft: [],
    MeetingState.scheduled: ["publish"],
    MeetingState.in_session: ["publish", "open"],
    MeetingState.closed: ["publish", "open", "close"],
    MeetingState.archived: ["publish", "open", "close", "archive"],
    MeetingState.cancelled: ["cancel"],
    MeetingState.postponed: ["publish", "postpone"],
}


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize("transition", list(actions.TRANSITIONS))
def test_every_transition_from_every_state(
    db: Session, factory: Factory, state: str, transition: str
) -> None:
    meeting = factory.meeting(factory.body(factory.organisation()))
    for step in PATHS[state]:
        _do(db, meeting, step)
    assert meeting.state == state
    if state in actions.TRANSITIONS[transition]:
        _do(db, meeting, transition)
        assert meeting.state != state
    else:
        before = len(db.exec(select(AuditEntry)).all())
        with pytest.raises(Refusal) as refused:
            _do(db, meeting, transition)
        assert refused.value.status == 409
        db.rollback()
        db.refresh(meeting)
        assert meeting.state == state
        assert len(db.exec(select(AuditEntry)).all()) == before


def test_publishing_invites_the_bodys_seats_and_notifies_them(
    db: Session, factory: Factory
) -> None:
    org = factory.organisation()
    body = factory.body(org)
    chair, member, guest = (factory.user(organisation=org) for _ in range(3))
    factory.seat(body, chair, role="chair")
    factory.seat(body, member)
    factory.seat(body, guest, role="guest", voting_right=False)
    meeting = factory.meeting(body, items=2, publish=True)
    rows = {
        r.user_id: r
        for r in db.exec(select(Participant).where(Participant.meeting_id == meeting.id))
    }
    assert set(rows) == {chair.id, member.id, guest.id}
    assert rows[chair.id].role == "chair" and rows[chair.id].counts_for_quorum
    assert rows[guest.id].role == "guest" and not rows[guest.id].counts_for_quorum
    assert meeting.chair_id == chair.id
    notified = {
        n.user_id for n in db.exec(select(Notification).where(Notification.kind == "invitation"))
    }
    assert notified == {chair.id, member.id, guest.id}


def test_cancel_and_postpone_need_a_reason(db: Session, factory: Factory) -> None:
    meeting = factory.meeting(factory.body(factory.organisation()), publish=True)
    for call in (actions.cancel, actions.postpone):
        with pytest.raises(Refusal) as refused:
            call(db, meeting, actor=ACTOR, reason="  ")
        assert refused.value.field == "reason"
    assert meeting.state == MeetingState.scheduled


def test_copy_keeps_the_agenda_skeleton_at_a_new_date(db: Session, factory: Factory) -> None:
    meeting = factory.meeting(factory.body(factory.organisation()), items=3)
    first = factory.item(meeting, "Báo cáo kinh tế - xã hội", consent=True)
    factory.item(meeting, "Phụ lục", parent_id=first.id, duration_minutes=10)
    later = meeting.starts_at + timedelta(days=30)
    copy = actions.copy_meeting(db, meeting, actor=ACTOR, starts_at=later)
    from meetings.agenda.items import items

    original, copied = items(db, meeting.id or 0), items(db, copy.id or 0)
    assert [i.title for i in copied] == [i.title for i in original]
    assert copy.state == MeetingState.draft and copy.starts_at == later
    assert copy.ends_at - copy.starts_at == meeting.ends_at - meeting.starts_at
    child = next(i for i in copied if i.title == "Phụ lục")
    assert child.parent_id == next(i.id for i in copied if i.title == "Báo cáo kinh tế - xã hội")
    assert next(i for i in copied if i.consent)


def test_meeting_must_end_after_it_starts(db: Session, factory: Factory) -> None:
    body = factory.body(factory.organisation())
    start = factory.meeting(body).starts_at
    with pytest.raises(Refusal) as refused:
        actions.create_meeting(
            db, actor=ACTOR, body=body, title="X", starts_at=start, ends_at=start
        )
    assert refused.value.field == "ends_at"
