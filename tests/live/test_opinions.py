"""Written opinions on the item under discussion: who may post, what is kept, which ones everyone
sees (those the chair shows); each change numbered, audited and announced on commit."""

from __future__ import annotations

import json

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
from meetings.live import opinions
from meetings.live.events import OpinionsChanged
from meetings.live.models import Opinion
from tests.attendance.support import ACTOR, Scene, scene
from tests.factories import Factory
from tests.live.test_session_moves import heard, live_seq


def by(user: User) -> Actor:
    return Actor(user.id, "10.0.0.3")


def chair_of(s: Scene) -> Actor:
    return Actor(s.chair.id, "10.0.0.1", s.org.id)


def agenda_of(db: Session, s: Scene) -> list[AgendaItem]:
    return agenda_items.items(db, s.meeting.id or 0)


@pytest.fixture
def s(factory: Factory, db: Session) -> Scene:
    """An open session of two items, the first under discussion."""
    made = scene(factory, db)
    factory.item(made.meeting, "Nội dung 2")
    made.open()
    session.go_to(db, made.meeting, agenda_of(db, made)[0], actor=chair_of(made))
    return made


def post(db: Session, s: Scene, user: User, text: str = "Đồng ý với dự thảo.") -> Opinion:
    return opinions.post(db, s.meeting, user.id or 0, text=text, actor=by(user))


def refused(move) -> Refusal:  # type: ignore[no-untyped-def]
    with pytest.raises(Refusal) as caught:
        move()
    return caught.value


def stored(db: Session, s: Scene) -> list[Opinion]:
    db.expire_all()
    query = select(Opinion).where(Opinion.meeting_id == s.meeting.id).order_by(col(Opinion.id))
    return list(db.exec(query))


def test_a_member_posts_on_the_item_under_discussion_hidden_until_shown(
    db: Session, s: Scene
) -> None:
    member = s.members[0]
    opinion = post(db, s, member, "  Đề nghị bổ sung điều 7.\n")
    [kept] = stored(db, s)
    assert kept.id == opinion.id
    assert (kept.item_id, kept.user_id, kept.text, kept.public) == (
        agenda_of(db, s)[0].id,
        member.id,
        "Đề nghị bổ sung điều 7.",
        False,
    )


