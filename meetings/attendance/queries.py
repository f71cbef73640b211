"""Reads for the attendance pages: participant lines, answer counts, lateness, the quorum rule."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from meetings.agenda.models import Meeting
from meetings.attendance.actions import participants
from meetings.attendance.models import Participant
from meetings.attendance.quorum import Quorum, quorum
from meetings.i18n import N_, _, ngettext
from meetings.organisations import queries as org_queries
from meetings.organisations.models import Body

# Check-in opens with the session, so everyone checks in after the opening; only those who
# arrive more than this after it count as late.
LATE_AFTER = timedelta(minutes=10)
ROLES = {
    "chair": N_("Chair"),
    "secretary": N_("Secretary"),
    "member": N_("Member"),
    "guest": N_("Guest"),
    "bridge_point": N_("Bridge point"),
}
ANSWERS = {
    "pending": N_("No answer yet"),
    "attend": N_("Will attend"),
    "absent": N_("Absent"),
    "substitute": N_("Sends a substitute"),
}
PRESENCES = {"in_room": N_("In the room"), "remote": N_("Remote")}
FRACTIONS = {
    (1, 1): N_("all"),
    (1, 2): N_("one half"),
    (1, 3): N_("one third"),
    (2, 3): N_("two thirds"),
    (3, 4): N_("three quarters"),
    (3, 5): N_("three fifths"),
}


@dataclass(frozen=True)
class Line:
    """A participant as the participants table shows them."""

    row: Participant
    name: str
    substitute: str
    late: bool


def is_late(row: Participant, meeting: Meeting) -> bool:
    """Checked in more than LATE_AFTER after the session opened."""
    if row.checked_in_at is None or meeting.opened_at is None:
        return False
    return row.checked_in_at > meeting.opened_at + LATE_AFTER


def rule_text(body: Body, seats: int) -> str:
    """The body's quorum rule in words, e.g. "two thirds of 23 seats"."""
    divisor = math.gcd(body.quorum_numerator, body.quorum_denominator) or 1
    key = (body.quorum_numerator // divisor, body.quorum_denominator // divisor)
    fraction = _(FRACTIONS[key]) if key in FRACTIONS else f"{key[0]}/{key[1]}"
    return ngettext(
        "%(fraction)s of %(num)s seat", "%(fraction)s of %(num)s seats", seats, fraction=fraction
    )


def labels() -> dict[str, dict[str, str]]:
    """Role, answer and presence names in the current language, for templates."""
    return {
        name: {key: _(text) for key, text in table.items()}
        for name, table in (("roles", ROLES), ("answers", ANSWERS), ("presences", PRESENCES))
    }


def names(db: Session, org_id: int) -> dict[int, str]:
    """The organisation's people by id."""
    return {user.id or 0: user.name for user, _role in org_queries.people(db, org_id)}


def people_options(db: Session, org_id: int, leave_out: set[int]) -> list[tuple[int, str]]:
    """The organisation's people for a select, without those already taking part."""
    people = org_queries.people(db, org_id)
    return [(user.id or 0, user.name) for user, _role in people if user.id not in leave_out]


def participant(db: Session, meeting: Meeting, participant_id: int) -> Participant | None:
    """A participant of the meeting, or None (callers answer 404)."""
    for row in participants(db, meeting.id or 0):
        if row.id == participant_id:
            return row
    return None


def quorum_values(body: Body, rows: list[Participant]) -> dict[str, Any]:
    """The body, its quorum tally and its rule in words, for the quorum panel."""
    tally: Quorum = quorum(rows, body)
    return {"body": body, "tally": tally, "rule": rule_text(body, tally.seats)}


def lines(db: Session, org_id: int, meeting: Meeting, rows: list[Participant]) -> list[Line]:
    """The participants table: each row with its names and lateness."""
    known = names(db, org_id)
    return [
        Line(
            row,
            known.get(row.user_id or 0, "") or row.name,
            known.get(row.substitute_id or 0, ""),
            is_late(row, meeting),
        )
        for row in rows
    ]


def counts(rows: list[Participant]) -> dict[str, int]:
    """Answers of invited people; agencies and bridge points without an account do not answer."""
    tally = dict.fromkeys(ANSWERS, 0)
    for row in rows:
        if row.user_id:
            tally[row.answer] += 1
    return tally
