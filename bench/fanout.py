"""Live fan-out: one change in a meeting, pushed to N websocket clients, against a bare server.

One uvicorn worker of the app (`meetings serve`) on loopback, a temporary storage folder and
SQLite database with an organisation, a body, a published meeting in session, its members and
secretaries, each with an API token. Client processes (--processes) open N sockets on
/ws/meetings/{id}?view=console, each authenticated with a secretary's Bearer token (--watchers
secretaries, the sockets shared among them round-robin) and each waiting for its snapshot. Each
round a different member checks in through `POST /api/v1/meetings/{id}/check-in`; the hub
renders the quorum panel once and pushes it to every socket. A round's time runs from just
before the request is sent to the moment each client has the fragment (time.monotonic(), one
clock for every process on Linux).

The baseline, in the same run and with the same client processes: a bare websockets-library
server (bench/fanout_bare.py) with N connections, told over a control connection to
`websockets.broadcast` the same bytes the app pushed.

Then the app's sockets grow to --idle: the server's RSS per idle connection, whether they all
survive --hold seconds (past the server's 20 s ping), and one more fan-out to all of them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
from websockets.sync.client import ClientConnection, connect

from bench.fanout_clients import Workers, raise_open_files_limit
from bench.fanout_data import Scene, prepare
from bench.upload import free_port, status_kb

MARKER = 'id="quorum"'
ROUND_TIMEOUT = 30.0
IDLE_STEP = 500


@dataclass
class Result:
    """Every round of one server at one N: the time until the last client, and each client's."""

    lasts: list[float]
    each: list[float]
    missing: int = 0


def quantile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# -- servers ----------------------------------------------------------------------------------


def start_app(storage: Path, database_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MEETINGS_STORAGE_DIR": str(storage),
        "MEETINGS_DATABASE_URL": database_url,
        "MEETINGS_HTTPS": "off",
    }
    command = [sys.executable, "-m", "meetings", "serve", "--port", str(port)]
    with (storage / "server.log").open("wb") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def start_bare(storage: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "bench.fanout_bare", str(port)]
    with (storage / "bare.log").open("wb") as log:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)


