"""The client side of bench.fanout: worker processes, each holding many websocket connections.

Each worker runs one asyncio loop with its share of the connections and obeys commands from the
parent over a pipe: open more connections, arm a round, report when every connection has
received a message since it was armed (the receive times, from `time.monotonic()`, which on
Linux is CLOCK_MONOTONIC and the same clock in every process), count those still open, close.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import multiprocessing
import resource
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

OPEN_AT_ONCE = 50  # per worker: keeps the server's accept backlog short


def raise_open_files_limit() -> int:
    """Raise this process's soft limit on open files to the hard limit; return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


@dataclass(eq=False)
class Socket:
    """One client connection and when it last heard something in the armed round."""

    ws: ClientConnection
    received: float | None = None
    digest: str = ""
    reader: asyncio.Task[None] | None = None


@dataclass
class Pool:
    """The connections of one server (the app's, or the bare one's) in this worker."""

    sockets: list[Socket] = field(default_factory=list)
    marker: str | None = None  # None: not armed
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    waiting: int = 0
    sample: str = ""  # a message the armed round brought

    def arm(self, marker: str) -> None:
        for sock in self.sockets:
            sock.received, sock.digest = None, ""
        self.marker, self.waiting, self.sample = marker, len(self.sockets), ""
        self.arrived = asyncio.Event()
        if not self.waiting:
            self.arrived.set()

    def heard(self, sock: Socket, message: str | bytes) -> None:
        now = time.monotonic()
        text = message if isinstance(message, str) else message.decode()
        if self.marker is None or sock.received is not None or self.marker not in text:
            return
        sock.received, sock.digest = now, hashlib.sha256(text.encode()).hexdigest()[:16]
        self.sample = self.sample or text
        self.waiting -= 1
        if self.waiting == 0:
            self.arrived.set()


async def _read(pool: Pool, sock: Socket) -> None:
    with contextlib.suppress(WebSocketException, OSError):
        async for message in sock.ws:
            pool.heard(sock, message)


async def _open_one(
    url: str, headers: dict[str, str], snapshot: bool, deflate: bool
) -> ClientConnection:
    ws = await connect(
        url,
        additional_headers=headers,
        compression="deflate" if deflate else None,
        open_timeout=60,
        ping_interval=None,  # the server pings; a tablet only answers
        max_size=1 << 20,
    )
    if snapshot:  # the app sends the regions first: the socket has joined its room
        await asyncio.wait_for(ws.recv(), 60)
    return ws


async def grow(pool: Pool, url: str, tokens: list[str], snapshot: bool, deflate: bool) -> Any:
    """Open one connection per token; (opened, first errors)."""
    gate = asyncio.Semaphore(OPEN_AT_ONCE)
    errors: list[str] = []

    async def one(token: str) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with gate:
            try:
                ws = await _open_one(url, headers, snapshot, deflate)
            except (OSError, WebSocketException, TimeoutError) as error:
                errors.append(f"{type(error).__name__}: {error}")
                return
        sock = Socket(ws)
        sock.reader = asyncio.create_task(_read(pool, sock))
        pool.sockets.append(sock)

    before = len(pool.sockets)
    await asyncio.gather(*(one(token) for token in tokens))
    return len(pool.sockets) - before, errors[:3], len(errors)


async def collect(pool: Pool, timeout: float) -> Any:
    """The armed round's receive times, message digests, how many never received, a sample."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(pool.arrived.wait(), timeout)
    pool.marker = None
    times = [s.received for s in pool.sockets if s.received is not None]
    digests = sorted({s.digest for s in pool.sockets if s.received is not None})
    return times, digests, len(pool.sockets) - len(times), pool.sample


async def close(pool: Pool) -> Any:
    await asyncio.gather(*(s.ws.close() for s in pool.sockets), return_exceptions=True)
    pool.sockets.clear()
    return 0


async def run(pipe: Connection) -> None:
    pools: dict[str, Pool] = {}
    while True:
        command, name, *args = await asyncio.to_thread(pipe.recv)
        pool = pools.setdefault(name, Pool())
        if command == "grow":
            answer = await grow(pool, *args)
        elif command == "arm":
            pool.arm(*args)
            answer = "armed"
        elif command == "collect":
            answer = await collect(pool, *args)
        elif command == "open":
            answer = sum(1 for s in pool.sockets if s.reader is not None and not s.reader.done())
        elif command == "close":
            answer = await close(pool)
        else:
            for each in pools.values():
                await close(each)
            pipe.send("stopped")
            return
        pipe.send(answer)


def main(pipe: Connection) -> None:
    raise_open_files_limit()
    asyncio.run(run(pipe))


class Workers:
    """The client processes, commanded together; each gets its share of the connections."""

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

    def ask(self, *command: Any, each: list[tuple[Any, ...]] | None = None) -> list[Any]:
        """Send the command to every worker (with its own extra arguments), gather answers."""
        for n, pipe in enumerate(self.pipes):
            pipe.send(command + (each[n] if each else ()))
        return [pipe.recv() for pipe in self.pipes]

    def grow(self, name: str, url: str, tokens: list[str], snapshot: bool, deflate: bool) -> Any:
        shares = [(tokens[n :: len(self.pipes)], snapshot, deflate) for n in range(len(self.pipes))]
        answers = self.ask("grow", name, url, each=shares)
        errors = [e for _, first, _ in answers for e in first]
        return sum(a[0] for a in answers), sum(a[2] for a in answers), errors[:3]

    def stop(self) -> None:
        with contextlib.suppress(OSError, EOFError):
            self.ask("stop", "")
        for process in self.processes:
            process.join(10)
            if process.is_alive():
                process.kill()
