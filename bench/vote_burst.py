"""Vote burst: every eligible voter casts over HTTP in the same instant while sockets watch the
count, against a bare server on the same stack and database.

The app runs as `meetings serve` (--workers, one by default; several need --broadcast-url
redis://...) on a database that is a temporary SQLite file unless --database-url names another
(it must be empty). It holds a meeting in session with --voters seats (a chair and members), all
checked in, one open live vote (--secret: a secret one) and an API token per voter. Watcher
processes open --watchers sockets on /ws/meetings/{id}?view=screen (--view) with secretaries'
Bearer tokens (shared round-robin), each waiting for its snapshot. Voter processes then release
every vote at one instant (or evenly over --spread seconds): one connection and one
`POST /api/v1/polls/{id}/votes` each. A vote's acknowledgement time runs from its connect to the
end of its 201 answer; a socket has seen the final count when it receives the tally with every
vote counted (its `<progress value>`, whatever the language). The hub merges votes that arrive
while it renders, so a socket gets far fewer pushes than there are votes. Afterwards the
database must hold exactly one vote per voter (named: Vote rows; secret: SecretBallot and
Turnout rows) and the audit chain must hold.

The baseline, in the same run, with the same client processes, before the app's sockets open:
a bare Starlette app (bench/vote_burst_bare.py) under the same uvicorn settings on the same
database, one insert and one commit per POST, pushing the count to as many sockets. The client
processes run on the same machine as the servers and share its CPUs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
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
from sqlalchemy import func, make_url, select

from bench.fanout import cpu_seconds, quantile, wait_for
from bench.fanout_clients import raise_open_files_limit
from bench.upload import free_port
from bench.vote_burst_bare import votes as bare_votes
from bench.vote_burst_clients import Cast, Workers, request
from bench.vote_burst_data import Scene, is_empty, prepare, stored
from meetings.db import make_engine

LEAD = 1.0  # seconds from telling the voter processes to their release
FINAL_TIMEOUT = 60.0  # seconds to wait, after the last answer, for every socket's final count
TARGET_ACK_P99 = 0.150
TARGET_FINAL = 0.500


@dataclass
class Burst:
    """One burst against one server: every vote, and every watcher's view of the count."""

    release: float
    casts: list[Cast]
    seen: list[float]  # when each socket first showed the final count
    pushes: list[int]  # tally pushes each socket received
    missing: int  # sockets that never showed it
    closed: int  # sockets the server closed meanwhile
    cpu: float  # the server's CPU seconds over the burst

    @property
    def acks(self) -> list[float]:
        return sorted(c.acked - c.sent for c in self.casts if c.status == 201)

    @property
    def last_ack(self) -> float:
        return max(c.acked for c in self.casts)

    @property
    def final(self) -> float | None:
        """From the last answer to the moment the last socket showed the final count."""
        return max(self.seen) - self.last_ack if self.seen and not self.missing else None

    def statuses(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for cast in self.casts:
            counts[cast.status] = counts.get(cast.status, 0) + 1
        return counts


# -- servers ----------------------------------------------------------------------------------


def start_app(storage: Path, args: argparse.Namespace, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MEETINGS_STORAGE_DIR": str(storage),
        "MEETINGS_DATABASE_URL": args.database_url,
        "MEETINGS_BROADCAST_URL": args.broadcast_url,
        "MEETINGS_HTTPS": "off",
    }
    command = [sys.executable, "-m", "meetings", "serve", "--port", str(port)]
    command += ["--workers", str(args.workers)]
    with (storage / "server.log").open("wb") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def start_bare(storage: Path, args: argparse.Namespace, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "bench.vote_burst_bare", str(port), args.database_url]
    with (storage / "bare.log").open("wb") as log:
        return subprocess.Popen([*command, str(args.voters)], stdout=log, stderr=subprocess.STDOUT)


def family(pid: int) -> list[int]:
    """The process and its descendants (uvicorn's workers, when there are several)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found.extend(frontier)
    return found


def cpu(pid: int) -> float:
    """CPU seconds used by the process and its descendants."""
    total = 0.0
    for each in family(pid):
        with contextlib.suppress(OSError):
            total += cpu_seconds(each)
    return total


def settle(pid: int, limit: float = 60) -> float:
    """Wait until the server has been idle (under 5% of a CPU) for 0.5 s; seconds waited."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        used = cpu(pid)
        time.sleep(0.5)
        if cpu(pid) - used < 0.025:
            break
    return time.monotonic() - began


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def bare_rows(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            query = select(func.count()).select_from(bare_votes)
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


# -- a burst ----------------------------------------------------------------------------------


def app_requests(scene: Scene, port: int) -> list[bytes]:
    path = f"/api/v1/polls/{scene.poll_id}/votes"
    body = json.dumps({"option_ids": [scene.in_favour]}).encode()
    return [request(port, path, token, body) for token in scene.voter_tokens]


def bare_requests(voters: int, port: int) -> list[bytes]:
    return [request(port, "/votes", "", b'{"voter_id": %d}' % n) for n in range(voters)]


class Run:
    """The servers, the client processes and the data of one benchmark run."""

    def __init__(self, args: argparse.Namespace, storage: Path) -> None:
        self.args, self.storage = args, storage
        self.stack = contextlib.ExitStack()

    def start(self) -> None:
        args = self.args
        self.scene = prepare(
            args.database_url, voters=args.voters, watchers=args.tokens, secret=args.secret
        )
        self.app_port, self.bare_port = free_port(), free_port()
        self.app = self.stack.enter_context(start_app(self.storage, args, self.app_port))
        self.stack.callback(stop, self.app)
        self.bare = self.stack.enter_context(start_bare(self.storage, args, self.bare_port))
        self.stack.callback(stop, self.bare)
        self.wait(self.app_port, self.app, "app server")
        self.wait(self.bare_port, self.bare, "bare server")
        self.watchers = Workers(args.watcher_processes)
        self.stack.callback(self.watchers.stop)
        self.voters = Workers(args.voter_processes)
        self.stack.callback(self.voters.stop)
        self.watchers.ask("ready", "")  # spawned: each has imported this module first
        self.voters.ask("ready", "")

    @staticmethod
    def wait(port: int, process: subprocess.Popen[bytes], what: str) -> None:
        url = f"http://127.0.0.1:{port}/healthz"
        wait_for(lambda: httpx.get(url).raise_for_status(), process, what)

    def open_sockets(self, pool: str, url: str, pid: int) -> None:
        tokens = self.scene.watcher_tokens
        wanted = [tokens[n % len(tokens)] for n in range(self.args.watchers)]
        began = time.monotonic()
        _, failed, errors = self.watchers.grow(pool, url, wanted)
        seconds = time.monotonic() - began
        assert not failed, f"{failed} of {len(wanted)} sockets failed: {errors}"
        busy = settle(pid)
        print(
            f"{pool}: {len(wanted)} sockets open in {seconds:.1f} s"
            f" ({len(wanted) / seconds:.0f}/s); the server was busy {busy:.1f} s more"
        )

    def burst(self, pool: str, port: int, pid: int, requests: list[bytes]) -> Burst:
        """Release every vote at once (or over --spread); wait for every socket's final count."""
        count, processes = len(requests), len(self.voters.pipes)
        self.watchers.ask("arm", pool, str(count))
        release = time.monotonic() + LEAD
        releases = [release + self.args.spread * n / count for n in range(count)]
        shares = [
            ("127.0.0.1", port, requests[k::processes], releases[k::processes])
            for k in range(processes)
        ]
        used = cpu(pid)
        casts = [c for answer in self.voters.ask("burst", "", each=shares) for c in answer]
        answers = self.watchers.ask("collect", pool, FINAL_TIMEOUT)
        return Burst(
            release,
            casts,
            [t for a in answers for t in a[0]],
            [p for a in answers for p in a[1]],
            sum(a[2] for a in answers),
            sum(a[3] for a in answers),
            cpu(pid) - used,
        )

    def bare_burst(self) -> Burst:
        self.open_sockets("bare", f"ws://127.0.0.1:{self.bare_port}/ws", self.bare.pid)
        burst = self.burst(
            "bare", self.bare_port, self.bare.pid, bare_requests(self.args.voters, self.bare_port)
        )
        self.watchers.ask("close", "bare")
        return burst

    def app_burst(self) -> Burst:
        meeting = self.scene.meeting_id
        url = f"ws://127.0.0.1:{self.app_port}/ws/meetings/{meeting}?view={self.args.view}"
        self.open_sockets("app", url, self.app.pid)
        return self.burst(
            "app", self.app_port, self.app.pid, app_requests(self.scene, self.app_port)
        )


# -- the report -------------------------------------------------------------------------------

HEAD = (
    f"{'server':26} {'ack p50':>8} {'p99':>7} {'max':>7} {'all acked':>10}"
    f" {'final seen':>11} {'after last ack':>15} {'pushes/socket':>14} {'CPU':>6}"
)
UNITS = (
    f"{'':26} {'ms':>8} {'ms':>7} {'ms':>7} {'s':>10} {'s':>11} {'ms':>15}"
    f" {'min/med/max':>14} {'s':>6}"
)


def row(label: str, burst: Burst, bare: Burst | None = None) -> str:
    acks = burst.acks or [float("nan")]
    p50, p99 = quantile(acks, 50) * 1000, quantile(acks, 99) * 1000
    seen = f"{max(burst.seen) - burst.release:.3f}" if burst.seen else "-"
    final = f"{burst.final * 1000:.0f}" if burst.final is not None else "never"
    pushes = burst.pushes or [0]
    spread = f"{min(pushes)}/{statistics.median(pushes):.0f}/{max(pushes)}"
    line = (
        f"{label:26} {p50:8.1f} {p99:7.1f} {acks[-1] * 1000:7.1f}"
        f" {burst.last_ack - burst.release:10.3f} {seen:>11} {final:>15} {spread:>14}"
        f" {burst.cpu:6.2f}"
    )
    if bare is not None and bare.acks:
        bare_p99, bare_final = quantile(bare.acks, 99) * 1000, bare.final
        line += f"\n{'':26} ack p99 x{p99 / bare_p99:.2f} of bare"
        if burst.final is not None and bare_final:
            line += f"; final count {burst.final * 1000 - bare_final * 1000:+.0f} ms against bare"
    return line


def answers_line(label: str, burst: Burst) -> str:
    sent = max(c.sent for c in burst.casts) - burst.release
    statuses = ", ".join(f"{status} x{n}" for status, n in sorted(burst.statuses().items()))
    odd = [c.body for c in burst.casts if c.status != 201][:2]
    gone = f"; {burst.closed} sockets closed by the server" if burst.closed else ""
    lost = f"; {burst.missing} sockets never saw the final count" if burst.missing else ""
    return (
        f"{label}: answers {statuses}; last vote sent {sent * 1000:.1f} ms after the release"
        f"{gone}{lost}" + (f"; e.g. {odd}" if odd else "")
    )


def receipts_line(burst: Burst) -> str:
    receipts = [json.loads(c.body).get("receipt") for c in burst.casts if c.status == 201]
    distinct = {r for r in receipts if r and len(r) == 32}
    return f"receipts: {len(distinct)} distinct of {len(receipts)} answers"


def verdict(what: str, value: float | None, target: float) -> str:
    if value is None:
        return f"{what}: never (target <= {target * 1000:.0f} ms): MISSED"
    met = "met" if value <= target else "MISSED"
    return f"{what}: {value * 1000:.0f} ms (target <= {target * 1000:.0f} ms): {met}"


def report(run: Run, bare: Burst, app: Burst) -> bool:
    """Print the figures and checks; True when every vote was answered and stored once."""
    args = run.args
    print(f"\n{HEAD}\n{UNITS}")
    print(row("bare Starlette + insert", bare))
    print(row("e-Cabinet POST /votes", app, bare))
    print(answers_line("bare", bare))
    print(answers_line("app", app))
    if args.secret:
        print(receipts_line(app))
    kept = stored(args.database_url, run.scene.poll_id, secret=args.secret)
    rows = bare_rows(args.database_url)
    exact = kept.votes == kept.voters == kept.eligible == args.voters
    chain = "intact" if kept.audit_broken_at is None else f"BROKEN at {kept.audit_broken_at}"
    print(
        f"stored: {kept.votes} {'ballots' if args.secret else 'votes'} from {kept.voters}"
        f" distinct voters, {kept.eligible} eligible: {'exactly' if exact else 'NOT'} one each"
        f"; audit chain {chain} ({kept.audit_entries} entries); bare table: {rows} rows"
    )
    print(verdict("ack p99", quantile(app.acks, 99) if app.acks else None, TARGET_ACK_P99))
    print(verdict("final count on every socket after the last ack", app.final, TARGET_FINAL))
    answered = app.statuses() == {201: args.voters}
    return exact and answered and rows == args.voters and kept.audit_broken_at is None


def server_log(path: Path) -> None:
    """Say whether the server logged errors, and which exceptions (each traceback's last line)."""
    lines = path.read_text(errors="replace").splitlines()
    bad = [n for n, line in enumerate(lines) if line.startswith("Traceback")]
    raised: dict[str, int] = {}
    for n in bad:
        last = next((m for m in range(n + 1, len(lines)) if not lines[m].startswith(" ")), n)
        raised[lines[last][:160]] = raised.get(lines[last][:160], 0) + 1
    kinds = "".join(f"\n  {count} x {what}" for what, count in raised.items())
    print(f"server log: {len(lines)} lines, {len(bad)} tracebacks{kinds}")


def database(args: argparse.Namespace, storage: Path) -> str:
    if not args.database_url:
        return f"sqlite:///{storage / 'bench.sqlite3'}"
    if not is_empty(args.database_url):
        raise SystemExit(
            "the database is not empty: give a new one, e.g. dropdb --if-exists -h 127.0.0.1"
            " -U postgres bench_votes && createdb -h 127.0.0.1 -U postgres bench_votes"
        )
    return str(args.database_url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.vote_burst", description=__doc__)
    parser.add_argument("--database-url", default="", help="an empty database (temporary SQLite)")
    parser.add_argument("--voters", type=int, default=600, help="eligible voters, all casting")
    parser.add_argument("--watchers", type=int, default=2000, help="sockets watching the count")
    parser.add_argument(
        "--view", default="screen", choices=["screen", "tablet", "console"], help="sockets' view"
    )
    parser.add_argument("--secret", action="store_true", help="a secret vote (receipts)")
    parser.add_argument("--spread", type=float, default=0.0, help="seconds to spread votes over")
    parser.add_argument("--broadcast-url", default="memory://", help="memory:// or redis://...")
    parser.add_argument(
        "--workers", type=int, default=1, help="uvicorn workers (more than one: Redis broadcast)"
    )
    parser.add_argument("--tokens", type=int, default=100, help="secretaries opening sockets")
    parser.add_argument("--watcher-processes", type=int, default=4, help="socket clients")
    parser.add_argument("--voter-processes", type=int, default=2, help="HTTP clients")
    parser.add_argument("--keep", action="store_true", help="keep the logs and SQLite file")
    args = parser.parse_args(argv)
    if args.workers > 1 and not args.broadcast_url.startswith("redis"):
        parser.error("several workers share live events through Redis: give --broadcast-url")
    print(
        f"open files limit: {raise_open_files_limit()}; {os.cpu_count()} CPUs;"
        f" load average {os.getloadavg()[0]:.2f} (other processes share the CPUs)"
    )
    storage = Path(tempfile.mkdtemp(prefix="bench-votes-"))
    run = Run(args, storage)
    try:
        args.database_url = database(args, storage)
        kind = "secret" if args.secret else "named"
        print(
            f"{args.voters} voters ({kind} vote, spread {args.spread:g} s), {args.watchers}"
            f" sockets ({args.view}), {make_url(args.database_url).get_backend_name()},"
            f" {args.workers} uvicorn worker(s), broadcast {args.broadcast_url}"
        )
        with run.stack:
            began = time.monotonic()
            run.start()
            print(f"data and servers ready in {time.monotonic() - began:.1f} s")
            bare = run.bare_burst()
            app = run.app_burst()
            good = report(run, bare, app)
            print(f"load average at the end: {os.getloadavg()[0]:.2f}")
            server_log(storage / "server.log")
    finally:
        if args.keep:
            print(f"kept: {storage}")
        else:
            shutil.rmtree(storage, ignore_errors=True)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
