"""The client side of bench.vote_burst: watcher processes holding sockets, voter processes
casting over HTTP.

Watchers open, read and close their sockets with bench.fanout_clients, into a pool that counts
the tally pushes each socket receives and notes when it first shows the final count (read from
the `<progress value=...>` of the tally, whatever the language of the text). Voters open one
connection per vote when released and time the answer. Every time is `time.monotonic()`, on
Linux one clock for every process, so one release instant holds across the voter processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import re
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from bench import fanout_clients
from bench.fanout_clients import Pool, Socket, raise_open_files_limit

# The tally region's count: its first <progress> (other regions come in the same message).
PROGRESS = re.compile(r'id="live-tally".*?<progress[^>]*\svalue="(\d+)"', re.DOTALL)
CAST_TIMEOUT = 120.0


@dataclass
class TallyPool(Pool):
    """Sockets that wait for the tally to reach `target`, counting the tally pushes."""

    target: int = 0
    pushes: dict[Socket, int] = field(default_factory=dict)

    def arm(self, marker: str) -> None:
        super().arm(marker)
        self.target, self.pushes = int(marker), dict.fromkeys(self.sockets, 0)

    def heard(self, sock: Socket, message: str | bytes) -> None:
        now = time.monotonic()
        text = message if isinstance(message, str) else message.decode()
        found = PROGRESS.search(text)
        if self.marker is None or found is None:
            return
        self.pushes[sock] = self.pushes.get(sock, 0) + 1
        if sock.received is None and int(found[1]) >= self.target:
            sock.received = now
            self.waiting -= 1
            if self.waiting == 0:
                self.arrived.set()


async def collect(pool: TallyPool, timeout: float) -> Any:
    """When each socket saw the final count, the pushes each got, how many never saw it and
    how many sockets were closed meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(pool.arrived.wait(), timeout)
    pool.marker = None
    times = [s.received for s in pool.sockets if s.received is not None]
    closed = sum(1 for s in pool.sockets if s.reader is None or s.reader.done())
    return times, list(pool.pushes.values()), len(pool.sockets) - len(times), closed


@dataclass(frozen=True)
class Cast:
    """One vote: when it was sent, when its answer was read, the status and the body."""

    sent: float
    acked: float
    status: int
    body: str


async def _answer(reader: asyncio.StreamReader) -> tuple[int, str]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
    length = int({k.lower(): v for k, v in headers.items()}.get("content-length", "0"))
    body = await reader.readexactly(length)
    return int(lines[0].split()[1]), body.decode()


async def _cast(host: str, port: int, request: bytes, release: float) -> Cast:
    await asyncio.sleep(max(0.0, release - time.monotonic()))
    sent = time.monotonic()
    try:
        async with asyncio.timeout(CAST_TIMEOUT):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            status, body = await _answer(reader)
        acked = time.monotonic()
        writer.close()
    except (OSError, ValueError, TimeoutError, asyncio.IncompleteReadError) as error:
        return Cast(sent, time.monotonic(), 0, f"{type(error).__name__}: {error}")
    return Cast(sent, acked, status, body)


async def burst(host: str, port: int, requests: list[bytes], releases: list[float]) -> Any:
    """Send each request on its own connection at its release time; every vote's Cast."""
    casts = [_cast(host, port, request, at) for request, at in zip(requests, releases, strict=True)]
    return await asyncio.gather(*casts)


def request(port: int, path: str, token: str, body: bytes) -> bytes:
    """An HTTP/1.1 POST of JSON; the connection closes after the answer, as a tablet's would
    once idle (uvicorn keeps an idle connection 5 s)."""
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


async def run(pipe: Connection) -> None:
    pools: dict[str, TallyPool] = {}
    while True:
        command, name, *args = await asyncio.to_thread(pipe.recv)
        pool = pools.setdefault(name, TallyPool())
        if command == "grow":
            answer = await fanout_clients.grow(pool, *args)
        elif command == "arm":
            pool.arm(*args)
            answer = "armed"
        elif command == "collect":
            answer = await collect(pool, *args)
        elif command == "close":
            answer = await fanout_clients.close(pool)
        elif command == "burst":
            answer = await burst(*args)
        elif command == "ready":
            answer = "ready"
        else:
            for each in pools.values():
                await fanout_clients.close(each)
            pipe.send("stopped")
            return
        pipe.send(answer)


def main(pipe: Connection) -> None:
    raise_open_files_limit()
    asyncio.run(run(pipe))


class Workers(fanout_clients.Workers):
    """Client processes running this module's commands (bench.fanout_clients' otherwise)."""

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.processes = []
        for _ in range(count):
            ours, theirs = context.Pipe()
            process = context.Process(target=main, args=(theirs,), daemon=True)
            process.start()
            self.pipes.append(ours)
            self.processes.append(process)

    def grow(self, name: str, url: str, tokens: list[str]) -> Any:  # type: ignore[override]
        """Open the sockets; each waits for its first message (the count), no compression."""
        return super().grow(name, url, tokens, True, False)
