"""Reads of a poll: its options and its eligible voters."""

from __future__ import annotations

from sqlmodel import Session, col, select

from meetings.voting.models import Eligible, PollOption


def options_of(db: Session, poll_id: int) -> list[PollOption]:
    query = select(PollOption).where(PollOption.poll_id == poll_id)
    return list(db.exec(query.order_by(col(PollOption.position), col(PollOption.id))))


def eligible_of(db: Session, poll_id: int) -> list[Eligible]:
    return list(db.exec(select(Eligible).where(Eligible.poll_id == poll_id)))
