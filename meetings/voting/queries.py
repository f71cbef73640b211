"""Reads of a poll: its options and its eligible voters."""

from __future__ import annotations

from sqlmodel import Session, col, select

from meetings.i18n import _
from meetings.voting.models import Eligible, Poll, PollOption, Turnout, Vote


def options_of(db: Session, poll_id: int) -> list[PollOption]:
    query = select(PollOption).where(PollOption.poll_id == poll_id)
    return list(db.exec(query.order_by(col(PollOption.position), col(PollOption.id))))


def eligible_of(db: Session, poll_id: int) -> list[Eligible]:
    return list(db.exec(select(Eligible).where(Eligible.poll_id == poll_id)))


def label(option: PollOption) -> str:
    """An option's label: its own, or the words for what it means, in the reader's language."""
    from meetings.voting.actions import MEANING_LABELS

    return option.label or _(MEANING_LABELS.get(option.meaning, option.meaning))


def votes_cast(db: Session, poll: Poll) -> int:
    table = Turnout if poll.secret else Vote
    return len(db.exec(select(table.id).where(table.poll_id == poll.id)).all())  # type: ignore[attr-defined]
