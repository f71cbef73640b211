"""The live regions of the meeting pages, rendered for one view in one language.

A region is a top-level element with a fixed id (`live-<name>`; the quorum panel keeps
`quorum`); the htmx websocket extension swaps every element it receives into the element of the
same id. Each region says in which views it appears, and renders from the database only what
every person of that view may see: the tablet view never gets private opinions or documents
restricted to named readers, the room screen nothing confidential.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from sqlalchemy.engine import Engine
from sqlmodel import Session

from meetings import i18n
from meetings.agenda import labels, positions
from meetings.agenda import queries as agenda_queries
from meetings.agenda.models import Meeting, MeetingState
from meetings.agenda.session import current_item
from meetings.attendance import actions as attendance
from meetings.attendance import queries as attendance_queries
from meetings.db import utcnow
from meetings.documents import access as document_access
from meetings.documents import queries as document_queries
from meetings.documents.models import Classification, Document
from meetings.live import floor, opinions, presence
from meetings.live.events import Audience
from meetings.live.hub import Renderer
from meetings.organisations.models import Body, Organisation
from meetings.text import fold
from meetings.voting import labels as vote_labels
from meetings.voting import queries as vote_queries
from meetings.voting import results as vote_results
from meetings.voting.models import Poll, PollState

ALL = Audience.ALL
CONSOLE = (Audience.console,)
SPEAKER_WARNING = 30  # seconds left when the countdown turns to a warning (and beeps once)


def _template(env: Environment, name: str, meeting: Meeting, view: str, **values: Any) -> str:
    return env.get_template(f"live/regions/{name}.html").render(
        meeting=meeting,
        view=view,
        in_session=meeting.state == MeetingState.in_session,
        **values,
    )


def _state(db: Session, meeting: Meeting, env: Environment, view: str) -> str:
    return _template(env, "state", meeting, view, states=labels.STATES)


def item_documents(
    db: Session, meeting: Meeting, item_id: int | None, view: str
) -> list[document_queries.Line]:
    """The item's documents every person of the view may read (the console: all published)."""
    documents = [
        d
        for d in document_queries.documents_of(db, meeting)
        if d.item_id == item_id and d.published_at is not None and d.withdrawn_at is None
    ]
    if view != Audience.console:
        # A document restricted to named readers is for some members only: never listed here.
        named = document_access.named_readers(db, [d.id or 0 for d in documents])
        documents = [d for d in documents if d.id not in named]
    if view == Audience.screen:
        documents = [d for d in documents if _shown_to_guests(d)]
    latest = document_queries.latest_versions(db, [d.id or 0 for d in documents])
    return [document_queries.Line(d, latest.get(d.id or 0)) for d in documents]


def _shown_to_guests(document: Document) -> bool:
    return document.classification != Classification.confidential


def _current(db: Session, meeting: Meeting, env: Environment, view: str) -> str:
    item = current_item(db, meeting)
    names = agenda_queries.names_of(db, {item.presenter_id} if item else set())
    documents = item_documents(db, meeting, item.id, view) if item else []
    return _template(env, "current", meeting, view, item=item, names=names, documents=documents)


def _agenda(db: Session, meeting: Meeting, env: Environment, view: str) -> str:
    return _template(
        env,
        "agenda",
        meeting,
        view,
        agenda=agenda_queries.agenda_of(db, meeting),
        item_statuses=labels.ITEM_STATUSES,
        consent=positions.consent_block(db, meeting) if view == Audience.console else [],
    )


def _floor(db: Session, meeting: Meeting, env: Environment, view: str) -> str:
    queue = floor.waiting(db, meeting.id or 0)
    names = agenda_queries.names_of(db, {row.user_id for row in queue})
    speaking = floor.speaking(db, meeting.id or 0)
    return _template(env, "floor", meeting, view, queue=queue, names=names, speaking=speaking)


def _speaker(db: Session, meeting: Meeting, env: Environment, view: str) -> str:
    turn = floor.speaking(db, meeting.id or 0)
    names = agenda_queries.names_of(db, {turn.user_id} if turn else set())
    return _template(
        env, "speaker", meeting, view, turn=turn, names=names, now=utcnow(), warn=SPEAKER_WARNING
    )


def _opinions(db: Session, meeting: Meeting, env: Environment, view: str) -> str:
    rows = opinions.of_item(
        db, meeting.id or 0, meeting.current_item_id, public_only=view != Audience.console
    )
    names = agenda_queries.names_of(db, {row.user_id for row in rows})
    item = current_item(db, meeting)
    return _template(env, "opinions", meeting, view, opinions=rows, names=names, item=item)


