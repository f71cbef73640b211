"""Login throttling per account and per address."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from meetings.accounts.models import LoginAttempt
from meetings.config import Config
from meetings.db import utcnow

WINDOW = timedelta(minutes=15)
PER_ADDRESS_FACTOR = 4


def _failures(db: Session, column: Any, value: str) -> tuple[int, datetime | None]:
    since = utcnow() - WINDOW
    count, newest = db.exec(
        select(func.count(), func.max(LoginAttempt.at)).where(
            column == value, col(LoginAttempt.success).is_(False), LoginAttempt.at >= since
        )
    ).one()
    return count, newest


def minutes_blocked(db: Session, config: Config, *, email: str, ip: str) -> int | None:
    """Minutes until another attempt is allowed, or None if not throttled now."""
    limits = (
        (LoginAttempt.email, email, config.login_max_failures),
        (LoginAttempt.ip, ip, config.login_max_failures * PER_ADDRESS_FACTOR),
    )
    for column, value, limit in limits:
        count, newest = _failures(db, column, value)
        if count >= limit and newest is not None:
            left = (newest + WINDOW - utcnow()).total_seconds()
            return max(1, int(left // 60) + 1)
    return None


def note(db: Session, *, email: str, ip: str, success: bool) -> None:
    db.add(LoginAttempt(email=email, ip=ip[:64], success=success))
