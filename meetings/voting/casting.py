"""Casting a vote (in one's own name or a principal's), delegating it, and drafting the answer
to an opinion ballot for a member. A vote is durable when cast() returns; one vote per voter is
enforced by the database."""

from __future__ import annotations

import secrets

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from meetings.agenda.models import Meeting
from meetings.archive.audit import Actor, record
from meetings.archive.guard import require_open_record
from meetings.attendance.models import Participant, Presence
from meetings.db import utcnow
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.live.events import VoteCounted
from meetings.organisations.models import Body, Membership
from meetings.voting.actions import conflict, tell_room
from meetings.voting.models import (
    AnswerDraft,
    Delegation,
    Eligible,
    Poll,
    PollMode,
    PollState,
    SecretBallot,
    Turnout,
    Vote,
)
from meetings.voting.queries import options_of, voted


def _eligible(db: Session, poll: Poll, user_id: int) -> Eligible | None:
    return db.exec(
        select(Eligible).where(Eligible.poll_id == poll.id, Eligible.user_id == user_id)
    ).first()


def delegate(db: Session, poll: Poll, principal_id: int, delegate_id: int, *, actor: Actor) -> None:
    """The principal lets another eligible voter (or their own substitute) vote in their name."""
    body = db.get(Body, poll.body_id)
    if body is None or not body.delegation_allowed:
        raise conflict(_("This body does not allow delegating a vote."))
    if poll.state != PollState.open:
        raise conflict(_("The poll is not open."))
    if _eligible(db, poll, principal_id) is None or principal_id == delegate_id:
        raise Refusal(_("Only an eligible voter may delegate, to someone else."), "delegate_id")
    if _eligible(db, poll, delegate_id) is None and not _is_substitute_of(
        db, poll, delegate_id, principal_id
    ):
        raise Refusal(_("Delegate to another member or to your substitute."), "delegate_id")
    if principal_id in voted(db, poll):
        raise conflict(_("You have already voted."))
    db.add(Delegation(poll_id=poll.id or 0, principal_id=principal_id, delegate_id=delegate_id))
    try:
        record(
            db,
            actor,
            "poll.delegated",
            ("poll", poll.id),
            principal=principal_id,
            delegate=delegate_id,
        )
        db.commit()
    except IntegrityError:
        db.rollback()
        raise conflict(_("You have already delegated your vote.")) from None


def _is_substitute_of(db: Session, poll: Poll, user_id: int, member_id: int) -> bool:
    if poll.meeting_id is None:
        return False
    return (
        db.exec(
            select(Participant.id).where(
                Participant.meeting_id == poll.meeting_id,
                Participant.user_id == member_id,
                Participant.substitute_id == user_id,
            )
        ).first()
        is not None
    )


def _may_vote_in_the_room(db: Session, poll: Poll, voter_id: int) -> None:
    """In a live vote the voter must be checked in (remotely only if the body allows it)."""
    if poll.mode != PollMode.live or poll.meeting_id is None:
        return
    row = db.exec(
        select(Participant).where(
            Participant.meeting_id == poll.meeting_id,
            (col(Participant.user_id) == voter_id) | (col(Participant.substitute_id) == voter_id),
        )
    ).first()
    if row is None or not row.presence or row.left_at is not None:
        raise conflict(_("Check in to the session before you vote."))
    if row.presence != Presence.remote:
        return
    body = db.get(Body, poll.body_id)
    if body is not None and not body.remote_may_vote:
        raise conflict(_("This body does not allow voting from a remote site."))


def _choices(db: Session, poll: Poll, option_ids: list[int], comment: str) -> str:
    chosen = sorted(set(option_ids))
    offered = {o.id: o for o in options_of(db, poll.id or 0)}
    if not chosen or any(o not in offered for o in chosen):
        raise Refusal(_("Choose among the options of this poll."), "options")
    if not poll.min_choices <= len(chosen) <= poll.max_choices:
        raise Refusal(
            _(
                "Choose between %(min)s and %(max)s options.",
                min=poll.min_choices,
                max=poll.max_choices,
            ),
            "options",
        )
    if any(offered[o].comment_required for o in chosen) and not comment.strip():
        raise Refusal(_("Say what your other opinion is."), "comment")
    return ",".join(str(o) for o in chosen)


def _hold_open(db: Session, poll: Poll) -> None:
    """Lock the poll row for this transaction while it is still open: a vote and the close
    are serialised, so no vote lands after the result has been counted."""
    held = db.execute(
        update(Poll)
        .where(col(Poll.id) == poll.id, col(Poll.state) == PollState.open)
        .values(state=PollState.open)
    )
    if held.rowcount != 1:  # type: ignore[attr-defined]
        db.rollback()
        raise conflict(_("The poll is not open."))


