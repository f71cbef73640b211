"""Quorum, by the body's own rule."""

from __future__ import annotations

import math
from dataclasses import dataclass

from meetings.attendance.models import Answer, Participant, Presence
from meetings.organisations.models import Body


@dataclass(frozen=True)
class Quorum:
    """Present against required, out of the seats that count."""

    present: int
    required: int
    seats: int

    @property
    def reached(self) -> bool:
        return self.seats > 0 and self.present >= self.required


def is_present(row: Participant) -> bool:
    return bool(row.presence) and row.left_at is None


def counts(row: Participant, body: Body) -> bool:
    """Whether a present participant counts towards quorum under the body's rules."""
    if not (row.counts_for_quorum and is_present(row)):
        return False
    if row.presence == Presence.remote and not body.remote_counts_for_quorum:
        return False
    return row.answer != Answer.substitute or body.substitutes_count_for_quorum


def quorum(rows: list[Participant], body: Body) -> Quorum:
    """E.g. the Government: at least two thirds of its members attend."""
    seats = sum(1 for row in rows if row.counts_for_quorum)
    required = math.ceil(seats * body.quorum_numerator / body.quorum_denominator)
    present = sum(1 for row in rows if counts(row, body))
    return Quorum(present=present, required=required, seats=seats)