def test_the_chair_and_a_substitute_may_post(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    attendance.answer(
        db,
        s.meeting,
        s.row(s.members[0]),
        actor=ACTOR,
        reply="substitute",
        reason="Đi công tác",
        substitute_id=s.outsider.id,
    )
    s.open()
    session.step(db, s.meeting, actor=chair_of(s))
    post(db, s, s.outsider)
    post(db, s, s.chair)
    assert [o.user_id for o in stored(db, s)] == [s.outsider.id, s.chair.id]


@pytest.mark.parametrize("role", ["guest", "bridge_point"])
def test_guests_and_bridge_points_may_not_post(
    factory: Factory, db: Session, s: Scene, role: str
) -> None:
    visitor = factory.user("Đại Diện Bộ Tư pháp", organisation=s.org)
    attendance.add_guest(db, s.meeting, actor=ACTOR, role=role, user_id=visitor.id)
    before = live_seq(db, s.meeting)
    assert refused(lambda: post(db, s, visitor)).status == 403
    assert stored(db, s) == []
    assert live_seq(db, s.meeting) == before


def test_a_guests_substitute_may_not_post_either(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    visitor = factory.user("Đại Diện Bộ Tư pháp", organisation=s.org)
    deputy = factory.user("Phó Vụ trưởng", organisation=s.org)
    row = attendance.add_guest(db, s.meeting, actor=ACTOR, role="guest", user_id=visitor.id)
    attendance.answer(
        db, s.meeting, row, actor=ACTOR, reply="substitute", reason="Bận", substitute_id=deputy.id
    )
    s.open()
    session.step(db, s.meeting, actor=chair_of(s))
    assert refused(lambda: post(db, s, deputy)).status == 403


@pytest.mark.parametrize("who", ["outsider", "secretary", "other_organisation"])
def test_someone_not_taking_part_may_not_post(
    factory: Factory, db: Session, s: Scene, who: str
) -> None:
    person = {
        "outsider": s.outsider,
        "secretary": s.secretary,
        "other_organisation": factory.user("Người Ngoài", organisation=factory.organisation()),
    }[who]
    assert refused(lambda: post(db, s, person)).status == 403
    assert stored(db, s) == []


def test_without_an_item_under_discussion_nobody_may_post(db: Session, s: Scene) -> None:
    first = agenda_of(db, s)[0]
    session.mark(db, s.meeting, first, "done", actor=chair_of(s))  # nothing current now
    assert refused(lambda: post(db, s, s.members[0])).status == 409
    assert stored(db, s) == []


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_an_empty_opinion_is_refused(db: Session, s: Scene, text: str) -> None:
    blank = refused(lambda: post(db, s, s.members[0], text))
    assert (blank.status, blank.field) == (422, "text")
    assert stored(db, s) == []


def test_an_opinion_is_kept_short(db: Session, s: Scene) -> None:
    longest = post(db, s, s.members[0], "ý" * opinions.TEXT_MAX)
    padded = post(db, s, s.members[1], "  " + "k" * opinions.TEXT_MAX + "\n")
    assert len(longest.text) == len(padded.text) == opinions.TEXT_MAX
    too_long = refused(lambda: post(db, s, s.members[2], "x" * (opinions.TEXT_MAX + 1)))
    assert (too_long.status, too_long.field) == (422, "text")
    assert len(stored(db, s)) == 2


def test_opinions_are_listed_per_item_and_everyone_sees_only_those_shown(
    db: Session, s: Scene
) -> None:
    first, second = agenda_of(db, s)
    a, b, c = s.members
    early, hidden = post(db, s, a, "Một"), post(db, s, b, "Hai")
    session.step(db, s.meeting, actor=chair_of(s))
    later = post(db, s, c, "Ba")
    opinions.show(db, s.meeting, early, public=True, actor=chair_of(s))
    meeting_id = s.meeting.id or 0
    assert [o.id for o in opinions.of_item(db, meeting_id, first.id, public_only=False)] == [
        early.id,
        hidden.id,
    ]
    assert [o.id for o in opinions.of_item(db, meeting_id, first.id, public_only=True)] == [
        early.id
    ]
    assert [o.id for o in opinions.of_item(db, meeting_id, second.id, public_only=False)] == [
        later.id
    ]
    assert opinions.of_item(db, meeting_id, second.id, public_only=True) == []
    assert opinions.of_item(db, meeting_id + 1, first.id, public_only=False) == []


def test_the_chair_shows_an_opinion_and_hides_it_again(db: Session, s: Scene) -> None:
    opinion = post(db, s, s.members[0])
    opinions.show(db, s.meeting, opinion, public=True, actor=chair_of(s))
    assert [o.public for o in stored(db, s)] == [True]
    opinions.show(db, s.meeting, opinion, public=False, actor=chair_of(s))
    assert [o.public for o in stored(db, s)] == [False]


def test_an_opinion_of_another_meeting_cannot_be_shown_through_this_one(
    factory: Factory, db: Session, s: Scene
) -> None:
    other = scene(factory, db)
    other.open()
    session.step(db, other.meeting, actor=chair_of(other))
    foreign = post(db, other, other.members[0])
    before = live_seq(db, s.meeting)
    assert refused(
        lambda: opinions.show(db, s.meeting, foreign, public=True, actor=chair_of(s))
    ).status == (404)
    assert [o.public for o in stored(db, other)] == [False]
    assert live_seq(db, s.meeting) == before


def test_nothing_is_posted_or_shown_once_the_session_is_closed(db: Session, s: Scene) -> None:
    opinion = post(db, s, s.members[0])
    agenda.close_session(db, s.meeting, actor=ACTOR)
    before = live_seq(db, s.meeting)
    assert refused(lambda: post(db, s, s.members[1])).status == 409
    show = refused(lambda: opinions.show(db, s.meeting, opinion, public=True, actor=chair_of(s)))
    assert show.status == 409
    assert [(o.id, o.public) for o in stored(db, s)] == [(opinion.id, False)]
    assert live_seq(db, s.meeting) == before


def test_nobody_may_post_before_the_session_opens(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    assert refused(lambda: post(db, s, s.members[0])).status == 409


def test_each_change_takes_the_next_number_and_is_audited(db: Session, s: Scene) -> None:
    member = s.members[0]
    before = live_seq(db, s.meeting)
    start = db.exec(select(AuditEntry.id).order_by(col(AuditEntry.id).desc())).first() or 0
    opinion = post(db, s, member)
    opinions.show(db, s.meeting, opinion, public=True, actor=chair_of(s))
    opinions.show(db, s.meeting, opinion, public=False, actor=chair_of(s))
    assert live_seq(db, s.meeting) == before + 3
    entries = db.exec(
        select(AuditEntry).where(AuditEntry.id > start).order_by(col(AuditEntry.id))
    ).all()
    assert [(e.action, e.object_type, e.object_id, e.actor_id) for e in entries] == [
        ("opinion.posted", "opinion", str(opinion.id), member.id),
        ("opinion.shown", "opinion", str(opinion.id), s.chair.id),
        ("opinion.hidden", "opinion", str(opinion.id), s.chair.id),
    ]
    assert json.loads(entries[0].data) == {"item": agenda_of(db, s)[0].id}


def test_each_change_is_announced_after_its_commit(engine: Engine, db: Session, s: Scene) -> None:
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        opinion = post(db, s, s.members[0])
        assert events == [
            OpinionsChanged(
                meeting_id=s.meeting.id or 0, seq=before + 1, opinion_id=opinion.id or 0
            )
        ]
        with pytest.raises(Refusal):
            post(db, s, s.members[1], " ")
        opinions.show(db, s.meeting, opinion, public=True, actor=chair_of(s))
    assert [(type(e), e.seq) for e in events] == [
        (OpinionsChanged, before + 1),
        (OpinionsChanged, before + 2),
    ]
    assert live_seq(db, s.meeting) == before + 2
