"""The poll engine on a real database: lifecycle, eligibility, one vote per voter, secrecy,
delegation, change of vote, the body's tie rule, and concurrent duplicate casts."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from meetings.archive.audit import Actor
from meetings.archive.models import AuditEntry
from meetings.db import utcnow
from meetings.errors import Refusal
from meetings.notifications.models import Notification
from meetings.voting import actions, casting
from meetings.voting.models import (
    Meaning,
    Poll,
    PollMode,
    PollState,
    SecretBallot,
    Turnout,
    Vote,
)
from meetings.voting.queries import eligible_of, options_of
from tests.attendance.support import ACTOR, Scene, scene
from tests.factories import Factory


def _option(db: Session, poll: Poll, meaning: str) -> int:
    return next(o.id or 0 for o in options_of(db, poll.id or 0) if o.meaning == meaning)


def live_poll(s: Scene, **values: object) -> Poll:
    s.open()
    for person in [s.chair, *s.members]:
        s.check_in(person)
    poll = actions.create(
        s.db,
        s.body,
        actor=ACTOR,
        question="Thông qua dự thảo Nghị định?",
        meeting=s.meeting,
        **values,
    )
    return actions.open_poll(s.db, poll, actor=ACTOR)


def vote(s: Scene, poll: Poll, who, meaning: str, **values: object) -> str | None:  # type: ignore[no-untyped-def]
    return casting.cast(s.db, poll, who.id, [_option(s.db, poll, meaning)], actor=ACTOR, **values)


def test_a_live_vote_from_open_to_published(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    poll = live_poll(s)
    assert sorted(e.user_id for e in eligible_of(db, poll.id or 0)) == sorted(
        u.id for u in [s.chair, *s.members]
    )
    vote(s, poll, s.members[0], Meaning.in_favour)
    vote(s, poll, s.members[1], Meaning.in_favour)
    vote(s, poll, s.members[2], Meaning.against)
    vote(s, poll, s.chair, Meaning.abstain)
    result = actions.close(db, poll, actor=ACTOR)
    assert (result["outcome"], result["in_favour"], result["against"]) == ("passed", 2, 1)
    assert result["took_part"] == 4 and len(result["eligible"]) == 4  # type: ignore[arg-type]
    assert actions.close(db, poll, actor=ACTOR) == result, "closing again changes nothing"
    actions.publish(db, poll, actor=ACTOR)
    assert poll.state == PollState.published and json.loads(poll.result) == result
    with pytest.raises(Refusal) as late:
        vote(s, poll, s.members[0], Meaning.against)
    assert late.value.status == 409


def test_only_checked_in_eligible_voters_vote(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    s.open()
    s.check_in(s.members[0])
    poll = actions.open_poll(
        db, actions.create(db, s.body, actor=ACTOR, question="Q?", meeting=s.meeting), actor=ACTOR
    )
    with pytest.raises(Refusal) as absent:
        vote(s, poll, s.members[1], Meaning.in_favour)  # not checked in
    assert absent.value.status == 409
    with pytest.raises(Refusal) as stranger:
        vote(s, poll, s.outsider, Meaning.in_favour)
    assert stranger.value.status == 403
    vote(s, poll, s.members[0], Meaning.in_favour)
    assert len(db.exec(select(Vote)).all()) == 1


def test_one_vote_per_voter_unless_the_poll_allows_a_change(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    fixed = live_poll(s)
    vote(s, fixed, s.members[0], Meaning.in_favour)
    with pytest.raises(Refusal) as again:
        vote(s, fixed, s.members[0], Meaning.against)
    assert again.value.status == 409
    changeable = actions.open_poll(
        db,
        actions.create(
            db, s.body, actor=ACTOR, question="Q2?", meeting=s.meeting, allow_change=True
        ),
        actor=ACTOR,
    )
    vote(s, changeable, s.members[0], Meaning.in_favour)
    vote(s, changeable, s.members[0], Meaning.against)
    rows = db.exec(select(Vote).where(Vote.poll_id == changeable.id)).all()
    assert len(rows) == 1 and rows[0].changed_at is not None
    assert actions.close(db, changeable, actor=ACTOR)["against"] == 1


def test_a_secret_vote_keeps_who_apart_from_what(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    poll = live_poll(s, secret=True)
    receipts = [vote(s, poll, person, Meaning.in_favour) for person in s.members]
    assert all(r and len(r) == 32 for r in receipts) and len(set(receipts)) == 3
    assert sorted(SecretBallot.model_fields) == [
        "choices",
        "comment",
        "poll_id",
        "receipt",
        "weight",
    ]
    turnout = db.exec(select(Turnout).where(Turnout.poll_id == poll.id)).all()
    assert sorted(t.voter_id for t in turnout) == sorted(u.id for u in s.members)
    audit = db.exec(select(AuditEntry).where(AuditEntry.action == "poll.voted")).all()
    assert audit and all("choices" not in entry.data for entry in audit)
    with pytest.raises(Refusal):
        actions.ballots(db, poll)  # not before publication
    actions.close(db, poll, actor=ACTOR)
    actions.publish(db, poll, actor=ACTOR)
    listed = {b.receipt: b.choices for b in actions.ballots(db, poll)}
    assert set(receipts) <= set(listed)
    assert set(listed.values()) == {str(_option(db, poll, Meaning.in_favour))}


def test_a_delegate_votes_in_the_principals_name(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    s.body.delegation_allowed = True
    db.add(s.body)
    db.commit()
    poll = live_poll(s)
    principal, delegate = s.members[0], s.members[1]
    casting.delegate(db, poll, principal.id or 0, delegate.id or 0, actor=ACTOR)
    with pytest.raises(Refusal) as own:
        vote(s, poll, principal, Meaning.in_favour)
    assert own.value.status == 409
    vote(s, poll, delegate, Meaning.in_favour, on_behalf_of=principal.id)
    vote(s, poll, delegate, Meaning.against)
    rows = {v.voter_id: v.cast_by for v in db.exec(select(Vote)).all()}
    assert rows == {principal.id: delegate.id, delegate.id: delegate.id}
    with pytest.raises(Refusal) as nobody:
        vote(s, poll, s.members[2], Meaning.in_favour, on_behalf_of=s.chair.id)
    assert nobody.value.status == 403


def test_delegation_needs_the_bodys_leave(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    poll = live_poll(s)
    with pytest.raises(Refusal) as refused:
        casting.delegate(db, poll, s.members[0].id or 0, s.members[1].id or 0, actor=ACTOR)
    assert refused.value.status == 409


@pytest.mark.parametrize(
    ("chair_votes", "outcome"), [("in_favour", "passed"), ("against", "failed")]
)
def test_on_a_tie_the_chairs_side_prevails_under_the_governments_rule(
    factory: Factory, db: Session, chair_votes: str, outcome: str
) -> None:
    s = scene(factory, db)
    s.body.majority, s.body.chair_breaks_ties = "members_half", True
    db.add(s.body)
    db.commit()
    poll = live_poll(s)
    other = Meaning.against if chair_votes == "in_favour" else Meaning.in_favour
    vote(s, poll, s.chair, chair_votes)
    vote(s, poll, s.members[0], chair_votes)
    vote(s, poll, s.members[1], other)
    vote(s, poll, s.members[2], other)
    result = actions.close(db, poll, actor=ACTOR)
    assert (result["outcome"], result["tie"], result["decided_by_chair"]) == (outcome, True, True)


def test_an_opinion_ballot_needs_a_deadline_and_a_comment_for_other(
    factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    with pytest.raises(Refusal) as undated:
        actions.create(db, s.body, actor=ACTOR, question="Q?", mode=PollMode.ballot)
    assert undated.value.field == "deadline"
    poll = actions.create(
        db,
        s.body,
        actor=ACTOR,
        question="Ý kiến về dự thảo Nghị định?",
        mode=PollMode.ballot,
        deadline=utcnow() + timedelta(days=3),
    )
    with pytest.raises(Refusal) as unapproved:
        actions.open_poll(db, poll, actor=ACTOR)
    assert unapproved.value.status == 409
    with pytest.raises(Refusal) as not_the_chair:
        actions.approve(db, poll, actor=ACTOR)
    assert not_the_chair.value.status == 403
    actions.approve(db, poll, actor=Actor(s.chair.id, "test"))
    actions.open_poll(db, poll, actor=ACTOR)
    told = db.exec(select(Notification).where(Notification.kind == "ballot_opened")).all()
    assert sorted(n.user_id for n in told) == sorted(u.id for u in [s.chair, *s.members])
    assert actions.remind(db, poll, actor=ACTOR) == 4
    with pytest.raises(Refusal) as silent:
        vote(s, poll, s.members[0], Meaning.other)
    assert silent.value.field == "comment"
    vote(s, poll, s.members[0], Meaning.other, comment="Đề nghị bổ sung đánh giá tác động.")
    vote(s, poll, s.members[1], Meaning.in_favour)  # no check-in needed between sessions
    assert actions.close(db, poll, actor=ACTOR)["took_part"] == 2


def test_the_lifecycle_is_guarded(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    poll = live_poll(s)
    with pytest.raises(Refusal):
        actions.open_poll(db, poll, actor=ACTOR)
    actions.cancel(db, poll, actor=ACTOR, reason="Nhầm câu hỏi")
    with pytest.raises(Refusal):
        actions.close(db, poll, actor=ACTOR)
    with pytest.raises(Refusal):
        actions.publish(db, poll, actor=ACTOR)


def test_concurrent_duplicate_casts_store_exactly_one_vote(
    factory: Factory, db: Session, engine: Engine
) -> None:
    s = scene(factory, db)
    poll = live_poll(s)
    option = _option(db, poll, Meaning.in_favour)
    outcomes: list[str] = []

    def cast_once() -> None:
        with Session(engine, expire_on_commit=False) as own:
            fresh = own.get(Poll, poll.id)
            try:
                casting.cast(own, fresh, s.members[0].id or 0, [option], actor=ACTOR)  # type: ignore[arg-type]
                outcomes.append("stored")
            except Refusal as refusal:
                outcomes.append(str(refusal.status))

    threads = [threading.Thread(target=cast_once) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["409"] * 7 + ["stored"]
    db.expire_all()
    assert len(db.exec(select(Vote).where(Vote.poll_id == poll.id)).all()) == 1


def _ballot(s: Scene, days: int = 3) -> Poll:
    poll = actions.create(
        s.db,
        s.body,
        actor=ACTOR,
        question="Ý kiến về dự thảo Nghị quyết?",
        mode=PollMode.ballot,
        deadline=utcnow() + timedelta(days=days),
    )
    actions.approve(s.db, poll, actor=Actor(s.chair.id, "test"))
    return actions.open_poll(s.db, poll, actor=ACTOR)


def test_a_ballot_closes_by_itself_once_its_deadline_has_passed(
    factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    poll = _ballot(s)
    vote(s, poll, s.members[0], Meaning.in_favour)
    assert actions.close_due(db, now=utcnow()) == 0, "not yet"
    assert actions.close_due(db, now=utcnow() + timedelta(days=4)) == 1
    db.expire_all()
    closed = db.get(Poll, poll.id)
    assert closed is not None and closed.state == PollState.closed
    assert json.loads(closed.result)["in_favour"] == 1
    assert actions.close_due(db, now=utcnow() + timedelta(days=5)) == 0, "only once"


def test_two_processes_closing_at_once_count_once(
    factory: Factory, db: Session, engine: Engine
) -> None:
    s = scene(factory, db)
    poll = _ballot(s)
    vote(s, poll, s.members[0], Meaning.against)
    seen: list[object] = []

    def close_once() -> None:
        with Session(engine, expire_on_commit=False) as own:
            fresh = own.get(Poll, poll.id)
            seen.append(actions.close(own, fresh, actor=ACTOR)["against"])  # type: ignore[arg-type]

    threads = [threading.Thread(target=close_once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [1, 1, 1, 1]
    closings = db.exec(select(AuditEntry).where(AuditEntry.action == "poll.closed")).all()
    assert len(closings) == 1


def test_a_vote_arriving_after_the_close_is_refused(
    factory: Factory, db: Session, engine: Engine
) -> None:
    s = scene(factory, db)
    poll = _ballot(s)
    with Session(engine, expire_on_commit=False) as stale:
        old = stale.get(Poll, poll.id)  # read while still open
        actions.close(db, poll, actor=ACTOR)
        with pytest.raises(Refusal) as late:
            casting.cast(
                stale,
                old,
                s.members[0].id or 0,
                [_option(db, poll, Meaning.in_favour)],
                actor=ACTOR,
            )  # type: ignore[arg-type]
        assert late.value.status == 409
    assert db.exec(select(Vote).where(Vote.poll_id == poll.id)).all() == []
