"""Real server processes for tests that need more than the in-process app: uvicorn on the
test database, killed or stopped by the test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from meetings.config import Config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    config: Config, database_url: str, storage: Path, broadcast_url: str = "memory://"
) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    """Start `uvicorn meetings.web.app:create_app` and wait until it answers; (process, host)."""
    port = free_port()
    env = {
        **os.environ,
        "MEETINGS_DATABASE_URL": database_url,
        "MEETINGS_STORAGE_DIR": str(storage),
        "MEETINGS_SECRET_KEY": config.secret_key,
        "MEETINGS_BROADCAST_URL": broadcast_url,
        "MEETINGS_JOBS_INTERVAL_SECONDS": "0",
    }
    command = [sys.executable, "-m", "uvicorn", "meetings.web.app:create_app", "--factory"]
    command += ["--port", str(port), "--ws", "websockets-sansio", "--log-level", "warning"]
    process = subprocess.Popen(command, env=env)
    base = f"127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://{base}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return process, base
        except OSError:  # not listening yet
            time.sleep(0.05)
    process.kill()
    raise AssertionError("the server did not start")
