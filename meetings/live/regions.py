"""The live regions of the meeting pages, rendered for one audience in one language.

A region is an element with a fixed id; the htmx websocket extension swaps every element it
receives into the element of the same id. Each region says which audiences see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jinja2 import Environment
from sqlalchemy.engine import Engine
from sqlmodel import Session

from meetings import i18n
from meetings.agenda.models import Meeting
from meetings.attendance import actions as attendance
from meetings.attendance import queries as attendance_queries
from meetings.live.events import Audience
from meetings.live.hub import Renderer
from meetings.organisations.models import Body, Organisation


@dataclass(frozen=True)
class Region:
    audiences: tuple[str, ...]
    render: Callable[[Session, Meeting, Environment], str]


def _quorum(db: Session, meeting: Meeting, env: Environment) -> str:
    body = db.get(Body, meeting.body_id)
    if body is None:
        return ""
    rows = attendance.participants(db, meeting.id or 0)
    values = attendance_queries.quorum_values(body, rows)
    return env.get_template("attendance/_quorum.html").render(meeting=meeting, **values)


REGIONS: dict[str, Region] = {
    "quorum": Region((Audience.console,), _quorum),
}


def renderer(engine: Engine, env: Environment) -> Renderer:
    """The hub's renderer: the named regions (all of them for a snapshot) as one text."""

    def render(meeting_id: int, regions: tuple[str, ...], audience: str, locale: str) -> str:
        wanted = [REGIONS[name] for name in regions or REGIONS if name in REGIONS]
        wanted = [region for region in wanted if audience in region.audiences]
        if not wanted:
            return ""
        with Session(engine) as db:
            meeting = db.get(Meeting, meeting_id)
            if meeting is None:
                return ""
            organisation = db.get(Organisation, meeting.organisation_id)
            i18n.set_locale(locale, organisation.timezone if organisation else None)
            return "".join(region.render(db, meeting, env) for region in wanted)

    return render
