"""Searching the index: the engine finds candidates in the viewer's organisation, best (or
newest) first; each area's rule then keeps what the viewer may read, page by page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup
from sqlmodel import Session, col, select

from meetings.agenda.access import Viewer
from meetings.agenda.models import Meeting
from meetings.search import highlight
from meetings.search.access import Gate
from meetings.search.models import SearchEntry, Source
from meetings.search.terms import Query, fts5_filtered

ENTRIES = SearchEntry.__table__  # type: ignore[attr-defined]
FTS = sa.table("searchentry_fts", sa.column("rowid"))
VECTOR = "searchentry.vector"  # PostgreSQL: the stored tsvector (see models.SearchEntry)
RANK = "bm25(searchentry_fts, 4.0, 1.0, 0.0)"  # a title word weighs four, the tags nothing
PER_PAGE = 20
Page = Callable[[int, int], sa.Select[Any]]  # (limit, offset) -> the candidates' statement
MAX_SCAN = 2000  # candidates looked at for one page, at most
URLS = {
    Source.meeting: "/meetings/{}",
    Source.document: "/documents/{}",
    Source.record: "/records/{}",
    Source.poll: "/polls/{}",
    Source.poll_opinions: "/polls/{}",
    Source.task: "/tasks/{}",
}


@dataclass(frozen=True)
class Filters:
    """What narrows a search; `until` is exclusive; dates are UTC."""

    body_id: int | None = None
    meeting_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    kinds: tuple[str, ...] = ()
    classification: str | None = None
    newest_first: bool = False


@dataclass(frozen=True)
class Hit:
    """One result as shown: marked title and snippet, where it is, and where it leads."""

    entry: SearchEntry
    title: Markup
    snippet: Markup
    meeting: Meeting | None
    url: str


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    page: int
    has_more: bool


def _tagged(query: Query, organisation_id: int, filters: Filters) -> str:
    """The FTS5 expression with every filter but the dates as filter words (see terms.tags)."""
    wanted: dict[str, Sequence[object]] = {
        "o": [organisation_id],
        "b": [filters.body_id] if filters.body_id is not None else [],
        "m": [filters.meeting_id] if filters.meeting_id is not None else [],
        "k": filters.kinds,
        "c": [filters.classification] if filters.classification else [],
    }
    return fts5_filtered(query, wanted)


def _ranked_by_fts5(expression: str) -> Page:
    """SQLite, best first: FTS5 filters, ranks and cuts the page by itself (the fast path: no
    sort of every match outside it); only the page's rows are joined to their entries."""

    def page(limit: int, offset: int) -> sa.Select[Any]:
        best = (
            sa.select(FTS.c.rowid, sa.literal_column(RANK).label("rank"))
            .where(sa.text("searchentry_fts MATCH :q").bindparams(q=expression))
            .order_by(sa.text("rank"))
            .limit(limit)
            .offset(offset)
            .subquery()
        )
        return (
            sa.select(ENTRIES.c.id, ENTRIES.c.source, ENTRIES.c.source_id, ENTRIES.c.meeting_id)
            .select_from(best.join(ENTRIES, ENTRIES.c.id == best.c.rowid))
            .order_by(best.c.rank)
        )

    return page


def _narrowed(found: sa.Select[Any], organisation_id: int, filters: Filters) -> sa.Select[Any]:
    conditions = [ENTRIES.c.organisation_id == organisation_id]
    if filters.body_id is not None:
        conditions.append(ENTRIES.c.body_id == filters.body_id)
    if filters.meeting_id is not None:
        conditions.append(ENTRIES.c.meeting_id == filters.meeting_id)
    if filters.since is not None:
        conditions.append(ENTRIES.c.at >= filters.since)
    if filters.until is not None:
        conditions.append(ENTRIES.c.at < filters.until)
    if filters.kinds:
        conditions.append(ENTRIES.c.kind.in_(filters.kinds))
    if filters.classification:
        conditions.append(ENTRIES.c.classification == filters.classification)
    return found.where(*conditions)


def _matching(dialect: str, query: Query, organisation_id: int, filters: Filters) -> Page:
    """Candidates for the query in the engine's own terms, narrowed, in the order asked for."""
    base = sa.select(ENTRIES.c.id, ENTRIES.c.source, ENTRIES.c.source_id, ENTRIES.c.meeting_id)
    if dialect == "postgresql":
        words = sa.bindparam("q", query.tsquery())
        found = base.where(sa.text(f"{VECTOR} @@ to_tsquery('simple', :q)").bindparams(words))
        rank = sa.text(f"ts_rank({VECTOR}, to_tsquery('simple', :q)) DESC").bindparams(words)
    else:
        expression = _tagged(query, organisation_id, filters)
        dated = filters.since is not None or filters.until is not None
        if not (filters.newest_first or dated):
            return _ranked_by_fts5(expression)
        joined = ENTRIES.join(FTS, FTS.c.rowid == ENTRIES.c.id)
        found = base.select_from(joined).where(
            sa.text("searchentry_fts MATCH :q").bindparams(q=expression)
        )
        rank = sa.text(RANK)
    found = _narrowed(found, organisation_id, filters)
    if filters.newest_first:
        found = found.order_by(ENTRIES.c.at.desc(), ENTRIES.c.id.desc())
    else:
        found = found.order_by(rank, ENTRIES.c.id)
    return lambda limit, offset: found.limit(limit).offset(offset)


def readable_ids(
    db: Session, viewer: Viewer, query: Query, filters: Filters, wanted: int
) -> tuple[list[int], bool]:
    """The first `wanted` entries the viewer may read, and whether there are more: candidates
    are fetched in batches and each asked about in turn, only until one more than wanted."""
    page = _matching(db.get_bind().dialect.name, query, viewer.organisation_id, filters)
    gate, kept, scanned = Gate(db, viewer), [], 0
    batch = min(max(wanted + 1, 25), 200)
    while scanned < MAX_SCAN and len(kept) <= wanted:
        rows = db.connection().execute(page(batch, scanned)).all()
        scanned += len(rows)
        gate.prefetch(rows)
        for ident, source, source_id, _meeting_id in rows:
            if len(kept) > wanted:
                break
            if gate.allows(source, source_id):
                kept.append(ident)
        if len(rows) < batch:
            break
    return kept[:wanted], len(kept) > wanted


def _hit(db: Session, entry: SearchEntry, regex: Any) -> Hit:
    meeting = db.get(Meeting, entry.meeting_id) if entry.meeting_id is not None else None
    return Hit(
        entry=entry,
        title=highlight.title(entry.title, regex),
        snippet=highlight.snippet(entry.body, regex),
        meeting=meeting,
        url=URLS[Source(entry.source)].format(entry.source_id),
    )


def search(db: Session, viewer: Viewer, query: Query, filters: Filters, page: int = 1) -> Results:
    """One page of what the viewer may read that matches the query."""
    if not query:
        return Results([], page, False)
    ids, has_more = readable_ids(db, viewer, query, filters, page * PER_PAGE)
    shown = ids[(page - 1) * PER_PAGE :]
    entries = {e.id: e for e in db.exec(select(SearchEntry).where(col(SearchEntry.id).in_(shown)))}
    regex = highlight.pattern(query)
    return Results([_hit(db, entries[i], regex) for i in shown if i in entries], page, has_more)
