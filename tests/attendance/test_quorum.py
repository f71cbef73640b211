"""Quorum arithmetic by the body's rule: a fraction of the seats that count, rounded up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from meetings.attendance.models import Participant
from meetings.attendance.quorum import quorum
from meetings.organisations.models import Body

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def body(n: int = 2, d: int = 3, *, remote: bool = True, substitutes: bool = False) -> Body:
    return Body(
        organisation_id=1,
        name="Chính phủ",
        quorum_numerator=n,
        quorum_denominator=d,
        remote_counts_for_quorum=remote,
        substitutes_count_for_quorum=substitutes,
    )


def seat(presence: str = "", *, answer: str = "attend", counts: bool = True) -> Participant:
    return Participant(
        meeting_id=1,
        answer=answer,
        presence=presence,
        counts_for_quorum=counts,
        checked_in_at=NOW if presence else None,
    )


def seats(present: int, total: int, **kwargs: str) -> list[Participant]:
    return [seat("in_room", **kwargs) for _ in range(present)] + [
        seat() for _ in range(total - present)
    ]


def test_no_seats_never_make_a_quorum() -> None:
    tally = quorum([], body())
    assert (tally.present, tally.required, tally.seats, tally.reached) == (0, 0, 0, False)
    guests_only = quorum([seat("in_room", counts=False)], body())
    assert (guests_only.seats, guests_only.reached) == (0, False)


@pytest.mark.parametrize(
    ("n", "d", "total", "required"),
    [
        (2, 3, 23, 16),  # 15.33 rounds up: 15 of 23 is not two thirds
        (2, 3, 24, 16),  # exactly two thirds
        (2, 3, 1, 1),
        (1, 2, 10, 5),  # half, exactly
        (1, 2, 11, 6),
        (1, 1, 7, 7),
        (3, 4, 4, 3),
        (1, 3, 100, 34),
        (99, 100, 100, 99),
    ],
)
def test_required_is_the_fraction_of_seats_rounded_up(
    n: int, d: int, total: int, required: int
) -> None:
    assert quorum(seats(0, total), body(n, d)).required == required


def test_fifteen_of_twenty_three_is_short_of_two_thirds_and_sixteen_is_enough() -> None:
    assert not quorum(seats(15, 23), body()).reached
    assert quorum(seats(16, 23), body()).reached


def test_guests_and_the_secretary_are_not_seats() -> None:
    rows = [*seats(2, 3), seat("in_room", counts=False), seat("remote", counts=False)]
    tally = quorum(rows, body())
    assert (tally.present, tally.required, tally.seats, tally.reached) == (2, 2, 3, True)


def test_who_left_no_longer_counts() -> None:
    rows = seats(2, 3)
    rows[0].left_at = NOW
    assert quorum(rows, body()).present == 1


@pytest.mark.parametrize(("remote", "present"), [(True, 2), (False, 1)])
def test_remote_members_count_when_the_body_says_so(remote: bool, present: int) -> None:
    rows = [seat("in_room"), seat("remote"), seat()]
    assert quorum(rows, body(remote=remote)).present == present


@pytest.mark.parametrize(("substitutes", "present"), [(True, 2), (False, 1)])
def test_substitutes_count_when_the_body_says_so(substitutes: bool, present: int) -> None:
    rows = [seat("in_room"), seat("in_room", answer="substitute"), seat()]
    assert quorum(rows, body(substitutes=substitutes)).present == present


def test_a_remote_substitute_needs_both_rules() -> None:
    rows = [seat("remote", answer="substitute")]
    assert quorum(rows, body(remote=True, substitutes=True)).present == 1
    assert quorum(rows, body(remote=False, substitutes=True)).present == 0
    assert quorum(rows, body(remote=True, substitutes=False)).present == 0
