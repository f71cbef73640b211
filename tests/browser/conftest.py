"""One real server and one Chromium for the browser tests; a fresh tablet for every test.

The server always runs on its own SQLite file in a temporary storage folder, loaded with the
demo data, whatever MEETINGS_TEST_DATABASE_URL says: the browser tests then never touch the
shared PostgreSQL database, and the HTTP tests never see the browser tests' rows.

Without a Chromium executable the browser tests are skipped, unless MEETINGS_REQUIRE_BROWSER=1
(CI), which turns the skip into a failure. MEETINGS_CHROMIUM points at another executable.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import sync_playwright

from meetings.config import PROJECT_ROOT
from tests.browser.harness import Tablets

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_SECONDS = 30.0


def _unavailable(reason: str) -> None:
    if os.environ.get("MEETINGS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"MEETINGS_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium to drive; skips (or fails under MEETINGS_REQUIRE_BROWSER=1) without one."""
    path = os.environ.get("MEETINGS_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
    if not Path(path).is_file():
        _unavailable(f"no Chromium executable at {path} (set MEETINGS_CHROMIUM)")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(storage: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MEETINGS_")}
    env.update(
        MEETINGS_STORAGE_DIR=str(storage),
        MEETINGS_DATABASE_URL=f"sqlite:///{storage / 'meetings.sqlite3'}",
        MEETINGS_SECRET_KEY="browser-test-secret-key-not-for-production",
        MEETINGS_BROADCAST_URL="memory://",
        PYTHONUNBUFFERED="1",
    )
    return env


def _meetings(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "meetings", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"meetings {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _wait_until_healthy(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll /healthz until it answers, the server dies, or the deadline passes."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped at start-up:\n{log.read_text()[-4000:]}")
        if _healthy(port):
            return
        time.sleep(0.1)
    pytest.fail(f"no answer from /healthz in {SERVER_START_SECONDS} s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="package")
def server(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, with the demo data; yields its URL.

    Its output goes to server.log in the temporary storage folder (kept by pytest's tmp_path).
    """
    storage = tmp_path_factory.mktemp("browser-storage")
    env = _server_env(storage)
    _meetings("db", "upgrade", env=env)
    _meetings("demo", env=env)
    port = _free_port()
    log = storage / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "meetings", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="package")
def browser(chromium_path: str) -> Iterator[Browser]:
    """Chromium through Playwright's sync API.

    Package scope: while Playwright runs, it marks an asyncio loop as running in this thread,
    so tests elsewhere that call asyncio.run() must not run before it has stopped.
    """
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def tablets(browser: Browser, server: str) -> Iterator[Tablets]:
    """Fresh tablets for a test; fails it at teardown on any console error or page error."""
    opened = Tablets(browser, server)
    yield opened
    opened.close()
    if opened.log.problems:
        pytest.fail("the browser reported:\n" + "\n".join(opened.log.problems), pytrace=False)


@pytest.fixture
def page(tablets: Tablets) -> Page:
    """One page on a fresh tablet in landscape, in the browser's language (Vietnamese)."""
    return tablets.open()
