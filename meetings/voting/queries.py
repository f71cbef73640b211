"""Reads of a poll: its options and its eligible voters."""

from __future__ import annotations

from sqlmodel import Session, col, select

from meetings.i18n import N_, _
from meetings.voting.models import Eligible, Meaning, Poll, PollOption, Turnout, Vote

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
    return len(voted(db, poll))
