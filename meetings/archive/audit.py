"""Writing and verifying the hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from meetings.archive.models import AuditEntry

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who did something, from where."""

    user_id: int | None
    ip: str = ""
    organisation_id: int | None = None


def _digest(entry: AuditEntry) -> str:
    body = json.dumps(
        [
            entry.prev_hash,
            entry.at.isoformat(),
            entry.actor_id,
            entry.organisation_id,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.ip,
            entry.data,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _last_hash(db: Session) -> str:
    if db.get_bind().dialect.name == "postgresql":
        # Serialise writers so that two transactions never chain onto the same entry.
        db.execute(text("SELECT pg_advisory_xact_lock(7270001)"))
    last = db.exec(select(AuditEntry.hash).order_by(col(AuditEntry.id).desc()).limit(1)).first()
    return last or GENESIS


def record(
    db: Session,
    actor: Actor,
    action: str,
    obj: tuple[str, Any] | None = None,
    organisation_id: int | None = None,
    **data: Any,
) -> AuditEntry:
    """Add an audit entry to the session's transaction (committed with the change it records)."""
    entry = AuditEntry(
        actor_id=actor.user_id,
        organisation_id=organisation_id if organisation_id is not None else actor.organisation_id,
        action=action,
        object_type=obj[0] if obj else "",
        object_id=str(obj[1]) if obj else "",
        ip=actor.ip,
        data=json.dumps(data, ensure_ascii=False, sort_keys=True, default=str),
        prev_hash=_last_hash(db),
    )
    entry.hash = _digest(entry)
    db.add(entry)
    db.flush()
    return entry


@dataclass(frozen=True)
class ChainCheck:
    """What walking the chain found: how far it holds, and where it first breaks."""

    records: int  # records checked
    head: str  # the hash of the last record that holds (GENESIS for an empty log)
    broken_at: int | None = None  # the id of the first record that does not hold
    altered: bool = False  # True: its content no longer matches its hash; False: it does not
    # follow the record before it (one was removed, inserted or reordered in between)
    after: int | None = None  # the id of the record before it

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def check_chain(db: Session, batch: int = 2000) -> ChainCheck:
    """Walk the whole chain in id order and report the first record that does not hold."""
    previous, previous_id, count = GENESIS, None, 0
    last_id = 0
    while True:
        query = select(AuditEntry).where(col(AuditEntry.id) > last_id)
        rows = db.exec(query.order_by(col(AuditEntry.id)).limit(batch)).all()
        for entry in rows:
            if _digest(entry) != entry.hash:
                return ChainCheck(count, previous, entry.id, altered=True, after=previous_id)
            if entry.prev_hash != previous:
                return ChainCheck(count, previous, entry.id, altered=False, after=previous_id)
            previous, previous_id, count = entry.hash, entry.id, count + 1
        if len(rows) < batch:
            return ChainCheck(count, previous)
        last_id = rows[-1].id or 0


def verify(db: Session) -> int | None:
    """Check the whole chain; return the id of the first broken entry, or None if intact."""
    return check_chain(db).broken_at


def holds(db: Session, head: str) -> bool:
    """A head noted earlier is still in the chain (the log was not cut short after it)."""
    return (
        head == GENESIS
        or db.exec(select(AuditEntry.id).where(AuditEntry.hash == head)).first() is not None
    )
