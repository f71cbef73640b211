"""Every change to a poll: create, open (the eligible list is frozen), cast, delegate, close
(the result is frozen, idempotently), publish, cancel. The same engine for live votes and for
opinion ballots between sessions."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from sqlalchemy import delete, insert, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from meetings.agenda.models import AgendaItem, Meeting, MeetingState
from meetings.archive.audit import Actor, record
from meetings.archive.guard import require_open_record
from meetings.attendance.models import Answer, Participant
from meetings.db import utcnow
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.live import announce
from meetings.live.events import Event, PollChanged
from meetings.notifications.actions import notify
from meetings.organisations.models import Body, BodyRole, Membership
from meetings.voting import results, tally
from meetings.voting.models import (
    Eligible,
    Meaning,
    Poll,
    PollMode,
    PollOption,
    PollState,
    SecretBallot,
)
from meetings.voting.queries import eligible_of, voted, voting_seats

log = logging.getLogger(__name__)

DEFAULT_OPTIONS = {
    PollMode.live: (Meaning.in_favour, Meaning.against, Meaning.abstain),
    PollMode.ballot: (Meaning.in_favour, Meaning.against, Meaning.other),
}
QUESTION_MAX = 500


def conflict(message: str) -> Refusal:
    return Refusal(message, status=409)


def tell_room(db: Session, poll: Poll, cls: type[Event] = PollChanged) -> None:
    """A live vote's change reaches every screen of the room once it is committed."""
    if poll.mode != PollMode.live or poll.meeting_id is None:
        return
    if cls is PollChanged:
        announce.queue(db, cls, poll.meeting_id, poll_id=poll.id or 0, state=poll.state)
    else:
        announce.queue(db, cls, poll.meeting_id, poll_id=poll.id or 0)


def checked_question(question: str) -> str:
    """The question on one line, refused when blank or too long."""
    question = " ".join(question.split())
    if not question or len(question) > QUESTION_MAX:
        raise Refusal(
            _("Write the question (at most %(max)s characters).", max=QUESTION_MAX), "question"
        )
    return question


def create(
    db: Session,
    body: Body,
    *,
    actor: Actor,
    question: str,
    mode: str = PollMode.live,
    meeting: Meeting | None = None,
    item: AgendaItem | None = None,
    secret: bool = False,
    candidates: list[str] | None = None,
    max_choices: int = 1,
    deadline: datetime | None = None,
    allow_change: bool = False,
    show_running: bool = False,
) -> Poll:
    """A draft poll with the body's majority and tie rules (a live vote also its quorum)."""
    require_open_record(meeting)
    question = checked_question(question)
    if mode not in PollMode.__members__:
        raise Refusal(_("Choose a live vote or an opinion ballot."), "mode")
    if mode == PollMode.live and (meeting is None or meeting.body_id != body.id):
        raise Refusal(_("A live vote belongs to a meeting of the body."), "meeting_id")
    if item is not None and (meeting is None or item.meeting_id != meeting.id):
        raise Refusal(_("Choose an item of this meeting's agenda."), "item_id")
    if mode == PollMode.ballot and deadline is None:
        raise Refusal(_("An opinion ballot needs a deadline."), "deadline")
    if deadline is not None and deadline <= utcnow():
        raise Refusal(_("The deadline has passed: set a later one."), "deadline")
    if secret and allow_change:
        raise Refusal(_("A secret vote cannot be changed once cast."), "allow_change")
    if secret and show_running:
        raise Refusal(_("A secret vote shows no choices before it closes."), "show_running")
    names = [" ".join(c.split()) for c in (candidates or []) if c.strip()]
    if candidates is not None and len(names) < 2:
        raise Refusal(_("An election needs at least two candidates."), "candidates")
    if not 1 <= max_choices <= max(len(names), 1):
        raise Refusal(
            _("Choose how many may be chosen, from 1 to the number of candidates."), "max_choices"
        )
    rule, _label = tally.PRESETS.get(body.majority, tally.PRESETS["cast_half"])
    poll = Poll(
        organisation_id=body.organisation_id,
        body_id=body.id or 0,
        meeting_id=meeting.id if meeting else None,
        item_id=item.id if item else None,
        mode=mode,
        question=question,
        secret=secret,
        max_choices=max_choices,
        majority_base=rule.base,
        majority_numerator=rule.fraction.numerator,
        majority_denominator=rule.fraction.denominator,
        majority_strict=rule.strict,
        abstentions_count=rule.abstentions_count,
        quorum_numerator=body.quorum_numerator if mode == PollMode.live else None,
        quorum_denominator=body.quorum_denominator if mode == PollMode.live else None,
        chair_breaks_ties=body.chair_breaks_ties and not secret,
        allow_change=allow_change,
        show_running=show_running,
        deadline=deadline,
        created_by=actor.user_id,
    )
    db.add(poll)
    db.flush()
    if names:
        for n, name in enumerate(names):
            db.add(PollOption(poll_id=poll.id or 0, position=n, label=name[:300]))
    else:
        for n, meaning in enumerate(DEFAULT_OPTIONS[PollMode(mode)]):
            db.add(
                PollOption(
                    poll_id=poll.id or 0,
                    position=n,
                    label="",
                    meaning=meaning,
                    comment_required=meaning == Meaning.other,
                )
            )
    record(db, actor, "poll.created", ("poll", poll.id), mode=mode, secret=secret)
    tell_room(db, poll)
    db.commit()
    return poll


