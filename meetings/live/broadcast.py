"""Broadcast backends for live events, chosen by URL: memory:// or redis://."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

import redis.asyncio as aioredis


class Broadcast(Protocol):
    """Publish text on a channel; subscribe to a channel's messages."""

    async def connect(self) -> None: ...
    async def disconnect(self) -> None: ...
    async def ping(self) -> bool: ...
    async def publish(self, channel: str, message: str) -> None: ...
    def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[str]]: ...


class MemoryBroadcast:
    """One process: subscribers are queues in this process."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[str]]] = defaultdict(set)

    async def connect(self) -> None:
        return None

    async def disconnect(self) -> None:
        self._queues.clear()

    async def ping(self) -> bool:
        return True

    async def publish(self, channel: str, message: str) -> None:
        for queue in list(self._queues.get(channel, ())):
            queue.put_nowait(message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[str]]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        self._queues[channel].add(queue)
        try:
            yield queue
        finally:
            self._queues[channel].discard(queue)


class RedisBroadcast:
    """Several workers or hosts: Redis pub/sub.

    Redis connections belong to the event loop that opened them, so each loop gets its own
    client (a server has one loop; tests may run several apps' loops side by side).
    """

    def __init__(self, url: str) -> None:
        self._url = url
        self._clients: dict[asyncio.AbstractEventLoop, aioredis.Redis] = {}

    def _redis(self) -> aioredis.Redis:
        loop = asyncio.get_running_loop()
        if loop not in self._clients:
            self._clients[loop] = aioredis.from_url(self._url, decode_responses=True)
        return self._clients[loop]

    async def connect(self) -> None:
        await self._redis().ping()

    async def disconnect(self) -> None:
        client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()

    async def ping(self) -> bool:
        try:
            return bool(await asyncio.wait_for(self._redis().ping(), timeout=2))
        except (OSError, aioredis.RedisError, TimeoutError):
            return False

    async def publish(self, channel: str, message: str) -> None:
        await self._redis().publish(channel, message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[str]]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        pubsub = self._redis().pubsub()
        await pubsub.subscribe(channel)

        async def pump() -> None:
            async for message in pubsub.listen():
                if message["type"] == "message":
                    queue.put_nowait(message["data"])

        task = asyncio.create_task(pump())
        try:
            yield queue
        finally:
            task.cancel()
            await pubsub.unsubscribe(channel)
            await pubsub.aclose()


def from_url(url: str) -> MemoryBroadcast | RedisBroadcast:
    if url.startswith(("redis://", "rediss://")):
        return RedisBroadcast(url)
    return MemoryBroadcast()
