"""Two server processes on one database and one Redis behave as one: a member checks in through
the first, and the secretariat's socket on the second shows the new quorum.

Runs where the suite is given a Redis broadcast URL (the second CI pass); the memory backend is
one process by design.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
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

BROADCAST_URL = os.environ.get("MEETINGS_TEST_BROADCAST_URL", "")

pytestmark = pytest.mark.skipif(
    not BROADCAST_URL.startswith("redis"), reason="needs MEETINGS_TEST_BROADCAST_URL=redis://..."
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(config: Config, database_url: str, storage: Path) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    port = _free_port()
    env = {
        **os.environ,
        "MEETINGS_DATABASE_URL": database_url,
        "MEETINGS_STORAGE_DIR": str(storage),
        "MEETINGS_SECRET_KEY": config.secret_key,
        "MEETINGS_BROADCAST_URL": BROADCAST_URL,
        "MEETINGS_JOBS_INTERVAL_SECONDS": "0",
    }
    command = [sys.executable, "-m", "uvicorn", "meetings.web.app:create_app", "--factory"]
    command += ["--port", str(port), "--ws", "websockets-sansio", "--log-level", "warning"]
    process = subprocess.Popen(command, env=env)
    base = f"127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://{base}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return process, base
        except OSError:  # not listening yet
            time.sleep(0.05)
    process.kill()
    raise AssertionError("the server did not start")


@pytest.fixture
def servers(config: Config, database_url: str, storage_dir: Path) -> Iterator[list[str]]:
    started = [_start(config, database_url, storage_dir) for _ in range(2)]
    yield [base for _, base in started]
    for process, _ in started:
        process.terminate()
        process.wait(timeout=10)


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
        assert "0 present" in str(live.recv(timeout=10))
        request = urllib.request.Request(
            f"http://{first}/api/v1/meetings/{s.meeting.id}/check-in",
            data=json.dumps({"presence": "in_room"}).encode(),
            headers={**arriving, "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (http, ours)
            assert answer.status == 200
        assert "1 present" in str(live.recv(timeout=10))
