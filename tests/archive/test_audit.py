"""The audit log is hash-chained: any change to the past is detected."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from meetings.archive.audit import Actor, check_chain, record, verify
from meetings.archive.models import AuditEntry
from meetings.cli import main
from meetings.config import Config
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


def test_reordering_two_records_is_named_at_the_first_out_of_place(db: Session) -> None:
    actor = Actor(None, "")
    entries = [record(db, actor, "test.event", ("thing", n)) for n in range(4)]
    db.commit()
    second, third = entries[1], entries[2]
    # Swap their contents (with their own hashes) while the ids stay: the order changes.
    swapped = [(e.at, e.action, e.object_id, e.prev_hash, e.hash) for e in (third, second)]
    for entry in (second, third):
        entry.hash = entry.hash[::-1]  # make room under the unique constraint
        db.add(entry)
    db.commit()
    for entry, (at, action, object_id, prev_hash, hash_) in zip(
        (second, third), swapped, strict=True
    ):
        entry.at, entry.action, entry.object_id = at, action, object_id
        entry.prev_hash, entry.hash = prev_hash, hash_
        db.add(entry)
    db.commit()
    found = check_chain(db)
    assert found.broken_at == second.id and not found.altered and found.after == entries[0].id
    assert found.records == 1


def test_the_command_line_verifies_and_names_the_broken_record(
    db: Session, config: Config, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEETINGS_DATABASE_URL", config.database_url)
    actor = Actor(None, "")
    entries = [record(db, actor, "test.event", ("thing", n)) for n in range(3)]
    db.commit()
    assert main(["audit", "verify"]) == 0
    head = capsys.readouterr().out.split("head ")[1].strip()
    assert head == entries[-1].hash
    assert main(["audit", "verify", "--head", head]) == 0
    db.delete(entries[2])
    db.commit()
    assert main(["audit", "verify"]) == 0, "the chain that remains still holds"
    assert main(["audit", "verify", "--head", head]) == 1
    assert "cut short" in capsys.readouterr().err
    entries[0].data = '{"sửa": true}'
    db.add(entries[0])
    db.commit()
    assert main(["audit", "verify"]) == 1
    assert f"BROKEN at record {entries[0].id}: its content was altered" in capsys.readouterr().err


def test_the_auditor_sees_the_chain_and_filters_the_trail(
    client: Client, factory: Factory, db: Session
) -> None:
    org, other = factory.organisation(), factory.organisation()
    auditor = factory.user("Kiểm Toán Viên", organisation=org, role="auditor")
    member = factory.user("Thành Viên", organisation=org)
    actor = Actor(member.id, "10.0.0.9", org.id)
    record(db, actor, "poll.voted", ("poll", 7), voter=member.id)
    record(db, actor, "document.read", ("document", 3))
    record(db, Actor(None, "", other.id), "poll.voted", ("poll", 99))
    db.commit()
    client.cookies.set("ecab_lang", "en")
    client.log_in(member)
    assert client.get("/admin/audit").status_code == 403
    client.log_in(auditor)
    page = client.get("/admin/audit")
    assert page.status_code == 200 and "Intact:" in page.text
    assert "document.read" in page.text and "poll 99" not in page.text, "own organisation only"
    filtered = client.get("/admin/audit", params={"action": "poll.", "actor": str(member.id)})
    assert "poll 7" in filtered.text and "document.read</code>" not in filtered.text
    bad = client.get("/admin/audit", params={"since": "23/11/2026"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text
    first = db.exec(select(AuditEntry).order_by(col(AuditEntry.id))).first()
    assert first is not None
    first.data = '{"x": 1}'
    db.add(first)
    db.commit()
    assert f"Broken: record {first.id} was altered" in client.get("/admin/audit").text
