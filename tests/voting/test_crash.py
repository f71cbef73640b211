"""Kill the server (SIGKILL) in the middle of a burst of votes, start it again, and check that
every acknowledged vote is there, none twice, and the rest can still be cast exactly once."""

from __future__ import annotations

import json
import signal
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from meetings.accounts.actions import create_api_token
from meetings.archive.audit import Actor
from meetings.config import Config
from meetings.db import utcnow
from meetings.voting import actions
from meetings.voting.models import Meaning, PollMode, Vote
from meetings.voting.queries import options_of
from tests.attendance.support import ACTOR
from tests.factories import Factory
from tests.servers import start_server

VOTERS = 40
KILL_AFTER = 12  # acknowledgements


def _post(base: str, path: str, body: dict, token: str) -> int:  # type: ignore[type-arg]
    request = urllib.request.Request(
        f"http://{base}{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (http, ours)
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_crash_mid_burst_loses_no_acknowledged_vote_and_counts_none_twice(
    config: Config, database_url: str, storage_dir: Path, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    body = factory.body(org)
    people = [factory.user(f"Thành Viên {n}", organisation=org) for n in range(VOTERS)]
    for person in people:
        factory.seat(body, person)
    poll = actions.create(
        db,
        body,
        actor=ACTOR,
        question="Ý kiến về dự thảo Nghị quyết?",
        mode=PollMode.ballot,
        deadline=utcnow() + timedelta(days=1),
    )
    chair = factory.user("Chủ Tịch", organisation=org)
    factory.seat(body, chair, role="chair", title="Chủ tịch")
    actions.approve(db, poll, actor=Actor(chair.id, "test"))
    actions.open_poll(db, poll, actor=ACTOR)
    agree = next(o.id for o in options_of(db, poll.id or 0) if o.meaning == Meaning.in_favour)
    tokens = {p.id: create_api_token(db, user=p, name="tablet", actor=ACTOR) for p in people}
    db.commit()
    path = f"/api/v1/polls/{poll.id}/votes"
    process, base = start_server(config, database_url, storage_dir)
    acknowledged: set[int] = set()
    lock = threading.Lock()

    def vote(user_id: int) -> None:
        try:
            status = _post(base, path, {"option_ids": [agree]}, tokens[user_id])
        except OSError:  # the server died under this request: no acknowledgement
            return
        if status == 201:
            with lock:
                acknowledged.add(user_id)
                if len(acknowledged) == KILL_AFTER:
                    process.send_signal(signal.SIGKILL)

    try:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(vote, [p.id for p in people]))
        process.wait(timeout=10)
        assert KILL_AFTER <= len(acknowledged) < VOTERS, "the kill came mid-burst"
        db.expire_all()
        stored = [v.voter_id for v in db.exec(select(Vote).where(Vote.poll_id == poll.id))]
        assert acknowledged <= set(stored), "every acknowledged vote survived"
        assert len(stored) == len(set(stored)), "none twice"
        process, base = start_server(config, database_url, storage_dir)
        again = {p.id: _post(base, path, {"option_ids": [agree]}, tokens[p.id]) for p in people}
        for user_id, status in again.items():
            expected = 409 if user_id in stored else 201
            assert status == expected, (user_id, status)
        db.expire_all()
        final = [v.voter_id for v in db.exec(select(Vote).where(Vote.poll_id == poll.id))]
        assert sorted(final) == sorted(p.id for p in people)  # the chair has not voted
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
