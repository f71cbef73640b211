"""A meeting that was held: answers (one absent, one substitute), check-ins in the room and
remote, the consent block adopted, a floor turn, opinions (one made public), a vote; then the
session closed. Everything goes through the areas' own actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.agenda import actions as agenda
from meetings.agenda import positions, session
from meetings.agenda.items import items
from meetings.agenda.models import AgendaItem
from meetings.archive.audit import Actor
from meetings.attendance import actions as attendance
from meetings.live import floor, opinions
from meetings.live.models import FloorRequest
from meetings.minutes import actions as minutes
from meetings.minutes.models import MeetingRecord, RecordSection
from meetings.minutes.queries import sections_of
from meetings.organisations import actions as org_actions
from meetings.voting import actions as voting
from meetings.voting import casting
from meetings.voting.models import Meaning, Poll
from meetings.voting.queries import options_of
from tests.attendance.support import ACTOR, Scene, scene
from tests.factories import Factory

TURN_SECONDS = 200  # 3 min 20 s


@dataclass
class Held:
    """The scene, its two items (the second adopted by consent), who came in whose place."""

    s: Scene
    item: AgendaItem
    consent_item: AgendaItem
    substitute: User
    poll: Poll

    @property
    def absent(self) -> User:
        return self.s.members[2]

    @property
    def represented(self) -> User:
        return self.s.members[3]


def by(user: User) -> Actor:
    return Actor(user.id, "10.0.0.9")


def _vote(s: Scene, poll: Poll, user: User, meaning: str) -> None:
    option = next(o.id or 0 for o in options_of(s.db, poll.id or 0) if o.meaning == meaning)
    casting.cast(s.db, poll, user.id or 0, [option], actor=by(user))


def _turn(s: Scene, speaker: User) -> None:
    """A floor turn of TURN_SECONDS, five minutes after the opening."""
    floor.ask(s.db, s.meeting, speaker.id or 0, topic="Về điều 5", actor=by(speaker))
    floor.grant(s.db, s.meeting, actor=by(s.chair))
    turn = floor.end(s.db, s.meeting, actor=by(s.chair))
    row = s.db.get(FloorRequest, turn.id)
    assert row is not None and s.meeting.opened_at is not None
    row.started_at = s.meeting.opened_at + timedelta(minutes=5)
    row.ended_at = row.started_at + timedelta(seconds=TURN_SECONDS)
    s.db.add(row)
    s.db.commit()


def _poll(s: Scene, item: AgendaItem, substitute: User) -> Poll:
    poll = voting.create(
        s.db,
        s.body,
        actor=by(s.chair),
        question="Thông qua dự thảo Nghị định?",
        meeting=s.meeting,
        item=item,
    )
    voting.open_poll(s.db, poll, actor=by(s.chair))
    _vote(s, poll, s.chair, Meaning.in_favour)
    _vote(s, poll, s.members[0], Meaning.in_favour)
    _vote(s, poll, s.members[1], Meaning.against)
    _vote(s, poll, substitute, Meaning.in_favour)
    voting.close(s.db, poll, actor=by(s.chair))
    return poll


def held(factory: Factory, db: Session, *, close: bool = True) -> Held:
    s = scene(factory, db, members=4)
    org_actions.set_body_rules(  # the substitute votes in the member's place
        db,
        body=s.body,
        quorum_numerator=1,
        quorum_denominator=2,
        substitutes_count_for_quorum=True,
        substitutes_may_vote=True,
        remote_counts_for_quorum=True,
        actor=ACTOR,
    )
    consent_item = factory.item(s.meeting, "Nội dung 2", consent=True)
    item = items(db, s.meeting.id or 0)[0]
    substitute = factory.user("Thứ Trưởng Phạm", organisation=s.org)
    attendance.answer(
        db, s.meeting, s.row(s.members[2]), actor=ACTOR, reply="absent", reason="Đi công tác"
    )
    attendance.answer(
        db,
        s.meeting,
        s.row(s.members[3]),
        actor=ACTOR,
        reply="substitute",
        reason="Bận việc đột xuất",
        substitute_id=substitute.id,
    )
    s.open()
    for person, presence in ((s.chair, "in_room"), (s.members[0], "in_room")):
        s.check_in(person, presence)
    s.check_in(s.members[1], "remote")
    s.check_in(s.members[3], "in_room")  # the substitute, on the principal's invitation
    positions.adopt_consent_block(db, s.meeting, actor=by(s.chair))
    session.go_to(db, s.meeting, item, actor=by(s.chair))
    _turn(s, s.members[0])
    shown = opinions.post(
        db, s.meeting, s.members[1].id or 0, text="Đề nghị bổ sung điều 7.", actor=by(s.members[1])
    )
    opinions.show(db, s.meeting, shown, public=True, actor=by(s.chair))
    opinions.post(db, s.meeting, s.members[0].id or 0, text="Ý kiến riêng.", actor=by(s.members[0]))
    poll = _poll(s, item, substitute)
    if close:
        agenda.close_session(db, s.meeting, actor=by(s.chair))
    return Held(s, item, consent_item, substitute, poll)


def started(h: Held, kind: str = "minutes") -> MeetingRecord:
    """A record of the held meeting, started by its secretary."""
    return minutes.start(h.s.db, h.s.meeting, actor=by(h.s.secretary), kind=kind)


def section_of(db: Session, record: MeetingRecord, item: AgendaItem | None) -> RecordSection:
    db.expire_all()
    item_id = item.id if item is not None else None
    return next(s for s in sections_of(db, record.id or 0) if s.item_id == item_id)


def reloaded(db: Session, record: MeetingRecord) -> MeetingRecord:
    db.expire_all()
    return db.exec(select(MeetingRecord).where(MeetingRecord.id == record.id)).one()
