"""What the stored rows of a secret poll can tell, once it is closed: nothing that links a
ballot to its voter, not even the storage's own bookkeeping (PostgreSQL's transaction ids)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from meetings.voting import actions
from meetings.voting.models import Meaning, SecretBallot
from tests.attendance.support import ACTOR, scene
from tests.factories import Factory
from tests.voting.test_polls import live_poll, vote


def test_closing_keeps_every_ballot_and_its_receipt(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    poll = live_poll(s, secret=True)
    receipts = [
        vote(s, poll, s.members[0], Meaning.in_favour),
        vote(s, poll, s.members[1], Meaning.against),
        vote(s, poll, s.members[2], Meaning.in_favour),
    ]
    result = actions.close(db, poll, actor=ACTOR)
    stored = {b.receipt: b.choices for b in db.exec(select(SecretBallot))}
    assert sorted(stored) == sorted(r for r in receipts if r)
    assert (result["in_favour"], result["against"]) == (2, 1)


def test_on_postgresql_no_ballot_shares_a_transaction_with_a_turnout_row(
    factory: Factory, db: Session
) -> None:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("transaction ids are PostgreSQL's")
    s = scene(factory, db)
    poll = live_poll(s, secret=True)
    for member in s.members:
        vote(s, poll, member, Meaning.in_favour)

    queries = {
        "secretballot": text("SELECT xmin::text FROM secretballot WHERE poll_id = :p"),
        "turnout": text("SELECT xmin::text FROM turnout WHERE poll_id = :p"),
    }

    def xmins(table: str) -> set[str]:
        return {row[0] for row in db.execute(queries[table], {"p": poll.id})}

    assert xmins("secretballot") & xmins("turnout"), "while open, each pair shares a transaction"
    actions.close(db, poll, actor=ACTOR)
    ballots = xmins("secretballot")
    assert len(ballots) == 1, "every ballot was rewritten by the closing transaction"
    assert not ballots & xmins("turnout")
