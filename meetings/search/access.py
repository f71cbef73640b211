"""Which entries the viewer may read: each area's own rule, asked about the entry's source.
Entries of another organisation never reach here (the query keeps to the viewer's)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Row
from sqlmodel import Session, col, select

from meetings.agenda import access as meeting_access
from meetings.agenda.access import Viewer
from meetings.agenda.models import Meeting
from meetings.documents import access as document_access
from meetings.documents.models import Document
from meetings.minutes import access as minutes_access
from meetings.search.models import Source
from meetings.tasks import access as task_access
from meetings.voting import access as poll_access
from meetings.voting.models import PollState

OPINIONS_SHOWN = (PollState.closed, PollState.published)


class Gate:
    """Answers "may the viewer read this source?", remembering meetings already asked about."""

    def __init__(self, db: Session, viewer: Viewer) -> None:
        self.db, self.viewer = db, viewer
        self.held: list[object] = []
        self.meeting = cache(self._meeting)
        self.rules: dict[str, Callable[[int], bool]] = {
            Source.meeting: lambda ident: self.meeting(ident) is not None,
            Source.document: self._document,
            Source.record: lambda ident: minutes_access.visible(db, viewer, ident) is not None,
            Source.poll: lambda ident: poll_access.visible(db, viewer, ident) is not None,
            Source.poll_opinions: self._opinions,
            Source.task: lambda ident: task_access.visible(db, viewer, ident) is not None,
        }

    def prefetch(self, rows: Sequence[Row[Any]]) -> None:
        """Load the candidates' documents and meetings in two queries (the rules then find
        them in the session), and hold them while the gate lives."""
        documents = [row.source_id for row in rows if row.source == Source.document]
        meetings = {row.meeting_id for row in rows if row.meeting_id is not None}
        if documents:
            self.held += self.db.exec(select(Document).where(col(Document.id).in_(documents)))
        if meetings:
            self.held += self.db.exec(select(Meeting).where(col(Meeting.id).in_(meetings)))

    def _meeting(self, meeting_id: int) -> Meeting | None:
        return meeting_access.visible(self.db, self.viewer, meeting_id)

    def _document(self, document_id: int) -> bool:
        document = self.db.get(Document, document_id)
        if document is None:
            return False
        meeting = self.meeting(document.meeting_id)
        return meeting is not None and document_access.may_read(
            self.db, self.viewer, meeting, document
        )

    def _opinions(self, poll_id: int) -> bool:
        """Written opinions: as in the poll's summary, once closed, to those running it, and
        to its voters once the result is published."""
        poll = poll_access.visible(self.db, self.viewer, poll_id)
        if poll is None or poll.state not in OPINIONS_SHOWN:
            return False
        published = poll.state == PollState.published
        return published or poll_access.may_manage(self.db, self.viewer, poll)

    def allows(self, source: str, source_id: int) -> bool:
        rule = self.rules.get(source)
        return rule is not None and rule(source_id)
