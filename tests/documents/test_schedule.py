"""Publication at a set time: the secretariat's page, the due-drafts job, the runner in the
server and `meetings jobs` as its own process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from meetings import config as config_module
from meetings.archive.audit import Actor
from meetings.archive.models import AuditEntry
from meetings.config import Config
from meetings.db import utcnow
from meetings.documents import actions
from meetings.documents.models import Document
from meetings.notifications.models import Notification
from meetings.web.app import create_app
from tests.attendance.support import Scene, log_in, scene
from tests.client import Client
from tests.documents.support import pdf, upload
from tests.factories import Factory

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # the test organisations' zone


@pytest.fixture
def s(factory: Factory, db: Session, client: Client) -> Scene:
    made = scene(factory, db, members=2)
    log_in(client, made.secretary)
    return made


def add(client: Client, s: Scene, title: str) -> int:
    response = upload(
        client, s.url("/documents/upload"), pdf(title), f"{title}.pdf", params={"title": title}
    )
    assert response.status_code == 201, response.text
    return int(response.json()["document_id"])


def document(db: Session, document_id: int) -> Document:
    db.expire_all()
    found = db.get(Document, document_id)
    assert found is not None
    return found


def local(at: datetime, seconds: bool = False) -> str:
    """What a datetime-local input sends for a UTC time, in the organisation's zone."""
    return at.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M" + (":%S" if seconds else ""))


def audit(db: Session, action: str) -> list[AuditEntry]:
    db.expire_all()
    return list(db.exec(select(AuditEntry).where(AuditEntry.action == action)))


def told(db: Session) -> list[int | None]:
    db.expire_all()
    query = select(Notification.user_id).where(Notification.kind == "documents_published")
    return list(db.exec(query))


def in_future(hours: int = 3) -> datetime:
    return (utcnow() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def schedule_due(db: Session, s: Scene, document_id: int, minutes_ago: int = 1) -> None:
    """Set a time that has already come (the rule takes `now`, so a past time can be set)."""
    at = utcnow() - timedelta(minutes=minutes_ago)
    found = document(db, document_id)
    actions.schedule(db, s.meeting, [found], actor=actor(s), at=at, now=at - timedelta(minutes=1))


def actor(s: Scene) -> Actor:
    return Actor(s.secretary.id, "test", s.org.id)


# -- the page --------------------------------------------------------------------------------


def test_a_draft_is_scheduled_in_the_organisations_time_and_shows_when(
    client: Client, db: Session, s: Scene
) -> None:
    first = add(client, s, "Báo cáo")
    at = in_future()
    response = client.submit(s.url(f"/documents/{first}/schedule"), {"publish_at": local(at)})
    assert response.status_code == 303
    assert document(db, first).publish_at == at
    assert document(db, first).published_at is None
    page = client.get(s.url("/documents")).text
    assert "Scheduled for" in page and "Cancel schedule" in page and "Publish now" in page
    assert "will be published at" in page
    assert [entry.object_id for entry in audit(db, "document.scheduled")] == [str(first)]


def test_to_htmx_scheduling_answers_with_the_documents_line(
    client: Client, db: Session, s: Scene
) -> None:
    first = add(client, s, "Báo cáo")
    response = client.htmx(
        "POST", s.url(f"/documents/{first}/schedule"), data={"publish_at": local(in_future())}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(
        f'<li class="document document-draft" id="document-{first}"'
    )
    assert "Scheduled for" in response.text and "will be published at" in response.text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Choose the date and time of publication."),
        ("tomorrow morning", "Give the date and time, for example 22/11/2026 08:30."),
        ("2026-13-45T08:00", "Give the date and time, for example 22/11/2026 08:30."),
        ("1999-12-31T08:00", "Give the date and time, for example 22/11/2026 08:30."),
        ("past", "Choose a time in the future, or publish now."),
    ],
)
def test_a_malformed_or_past_time_is_refused_at_its_field_and_nothing_changes(
    client: Client, db: Session, s: Scene, typed: str, message: str
) -> None:
    first = add(client, s, "Báo cáo")
    if typed == "past":
        typed = local(utcnow() - timedelta(minutes=5))
    response = client.submit(s.url(f"/documents/{first}/schedule"), {"publish_at": typed})
    assert response.status_code == 422
    assert f'<p class="field-error" id="publish-at-{first}-error">{message}</p>' in response.text
    assert f'value="{typed}"' in response.text  # what was typed stays in the field
    assert document(db, first).publish_at is None
    assert audit(db, "document.scheduled") == []


