"""Reads of a poll: its options and its eligible voters."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from meetings.i18n import N_, _
from meetings.organisations.models import BodyRole, Membership
from meetings.voting.models import (
    Eligible,
    Meaning,
    Poll,
    PollMode,
    PollOption,
    PollState,
    Turnout,
    Vote,
)

MEANING_LABELS = {
    Meaning.in_favour: N_("Agree"),
    Meaning.against: N_("Disagree"),
    Meaning.abstain: N_("Abstain"),
    Meaning.other: N_("Other opinion"),
}


def options_of(db: Session, poll_id: int) -> list[PollOption]:
    query = select(PollOption).where(PollOption.poll_id == poll_id)
    return list(db.exec(query.order_by(col(PollOption.position), col(PollOption.id))))


def eligible_of(db: Session, poll_id: int) -> list[Eligible]:
    return list(db.exec(select(Eligible).where(Eligible.poll_id == poll_id)))


def label(option: PollOption) -> str:
    """An option's label: its own, or the words for what it means, in the reader's language."""
    return option.label or _(MEANING_LABELS.get(option.meaning, option.meaning))


def voted(db: Session, poll: Poll) -> set[int]:
    """Who has voted (in their own name or through a delegate), named or secret alike."""
    if poll.secret:
        query = select(Turnout.voter_id).where(Turnout.poll_id == poll.id)
    else:
        query = select(Vote.voter_id).where(Vote.poll_id == poll.id)
    return set(db.exec(query))


def votes_cast(db: Session, poll: Poll) -> int:
    """How many have voted (a count in the database: the room asks this after every vote)."""
    table = Turnout if poll.secret else Vote
    query = select(func.count()).select_from(table).where(table.poll_id == poll.id)  # type: ignore[attr-defined]
    return int(db.exec(query).one())


def eligible_count(db: Session, poll_id: int) -> int:
    query = select(func.count()).select_from(Eligible).where(Eligible.poll_id == poll_id)
    return int(db.exec(query).one())


def shown_in_room(
    db: Session, meeting_id: int, item_id: int | None, *, drafts: bool
) -> Poll | None:
    """The live vote the room sees: the one open now, else the latest on the item under
    discussion (a draft only on the console), so a result stays up until the chair moves on."""
    live = select(Poll).where(Poll.meeting_id == meeting_id, Poll.mode == PollMode.live)
    opened = db.exec(live.where(Poll.state == PollState.open).order_by(col(Poll.id).desc())).first()
    if opened is not None or item_id is None:
        return opened
    states = [PollState.closed, PollState.published] + ([PollState.draft] if drafts else [])
    query = live.where(Poll.item_id == item_id, col(Poll.state).in_(states))
    return db.exec(query.order_by(col(Poll.id).desc())).first()


def voting_seats(db: Session, body_id: int) -> list[Membership]:
    """The seats of the body that vote: its members and chair with the right to vote."""
    query = select(Membership).where(
        Membership.body_id == body_id,
        col(Membership.voting_right).is_(True),
        col(Membership.role).in_((BodyRole.member, BodyRole.chair)),
    )
    return list(db.exec(query))
