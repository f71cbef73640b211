"""The live hub of one server process: meeting rooms, their sockets, and the fan-out.

Each meeting with at least one socket in this process has a room that listens on the meeting's
broadcast channel. For every event it renders the changed regions once per audience and language
and hands the same text to every socket of that group; each socket has its own bounded queue and
sender task, so a slow tablet never holds up the others. A socket whose queue is full is closed
(code 1013, "try again later"): its page reconnects and starts again from a fresh snapshot.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from starlette.websockets import WebSocket, WebSocketDisconnect

from meetings.live.broadcast import MemoryBroadcast, RedisBroadcast
from meetings.live.events import Event, channel, from_message

log = logging.getLogger(__name__)

QUEUE_SIZE = 32
RESYNC = 1013  # "try again later": you fell behind; htmx-ext-ws reconnects, gets a snapshot

HEARTBEAT = 30  # seconds between refreshes of this process's presence rows
PUSH_PAUSE_PER_SOCKET = 0.000125  # seconds of pause after a push, per socket of the room
PUSH_PAUSE_MAX = 0.25

# (meeting id, regions, audience, locale) -> HTML; called in a worker thread.
Renderer = Callable[[int, tuple[str, ...], str, str], str]


class Presence(Protocol):
    """Where the hub records its open sockets (meetings.live.presence, through the database)."""

    def join(self, meeting_id: int, user_id: int, socket: str, view: str) -> None: ...
    def leave(self, socket: str) -> None: ...
    def touch(self, sockets: list[str]) -> None: ...


@dataclass(eq=False)
class Client:
    """One open socket: who it is, and what is waiting to be sent to it."""

    websocket: WebSocket
    user_id: int
    audience: str
    locale: str
    queue: asyncio.Queue[str] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    dropped: bool = False
    sender: asyncio.Task[None] | None = None
    socket_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def offer(self, text: str) -> bool:
        """Queue text for sending; False when the socket is too far behind."""
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            return False
        return True

    async def send_queued(self) -> None:
        while True:
            text = await self.queue.get()
            await self.websocket.send_text(text)


@dataclass(eq=False)
class Room:
    meeting_id: int
    clients: set[Client] = field(default_factory=set)
    listening: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    # Events received so far, and the snapshots rendered since the last one, by (audience,
    # locale), with the count of events when each began: sockets joining between two events
    # share one rendering.
    events: int = 0
    snapshots: dict[tuple[str, str], tuple[int, asyncio.Future[str]]] = field(default_factory=dict)


def _changed(meeting_id: int, messages: list[str]) -> tuple[str, ...]:
    """The regions that the events in these channel messages change (malformed ones skipped)."""
    regions: tuple[str, ...] = ()
    for message in messages:
        event = from_message(message)
        if event is not None and event.meeting_id == meeting_id:
            regions = _merge(regions, event.regions)
    return regions


def _merge(first: tuple[str, ...], then: tuple[str, ...]) -> tuple[str, ...]:
    return first + tuple(name for name in then if name not in first)


class Hub:
    """The rooms of this process; events arrive through the broadcast backend."""

    def __init__(
        self,
        broadcast: MemoryBroadcast | RedisBroadcast,
        render: Renderer,
        presence: Presence | None = None,
    ) -> None:
        self.broadcast = broadcast
        self.render = render
        self.presence = presence
        self._loops: dict[asyncio.AbstractEventLoop, asyncio.Task[None] | None] = {}
        self.rooms: dict[int, Room] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self._publishing: set[asyncio.Task[None]] = set()
        self._in_threads: set[concurrent.futures.Future[Any]] = set()  # renders, presence
        self._threads: concurrent.futures.ThreadPoolExecutor | None = None

    async def start(self) -> None:
        """Begin serving on the running loop. A server has one; tests may start the same app
        from several loops at once, so each loop keeps its own heartbeat."""
        loop = self.loop = asyncio.get_running_loop()
        if self._threads is None:
            self._threads = concurrent.futures.ThreadPoolExecutor(4, "live-render")
        beat = asyncio.create_task(self._beat()) if self.presence is not None else None
        self._loops[loop] = beat

    async def stop(self) -> None:
        loop = asyncio.get_running_loop()
        beat = self._loops.pop(loop, None)
        if beat is not None:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat
        for meeting_id, room in list(self.rooms.items()):
            if room.task is not None and room.task.get_loop() is loop:
                room.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await room.task
                del self.rooms[meeting_id]
        if self.loop is loop:
            self.loop = next(iter(self._loops), None)
        if self._loops:
            return
        # A cancelled room leaves its rendering thread running: let it finish before the
        # engine it reads from is disposed.
        if self._in_threads:
            await asyncio.to_thread(concurrent.futures.wait, list(self._in_threads), 10)
        if self._threads is not None:
            self._threads.shutdown(wait=False)
            self._threads = None

    async def _beat(self) -> None:
        """Tell the presence store, now and then, that this process's sockets are alive."""
        while True:
            await asyncio.sleep(HEARTBEAT)
            loop = asyncio.get_running_loop()
            sockets = [
                client.socket_id
                for room in list(self.rooms.values())
                if room.task is not None and room.task.get_loop() is loop
                for client in room.clients
            ]
            await self._record("touch", sockets)

    def _in_thread(self, work: Callable[..., Any], *args: Any) -> asyncio.Future[Any] | None:
        """Database work off the event loop, tracked so that stop() waits for it before the
        engine is disposed (a cancelled caller leaves its thread running). None when stopped."""
        if self._threads is None:
            return None
        future = self._threads.submit(work, *args)
        self._in_threads.add(future)
        future.add_done_callback(self._in_threads.discard)
        return asyncio.wrap_future(future)

    async def _record(self, what: str, *args: Any) -> None:
        """A presence change; a failure is logged, never fatal to the socket."""
        done = self._in_thread(getattr(self.presence, what), *args) if self.presence else None
        if done is None:
            return
        try:
            await done
        except Exception:
            log.exception("live presence %s failed", what)

    async def _render(
        self, meeting_id: int, regions: tuple[str, ...], client_group: tuple[str, str]
    ) -> str:
        audience, locale = client_group
        done = self._in_thread(self.render, meeting_id, regions, audience, locale)
        return await done if done is not None else ""  # "": not started, or stopping

    # -- announcing ---------------------------------------------------------------------

    def announce(self, event: Event) -> None:
        """Publish a committed event; safe to call from any thread (rules run in threads)."""
        loop = self.loop
        if loop is None:
            return
        try:
            loop.call_soon_threadsafe(self._publish, event)
        except RuntimeError:  # the loop has closed: the server is stopping
            log.warning("live event %s for meeting %s not sent", event.kind, event.meeting_id)

    def _publish(self, event: Event) -> None:
        task = asyncio.ensure_future(
            self.broadcast.publish(channel(event.meeting_id), event.to_message())
        )
        self._publishing.add(task)  # keep a reference until it is done
        task.add_done_callback(self._publishing.discard)

    # -- sockets ------------------------------------------------------------------------

    async def serve(self, client: Client, meeting_id: int) -> None:
        """Run one accepted socket: join the room, send the snapshot, then push until it ends."""
        room = await self._join(client, meeting_id)
        sender = client.sender = asyncio.create_task(client.send_queued())
        try:
            snapshot = await self._snapshot(room, (client.audience, client.locale))
            if snapshot:
                client.offer(snapshot)
            # After the snapshot, so that the snapshot is always the first message.
            await self._record(
                "join", meeting_id, client.user_id, client.socket_id, client.audience
            )
            await self._receive_until_closed(client, sender)
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender
            await self._leave(client, room)
            # Shielded: a server cancelling the socket's task must not skip forgetting it.
            await asyncio.shield(self._record("leave", client.socket_id))
            if client.dropped:
                with contextlib.suppress(Exception):
                    await client.websocket.close(code=RESYNC)

    async def _receive_until_closed(self, client: Client, sender: asyncio.Task[None]) -> None:
        """Wait for the client to go away (or the sender to fail); incoming text is ignored:
        writes go over HTTP."""
        receiver = asyncio.create_task(self._drain(client.websocket))
        await asyncio.wait({receiver, sender}, return_when=asyncio.FIRST_COMPLETED)
        receiver.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await receiver

    @staticmethod
    async def _drain(websocket: WebSocket) -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                await websocket.receive_text()

    async def _join(self, client: Client, meeting_id: int) -> Room:
        room = self.rooms.get(meeting_id)
        if room is None:
            room = self.rooms[meeting_id] = Room(meeting_id)
            room.task = asyncio.create_task(self._listen(room))
        room.clients.add(client)
        # Subscribed before the snapshot is rendered: nothing can slip between the two.
        await room.listening.wait()
        return room

    async def _snapshot(self, room: Room, group: tuple[str, str]) -> str:
        """Every region, for a socket that has just joined. The regions depend only on the
        audience and the language, so the sockets that join between two events share one
        rendering (2,000 screens reconnecting after a restart cost a few); a rendering that an
        event overtook is not shared, and whoever waited for it renders afresh."""
        shared = room.snapshots.get(group)
        if shared is None or shared[0] != room.events:
            shared = (room.events, asyncio.ensure_future(self._render(room.meeting_id, (), group)))
            room.snapshots[group] = shared
        began, rendering = shared
        try:
            text = await asyncio.shield(rendering)
        except Exception:
            if room.snapshots.get(group) is shared:
                del room.snapshots[group]
            raise
        if began != room.events:
            return await self._render(room.meeting_id, (), group)
        return text

    async def _leave(self, client: Client, room: Room) -> None:
        room.clients.discard(client)
        if not room.clients and self.rooms.get(room.meeting_id) is room:
            del self.rooms[room.meeting_id]
            if room.task is not None:
                room.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await room.task

    async def _listen(self, room: Room) -> None:
        async with self.broadcast.subscribe(channel(room.meeting_id)) as messages:
            room.listening.set()
            while True:
                regions = _changed(room.meeting_id, [await messages.get()])
                # Events that came in while the last ones were being rendered are merged:
                # the regions render from the database as it stands, so once is enough.
                waiting = [messages.get_nowait() for _ in range(messages.qsize())]
                regions = _merge(regions, _changed(room.meeting_id, waiting))
                if not regions:
                    continue
                room.events += 1
                room.snapshots.clear()
                try:
                    await self._fan_out(room, regions)
                except Exception:
                    log.exception("live fan-out failed for meeting %s", room.meeting_id)
                # Leave the loop time to send what was just queued and to answer requests before
                # the next push: the pause grows with the room (0.25 s for 2,000 screens), and
                # what changes meanwhile is merged into that push.
                await asyncio.sleep(min(PUSH_PAUSE_MAX, PUSH_PAUSE_PER_SOCKET * len(room.clients)))

    async def _fan_out(self, room: Room, regions: tuple[str, ...]) -> None:
        """Render once per (audience, language); the same text to every socket of the group."""
        groups: dict[tuple[str, str], list[Client]] = {}
        for client in room.clients:
            groups.setdefault((client.audience, client.locale), []).append(client)
        for (audience, locale), clients in groups.items():
            text = await self._render(room.meeting_id, regions, (audience, locale))
            if not text:
                continue
            for client in clients:
                if not client.dropped and not client.offer(text):
                    await self._drop(client, room)

    async def _drop(self, client: Client, room: Room) -> None:
        """Too far behind: stop its sender; serve() then closes it with RESYNC."""
        client.dropped = True
        room.clients.discard(client)
        if client.sender is not None:
            client.sender.cancel()