def test_to_htmx_a_refused_time_answers_the_line_with_the_message(client: Client, s: Scene) -> None:
    first = add(client, s, "Báo cáo")
    response = client.htmx("POST", s.url(f"/documents/{first}/schedule"), data={"publish_at": "x"})
    assert response.status_code == 422
    assert response.text.lstrip().startswith("<li")
    assert "for example 22/11/2026 08:30" in response.text


def test_cancelling_the_schedule_keeps_the_draft(client: Client, db: Session, s: Scene) -> None:
    first = add(client, s, "Báo cáo")
    client.submit(s.url(f"/documents/{first}/schedule"), {"publish_at": local(in_future())})
    response = client.submit(s.url(f"/documents/{first}/unschedule"))
    assert response.status_code == 303
    found = document(db, first)
    assert found.publish_at is None and found.published_at is None
    assert "Scheduled for" not in client.get(s.url("/documents")).text
    assert len(audit(db, "document.unscheduled")) == 1


def test_publishing_now_a_scheduled_draft_clears_its_time(
    client: Client, db: Session, s: Scene
) -> None:
    first = add(client, s, "Báo cáo")
    client.submit(s.url(f"/documents/{first}/schedule"), {"publish_at": local(in_future())})
    assert client.submit(s.url(f"/documents/{first}/publish")).status_code == 303
    found = document(db, first)
    assert found.published_at is not None and found.publish_at is None


def test_all_drafts_are_scheduled_at_once_and_others_are_left_alone(
    client: Client, db: Session, s: Scene
) -> None:
    drafts = [add(client, s, f"Nháp {n}") for n in range(2)]
    published, withdrawn = add(client, s, "Đã công bố"), add(client, s, "Đã rút")
    client.submit(s.url(f"/documents/{published}/publish"))
    client.submit(s.url(f"/documents/{withdrawn}/withdraw"))
    at = in_future()
    response = client.htmx("POST", s.url("/documents/schedule"), data={"publish_at": local(at)})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="document-list"')
    assert "2 documents will be published at" in response.text
    assert [document(db, i).publish_at for i in drafts] == [at, at]
    assert document(db, published).publish_at is None
    assert document(db, withdrawn).publish_at is None


def test_all_drafts_with_a_past_time_is_refused_and_nothing_changes(
    client: Client, db: Session, s: Scene
) -> None:
    first = add(client, s, "Nháp")
    past = local(utcnow() - timedelta(hours=1))
    response = client.submit(s.url("/documents/schedule"), {"publish_at": past})
    assert response.status_code == 422
    assert 'id="publish-at-all-error">Choose a time in the future' in response.text
    assert document(db, first).publish_at is None


def test_a_member_gets_403_and_another_organisation_404_when_scheduling(
    client: Client, other_client: Client, factory: Factory, db: Session, s: Scene
) -> None:
    first = add(client, s, "Báo cáo")
    urls = [s.url(f"/documents/{first}/schedule"), s.url(f"/documents/{first}/unschedule")]
    urls.append(s.url("/documents/schedule"))
    log_in(other_client, s.members[0])
    data = {"publish_at": local(in_future())}
    assert {other_client.submit(url, data).status_code for url in urls} == {403}
    other_client.post("/logout", data={"csrf_token": other_client.csrf()})
    log_in(other_client, factory.user(organisation=factory.organisation(), role="secretary"))
    assert {other_client.submit(url, data).status_code for url in urls} == {404}
    assert document(db, first).publish_at is None


# -- the job -------------------------------------------------------------------------------


def test_publish_due_publishes_only_due_drafts_once_and_tells_the_participants(
    client: Client, db: Session, s: Scene
) -> None:
    due, later = add(client, s, "Đến giờ"), add(client, s, "Chưa đến giờ")
    now = utcnow()
    actions.schedule(
        db,
        s.meeting,
        [document(db, due)],
        actor=actor(s),
        at=now + timedelta(minutes=10),
        now=now,
    )
    actions.schedule(
        db, s.meeting, [document(db, later)], actor=actor(s), at=now + timedelta(hours=2)
    )
    assert actions.publish_due(db, now=now + timedelta(minutes=9)) == 0
    assert actions.publish_due(db, now=now + timedelta(minutes=11)) == 1
    assert actions.publish_due(db, now=now + timedelta(minutes=12)) == 0  # never twice
    assert document(db, due).published_at is not None
    assert document(db, due).publish_at is None
    assert document(db, later).published_at is None
    members = {m.id for m in s.members}
    assert members <= set(told(db)) and len(told(db)) == len(set(told(db)))
    entries = audit(db, "document.published")
    assert [(e.object_id, e.actor_id) for e in entries] == [(str(due), None)]
    assert "Đến giờ" in _shelf_page(client, s)


