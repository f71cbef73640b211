"""Who sees and changes a meeting's records, over HTTP: a draft only to the secretariat and
the chair (404 to everyone else, guests included); a circulated or final record to every
participant; another organisation's record, or a meeting one is not invited to, 404; a reader
who may not change the record 403; and nothing stored on a refused request."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from meetings.accounts.models import User
from meetings.agenda import actions as agenda
from meetings.attendance import actions as attendance
from meetings.minutes import actions
from meetings.minutes.models import MeetingRecord
from tests.attendance.support import ACTOR, log_in
from tests.client import Client
from tests.factories import Factory
from tests.minutes.support import Held, by, held, reloaded, section_of, started


@pytest.fixture
def h(factory: Factory, db: Session) -> Held:
    return held(factory, db)


def page(client: Client, user: User, record: MeetingRecord) -> int:
    log_in(client, user)
    return client.get(f"/records/{record.id}").status_code


def test_a_draft_is_seen_by_the_secretariat_and_the_chair_only(
    client: Client, factory: Factory, db: Session
) -> None:
    h = held(factory, db, close=False)
    guest = factory.user("Đại diện Bộ Ngoại giao", organisation=h.s.org)
    attendance.add_guest(db, h.s.meeting, actor=ACTOR, role="guest", user_id=guest.id)
    agenda.close_session(db, h.s.meeting, actor=ACTOR)
    record = started(h)
    assert page(client, h.s.secretary, record) == 200
    assert page(client, h.s.chair, record) == 200
    for nobody in (h.s.members[0], h.substitute, guest, h.s.outsider):
        assert page(client, nobody, record) == 404, nobody.name
    actions.circulate(db, record, h.s.meeting, actor=by(h.s.secretary))
    for reader in (h.s.members[0], h.substitute, guest):
        assert page(client, reader, record) == 200, reader.name
    assert page(client, h.s.outsider, record) == 404


def test_the_records_list_shows_a_member_no_draft(client: Client, db: Session, h: Held) -> None:
    record = started(h)
    log_in(client, h.s.members[0])
    assert f'href="/records/{record.id}"' not in client.get(h.s.url("/minutes")).text
    actions.circulate(db, record, h.s.meeting, actor=by(h.s.secretary))
    assert f'href="/records/{record.id}"' in client.get(h.s.url("/minutes")).text


def test_another_organisations_record_is_not_found(
    client: Client, factory: Factory, db: Session, h: Held
) -> None:
    record = started(h)
    actions.approve(db, record, actor=by(h.s.chair))
    stranger_org = factory.organisation()
    stranger = factory.user("Người Ngoài", organisation=stranger_org, role="admin")
    assert page(client, stranger, record) == 404
    assert client.get(h.s.url("/minutes")).status_code == 404


def test_a_member_may_not_edit_and_nothing_is_stored(client: Client, db: Session, h: Held) -> None:
    record = started(h)
    actions.circulate(db, record, h.s.meeting, actor=by(h.s.secretary))
    item = section_of(db, record, h.item)
    log_in(client, h.s.members[0])
    client.get(f"/records/{record.id}")
    saved = client.submit(
        f"/records/{record.id}/sections/{item.id}", {"text": "Sửa của tôi", "base_version": "0"}
    )
    assert saved.status_code == 403
    assert section_of(db, record, h.item).version == 0
    for name in ("circulate", "approve", "addendum", "number"):
        assert client.submit(f"/records/{record.id}/{name}").status_code == 403, name
    started_again = client.submit(h.s.url("/minutes"), {"kind": "conclusions"})
    assert started_again.status_code == 403
    assert reloaded(db, record).state == "circulated"


def test_only_the_chair_approves(client: Client, db: Session, h: Held) -> None:
    record = started(h)
    log_in(client, h.s.secretary)
    client.get(f"/records/{record.id}")
    refused = client.submit(f"/records/{record.id}/approve")
    assert refused.status_code == 403 and "chair" in refused.text
    assert reloaded(db, record).state == "draft"


def test_an_outsider_gets_404_on_every_page_of_the_record(
    client: Client, db: Session, h: Held
) -> None:
    record = started(h)
    actions.approve(db, record, actor=by(h.s.chair))
    item = section_of(db, record, h.item)
    log_in(client, h.s.outsider)
    for path in (
        h.s.url("/minutes"),
        f"/records/{record.id}",
        f"/records/{record.id}/sections/{item.id}/revisions",
    ):
        assert client.get(path).status_code == 404, path
    client.get("/")
    answer = client.submit(f"/records/{record.id}/comments", {"text": "Xin góp ý"})
    assert answer.status_code == 404


def test_the_history_of_drafts_is_for_the_secretariat_and_the_chair(
    client: Client, db: Session, h: Held
) -> None:
    record = started(h)
    actions.approve(db, record, actor=by(h.s.chair))
    item = section_of(db, record, h.item)
    log_in(client, h.s.members[0])
    history = client.get(f"/records/{record.id}/sections/{item.id}/revisions")
    assert history.status_code == 403
    log_in(client, h.s.secretary)
    assert client.get(f"/records/{record.id}/sections/{item.id}/revisions").status_code == 200
