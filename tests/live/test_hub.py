"""The hub's fan-out: one rendering per audience and language, order kept, slow sockets dropped.

The sockets here are small in-memory peers (they record what they are sent, and one of them
never reads): the point is the hub's own queueing, which a real network would only make slower
to show. The broadcast backend is the real one the run is configured with.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from dataclasses import fields
from pathlib import Path

from meetings.live import events
from meetings.live.broadcast import from_url
from meetings.live.events import AttendanceChanged, Audience
from meetings.live.hub import QUEUE_SIZE, RESYNC, Client, Hub
from meetings.live.regions import REGIONS

BROADCAST_URL = os.environ.get("MEETINGS_TEST_BROADCAST_URL", "memory://")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "live.md"


class Peer:
    """A socket's far end: keeps what it is sent; a stuck one never takes anything."""

    def __init__(self, stuck: bool = False) -> None:
        self.sent: list[str] = []
        self.stuck = stuck
        self.closed_with: int | None = None
        self.gone = asyncio.Event()

    async def send_text(self, text: str) -> None:
        if self.stuck:
            await asyncio.Event().wait()  # the network never drains
        self.sent.append(text)

    async def receive_text(self) -> str:
        await self.gone.wait()
        raise ConnectionError

    async def close(self, code: int = 1000) -> None:
        self.closed_with = code
        self.gone.set()


def run(test) -> None:  # type: ignore[no-untyped-def]
    asyncio.run(asyncio.wait_for(test(), timeout=20))


async def until(check, timeout: float = 5) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(timeout / 0.01)):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not reached in time")


def hub_with_counter() -> tuple[Hub, list[tuple[str, str]]]:
    rendered: list[tuple[str, str]] = []

    def render(meeting_id: int, regions: tuple[str, ...], audience: str, locale: str) -> str:
        rendered.append((audience, locale))
        return f"<div id='r'>{meeting_id}:{audience}:{locale}:{len(rendered)}</div>"

    return Hub(from_url(BROADCAST_URL), render), rendered


def test_one_rendering_per_audience_and_language_the_same_text_to_all() -> None:
    async def scenario() -> None:
        hub, rendered = hub_with_counter()
        await hub.broadcast.connect()
        await hub.start()
        peers = [Peer() for _ in range(6)]
        groups = [Audience.tablet] * 3 + [Audience.console] * 2 + [Audience.tablet]
        locales = ["vi", "vi", "vi", "vi", "vi", "en"]
        clients = [
            Client(peer, n, audience, locale)  # type: ignore[arg-type]
            for n, (peer, audience, locale) in enumerate(zip(peers, groups, locales, strict=True))
        ]
        tasks = [asyncio.create_task(hub.serve(c, 7)) for c in clients]
        await until(lambda: all(p.sent for p in peers))  # every snapshot is out
        rendered.clear()
        hub.announce(AttendanceChanged(meeting_id=7, seq=1))
        await until(lambda: all(len(p.sent) == 2 for p in peers))
        assert sorted(rendered) == [("console", "vi"), ("tablet", "en"), ("tablet", "vi")]
        assert len({p.sent[1] for p in peers[:3]}) == 1  # same bytes to the same group
        for peer in peers:
            await peer.close()
        await asyncio.gather(*tasks)
        assert hub.rooms == {}
        await hub.stop()
        await hub.broadcast.disconnect()

    run(scenario)


def test_events_that_come_while_rendering_are_merged_and_the_last_push_is_the_latest() -> None:
    async def scenario() -> None:
        state = {"n": 0}
        renders: list[tuple[str, ...]] = []

        def render(meeting_id: int, regions: tuple[str, ...], audience: str, locale: str) -> str:
            renders.append(regions)
            seen = state["n"]
            time.sleep(0.05)  # a rendering takes a while: events pile up meanwhile
            return f"<div id='r'>{seen}</div>"

        hub = Hub(from_url(BROADCAST_URL), render)
        await hub.broadcast.connect()
        await hub.start()
        peer = Peer()
        task = asyncio.create_task(hub.serve(Client(peer, 1, "tablet", "vi"), 8))  # type: ignore[arg-type]
        await until(lambda: peer.sent)
        renders.clear()
        for seq in range(1, 21):
            state["n"] = seq  # the "database" changes, then the change is announced
            event = AttendanceChanged if seq % 2 else events.FloorChanged
            hub.announce(event(meeting_id=8, seq=seq))
            await asyncio.sleep(0.005)
        await until(lambda: peer.sent[-1] == "<div id='r'>20</div>")
        numbers = [int(text.split(">")[1].split("<")[0]) for text in peer.sent[1:]]
        assert numbers == sorted(numbers), "never an older state after a newer one"
        assert len(renders) < 20, "events that came while rendering were merged"
        assert ("quorum", "floor", "speaker") in renders or (
            "floor",
            "speaker",
            "quorum",
        ) in renders
        await peer.close()
        await task
        await hub.stop()
        await hub.broadcast.disconnect()

    run(scenario)


