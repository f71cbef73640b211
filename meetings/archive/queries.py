"""Reads of the audit trail for the auditor's screen and the API: one organisation's records,
filtered, newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from meetings.archive.models import AuditEntry

PAGE_SIZE = 50


@dataclass(frozen=True)
class TrailFilter:
    action: str = ""  # the start of an action's name, e.g. "poll." or "login"
    actor_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    since: datetime | None = None  # UTC, inclusive
    until: datetime | None = None  # UTC, exclusive


def _where(organisation_id: int, wanted: TrailFilter):  # type: ignore[no-untyped-def]
    query = select(AuditEntry).where(AuditEntry.organisation_id == organisation_id)
    if wanted.action:
        query = query.where(col(AuditEntry.action).startswith(wanted.action, autoescape=True))
    if wanted.actor_id is not None:
        query = query.where(AuditEntry.actor_id == wanted.actor_id)
    if wanted.object_type:
        query = query.where(AuditEntry.object_type == wanted.object_type)
    if wanted.object_id:
        query = query.where(AuditEntry.object_id == wanted.object_id)
    if wanted.since is not None:
        query = query.where(col(AuditEntry.at) >= wanted.since)
    if wanted.until is not None:
        query = query.where(col(AuditEntry.at) < wanted.until)
    return query


def trail(
    db: Session, organisation_id: int, wanted: TrailFilter, page: int = 1
) -> tuple[list[AuditEntry], int]:
    """One page of the organisation's records (newest first) and how many match in all."""
    query = _where(organisation_id, wanted)
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    rows = db.exec(
        query.order_by(col(AuditEntry.id).desc())
        .offset((max(page, 1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return list(rows), int(total)


def actions_seen(db: Session, organisation_id: int) -> list[str]:
    """The kinds of action recorded for the organisation, for the filter's list."""
    query = select(AuditEntry.action).where(AuditEntry.organisation_id == organisation_id)
    return sorted(set(db.exec(query.distinct())))
