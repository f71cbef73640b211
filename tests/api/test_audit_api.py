"""The audit trail through the API: auditors and administrators only, their own organisation's
records only, filters validated, and the chain's state."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, col, select

from meetings.accounts.models import User
from meetings.archive.audit import Actor, record
from meetings.archive.models import AuditEntry
from tests.client import Client
from tests.factories import Factory

Bearer = Callable[[User], dict[str, str]]


def test_only_auditors_and_administrators_read_their_own_trail(
    client: Client, factory: Factory, db: Session, bearer: Bearer
) -> None:
    org, other = factory.organisation(), factory.organisation()
    auditor = factory.user("Kiểm Toán", organisation=org, role="auditor")
    admin = factory.user("Quản Trị", organisation=org, role="admin")
    member = factory.user("Thành Viên", organisation=org)
    record(db, Actor(member.id, "10.1.1.1", org.id), "poll.voted", ("poll", 5))
    record(db, Actor(member.id, "10.1.1.1", org.id), "document.read", ("document", 2))
    record(db, Actor(None, "", other.id), "poll.voted", ("poll", 77))
    db.commit()
    assert client.get("/api/v1/audit", headers=bearer(member)).status_code == 403
    assert client.get("/api/v1/audit", headers=bearer(admin)).status_code == 200
    answer = client.get("/api/v1/audit", headers=bearer(auditor), params={"action": "poll."})
    assert answer.status_code == 200
    body = answer.json()
    assert [r["object_id"] for r in body["records"]] == ["5"], "own organisation, filtered"
    assert body["total"] == 1 and body["page_size"] == 50
    bad = client.get("/api/v1/audit", headers=bearer(auditor), params={"since": "yesterday"})
    assert bad.status_code == 422 and "error" in bad.json()
    unknown = client.get("/api/v1/audit", headers=bearer(auditor), params={"who": "x"})
    assert unknown.status_code == 422


def test_the_chain_state_names_the_first_broken_record(
    client: Client, factory: Factory, db: Session, bearer: Bearer
) -> None:
    org = factory.organisation()
    auditor = factory.user("Kiểm Toán", organisation=org, role="auditor")
    for n in range(3):
        record(db, Actor(None, "", org.id), "test.event", ("thing", n))
    db.commit()
    state = client.get("/api/v1/audit/chain", headers=bearer(auditor)).json()
    assert state["intact"] and state["broken_at"] is None
    entries = db.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
    entries[-2].action = "test.changed"
    db.add(entries[-2])
    db.commit()
    state = client.get("/api/v1/audit/chain", headers=bearer(auditor)).json()
    assert not state["intact"] and state["broken_at"] == entries[-2].id and state["altered"]