def wait_for(check: object, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the {what} stopped while starting; see its log")
        try:
            check()  # type: ignore[operator]
            return
        except (OSError, httpx.TransportError):
            time.sleep(0.1)
    raise SystemExit(f"the {what} did not answer within 30 s")


def bare_answers(url: str) -> None:
    with connect(url):
        pass


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(pid: int, limit: float = 60) -> float:
    """Wait until the process has been idle (under 5% of a CPU) for 0.5 s; seconds waited."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        used = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - used < 0.025:
            break
    return time.monotonic() - began


def rss_mb(pid: int) -> float:
    return status_kb(pid, "VmRSS") / 1024


# -- rounds -----------------------------------------------------------------------------------


def collect(workers: Workers, pool: str, start: float, result: Result) -> str:
    """Add the round's receive times to `result`; return the bytes every client received."""
    answers = workers.ask("collect", pool, ROUND_TIMEOUT)
    times = [t - start for a in answers for t in a[0]]
    digests = {d for a in answers for d in a[1]}
    assert len(digests) == 1, f"every client received the same fragment ({len(digests)} kinds)"
    result.missing += sum(a[2] for a in answers)
    result.lasts.append(max(times) if not result.missing else ROUND_TIMEOUT)
    result.each.extend(times)
    return next(a[3] for a in answers if a[3])


def app_round(
    workers: Workers, http: httpx.Client, scene: Scene, token: str, result: Result
) -> str:
    """A member checks in; every console socket gets the new quorum panel."""
    workers.ask("arm", "app", MARKER)
    start = time.monotonic()
    response = http.post(
        f"/api/v1/meetings/{scene.meeting_id}/check-in",
        json={"presence": "in_room"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return collect(workers, "app", start, result)


def bare_round(workers: Workers, control: ClientConnection, text: str, result: Result) -> None:
    workers.ask("arm", "bare", MARKER)
    start = time.monotonic()
    control.send(text)
    assert control.recv(timeout=ROUND_TIMEOUT) == "sent"
    collect(workers, "bare", start, result)


def grow(
    workers: Workers, pool: str, url: str, tokens: list[str], snapshot: bool, deflate: bool
) -> float:
    began = time.monotonic()
    _, failed, errors = workers.grow(pool, url, tokens, snapshot, deflate)
    assert not failed, f"{failed} of {len(tokens)} connections failed: {errors}"
    return time.monotonic() - began


# -- the run ----------------------------------------------------------------------------------


def report_row(n: int, label: str, result: Result, bare: Result | None = None) -> None:
    last50, last99 = quantile(result.lasts, 50) * 1000, quantile(result.lasts, 99) * 1000
    each50, each99 = quantile(result.each, 50) * 1000, quantile(result.each, 99) * 1000
    ratio = f"  x{last99 / (quantile(bare.lasts, 99) * 1000):.2f} of bare" if bare else ""
    lost = f"  ({result.missing} never received)" if result.missing else ""
    print(
        f"{n:7d}  {label:24} {last50:8.1f} {last99:8.1f}   {each50:8.1f} {each99:8.1f}{ratio}{lost}"
    )


class Run:
    """The servers, the client processes and the data of one benchmark run."""

    def __init__(self, args: argparse.Namespace, storage: Path) -> None:
        self.args, self.storage = args, storage
        self.stack = contextlib.ExitStack()
        self.open = {"app": 0, "bare": 0}

    def start(self) -> None:
        database_url = f"sqlite:///{self.storage / 'bench.sqlite3'}"
        needed = self.args.rounds * (len(self.args.clients) + 1) + 1
        self.scene = prepare(database_url, watchers=self.args.watchers, members=needed)
        self.arrivals = iter(self.scene.member_tokens)
        app_port, bare_port = free_port(), free_port()
        self.app = self.stack.enter_context(start_app(self.storage, database_url, app_port))
        self.stack.callback(self.app.terminate)
        self.bare = self.stack.enter_context(start_bare(self.storage, bare_port))
        self.stack.callback(self.bare.terminate)
        self.http = self.stack.enter_context(
            httpx.Client(base_url=f"http://127.0.0.1:{app_port}", timeout=30)
        )
        meeting = self.scene.meeting_id
        self.app_url = f"ws://127.0.0.1:{app_port}/ws/meetings/{meeting}?view=console"
        self.bare_url = f"ws://127.0.0.1:{bare_port}/"
        wait_for(lambda: self.http.get("/healthz").raise_for_status(), self.app, "app server")
        wait_for(lambda: bare_answers(self.bare_url), self.bare, "bare server")
        self.control = self.stack.enter_context(connect(self.bare_url + "control"))
        self.workers = Workers(self.args.processes)
        self.stack.callback(self.workers.stop)

    def tokens(self, start: int, stop: int) -> list[str]:
        watchers = self.scene.watcher_tokens
        return [watchers[n % len(watchers)] for n in range(start, stop)]

    def grow_to(self, pool: str, n: int) -> float:
        url, snapshot = (self.app_url, True) if pool == "app" else (self.bare_url, False)
        tokens = self.tokens(self.open[pool], n)
        seconds = grow(self.workers, pool, url, tokens, snapshot, not self.args.no_deflate)
        self.open[pool] = n
        return seconds

    def fan_out(self, n: int) -> tuple[Result, Result]:
        before = self.open["app"]
        opened = self.grow_to("app", n)
        busy = settle(self.app.pid)
        print(
            f"{'':9}app sockets {before} -> {n} opened in {opened:.1f} s"
            f" ({(n - before) / opened:.0f}/s); the server was busy {busy:.1f} s more"
        )
        self.grow_to("bare", n)
        settle(self.bare.pid)
        return self.rounds(self.args.rounds)

    def rounds(self, count: int) -> tuple[Result, Result]:
        app, bare = Result([], []), Result([], [])
        for _ in range(count):
            text = app_round(self.workers, self.http, self.scene, next(self.arrivals), app)
            time.sleep(0.2)
        for _ in range(count):
            bare_round(self.workers, self.control, text, bare)
            time.sleep(0.2)
        return app, bare


def fan_outs(run: Run) -> None:
    run.grow_to("app", 1)
    app_round(run.workers, run.http, run.scene, next(run.arrivals), Result([], []))  # warm-up
    heads = f"{'all received p50/p99 ms':>23}   {'each p50/p99 ms':>17}"
    print(f"{'clients':>7}  {'server':24} {heads}")
    for n in run.args.clients:
        app, bare = run.fan_out(n)
        report_row(n, "bare websockets", bare)
        report_row(n, "e-Cabinet /ws (console)", app, bare)


def server_log(path: Path) -> None:
    """Say whether the server logged any error or traceback during the run."""
    lines = path.read_text(errors="replace").splitlines()
    bad = [line for line in lines if "Traceback" in line or "ERROR" in line]
    first = f"; first: {bad[0]}" if bad else ""
    print(f"server log: {len(lines)} lines, {len(bad)} errors{first}")


def open_idle(run: Run) -> tuple[float, str]:
    """Grow the app's sockets towards --idle, in steps, within the time budget."""
    began, target = time.monotonic(), run.args.idle
    while run.open["app"] < target:
        if time.monotonic() - began > run.args.idle_budget:
            return time.monotonic() - began, f"time budget ({run.args.idle_budget:.0f} s) spent"
        try:
            run.grow_to("app", min(target, run.open["app"] + IDLE_STEP))
        except AssertionError as error:
            return time.monotonic() - began, f"connections failed: {error}"
    return time.monotonic() - began, "reached the target"


def per_connection(label: str, pid: int, before_mb: float, added: int) -> None:
    after = rss_mb(pid)
    per = (after - before_mb) * 1024 / added if added else 0.0
    print(f"{label:26} RSS {before_mb:6.1f} -> {after:6.1f} MB: {per:5.1f} KiB per connection")


def idle(run: Run) -> None:
    """Memory per idle socket, how many one worker holds, and one more fan-out to all of them."""
    settle(run.app.pid)
    before, held = rss_mb(run.app.pid), run.open["app"]
    seconds, stopped = open_idle(run)
    busy, added = settle(run.app.pid), run.open["app"] - held
    print(
        f"idle app sockets {held} -> {run.open['app']} in {seconds:.1f} s ({added / seconds:.0f}/s;"
        f" the server was busy {busy:.1f} s more): {stopped}"
    )
    per_connection("e-Cabinet server", run.app.pid, before, added)
    time.sleep(run.args.hold)
    alive = sum(run.workers.ask("open", "app"))
    print(f"after {run.args.hold:.0f} s idle (the server pings every 20 s): {alive} still open")
    before, held = rss_mb(run.bare.pid), run.open["bare"]
    run.grow_to("bare", run.open["app"])
    settle(run.bare.pid)
    per_connection("bare websockets server", run.bare.pid, before, run.open["bare"] - held)
    app, bare = run.rounds(run.args.rounds)
    report_row(run.open["app"], "bare websockets", bare)
    report_row(run.open["app"], "e-Cabinet /ws (console)", app, bare)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.fanout", description=__doc__)
    parser.add_argument("--clients", default="100,500,2000", help="N values, comma-separated")
    parser.add_argument("--rounds", type=int, default=5, help="changes per N and server")
    parser.add_argument("--idle", type=int, default=10000, help="idle sockets to try to hold")
    parser.add_argument("--idle-budget", type=float, default=120, help="seconds to open them")
    parser.add_argument("--hold", type=float, default=25, help="seconds to keep them idle")
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument(
        "--no-deflate", action="store_true", help="clients do not offer permessage-deflate"
    )
    parser.add_argument("--watchers", type=int, default=100, help="secretaries with tokens")
    args = parser.parse_args(argv)
    args.clients = [int(n) for n in args.clients.split(",")]
    print(f"open files limit: {raise_open_files_limit()}; {os.cpu_count()} CPUs")
    storage = Path(tempfile.mkdtemp(prefix="bench-fanout-"))
    run = Run(args, storage)
    try:
        with run.stack:
            run.start()
            fan_outs(run)
            if args.idle:
                idle(run)
            server_log(storage / "server.log")
    finally:
        shutil.rmtree(storage, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
