"""Requests for the floor: who may ask, the queue (first asked first), the chair's grant, skip and
end, and the record of who spoke on which item for how long; each change numbered, audited and
announced on commit."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from meetings.accounts.models import User
from meetings.agenda import actions as agenda
from meetings.agenda import items as agenda_items
from meetings.agenda import session
from meetings.agenda.models import AgendaItem
from meetings.archive.audit import Actor
from meetings.archive.models import AuditEntry
from meetings.attendance import actions as attendance
from meetings.errors import Refusal
from meetings.live import floor
from meetings.live.events import FloorChanged
from meetings.live.models import FloorRequest
from tests.attendance.support import ACTOR, Scene, scene
from tests.factories import Factory
from tests.live.test_session_moves import heard, live_seq


def by(user: User) -> Actor:
    return Actor(user.id, "10.0.0.2")


def chair_of(s: Scene) -> Actor:
    return Actor(s.chair.id, "10.0.0.1", s.org.id)


def first_item(db: Session, s: Scene) -> AgendaItem:
    return agenda_items.items(db, s.meeting.id or 0)[0]


@pytest.fixture
def s(factory: Factory, db: Session) -> Scene:
    """An open session with its first item under discussion."""
    made = scene(factory, db)
    made.open()
    session.go_to(db, made.meeting, first_item(db, made), actor=chair_of(made))
    return made


def ask(db: Session, s: Scene, user: User, topic: str = "") -> FloorRequest:
    return floor.ask(db, s.meeting, user.id or 0, topic=topic, actor=by(user))


def reloaded(db: Session, request: FloorRequest) -> FloorRequest:
    db.expire_all()
    found = db.get(FloorRequest, request.id)
    assert found is not None
    return found


def refused(move) -> Refusal:  # type: ignore[no-untyped-def]
    with pytest.raises(Refusal) as caught:
        move()
    return caught.value


def test_a_member_asks_on_the_item_under_discussion_and_waits(db: Session, s: Scene) -> None:
    member = s.members[0]
    request = ask(db, s, member, "Về điều 5")
    stored = reloaded(db, request)
    assert (stored.meeting_id, stored.user_id, stored.item_id) == (
        s.meeting.id,
        member.id,
        first_item(db, s).id,
    )
    assert (stored.state, stored.topic, stored.started_at, stored.ended_at) == (
        "waiting",
        "Về điều 5",
        None,
        None,
    )
    assert floor.mine(db, s.meeting.id or 0, member.id or 0) == stored


def test_without_an_item_under_discussion_the_request_names_none(
    factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    assert reloaded(db, ask(db, s, s.members[0])).item_id is None


def test_the_chair_and_a_substitute_may_ask(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    principal = s.members[0]
    attendance.answer(
        db,
        s.meeting,
        s.row(principal),
        actor=ACTOR,
        reply="substitute",
        reason="Đi công tác",
        substitute_id=s.outsider.id,
    )
    s.open()
    asked = [ask(db, s, s.outsider), ask(db, s, s.chair)]
    assert [r.user_id for r in floor.waiting(db, s.meeting.id or 0)] == [r.user_id for r in asked]


def test_a_chair_without_an_invitation_may_ask(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    m = s.meeting
    agenda.update_meeting(
        db,
        m,
        actor=ACTOR,
        title=m.title,
        starts_at=m.starts_at,
        ends_at=m.ends_at,
        kind=m.kind,
        place=m.place,
        video_url=m.video_url,
        chair_id=s.outsider.id,
        secretary_id=m.secretary_id,
    )
    s.open()
    assert ask(db, s, s.outsider).user_id == s.outsider.id


@pytest.mark.parametrize("who", ["outsider", "secretary", "other_organisation"])
def test_someone_not_taking_part_may_not_ask(
    factory: Factory, db: Session, s: Scene, who: str
) -> None:
    person = {
        "outsider": s.outsider,
        "secretary": s.secretary,
        "other_organisation": factory.user("Người Ngoài", organisation=factory.organisation()),
    }[who]
    before = live_seq(db, s.meeting)
    assert refused(lambda: ask(db, s, person)).status == 403
    assert floor.waiting(db, s.meeting.id or 0) == []
    assert live_seq(db, s.meeting) == before


def test_someone_who_answered_absent_may_not_ask_until_checked_in(
    factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    member = s.members[0]
    attendance.answer(db, s.meeting, s.row(member), actor=ACTOR, reply="absent", reason="Ốm")
    s.open()
    assert refused(lambda: ask(db, s, member)).status == 409
    s.check_in(member)  # came after all
    assert ask(db, s, member).state == "waiting"


def test_an_invitee_who_sent_a_substitute_may_not_ask(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    principal = s.members[0]
    attendance.answer(
        db,
        s.meeting,
        s.row(principal),
        actor=ACTOR,
        reply="substitute",
        reason="Đi công tác",
        substitute_id=s.outsider.id,
    )
    s.open()
    assert refused(lambda: ask(db, s, principal)).status == 409


def test_one_open_request_per_person(db: Session, s: Scene) -> None:
    member = s.members[0]
    first = ask(db, s, member)
    assert refused(lambda: ask(db, s, member)).status == 409
    floor.grant(db, s.meeting, actor=chair_of(s))
    assert refused(lambda: ask(db, s, member)).status == 409  # speaking is still open
    floor.end(db, s.meeting, actor=chair_of(s))
    again = ask(db, s, member)
    assert again.id != first.id and again.state == "waiting"


def test_a_finished_request_of_another_meeting_does_not_block_and_an_open_one_neither(
    factory: Factory, db: Session, s: Scene
) -> None:
    other = scene(factory, db)
    other.open()
    ask(db, other, other.members[0])
    assert [r.meeting_id for r in floor.waiting(db, s.meeting.id or 0)] == []
    ask(db, s, s.members[0])
    assert [r.user_id for r in floor.waiting(db, other.meeting.id or 0)] == [other.members[0].id]


def test_the_topic_is_tidied_and_kept_short(db: Session, s: Scene) -> None:
    tidy = ask(db, s, s.members[0], "  Về   khoản 2,\n\tđiều 5  ")
    assert reloaded(db, tidy).topic == "Về khoản 2, điều 5"
    padded = "  " + "a " * 100  # 202 characters, 199 once tidied
    assert len(ask(db, s, s.members[1], padded).topic) == 199
    exact = ask(db, s, s.members[2], "x" * floor.TOPIC_MAX)
    assert len(exact.topic) == floor.TOPIC_MAX
    too_long = refused(lambda: ask(db, s, s.chair, "y" * (floor.TOPIC_MAX + 1)))
    assert (too_long.status, too_long.field) == (422, "topic")
    assert floor.mine(db, s.meeting.id or 0, s.chair.id or 0) is None


def test_the_queue_is_first_asked_first(db: Session, s: Scene) -> None:
    a, b, c = s.members
    requests = [ask(db, s, b), ask(db, s, a), ask(db, s, c)]
    # Even asked within the same instant, the earlier request comes first.
    same = requests[0].requested_at
    for request in requests:
        request.requested_at = same
        db.add(request)
    db.commit()
    assert [r.user_id for r in floor.waiting(db, s.meeting.id or 0)] == [b.id, a.id, c.id]


def test_a_waiting_request_can_be_withdrawn_and_leaves_the_queue(db: Session, s: Scene) -> None:
    a, b, _ = s.members
    mine, theirs = ask(db, s, a), ask(db, s, b)
    floor.withdraw(db, s.meeting, mine, actor=by(a))
    stored = reloaded(db, mine)
    assert stored.state == "withdrawn" and stored.ended_at is not None
    assert [r.id for r in floor.waiting(db, s.meeting.id or 0)] == [theirs.id]
    assert floor.mine(db, s.meeting.id or 0, a.id or 0) is None
    assert refused(lambda: floor.withdraw(db, s.meeting, stored, actor=by(a))).status == 409


def test_a_request_given_the_floor_can_no_longer_be_withdrawn(db: Session, s: Scene) -> None:
    member = s.members[0]
    request = ask(db, s, member)
    floor.grant(db, s.meeting, actor=chair_of(s))
    assert refused(lambda: floor.withdraw(db, s.meeting, request, actor=by(member))).status == 409
    assert reloaded(db, request).state == "speaking"


def test_a_request_of_another_meeting_cannot_be_withdrawn_through_this_one(
    factory: Factory, db: Session, s: Scene
) -> None:
    other = scene(factory, db)
    other.open()
    foreign = ask(db, other, other.members[0])
    before = live_seq(db, s.meeting)
    with pytest.raises(Refusal):
        floor.withdraw(db, s.meeting, foreign, actor=chair_of(s))
    assert reloaded(db, foreign).state == "waiting"
    assert live_seq(db, s.meeting) == before


def test_the_chair_gives_the_floor_to_the_first_in_the_queue(db: Session, s: Scene) -> None:
    s.meeting.speaking_seconds = 120
    db.add(s.meeting)
    db.commit()
    a, b, _ = s.members
    first, second = ask(db, s, a), ask(db, s, b)
    assert floor.grant(db, s.meeting, actor=chair_of(s)).id == first.id
    stored = reloaded(db, first)
    assert (stored.state, stored.allotted_seconds, stored.granted_by) == (
        "speaking",
        120,
        s.chair.id,
    )
    assert stored.started_at is not None and stored.ended_at is None
    assert floor.speaking(db, s.meeting.id or 0) == stored
    assert [r.id for r in floor.waiting(db, s.meeting.id or 0)] == [second.id]


def test_the_chair_may_give_the_floor_out_of_turn_and_the_speaker_before_is_done(
    db: Session, s: Scene
) -> None:
    a, b, c = s.members
    first, _, third = ask(db, s, a), ask(db, s, b), ask(db, s, c)
    floor.grant(db, s.meeting, third, actor=chair_of(s))
    assert reloaded(db, third).state == "speaking"
    floor.grant(db, s.meeting, actor=chair_of(s))  # the first in the queue now
    ended, speaking = reloaded(db, third), reloaded(db, first)
    assert (ended.state, speaking.state) == ("done", "speaking")
    assert ended.ended_at is not None and ended.started_at is not None
    assert ended.ended_at >= ended.started_at
    assert speaking.started_at is not None and speaking.started_at >= ended.ended_at
    speakers = select(FloorRequest).where(
        FloorRequest.meeting_id == s.meeting.id, FloorRequest.state == "speaking"
    )
    assert len(db.exec(speakers).all()) == 1


def test_the_allotted_time_is_the_meetings_at_the_moment_of_the_grant(
    db: Session, s: Scene
) -> None:
    first = ask(db, s, s.members[0])
    s.meeting.speaking_seconds = 300
    db.add(s.meeting)
    db.commit()
    floor.grant(db, s.meeting, actor=chair_of(s))
    assert reloaded(db, first).allotted_seconds == 300


def test_nobody_waiting_means_nobody_can_be_given_the_floor(db: Session, s: Scene) -> None:
    assert refused(lambda: floor.grant(db, s.meeting, actor=chair_of(s))).status == 409
    request = ask(db, s, s.members[0])
    floor.withdraw(db, s.meeting, request, actor=by(s.members[0]))
    assert refused(lambda: floor.grant(db, s.meeting, actor=chair_of(s))).status == 409


@pytest.mark.parametrize("state", ["withdrawn", "skipped", "speaking", "done"])
def test_only_a_waiting_request_can_be_given_the_floor_or_skipped(
    db: Session, s: Scene, state: str
) -> None:
    member = s.members[0]
    request = ask(db, s, member)
    if state == "withdrawn":
        floor.withdraw(db, s.meeting, request, actor=by(member))
    elif state == "skipped":
        floor.skip(db, s.meeting, request, actor=chair_of(s))
    else:
        floor.grant(db, s.meeting, actor=chair_of(s))
        if state == "done":
            floor.end(db, s.meeting, actor=chair_of(s))
    request = reloaded(db, request)
    before = live_seq(db, s.meeting)
    assert refused(lambda: floor.grant(db, s.meeting, request, actor=chair_of(s))).status == 409
    assert refused(lambda: floor.skip(db, s.meeting, request, actor=chair_of(s))).status == 409
    assert reloaded(db, request).state == state
    assert live_seq(db, s.meeting) == before


def test_a_request_of_another_meeting_can_be_neither_given_the_floor_nor_skipped(
    factory: Factory, db: Session, s: Scene
) -> None:
    other = scene(factory, db)
    other.open()
    foreign = ask(db, other, other.members[0])
    mine = ask(db, s, s.members[0])
    floor.grant(db, s.meeting, actor=chair_of(s))
    assert refused(lambda: floor.grant(db, s.meeting, foreign, actor=chair_of(s))).status == 409
    assert refused(lambda: floor.skip(db, s.meeting, foreign, actor=chair_of(s))).status == 409
    assert reloaded(db, foreign).state == "waiting"
    assert reloaded(db, mine).state == "speaking"  # this meeting's speaker goes on


def test_a_skipped_request_leaves_the_queue_but_stays_on_record(db: Session, s: Scene) -> None:
    a, b, _ = s.members
    passed, next_one = ask(db, s, a), ask(db, s, b)
    floor.skip(db, s.meeting, passed, actor=chair_of(s))
    stored = reloaded(db, passed)
    assert stored.state == "skipped" and stored.ended_at is not None
    assert stored.started_at is None
    assert floor.grant(db, s.meeting, actor=chair_of(s)).id == next_one.id
    assert floor.spoken(db, s.meeting.id or 0) == []
    assert ask(db, s, a).state == "waiting"  # may ask again


def test_ending_a_turn_needs_a_speaker(db: Session, s: Scene) -> None:
    assert refused(lambda: floor.end(db, s.meeting, actor=chair_of(s))).status == 409
    request = ask(db, s, s.members[0])
    floor.grant(db, s.meeting, actor=chair_of(s))
    ended = floor.end(db, s.meeting, actor=chair_of(s))
    assert ended.id == request.id
    stored = reloaded(db, request)
    assert stored.state == "done" and stored.ended_at is not None
    assert floor.speaking(db, s.meeting.id or 0) is None
    assert refused(lambda: floor.end(db, s.meeting, actor=chair_of(s))).status == 409


def test_the_record_says_who_spoke_on_which_item_for_how_long(
    factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    second_item = factory.item(s.meeting, "Nội dung 2")
    s.open()
    first_item_ = first_item(db, s)
    a, b, c = s.members
    session.go_to(db, s.meeting, first_item_, actor=chair_of(s))
    ask(db, s, a, "Mở đầu")
    floor.grant(db, s.meeting, actor=chair_of(s))
    floor.end(db, s.meeting, actor=chair_of(s))
    session.step(db, s.meeting, actor=chair_of(s))
    ask(db, s, b)
    ask(db, s, c)
    floor.grant(db, s.meeting, actor=chair_of(s))
    floor.grant(db, s.meeting, actor=chair_of(s))  # b's turn ends as c starts
    record = floor.spoken(db, s.meeting.id or 0)
    assert [(r.user_id, r.item_id, r.topic) for r in record] == [
        (a.id, first_item_.id, "Mở đầu"),
        (b.id, second_item.id, ""),
    ]
    for turn in record:
        assert turn.started_at is not None and turn.ended_at is not None
        assert timedelta(0) <= turn.ended_at - turn.started_at < timedelta(minutes=1)
    assert reloaded(db, floor.speaking(db, s.meeting.id or 0)).user_id == c.id  # type: ignore[arg-type]


def test_nobody_may_ask_before_the_session_opens(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    assert refused(lambda: ask(db, s, s.members[0])).status == 409
    assert floor.mine(db, s.meeting.id or 0, s.members[0].id or 0) is None


def test_nothing_moves_on_the_floor_once_the_session_is_closed(db: Session, s: Scene) -> None:
    a, b, c = s.members
    speaker, waiting_request = ask(db, s, a), ask(db, s, b)
    floor.grant(db, s.meeting, speaker, actor=chair_of(s))
    agenda.close_session(db, s.meeting, actor=ACTOR)
    before = live_seq(db, s.meeting)
    moves = [
        lambda: ask(db, s, c),
        lambda: floor.withdraw(db, s.meeting, waiting_request, actor=by(b)),
        lambda: floor.grant(db, s.meeting, actor=chair_of(s)),
        lambda: floor.skip(db, s.meeting, waiting_request, actor=chair_of(s)),
        lambda: floor.end(db, s.meeting, actor=chair_of(s)),
    ]
    for move in moves:
        assert refused(move).status == 409
    assert [reloaded(db, r).state for r in (speaker, waiting_request)] == ["speaking", "waiting"]
    assert floor.mine(db, s.meeting.id or 0, c.id or 0) is None
    assert live_seq(db, s.meeting) == before


def test_each_change_takes_the_next_number_and_is_audited(db: Session, s: Scene) -> None:
    a, b, c = s.members
    before = live_seq(db, s.meeting)
    start = db.exec(select(AuditEntry.id).order_by(col(AuditEntry.id).desc())).first() or 0
    first, second, third = ask(db, s, a), ask(db, s, b), ask(db, s, c)
    floor.withdraw(db, s.meeting, second, actor=by(b))
    floor.skip(db, s.meeting, third, actor=chair_of(s))
    floor.grant(db, s.meeting, actor=chair_of(s))
    floor.end(db, s.meeting, actor=chair_of(s))
    assert live_seq(db, s.meeting) == before + 7
    entries = db.exec(
        select(AuditEntry).where(AuditEntry.id > start).order_by(col(AuditEntry.id))
    ).all()
    assert [(e.action, e.object_type, e.object_id, e.actor_id) for e in entries] == [
        ("floor.asked", "floor_request", str(first.id), a.id),
        ("floor.asked", "floor_request", str(second.id), b.id),
        ("floor.asked", "floor_request", str(third.id), c.id),
        ("floor.withdrawn", "floor_request", str(second.id), b.id),
        ("floor.skipped", "floor_request", str(third.id), s.chair.id),
        ("floor.granted", "floor_request", str(first.id), s.chair.id),
        ("floor.ended", "floor_request", str(first.id), s.chair.id),
    ]
    assert [json.loads(e.data)["user"] for e in entries] == [
        a.id,
        b.id,
        c.id,
        b.id,
        c.id,
        a.id,
        a.id,
    ]


def test_each_change_is_announced_after_its_commit(engine: Engine, db: Session, s: Scene) -> None:
    a, b, _ = s.members
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        first = ask(db, s, a)
        assert events == [
            FloorChanged(meeting_id=s.meeting.id or 0, seq=before + 1, request_id=first.id or 0)
        ]
        second = ask(db, s, b)
        floor.grant(db, s.meeting, actor=chair_of(s))
        floor.grant(db, s.meeting, actor=chair_of(s))
        floor.end(db, s.meeting, actor=chair_of(s))
        with pytest.raises(Refusal):
            floor.end(db, s.meeting, actor=chair_of(s))
    assert [(type(e), e.seq, e.request_id) for e in events] == [  # type: ignore[attr-defined]
        (FloorChanged, before + 1, first.id),
        (FloorChanged, before + 2, second.id),
        (FloorChanged, before + 3, first.id),
        (FloorChanged, before + 4, second.id),
        (FloorChanged, before + 5, second.id),
    ]
    assert live_seq(db, s.meeting) == before + 5