def _voters(db: Session, poll: Poll, meeting: Meeting | None) -> list[Eligible]:
    """The body's voting members with their weights; in a meeting whose body lets substitutes
    vote, a member's substitute votes in their place."""
    seats = voting_seats(db, poll.body_id)
    body = db.get(Body, poll.body_id)
    stand_ins: dict[int, int] = {}
    if meeting is not None and body is not None and body.substitutes_may_vote:
        for row in db.exec(select(Participant).where(Participant.meeting_id == meeting.id)):
            if row.user_id and row.substitute_id and row.answer == Answer.substitute:
                stand_ins[row.user_id] = row.substitute_id
    eligible = []
    for seat in seats:
        stand_in = stand_ins.get(seat.user_id)
        eligible.append(
            Eligible(
                poll_id=poll.id or 0,
                user_id=stand_in or seat.user_id,
                weight=seat.vote_weight,
                in_place_of=seat.user_id if stand_in else None,
            )
        )
    return eligible


def _chairs(db: Session, body_id: int) -> list[int]:
    return list(
        db.exec(
            select(Membership.user_id).where(
                Membership.body_id == body_id, Membership.role == BodyRole.chair
            )
        )
    )


def approve(db: Session, poll: Poll, *, actor: Actor) -> Poll:
    """The body's chair approves a drafted opinion ballot, so that it can be sent."""
    if poll.mode != PollMode.ballot or poll.state != PollState.draft:
        raise conflict(_("Only a drafted opinion ballot is approved."))
    if actor.user_id not in _chairs(db, poll.body_id):
        raise Refusal(_("Only the body's chair approves an opinion ballot."), status=403)
    poll.approved_by, poll.approved_at = actor.user_id, utcnow()
    db.add(poll)
    record(db, actor, "poll.approved", ("poll", poll.id))
    db.commit()
    return poll


def _deadline_text(poll: Poll) -> str:
    return poll.deadline.isoformat() if poll.deadline else ""


def remind(db: Session, poll: Poll, *, actor: Actor) -> int:
    """Remind those who have not answered an open ballot yet; returns how many."""
    if poll.state != PollState.open:
        raise conflict(_("The poll is not open."))
    answered = voted(db, poll)
    waiting = [e.user_id for e in eligible_of(db, poll.id or 0) if e.user_id not in answered]
    count = notify(
        db,
        waiting,
        "ballot_reminder",
        organisation_id=poll.organisation_id,
        question=poll.question,
        when=_deadline_text(poll),
        poll_id=poll.id,
    )
    record(db, actor, "poll.reminded", ("poll", poll.id), count=count)
    db.commit()
    return count


def open_poll(db: Session, poll: Poll, *, actor: Actor) -> Poll:
    """draft -> open: the eligible list (and the chair, for ties) is frozen now; the voters of
    an opinion ballot are told."""
    if poll.state != PollState.draft:
        raise conflict(_("Only a draft poll can be opened."))
    if poll.mode == PollMode.ballot and poll.approved_at is None:
        raise conflict(_("The body's chair approves an opinion ballot before it is sent."))
    meeting = db.get(Meeting, poll.meeting_id) if poll.meeting_id else None
    require_open_record(meeting)
    if poll.mode == PollMode.live and (meeting is None or meeting.state != MeetingState.in_session):
        raise conflict(_("A live vote opens during the session."))
    if poll.deadline is not None and poll.deadline <= utcnow():
        raise Refusal(_("The deadline has passed: set a later one."), "deadline")
    voters = _voters(db, poll, meeting)
    for row in voters:
        db.add(row)
    if poll.mode == PollMode.ballot:
        notify(
            db,
            [row.user_id for row in voters],
            "ballot_opened",
            organisation_id=poll.organisation_id,
            question=poll.question,
            when=_deadline_text(poll),
            poll_id=poll.id,
        )
    chair = meeting.chair_id if meeting else None
    poll.chair_id = chair or next(iter(_chairs(db, poll.body_id)), None)
    poll.state, poll.opened_at = PollState.open, utcnow()
    db.add(poll)
    record(db, actor, "poll.opened", ("poll", poll.id))
    tell_room(db, poll)
    db.commit()
    return poll


