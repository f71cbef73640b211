"""Reads for the opinion-ballot pages: the ballots a person sees (their own and those of the
members they assist), who has answered, a member's answer and its draft, the files sent with a
ballot, and the totals of a published secret poll's ballots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from meetings.agenda.access import Viewer
from meetings.agenda.queries import body_names, names_of
from meetings.organisations.models import Membership
from meetings.voting import access
from meetings.voting.models import (
    AnswerDraft,
    Poll,
    PollAttachment,
    PollMode,
    PollState,
    SecretBallot,
    Turnout,
    Vote,
)
from meetings.voting.queries import eligible_of, label, options_of, voted, voting_seats

OPEN, DONE = (PollState.open,), (PollState.closed, PollState.published, PollState.cancelled)
DONE_SHOWN = 50


@dataclass(frozen=True)
class Line:
    """A ballot in someone's list: for themselves, or for the member they assist."""

    poll: Poll
    body: str
    member_id: int | None = None  # the member an assistant answers for; None for oneself
    member: str = ""
    answered: bool | None = None  # None: not on the list of voters (or nothing to answer yet)


@dataclass(frozen=True)
class Lists:
    open: list[Line]
    drafts: list[Line]
    done: list[Line]


def assisted(db: Session, viewer: Viewer, poll: Poll) -> list[int]:
    """The members of the poll's body whose seat names the viewer as their assistant."""
    if poll.organisation_id != viewer.organisation_id:
        return []
    query = select(Membership.user_id).where(
        Membership.body_id == poll.body_id, Membership.assistant_id == viewer.user_id
    )
    return list(db.exec(query))


def seen(db: Session, viewer: Viewer, poll_id: int) -> Poll | None:
    """The poll if the viewer may see it: as access.visible says, or as the assistant of a
    member of the body (a sent opinion ballot only)."""
    poll = access.visible(db, viewer, poll_id)
    if poll is not None:
        return poll
    poll = db.get(Poll, poll_id)
    if poll is None or poll.mode != PollMode.ballot or poll.state == PollState.draft:
        return None
    return poll if assisted(db, viewer, poll) else None


def _seats(db: Session, viewer: Viewer) -> tuple[set[int], dict[int, list[int]]]:
    """The bodies where the viewer has a seat; the members they assist, by body."""
    mine = set(db.exec(select(Membership.body_id).where(Membership.user_id == viewer.user_id)))
    helped: dict[int, list[int]] = {}
    rows = db.exec(
        select(Membership.body_id, Membership.user_id).where(
            Membership.assistant_id == viewer.user_id
        )
    )
    for body_id, member_id in rows:
        helped.setdefault(body_id, []).append(member_id)
    return mine, helped


def _answered(db: Session, poll: Poll, user_id: int) -> bool | None:
    if poll.state == PollState.draft:
        return None
    if user_id not in {e.user_id for e in eligible_of(db, poll.id or 0)}:
        return None
    return user_id in voted(db, poll)


def ballot_lists(db: Session, viewer: Viewer) -> Lists:
    """The opinion ballots the viewer sees: open ones (soonest deadline first), drafts (to
    those running them), then the latest closed, published or cancelled ones."""
    polls = db.exec(
        select(Poll)
        .where(Poll.organisation_id == viewer.organisation_id, Poll.mode == PollMode.ballot)
        .order_by(col(Poll.id).desc())
    ).all()
    bodies = body_names(db, viewer.organisation_id)
    mine, helped = _seats(db, viewer)
    managed: dict[int, bool] = {}
    lines: list[Line] = []
    for poll in polls:
        if poll.body_id not in managed:
            managed[poll.body_id] = access.may_manage(db, viewer, poll)
        body = bodies.get(poll.body_id, "")
        if managed[poll.body_id] or (poll.body_id in mine and poll.state != PollState.draft):
            lines.append(Line(poll, body, answered=_answered(db, poll, viewer.user_id)))
        if poll.state != PollState.draft:
            lines += [
                Line(poll, body, member_id, answered=_answered(db, poll, member_id))
                for member_id in helped.get(poll.body_id, [])
            ]
    names = names_of(db, {line.member_id for line in lines})
    lines = [
        Line(line.poll, line.body, line.member_id, names.get(line.member_id, ""), line.answered)
        if line.member_id
        else line
        for line in lines
    ]
    return Lists(
        open=sorted(
            (line for line in lines if line.poll.state in OPEN),
            key=lambda line: (line.poll.deadline or line.poll.created_at, line.poll.id),
        ),
        drafts=[line for line in lines if line.poll.state == PollState.draft],
        done=[line for line in lines if line.poll.state in DONE][:DONE_SHOWN],
    )


