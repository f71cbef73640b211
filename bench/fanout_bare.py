"""The baseline of bench.fanout: a bare server written with the websockets library.

It keeps every connection on /, and on each text message from a connection on /control it
broadcasts that text, unchanged, to all of them with `websockets.broadcast`: no admission, no
database, no rendering, no queues. Its compression settings are the library's defaults, the same
as uvicorn's websockets-sansio protocol (permessage-deflate, 12-bit windows, memLevel 5).
"""

from __future__ import annotations

import asyncio
import sys

from websockets import broadcast
from websockets.asyncio.server import ServerConnection, serve

from bench.fanout_clients import raise_open_files_limit


async def main(port: int) -> None:
    listeners: set[ServerConnection] = set()

    async def handler(ws: ServerConnection) -> None:
        if ws.request is not None and ws.request.path == "/control":
            async for message in ws:
                broadcast(listeners, message)
                await ws.send("sent")
            return
        listeners.add(ws)
        try:
            await ws.wait_closed()
        finally:
            listeners.discard(ws)

    async with serve(handler, "127.0.0.1", port, ping_interval=20, ping_timeout=20, backlog=2048):
        await asyncio.Future()


if __name__ == "__main__":
    raise_open_files_limit()
    asyncio.run(main(int(sys.argv[1])))
