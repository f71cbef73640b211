"""`meetings search reindex`: rebuild the whole index in one transaction, with a progress bar.
Searches keep answering from the old index until the new one is committed."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

import sqlalchemy as sa

from meetings import config as config_module
from meetings.agenda.models import Meeting
from meetings.db import make_engine
from meetings.search.index import ENTRIES, reindex

WIDTH = 30


class Bar:
    """A progress bar redrawn in place on a terminal; elsewhere a line every tenth."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.started, self.shown = out, time.monotonic(), -1

    def __call__(self, done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if not self.out.isatty() and tenth == self.shown and done != total:
            return
        self.shown = tenth
        filled = WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (WIDTH - filled)
        line = f"[{bar}] {done}/{total} sources, {time.monotonic() - self.started:.1f} s"
        end = "\n" if done == total or not self.out.isatty() else ""
        self.out.write(("\r" if self.out.isatty() else "") + line + end)
        self.out.flush()


def cmd_reindex(_args: argparse.Namespace) -> int:
    engine = make_engine(config_module.load().database_url)
    try:
        with engine.begin() as conn:
            count = reindex(conn, Bar(sys.stderr))
    finally:
        engine.dispose()
    print(f"search index rebuilt: {count} sources")
    return 0


def build_if_empty(url: str) -> int | None:
    """After `meetings db upgrade`: a database that has meetings but an empty index (one that
    has just reached migration 0010) gets its index built; returns how many sources, or None."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            indexed = conn.execute(sa.select(ENTRIES.c.id).limit(1)).first()
            has_meetings = conn.execute(sa.select(Meeting.id).limit(1)).first()  # type: ignore[call-overload]
            if indexed is not None or has_meetings is None:
                return None
            return reindex(conn, Bar(sys.stderr))
    finally:
        engine.dispose()