def _shelf_page(client: Client, s: Scene) -> str:
    return client.get(s.url()).text


def test_withdrawn_and_already_published_documents_are_not_touched(
    client: Client, db: Session, s: Scene
) -> None:
    withdrawn, published = add(client, s, "Đã rút"), add(client, s, "Đã công bố")
    schedule_due(db, s, withdrawn)
    schedule_due(db, s, published)
    client.submit(s.url(f"/documents/{withdrawn}/withdraw"))
    client.submit(s.url(f"/documents/{published}/publish"))
    first_published = document(db, published).published_at
    before = len(told(db))
    assert actions.publish_due(db, now=utcnow()) == 0
    assert document(db, withdrawn).published_at is None
    assert document(db, published).published_at == first_published
    assert len(told(db)) == before


def test_a_worker_holding_a_stale_copy_does_not_publish_again(
    client: Client, engine: Engine, db: Session, s: Scene
) -> None:
    first = add(client, s, "Báo cáo")
    schedule_due(db, s, first)
    with Session(engine, expire_on_commit=False) as slow:
        stale = slow.get(Document, first)  # read before the other worker publishes it
        assert stale is not None and stale.published_at is None
        assert actions.publish_due(db, now=utcnow()) == 1
        assert actions.publish(slow, s.meeting, [stale], actor=actor(s)) == 0
    assert len(audit(db, "document.published")) == 1
    assert len(told(db)) == len(set(told(db)))


# -- the runner inside the server, and `meetings jobs` ------------------------------------------


@pytest.fixture
def ticking(storage_dir: Path, database_url: str, config: Config) -> Config:
    """The test configuration, but with the server running its jobs every second."""
    env = {
        "MEETINGS_STORAGE_DIR": str(storage_dir),
        "MEETINGS_DATABASE_URL": database_url,
        "MEETINGS_SECRET_KEY": "test-secret-key-not-for-production",
        "MEETINGS_BROADCAST_URL": os.environ.get("MEETINGS_TEST_BROADCAST_URL", "memory://"),
        "MEETINGS_JOBS_INTERVAL_SECONDS": "1",
    }
    return config_module.load(env)


def published_within(db: Session, document_id: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if document(db, document_id).published_at is not None:
            return True
        time.sleep(0.2)
    return False


def test_the_server_publishes_a_scheduled_document_when_its_time_comes(
    ticking: Config, factory: Factory, db: Session
) -> None:
    made = scene(factory, db, members=1)
    with Client(create_app(ticking)) as browser:  # the lifespan starts the job runner
        log_in(browser, made.secretary)
        first = add(browser, made, "Đúng giờ")
        at = utcnow() + timedelta(seconds=2)
        response = browser.submit(
            made.url(f"/documents/{first}/schedule"), {"publish_at": local(at, seconds=True)}
        )
        assert response.status_code == 303, response.text
        assert document(db, first).published_at is None
        assert published_within(db, first, 10)
    assert document(db, first).published_at >= at.replace(microsecond=0)  # type: ignore[operator]
    assert made.members[0].id in told(db)


def test_meetings_jobs_publishes_a_due_document(
    client: Client, db: Session, s: Scene, storage_dir: Path, database_url: str
) -> None:
    first = add(client, s, "Báo cáo")
    schedule_due(db, s, first)
    env = {
        **os.environ,
        "MEETINGS_DATABASE_URL": database_url,
        "MEETINGS_STORAGE_DIR": str(storage_dir),
        "MEETINGS_SECRET_KEY": "test-secret-key-not-for-production",
    }
    command = [str(Path(sys.executable).parent / "meetings"), "jobs"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "documents published at their set time: 1" in done.stdout
    assert document(db, first).published_at is not None
    assert db.exec(select(func.count()).select_from(Notification)).one() >= len(s.members)