def cast(
    db: Session,
    poll: Poll,
    user_id: int,
    option_ids: list[int],
    *,
    actor: Actor,
    comment: str = "",
    on_behalf_of: int | None = None,
) -> str | None:
    """Record a vote; durable when this returns. A secret poll returns the voter's receipt."""
    if poll.state != PollState.open:
        raise conflict(_("The poll is not open."))
    require_open_record(db.get(Meeting, poll.meeting_id) if poll.meeting_id else None)
    if poll.deadline is not None and poll.deadline <= utcnow():
        raise conflict(_("The deadline has passed."))
    voter_id = on_behalf_of or user_id
    if on_behalf_of is not None:
        given = db.exec(
            select(Delegation.id).where(
                Delegation.poll_id == poll.id,
                Delegation.principal_id == on_behalf_of,
                Delegation.delegate_id == user_id,
            )
        ).first()
        if given is None:
            raise Refusal(_("Nobody has delegated their vote to you."), status=403)
    else:
        handed = db.exec(
            select(Delegation.id).where(
                Delegation.poll_id == poll.id, Delegation.principal_id == user_id
            )
        ).first()
        if handed is not None:
            raise conflict(_("You delegated your vote: your delegate votes for you."))
    eligible = _eligible(db, poll, voter_id)
    if eligible is None:
        raise Refusal(_("You are not on the list of voters of this poll."), status=403)
    _may_vote_in_the_room(db, poll, user_id)
    comment = comment.strip()[:4000]
    choices = _choices(db, poll, option_ids, comment)
    receipt = None
    # The vote's own rows first; then the statements that serialise every writer (the poll row,
    # the audit chain, the meeting's sequence), so each vote holds them as briefly as it can.
    try:
        if poll.secret:
            receipt = secrets.token_hex(16)
            db.add(Turnout(poll_id=poll.id or 0, voter_id=voter_id, cast_by=user_id))
            db.add(
                SecretBallot(
                    receipt=receipt,
                    poll_id=poll.id or 0,
                    choices=choices,
                    weight=eligible.weight,
                    comment=comment,
                )
            )
            audited: dict[str, object] = {"voter": voter_id, "cast_by": user_id}
        else:
            db.add(
                Vote(
                    poll_id=poll.id or 0,
                    voter_id=voter_id,
                    cast_by=user_id,
                    weight=eligible.weight,
                    choices=choices,
                    comment=comment,
                )
            )
            audited = {"voter": voter_id, "cast_by": user_id, "choices": choices}
        if poll.mode != PollMode.live:
            _drop_draft(db, poll, voter_id)
        db.flush()
        _hold_open(db, poll)
        record(db, actor, "poll.voted", ("poll", poll.id), **audited)
        tell_room(db, poll, VoteCounted)
        db.commit()
    except IntegrityError:
        db.rollback()
        if poll.secret or not poll.allow_change:
            raise conflict(_("This vote has already been cast.")) from None
        _change(db, poll, voter_id, user_id, choices, comment, actor)
    return receipt


def may_draft_for(db: Session, poll: Poll, member_id: int, user_id: int) -> bool:
    """A member drafts their own answer; so does the assistant named on their seat."""
    if member_id == user_id:
        return True
    seat = db.exec(
        select(Membership.id).where(
            Membership.body_id == poll.body_id,
            Membership.user_id == member_id,
            Membership.assistant_id == user_id,
        )
    ).first()
    return seat is not None


def draft_answer(
    db: Session,
    poll: Poll,
    member_id: int,
    option_ids: list[int],
    *,
    actor: Actor,
    drafted_by: int,
    comment: str = "",
) -> AnswerDraft:
    """Save (or replace) a draft of a member's answer to an open opinion ballot: it counts for
    nothing until the member submits it as their own vote."""
    if poll.mode != PollMode.ballot or poll.secret:
        raise conflict(_("Only the answer to a named opinion ballot can be drafted."))
    if poll.state != PollState.open:
        raise conflict(_("The poll is not open."))
    if _eligible(db, poll, member_id) is None:
        raise Refusal(_("This member is not on the list of voters of this poll."), status=403)
    if not may_draft_for(db, poll, member_id, drafted_by):
        raise Refusal(_("Only the member or their assistant drafts this answer."), status=403)
    if member_id in voted(db, poll):
        raise conflict(_("The member has already answered."))
    comment = comment.strip()[:4000]
    choices = _choices(db, poll, option_ids, comment)
    draft = db.exec(
        select(AnswerDraft).where(
            AnswerDraft.poll_id == poll.id, AnswerDraft.member_id == member_id
        )
    ).first() or AnswerDraft(
        poll_id=poll.id or 0, member_id=member_id, drafted_by=drafted_by, choices=""
    )
    draft.choices, draft.comment, draft.drafted_by = choices, comment, drafted_by
    draft.updated_at = utcnow()
    db.add(draft)
    record(db, actor, "poll.answer_drafted", ("poll", poll.id), member=member_id)
    try:
        db.commit()
    except IntegrityError:  # drafted twice at once: the other one stands
        db.rollback()
        raise conflict(_("Someone saved this draft at the same moment: reload it.")) from None
    return draft


def _drop_draft(db: Session, poll: Poll, voter_id: int) -> None:
    draft = db.exec(
        select(AnswerDraft).where(AnswerDraft.poll_id == poll.id, AnswerDraft.member_id == voter_id)
    ).first()
    if draft is not None:
        db.delete(draft)


def _change(
    db: Session, poll: Poll, voter_id: int, user_id: int, choices: str, comment: str, actor: Actor
) -> None:
    vote = db.exec(select(Vote).where(Vote.poll_id == poll.id, Vote.voter_id == voter_id)).one()
    vote.choices, vote.comment, vote.cast_by, vote.changed_at = choices, comment, user_id, utcnow()
    db.add(vote)
    record(db, actor, "poll.vote_changed", ("poll", poll.id), voter=voter_id, choices=choices)
    tell_room(db, poll, VoteCounted)
    db.commit()
