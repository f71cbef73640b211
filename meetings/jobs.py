"""Background jobs: work that is due without anyone asking for it at that moment.

Each job is a plain function `(db, store, config) -> int` that does what is due and returns how
much it did. Every job claims its rows with a compare-and-set, so several server processes (or a
separate `meetings jobs` worker) can run the same jobs against one database without doing
anything twice. The server runs them every MEETINGS_JOBS_INTERVAL_SECONDS in a thread, so the
event loop never waits on them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from meetings.accounts import token_use
from meetings.config import Config
from meetings.documents import actions as documents
from meetings.documents import renditions
from meetings.live import presence
from meetings.storage.blobs import BlobStore
from meetings.tasks import reminders as task_reminders
from meetings.voting import actions as voting

log = logging.getLogger(__name__)

Job = Callable[[Session, BlobStore, Config], int]


def _publish_due(db: Session, _store: BlobStore, _config: Config) -> int:
    return documents.publish_due(db)


def _render(db: Session, store: BlobStore, config: Config) -> int:
    return renditions.render_pending(db, store, config.soffice)


def _sweep(db: Session, _store: BlobStore, _config: Config) -> int:
    return presence.sweep(db)


def _close_ballots(db: Session, _store: BlobStore, _config: Config) -> int:
    return voting.close_due(db)


def _remind_tasks(db: Session, _store: BlobStore, _config: Config) -> int:
    return task_reminders.remind_due(db)


def _token_uses(db: Session, _store: BlobStore, _config: Config) -> int:
    return token_use.write(db)


JOBS: dict[str, Job] = {
    "documents published at their set time": _publish_due,
    "PDF renditions of Office files": _render,
    "live connections of stopped servers forgotten": _sweep,
    "polls closed at their deadline": _close_ballots,
    "task reminders before and after the due day": _remind_tasks,
    "API token uses written": _token_uses,
}


def run_once(engine: Engine, store: BlobStore, config: Config) -> dict[str, int]:
    """Run every job once, each in its own session; one failing job does not stop the others."""
    done: dict[str, int] = {}
    for name, job in JOBS.items():
        try:
            with Session(engine, expire_on_commit=False) as db:
                done[name] = job(db, store, config)
        except Exception:
            log.exception("background job failed: %s", name)
            done[name] = 0
    return done


async def run_forever(engine: Engine, store: BlobStore, config: Config) -> None:
    """Run the jobs every MEETINGS_JOBS_INTERVAL_SECONDS until cancelled (by the lifespan)."""
    while True:
        await asyncio.to_thread(run_once, engine, store, config)
        await asyncio.sleep(config.jobs_interval_seconds)
