"""The audit log is hash-chained: any change to the past is detected."""

from __future__ import annotations

from sqlmodel import Session, col, select

from meetings.archive.audit import Actor, record, verify
from meetings.archive.models import AuditEntry
from tests.client import Client
from tests.factories import Factory


def test_chain_verifies_and_detects_tampering(db: Session) -> None:
    actor = Actor(None, "127.0.0.1")
    for n in range(5):
        record(db, actor, "test.event", ("thing", n), note=f"số {n}")
    db.commit()
    assert verify(db) is None
    third = db.exec(select(AuditEntry).order_by(col(AuditEntry.id)).offset(2)).first()
    assert third is not None
    third.data = '{"note": "đã sửa"}'
    db.add(third)
    db.commit()
    assert verify(db) == third.id


def test_deleting_an_entry_breaks_the_chain(db: Session) -> None:
    actor = Actor(None, "")
    entries = [record(db, actor, "test.event", ("thing", n)) for n in range(3)]
    db.commit()
    db.delete(entries[1])
    db.commit()
    assert verify(db) == entries[2].id


def test_login_and_logout_are_audited(client: Client, factory: Factory, db: Session) -> None:
    user = factory.user(organisation=factory.organisation())
    client.log_in(user)
    client.submit("/logout")
    actions = [e.action for e in db.exec(select(AuditEntry).where(AuditEntry.actor_id == user.id))]
    assert "login.password_ok" in actions and "logout" in actions
    assert verify(db) is None
