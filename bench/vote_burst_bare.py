"""The baseline of bench.vote_burst: a bare Starlette app on the same server stack and database.

POST /votes inserts one row (a unique voter id) in one transaction, in a worker thread as the
app's API does, and answers 201 once it is committed. Every socket on /ws gets the count at
once and again after each commit; commits that land while the count is being sent are merged
into the next one, as the app's hub merges events. No authentication, no rules, no audit, no
templates: the same uvicorn settings as `meetings serve`, the same engine as the app's.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator

import uvicorn
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from bench.fanout_clients import raise_open_files_limit
from meetings.db import make_engine

metadata = MetaData()
votes = Table(
    "bench_bare_vote",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("voter_id", Integer, nullable=False, unique=True),
)


def tally(count: int, eligible: int) -> str:
    """The same markup the app's tally region carries (the part the watchers read)."""
    return (
        f'<section id="live-tally"><p class="live-tally-count">{count} / {eligible}</p>'
        f'<progress max="{eligible}" value="{count}"></progress></section>'
    )


class Room:
    """The sockets, and a flag that the count changed since it was last sent."""

    def __init__(self, engine: Engine, eligible: int) -> None:
        self.engine, self.eligible = engine, eligible
        self.sockets: set[WebSocket] = set()
        self.changed = asyncio.Event()

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(votes)).scalar_one())

    async def text(self) -> str:
        return tally(await run_in_threadpool(self.count), self.eligible)

    async def push(self) -> None:
        while True:
            await self.changed.wait()
            self.changed.clear()
            text = await self.text()
            for websocket in list(self.sockets):
                with contextlib.suppress(Exception):
                    await websocket.send_text(text)


def create_app(database_url: str, eligible: int) -> Starlette:
    engine = make_engine(database_url)
    room = Room(engine, eligible)

    def store(voter_id: int) -> None:
        with engine.begin() as connection:
            connection.execute(insert(votes).values(voter_id=voter_id))

    async def cast(request: Request) -> JSONResponse:
        wanted = await request.json()
        await run_in_threadpool(store, int(wanted["voter_id"]))
        room.changed.set()
        return JSONResponse({"voter_id": wanted["voter_id"], "receipt": None}, status_code=201)

    async def watch(websocket: WebSocket) -> None:
        await websocket.accept()
        room.sockets.add(websocket)
        try:
            await websocket.send_text(await room.text())
            with contextlib.suppress(WebSocketDisconnect):
                while True:
                    await websocket.receive_text()
        finally:
            room.sockets.discard(websocket)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        metadata.drop_all(engine)
        metadata.create_all(engine)
        pusher = asyncio.create_task(room.push())
        yield
        pusher.cancel()
        engine.dispose()

    routes = [
        Route("/healthz", lambda request: JSONResponse({"ok": True})),
        Route("/votes", cast, methods=["POST"]),
        WebSocketRoute("/ws", watch),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def main(port: int, database_url: str, eligible: int) -> None:
    raise_open_files_limit()
    uvicorn.run(
        create_app(database_url, eligible),
        host="127.0.0.1",
        port=port,
        ws="websockets-sansio",  # the settings of `meetings serve`
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
        ws_max_size=64 * 1024,
        ws_per_message_deflate=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