def close(db: Session, poll: Poll, *, actor: Actor) -> dict[str, object]:
    """open -> closed, the result frozen with the eligible list; closing again (or closing
    from two processes at once) changes nothing and answers the same result."""
    if poll.state in (PollState.closed, PollState.published):
        return json.loads(poll.result)
    if poll.state != PollState.open:
        raise conflict(_("Only an open poll can be closed."))
    now = utcnow()
    claimed = db.execute(
        update(Poll)
        .where(col(Poll.id) == poll.id, col(Poll.state) == PollState.open)
        .values(state=PollState.closed, closed_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.rollback()
        db.refresh(poll)
        if poll.state in (PollState.closed, PollState.published):
            return json.loads(poll.result)
        raise conflict(_("Only an open poll can be closed."))
    if poll.secret:
        _rewrite_ballots(db, poll)
    result = results.result_of(db, poll)
    result["eligible"] = [[e.user_id, e.weight] for e in eligible_of(db, poll.id or 0)]
    poll.result = json.dumps(result, sort_keys=True)
    poll.state, poll.closed_at = PollState.closed, now
    db.add(poll)
    record(db, actor, "poll.closed", ("poll", poll.id), outcome=result.get("outcome"))
    tell_room(db, poll)
    db.commit()
    if poll.secret:
        _vacuum_ballots(db)
    return result


def _rewrite_ballots(db: Session, poll: Poll) -> None:
    """Write a secret poll's ballots again, in receipt order, in the closing transaction.

    While the poll was open each ballot was written in its voter's transaction, beside the
    voter's turnout row: on PostgreSQL the row's transaction id (xmin) and its place in the
    table would link the two. Rewritten, every ballot carries the closing transaction's id and
    sits in the order of its random receipt."""
    rows = [
        {
            "receipt": b.receipt,
            "poll_id": b.poll_id,
            "choices": b.choices,
            "weight": b.weight,
            "comment": b.comment,
        }
        for b in db.exec(
            select(SecretBallot)
            .where(SecretBallot.poll_id == poll.id)
            .order_by(col(SecretBallot.receipt))
        )
    ]
    db.execute(delete(SecretBallot).where(col(SecretBallot.poll_id) == poll.id))
    for row in rows:
        db.execute(insert(SecretBallot).values(**row))
    db.expire_all()


def _vacuum_ballots(db: Session) -> None:
    """On PostgreSQL, clear the deleted versions of the ballots out of the table's pages."""
    engine = db.get_bind()
    if engine.dialect.name != "postgresql":
        return
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM secretballot"))
    except SQLAlchemyError:  # best effort: autovacuum gets there later
        log.warning("could not vacuum the secret ballots", exc_info=True)


def publish(db: Session, poll: Poll, *, actor: Actor) -> None:
    if poll.state != PollState.closed:
        raise conflict(_("Only a closed poll's result can be published."))
    poll.state, poll.published_at = PollState.published, utcnow()
    db.add(poll)
    record(db, actor, "poll.published", ("poll", poll.id))
    tell_room(db, poll)
    db.commit()


def cancel(db: Session, poll: Poll, *, actor: Actor, reason: str) -> None:
    if poll.state not in (PollState.draft, PollState.open):
        raise conflict(_("Only a draft or open poll can be cancelled."))
    poll.state = PollState.cancelled
    db.add(poll)
    record(db, actor, "poll.cancelled", ("poll", poll.id), reason=reason[:500])
    tell_room(db, poll)
    db.commit()


def ballots(db: Session, poll: Poll) -> list[SecretBallot]:
    """The published list of a secret poll's ballots, by receipt (each voter finds their own)."""
    if not poll.secret or poll.state != PollState.published:
        raise conflict(_("The ballots are listed once a secret poll's result is published."))
    query = select(SecretBallot).where(SecretBallot.poll_id == poll.id)
    return list(db.exec(query.order_by(col(SecretBallot.receipt))))


def close_due(db: Session, now: datetime | None = None) -> int:
    """Close every open poll whose deadline has passed (run by the job runner, so a restart
    of the server does not skip one: it is closed on the first run after)."""
    now = now or utcnow()
    due = db.exec(
        select(Poll).where(
            Poll.state == PollState.open,
            col(Poll.deadline).is_not(None),
            col(Poll.deadline) <= now,
        )
    ).all()
    closed = 0
    for poll in due:
        actor = Actor(user_id=None, organisation_id=poll.organisation_id)
        try:
            close(db, poll, actor=actor)
            closed += 1
        except Refusal:  # another process closed it first
            db.rollback()
    return closed