@dataclass(frozen=True)
class Recipient:
    user_id: int
    name: str
    answered: bool
    at: datetime | None = None  # when, in a named poll only


def _would_be_asked(db: Session, poll: Poll) -> list[int]:
    """Before a ballot is sent: the voting members and chair it will go to (as open_poll
    freezes them)."""
    return [seat.user_id for seat in voting_seats(db, poll.body_id)]


def _answer_times(db: Session, poll: Poll) -> dict[int, datetime | None]:
    if poll.secret:
        query = select(Turnout.voter_id).where(Turnout.poll_id == poll.id)
        return dict.fromkeys(db.exec(query))
    votes = db.exec(select(Vote).where(Vote.poll_id == poll.id))
    return {vote.voter_id: vote.changed_at or vote.cast_at for vote in votes}


def recipients(db: Session, poll: Poll) -> list[Recipient]:
    """Everyone asked, by name: whether (and, in a named poll, when) they answered."""
    if poll.state == PollState.draft:
        user_ids, times = _would_be_asked(db, poll), {}
    else:
        user_ids, times = (
            [e.user_id for e in eligible_of(db, poll.id or 0)],
            _answer_times(db, poll),
        )
    names = names_of(db, set(user_ids))
    people = [Recipient(uid, names.get(uid, "?"), uid in times, times.get(uid)) for uid in user_ids]
    return sorted(people, key=lambda person: person.name)


@dataclass(frozen=True)
class Answer:
    """A member's own answer: whether they may answer, and what they answered."""

    eligible: bool
    answered: bool
    chosen: list[str]  # the options' labels (a named poll only)
    comment: str = ""
    at: datetime | None = None


def answer_of(db: Session, poll: Poll, member_id: int) -> Answer:
    eligible = member_id in {e.user_id for e in eligible_of(db, poll.id or 0)}
    if poll.secret:
        done = member_id in voted(db, poll)
        return Answer(eligible, done, [])
    vote = db.exec(select(Vote).where(Vote.poll_id == poll.id, Vote.voter_id == member_id)).first()
    if vote is None:
        return Answer(eligible, False, [])
    labels = {o.id: label(o) for o in options_of(db, poll.id or 0)}
    chosen = [labels.get(int(o), "?") for o in vote.choices.split(",")]
    return Answer(eligible, True, chosen, vote.comment, vote.changed_at or vote.cast_at)


def draft_of(db: Session, poll: Poll, member_id: int) -> AnswerDraft | None:
    """The answer drafted for the member (by their assistant or themselves), not yet sent."""
    query = select(AnswerDraft).where(
        AnswerDraft.poll_id == poll.id, AnswerDraft.member_id == member_id
    )
    return db.exec(query).first()


def attachments_of(db: Session, poll_id: int) -> list[PollAttachment]:
    query = select(PollAttachment).where(PollAttachment.poll_id == poll_id)
    return list(db.exec(query.order_by(col(PollAttachment.id))))


def attachment_of(db: Session, poll: Poll, attachment_id: int) -> PollAttachment | None:
    found = db.get(PollAttachment, attachment_id)
    return found if found is not None and found.poll_id == poll.id else None


def totals(ballots: list[SecretBallot]) -> dict[int, int]:
    """The weight per option, counted from the listed ballots (to check against the result)."""
    per: dict[int, int] = {}
    for ballot in ballots:
        for option in ballot.choices.split(","):
            per[int(option)] = per.get(int(option), 0) + ballot.weight
    return per
