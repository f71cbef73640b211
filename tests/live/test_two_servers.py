"""Two server processes on one database and one Redis behave as one: a member checks in through
the first, and the secretariat's socket on the second shows the new quorum.

Runs where the suite is given a Redis broadcast URL (the second CI pass); the memory backend is
one process by design.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session
from websockets.sync.client import connect

from meetings.config import Config
from tests.attendance.support import scene
from tests.factories import Factory
from tests.live.test_socket import token_for
from tests.servers import start_server

BROADCAST_URL = os.environ.get("MEETINGS_TEST_BROADCAST_URL", "")

pytestmark = pytest.mark.skipif(
    not BROADCAST_URL.startswith("redis"), reason="needs MEETINGS_TEST_BROADCAST_URL=redis://..."
)


@pytest.fixture
def servers(config: Config, database_url: str, storage_dir: Path) -> Iterator[list[str]]:
    started = [start_server(config, database_url, storage_dir, BROADCAST_URL) for _ in range(2)]
    yield [base for _, base in started]
    for process, _ in started:
        process.terminate()
        process.wait(timeout=10)


def quorum(live) -> str:  # type: ignore[no-untyped-def]
    """The next quorum panel pushed (who is connected may be pushed in between)."""
    for _ in range(5):
        text = str(live.recv(timeout=10))
        if 'id="quorum"' in text:
            return text
    raise AssertionError("no quorum panel was pushed")


def test_an_event_from_one_server_reaches_a_socket_on_the_other(
    servers: list[str], factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    s.secretary.locale = "en"
    db.add(s.secretary)
    db.commit()
    first, second = servers
    watching = {"Authorization": f"Bearer {token_for(db, s.secretary)}"}
    arriving = {"Authorization": f"Bearer {token_for(db, s.members[0])}"}
    url = f"ws://{second}/ws/meetings/{s.meeting.id}"
    with connect(url, additional_headers=watching, open_timeout=10) as live:
        assert "0 present" in quorum(live)
        request = urllib.request.Request(
            f"http://{first}/api/v1/meetings/{s.meeting.id}/check-in",
            data=json.dumps({"presence": "in_room"}).encode(),
            headers={**arriving, "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (http, ours)
            assert answer.status == 200
        assert "1 present" in quorum(live)
