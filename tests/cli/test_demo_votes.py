"""The demo's votes: cast through the engine, with results the engine computed, loaded once."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, func, select

from meetings.cli import main
from meetings.config import Config
from meetings.demo_votes import BALLOT, LAST_BALLOT
from meetings.voting.models import AnswerDraft, Poll, PollState, Vote
from tests.cli.test_demo_meetings import env  # noqa: F401 - the fixture


def _poll(db: Session, question: str) -> Poll:
    return db.exec(select(Poll).where(Poll.question == question)).one()


def _votes(db: Session, poll: Poll) -> int:
    return db.exec(select(func.count()).select_from(Vote).where(Vote.poll_id == poll.id)).one()


def test_the_demo_has_live_votes_and_ballots_and_loads_them_once(
    env: Config,  # noqa: F811
    db: Session,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo"]) == 0
    assert main(["demo"]) == 0
    capsys.readouterr()
    polls = db.exec(select(Poll)).all()
    assert len(polls) == 4
    live = sorted((p for p in polls if p.mode == "live"), key=lambda p: p.id or 0)
    assert [p.state for p in live] == [PollState.published, PollState.open]
    assert json.loads(live[0].result)["outcome"] == "passed"
    assert _votes(db, live[1]) == 3, "the vote under way has a count to watch"
    ballot, last = _poll(db, BALLOT), _poll(db, LAST_BALLOT)
    assert ballot.state == PollState.open and ballot.approved_at is not None
    assert _votes(db, ballot) == 4
    assert len(db.exec(select(AnswerDraft).where(AnswerDraft.poll_id == ballot.id)).all()) == 1
    assert last.state == PollState.published
    assert last.majority_base == "members", "the Government's rule: more than half of all members"
    assert json.loads(last.result)["outcome"] == "passed"
    comments = db.exec(select(Vote.comment).where(Vote.poll_id == last.id)).all()
    assert any("thuốc" in c for c in comments)