def _quorum(db: Session, meeting: Meeting, env: Environment, view: str) -> str:
    body = db.get(Body, meeting.body_id)
    if body is None:
        return ""
    rows = attendance.participants(db, meeting.id or 0)
    values = attendance_queries.quorum_values(body, rows)
    return _template(env, "quorum", meeting, view, **values)


def _shown_poll(db: Session, meeting: Meeting, view: str) -> Poll | None:
    return vote_queries.shown_in_room(
        db, meeting.id or 0, meeting.current_item_id, drafts=view == Audience.console
    )


def _vote(db: Session, meeting: Meeting, env: Environment, view: str) -> str:
    poll = _shown_poll(db, meeting, view)
    result = json.loads(poll.result) if poll is not None and poll.result else {}
    return _template(
        env,
        "vote",
        meeting,
        view,
        poll=poll,
        item=current_item(db, meeting),
        options=vote_queries.options_of(db, poll.id or 0) if poll else [],
        label=vote_queries.label,
        result=result,
        outcome=vote_labels.outcome_text(result),
        outcomes=vote_labels.OUTCOMES,
        rule=vote_labels.rule_text(poll) if poll else "",
        needed=vote_labels.needed_text(poll, result) if poll else "",
        states=vote_labels.STATES,
    )


def _tally(db: Session, meeting: Meeting, env: Environment, view: str) -> str:
    poll = _shown_poll(db, meeting, view)
    counted = poll is not None and poll.state != PollState.draft
    cast = vote_queries.votes_cast(db, poll) if poll is not None and counted else 0
    eligible = vote_queries.eligible_count(db, poll.id or 0) if poll is not None and counted else 0
    running = []
    if poll is not None and poll.show_running and not poll.secret and counted:
        per, _chair = vote_results.weights(db, poll)
        running = [
            (vote_queries.label(o), per.get(o.id or 0, 0))
            for o in vote_queries.options_of(db, poll.id or 0)
        ]
    return _template(
        env,
        "tally",
        meeting,
        view,
        poll=poll if counted else None,
        cast=cast,
        eligible=eligible,
        running=running,
    )


VIEW_NAMES = {
    Audience.console: i18n.N_("console"),
    Audience.tablet: i18n.N_("tablet"),
    Audience.screen: i18n.N_("room screen"),
}


def _presence(db: Session, meeting: Meeting, env: Environment, view: str) -> str:
    people = presence.connected(db, meeting.id or 0)
    names = agenda_queries.names_of(db, set(people))
    rows = sorted(
        ((names.get(uid, "?"), sorted(views)) for uid, views in people.items()),
        key=lambda row: fold(row[0]),
    )
    return _template(env, "presence", meeting, view, people=rows, view_names=VIEW_NAMES)


@dataclass(frozen=True)
class Region:
    views: tuple[str, ...]
    render: Callable[[Session, Meeting, Environment, str], str]


REGIONS: dict[str, Region] = {
    "state": Region(ALL, _state),
    "current": Region(ALL, _current),
    "agenda": Region((Audience.console, Audience.tablet), _agenda),
    "floor": Region((Audience.console, Audience.tablet), _floor),
    "speaker": Region(ALL, _speaker),
    "opinions": Region(ALL, _opinions),
    "quorum": Region((Audience.console, Audience.screen), _quorum),
    "presence": Region(CONSOLE, _presence),
    "vote": Region(ALL, _vote),
    "tally": Region(ALL, _tally),
}


def render(
    db: Session, meeting: Meeting, env: Environment, view: str, names: tuple[str, ...] = ()
) -> str:
    """The named regions of the view (every region of it when none are named), in order."""
    wanted = [name for name in REGIONS if (not names or name in names)]
    return "".join(
        REGIONS[name].render(db, meeting, env, view)
        for name in wanted
        if view in REGIONS[name].views
    )


def renderer(engine: Engine, env: Environment) -> Renderer:
    """The hub's renderer: the named regions (all of them for a snapshot) as one text."""

    def render_for_hub(meeting_id: int, names: tuple[str, ...], view: str, locale: str) -> str:
        if not any(view in REGIONS[n].views for n in names or REGIONS if n in REGIONS):
            return ""
        with Session(engine) as db:
            meeting = db.get(Meeting, meeting_id)
            if meeting is None:
                return ""
            organisation = db.get(Organisation, meeting.organisation_id)
            i18n.set_locale(locale, organisation.timezone if organisation else None)
            return render(db, meeting, env, view, names)

    return render_for_hub
