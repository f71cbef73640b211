"""When each API token was last used: noted in memory as requests come, written in one batch by
a background job (and when the server stops), so a request made with a token costs no write of
its own. "Last used" is to the minute: a token used again within a minute is not noted again."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from meetings.accounts.models import ApiToken
from meetings.db import utcnow

STALE_SECONDS = 60

_lock = threading.Lock()
_pending: dict[str, dict[int, datetime]] = {}  # by database (the URL, password hidden)


def _database(db: Session) -> str:
    return str(db.get_bind().url)


def note(db: Session, token: ApiToken) -> None:
    """Remember that the token was used now, unless it was within the last minute."""
    now = utcnow()
    last = token.last_used_at
    if last is not None and (now - last).total_seconds() <= STALE_SECONDS:
        return
    database = _database(db)
    with _lock:
        pending = _pending.setdefault(database, {})
        earlier = pending.get(token.id or 0)
        if earlier is None or (now - earlier).total_seconds() > STALE_SECONDS:
            pending[token.id or 0] = now


def write(db: Session) -> int:
    """Write the uses noted for this session's database; returns how many tokens."""
    with _lock:
        pending = _pending.pop(_database(db), {})
    for token_id, when in pending.items():
        db.execute(
            update(ApiToken)
            .where(col(ApiToken.id) == token_id)
            .values(last_used_at=when)
            .execution_options(synchronize_session=False)
        )
    if pending:
        db.commit()
    return len(pending)
