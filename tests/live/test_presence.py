"""Who is connected to a meeting now: a person's first socket and last socket are announced, a
socket nobody refreshes stops counting after STALE and is swept away, and only committed changes
are ever announced."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from meetings.db import utcnow
from meetings.live import announce, presence
from meetings.live.events import Audience, PresenceChanged
from meetings.live.models import LivePresence
from tests.attendance.support import Scene, scene
from tests.factories import Factory
from tests.live.test_session_moves import heard, live_seq

TABLET, SCREEN, CONSOLE = Audience.tablet, Audience.screen, Audience.console


@pytest.fixture
def s(factory: Factory, db: Session) -> Scene:
    made = scene(factory, db)
    made.open()
    return made


def rows(db: Session) -> dict[str, LivePresence]:
    db.expire_all()
    return {row.socket: row for row in db.exec(select(LivePresence))}


def seen(db: Session, socket: str, at: datetime) -> None:
    """The socket was last refreshed at `at` (as if its process had stopped then)."""
    row = db.exec(select(LivePresence).where(LivePresence.socket == socket)).one()
    row.seen_at = at
    db.add(row)
    db.commit()


def gone(user_id: int | None, meeting_id: int | None, seq: int) -> PresenceChanged:
    return PresenceChanged(meeting_id=meeting_id or 0, seq=seq, user_id=user_id or 0)


def came(user_id: int | None, meeting_id: int | None, seq: int) -> PresenceChanged:
    return PresenceChanged(
        meeting_id=meeting_id or 0, seq=seq, user_id=user_id or 0, connected=True
    )


def test_a_persons_first_socket_is_announced_and_a_second_one_is_not(
    engine: Engine, db: Session, s: Scene
) -> None:
    member, meeting_id = s.members[0], s.meeting.id or 0
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        presence.join(db, meeting_id, member.id or 0, "tablet-1", TABLET)
        assert events == [came(member.id, meeting_id, before + 1)]
        presence.join(db, meeting_id, member.id or 0, "screen-1", SCREEN)
    assert len(events) == 1
    assert live_seq(db, s.meeting) == before + 1
    assert presence.connected(db, meeting_id) == {member.id: {TABLET, SCREEN}}


def test_each_person_is_announced_on_their_own(engine: Engine, db: Session, s: Scene) -> None:
    a, b, _ = s.members
    meeting_id = s.meeting.id or 0
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        presence.join(db, meeting_id, a.id or 0, "a-1", TABLET)
        presence.join(db, meeting_id, b.id or 0, "b-1", TABLET)
        presence.join(db, meeting_id, s.secretary.id or 0, "sec-1", CONSOLE)
    assert events == [
        came(a.id, meeting_id, before + 1),
        came(b.id, meeting_id, before + 2),
        came(s.secretary.id, meeting_id, before + 3),
    ]
    assert presence.connected(db, meeting_id) == {
        a.id: {TABLET},
        b.id: {TABLET},
        s.secretary.id: {CONSOLE},
    }


def test_only_the_last_socket_of_a_person_leaving_is_announced(
    engine: Engine, db: Session, s: Scene
) -> None:
    member, meeting_id = s.members[0], s.meeting.id or 0
    presence.join(db, meeting_id, member.id or 0, "tablet-1", TABLET)
    presence.join(db, meeting_id, member.id or 0, "screen-1", SCREEN)
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        presence.leave(db, "tablet-1")
        assert events == []
        assert presence.connected(db, meeting_id) == {member.id: {SCREEN}}
        presence.leave(db, "screen-1")
    assert events == [gone(member.id, meeting_id, before + 1)]
    assert presence.connected(db, meeting_id) == {}
    assert rows(db) == {}


def test_leaving_with_an_unknown_socket_changes_nothing(
    engine: Engine, db: Session, s: Scene
) -> None:
    presence.join(db, s.meeting.id or 0, s.members[0].id or 0, "tablet-1", TABLET)
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        presence.leave(db, "never-opened")
        presence.leave(db, "tablet-1")
        presence.leave(db, "tablet-1")  # closed twice
    assert [e.seq for e in events] == [before + 1]
    assert live_seq(db, s.meeting) == before + 1


def test_a_socket_nobody_refreshes_stops_counting_after_stale(db: Session, s: Scene) -> None:
    a, b, _ = s.members
    meeting_id = s.meeting.id or 0
    presence.join(db, meeting_id, a.id or 0, "a-1", TABLET)
    presence.join(db, meeting_id, b.id or 0, "b-1", TABLET)
    seen(db, "a-1", utcnow() - presence.STALE - timedelta(seconds=5))
    seen(db, "b-1", utcnow() - presence.STALE + timedelta(seconds=30))  # still fresh
    assert presence.connected(db, meeting_id) == {b.id: {TABLET}}
    assert set(rows(db)) == {"a-1", "b-1"}  # kept until swept


def test_coming_back_after_going_stale_is_announced_again(
    engine: Engine, db: Session, s: Scene
) -> None:
    member, meeting_id = s.members[0], s.meeting.id or 0
    presence.join(db, meeting_id, member.id or 0, "old", TABLET)
    seen(db, "old", utcnow() - presence.STALE - timedelta(minutes=1))
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        presence.join(db, meeting_id, member.id or 0, "new", TABLET)
    assert events == [came(member.id, meeting_id, before + 1)]


def test_leaving_the_last_fresh_socket_is_announced_even_with_a_stale_one_left(
    engine: Engine, db: Session, s: Scene
) -> None:
    member, meeting_id = s.members[0], s.meeting.id or 0
    presence.join(db, meeting_id, member.id or 0, "old", TABLET)
    presence.join(db, meeting_id, member.id or 0, "new", SCREEN)
    seen(db, "old", utcnow() - presence.STALE - timedelta(minutes=1))
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        presence.leave(db, "new")
    assert events == [gone(member.id, meeting_id, before + 1)]
    assert presence.connected(db, meeting_id) == {}


def test_touch_refreshes_only_the_sockets_named(db: Session, s: Scene) -> None:
    meeting_id = s.meeting.id or 0
    long_ago = utcnow() - presence.STALE - timedelta(minutes=5)
    for n, member in enumerate(s.members):
        presence.join(db, meeting_id, member.id or 0, f"tablet-{n}", TABLET)
        seen(db, f"tablet-{n}", long_ago)
    before = live_seq(db, s.meeting)
    presence.touch(db, ["tablet-0", "tablet-2", "not-ours"])
    presence.touch(db, [])
    assert presence.connected(db, meeting_id) == {
        s.members[0].id: {TABLET},
        s.members[2].id: {TABLET},
    }
    kept = rows(db)
    assert kept["tablet-1"].seen_at == long_ago
    assert kept["tablet-0"].seen_at > long_ago + presence.STALE
    assert live_seq(db, s.meeting) == before  # refreshing announces nothing


def test_sweep_forgets_stale_sockets_and_announces_who_is_gone(
    engine: Engine, factory: Factory, db: Session, s: Scene
) -> None:
    other = scene(factory, db)
    other.open()
    a, b, c = s.members
    here, there = s.meeting.id or 0, other.meeting.id or 0
    presence.join(db, here, a.id or 0, "a-old", TABLET)
    presence.join(db, here, b.id or 0, "b-old", TABLET)
    presence.join(db, here, b.id or 0, "b-new", SCREEN)  # b is still connected
    presence.join(db, here, c.id or 0, "c-new", TABLET)
    presence.join(db, there, other.members[0].id or 0, "x-old", TABLET)
    long_ago = utcnow() - presence.STALE - timedelta(minutes=1)
    for socket in ("a-old", "b-old", "x-old"):
        seen(db, socket, long_ago)
    here_before, there_before = live_seq(db, s.meeting), live_seq(db, other.meeting)
    with heard(engine) as events:
        assert presence.sweep(db) == 3
    assert sorted(events, key=lambda e: e.meeting_id) == [
        gone(a.id, here, here_before + 1),
        gone(other.members[0].id, there, there_before + 1),
    ]
    assert set(rows(db)) == {"b-new", "c-new"}
    assert presence.connected(db, here) == {b.id: {SCREEN}, c.id: {TABLET}}


def test_sweep_with_nothing_stale_does_nothing(engine: Engine, db: Session, s: Scene) -> None:
    presence.join(db, s.meeting.id or 0, s.members[0].id or 0, "tablet-1", TABLET)
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        assert presence.sweep(db) == 0
    assert events == []
    assert set(rows(db)) == {"tablet-1"}
    assert live_seq(db, s.meeting) == before


def test_sweep_at_a_given_time_uses_that_time(engine: Engine, db: Session, s: Scene) -> None:
    member, meeting_id = s.members[0], s.meeting.id or 0
    presence.join(db, meeting_id, member.id or 0, "tablet-1", TABLET)
    last = rows(db)["tablet-1"].seen_at
    assert presence.sweep(db, now=last + presence.STALE) == 0  # exactly STALE: still counts
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        later = last + presence.STALE + timedelta(milliseconds=1)
        assert presence.sweep(db, now=later) == 1
    assert events == [gone(member.id, meeting_id, before + 1)]
    assert rows(db) == {}


def test_a_rolled_back_change_is_never_announced(engine: Engine, db: Session, s: Scene) -> None:
    a, b, c = s.members
    meeting_id = s.meeting.id or 0
    presence.join(db, meeting_id, a.id or 0, "tablet-1", TABLET)
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        with pytest.raises(IntegrityError):  # the socket id is taken
            presence.join(db, meeting_id, b.id or 0, "tablet-1", TABLET)
        db.rollback()
        announce.queue(db, PresenceChanged, meeting_id, user_id=b.id or 0, connected=True)
        db.rollback()
        assert events == []
        assert live_seq(db, s.meeting) == before
        presence.join(db, meeting_id, c.id or 0, "tablet-3", TABLET)
    # The next commit of the same session carries only its own event, numbered next.
    assert events == [came(c.id, meeting_id, before + 1)]
    assert presence.connected(db, meeting_id) == {a.id: {TABLET}, c.id: {TABLET}}


def test_the_hubs_store_announces_through_its_engine(engine: Engine, db: Session, s: Scene) -> None:
    store = presence.Store(engine)
    member, meeting_id = s.members[0], s.meeting.id or 0
    before = live_seq(db, s.meeting)
    with heard(engine) as events:
        store.join(meeting_id, member.id or 0, "tablet-1", TABLET)
        store.touch(["tablet-1"])
        store.leave("tablet-1")
    assert events == [
        came(member.id, meeting_id, before + 1),
        gone(member.id, meeting_id, before + 2),
    ]
    assert rows(db) == {}


def test_only_the_sockets_of_this_meeting_are_connected_to_it(
    factory: Factory, db: Session, s: Scene
) -> None:
    other = scene(factory, db)
    presence.join(db, other.meeting.id or 0, s.members[0].id or 0, "elsewhere", TABLET)
    assert presence.connected(db, s.meeting.id or 0) == {}
    assert list(db.exec(select(LivePresence.socket).where(col(LivePresence.view) == TABLET))) == [
        "elsewhere"
    ]
