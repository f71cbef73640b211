"""Server-side login sessions: start, load (with idle and absolute expiry), end."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from meetings.accounts.models import LoginSession, SessionStage
from meetings.config import Config
from meetings.db import utcnow
from meetings.security import new_token, token_hash

TOUCH_EVERY = timedelta(seconds=60)


def start(
    db: Session,
    config: Config,
    *,
    user_id: int,
    ip: str,
    user_agent: str,
    stage: SessionStage = SessionStage.full,
    organisation_id: int | None = None,
) -> tuple[str, LoginSession]:
    """Open a session; return the cookie key (never stored) and the row."""
    key = new_token()
    now = utcnow()
    row = LoginSession(
        key_hash=token_hash(key),
        user_id=user_id,
        stage=stage,
        organisation_id=organisation_id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=config.session_max_hours),
        ip=ip[:64],
        user_agent=user_agent[:300],
    )
    db.add(row)
    db.flush()
    return key, row


def is_live(row: LoginSession, config: Config, now: datetime) -> bool:
    idle_limit = row.last_seen_at + timedelta(minutes=config.session_idle_minutes)
    return row.ended_at is None and now < row.expires_at and now < idle_limit


def load(db: Session, config: Config, key: str) -> LoginSession | None:
    """The live session for a cookie key, touched; None if unknown, ended or expired."""
    row = db.exec(select(LoginSession).where(LoginSession.key_hash == token_hash(key))).first()
    now = utcnow()
    if row is None or not is_live(row, config, now):
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.add(row)
        db.commit()
    return row


def end(db: Session, row: LoginSession) -> None:
    if row.ended_at is None:
        row.ended_at = utcnow()
        db.add(row)


def live_for_user(db: Session, config: Config, user_id: int) -> list[LoginSession]:
    """The user's sessions that are still live, newest first."""
    rows = db.exec(
        select(LoginSession)
        .where(LoginSession.user_id == user_id, col(LoginSession.ended_at).is_(None))
        .order_by(col(LoginSession.last_seen_at).desc())
    ).all()
    now = utcnow()
    return [row for row in rows if is_live(row, config, now)]


def end_all(db: Session, user_id: int, *, keep_id: int | None = None) -> int:
    """End every open session of a user except `keep_id`; return how many ended."""
    rows = db.exec(
        select(LoginSession).where(
            LoginSession.user_id == user_id, col(LoginSession.ended_at).is_(None)
        )
    ).all()
    ended = 0
    for row in rows:
        if row.id != keep_id:
            end(db, row)
            ended += 1
    return ended