def test_sockets_joining_between_two_events_share_one_snapshot() -> None:
    async def scenario() -> None:
        hub, rendered = hub_with_counter()
        await hub.broadcast.connect()
        await hub.start()
        peers = [Peer() for _ in range(5)]
        tasks = [
            asyncio.create_task(hub.serve(Client(peer, n, "screen", "vi"), 9))  # type: ignore[arg-type]
            for n, peer in enumerate(peers[:4])
        ]
        await until(lambda: all(p.sent for p in peers[:4]))
        assert rendered == [("screen", "vi")], "four screens, one rendering"
        assert len({p.sent[0] for p in peers[:4]}) == 1
        hub.announce(AttendanceChanged(meeting_id=9, seq=1))
        await until(lambda: all(len(p.sent) == 2 for p in peers[:4]))
        tasks.append(asyncio.create_task(hub.serve(Client(peers[4], 5, "screen", "vi"), 9)))  # type: ignore[arg-type]
        await until(lambda: peers[4].sent)
        assert len(rendered) == 3, "after the event, a fresh snapshot"
        assert peers[4].sent[0] != peers[0].sent[0]
        for peer in peers:
            await peer.close()
        await asyncio.gather(*tasks)
        await hub.stop()
        await hub.broadcast.disconnect()

    run(scenario)


def test_a_snapshot_overtaken_by_an_event_is_rendered_again() -> None:
    async def scenario() -> None:
        state = {"n": 0, "slow": True}
        reading, release = threading.Event(), threading.Event()

        def render(meeting_id: int, regions: tuple[str, ...], audience: str, locale: str) -> str:
            seen = state["n"]
            if state["slow"] and not regions:
                state["slow"] = False  # the first snapshot reads the old state, then waits
                reading.set()
                release.wait(5)
            return f"<div id='r'>{seen}</div>"

        hub = Hub(from_url(BROADCAST_URL), render)
        await hub.broadcast.connect()
        await hub.start()
        watcher, joiner = Peer(), Peer()
        first = asyncio.create_task(hub.serve(Client(watcher, 1, "screen", "vi"), 10))  # type: ignore[arg-type]
        await until(reading.is_set)
        late = Client(joiner, 2, "screen", "vi")  # type: ignore[arg-type]
        second = asyncio.create_task(hub.serve(late, 10))
        await until(lambda: late.sender is not None)  # it waits on the same rendering now
        state["n"] = 1
        hub.announce(AttendanceChanged(meeting_id=10, seq=1))
        await until(lambda: watcher.sent and joiner.sent)  # the push, while the snapshot waits
        release.set()
        # Each gets the push and its snapshot, and both show the new state.
        await until(lambda: len(watcher.sent) == len(joiner.sent) == 2)
        assert watcher.sent == joiner.sent == ["<div id='r'>1</div>"] * 2
        for peer in (watcher, joiner):
            await peer.close()
        await asyncio.gather(first, second)
        await hub.stop()
        await hub.broadcast.disconnect()

    run(scenario)


def test_a_socket_that_stops_reading_is_dropped_and_the_others_go_on() -> None:
    async def scenario() -> None:
        hub, _ = hub_with_counter()
        await hub.broadcast.connect()
        await hub.start()
        stuck, fine = Peer(stuck=True), Peer()
        stuck_task = asyncio.create_task(hub.serve(Client(stuck, 1, "tablet", "vi"), 9))  # type: ignore[arg-type]
        fine_task = asyncio.create_task(hub.serve(Client(fine, 2, "tablet", "vi"), 9))  # type: ignore[arg-type]
        await until(lambda: fine.sent)
        for seq in range(1, QUEUE_SIZE + 5):
            # One at a time (events that pile up are merged into one push).
            hub.announce(AttendanceChanged(meeting_id=9, seq=seq))
            await until(lambda seq=seq: len(fine.sent) == seq + 1)
        await until(lambda: stuck.closed_with == RESYNC)
        await stuck_task
        await until(lambda: len(fine.sent) == QUEUE_SIZE + 5)
        assert [c.user_id for c in hub.rooms[9].clients] == [2]
        await fine.close()
        await fine_task
        await hub.stop()
        await hub.broadcast.disconnect()

    run(scenario)


def test_every_event_is_documented_and_numbered() -> None:
    documented = DOCS.read_text(encoding="utf-8")
    for kind, cls in events.EVENTS.items():
        assert cls.__doc__, f"{cls.__name__} needs a docstring"
        assert "seq" in {f.name for f in fields(cls)}
        assert f"`{kind}`" in documented, f"{kind} is missing from docs/live.md"
        assert set(cls.regions) <= set(REGIONS), f"{kind} names an unknown region"
        again = events.from_message(cls(meeting_id=3, seq=5).to_message())
        assert again == cls(meeting_id=3, seq=5)
    assert events.from_message("not json") is None
    assert events.from_message('{"kind": "unknown", "meeting_id": 1}') is None
