"""The arithmetic of a vote: figures in, an outcome out, with the rule stated. Exact fractions
only (no floats), so "more than half" and "two thirds" mean exactly that.

A rule compares the weight in favour with a fraction of a base:
- the votes cast (with or without abstentions, as the rule says), or
- all members of the body (the Government's rule: more than half of all its members).
"More than" is strict; "at least" is not. A quorum rule asks that enough of the eligible
weight took part (abstentions count as taking part). On an exact tie the body may let the side
the chair voted for prevail (the Government's rule); otherwise a tie fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from meetings.i18n import N_


class Base(StrEnum):
    cast = "cast"  # the votes cast
    members = "members"  # all members of the body with a vote


class Outcome(StrEnum):
    passed = "passed"
    failed = "failed"
    no_quorum = "no_quorum"


@dataclass(frozen=True)
class MajorityRule:
    """In favour must be more than (or at least) `fraction` of the base."""

    base: Base = Base.cast
    fraction: Fraction = Fraction(1, 2)
    strict: bool = True  # "more than"; False: "at least"
    abstentions_count: bool = False  # with Base.cast: do abstentions add to the votes cast?

    def __post_init__(self) -> None:
        if not Fraction(0) < self.fraction <= Fraction(1):
            raise ValueError("a majority is a fraction above 0 and at most 1")


@dataclass(frozen=True)
class QuorumRule:
    """At least `fraction` of the eligible weight must take part (None: no quorum needed)."""

    fraction: Fraction | None = None


PRESETS: dict[str, tuple[MajorityRule, str]] = {
    "cast_half": (MajorityRule(Base.cast, Fraction(1, 2)), N_("more than half of the votes cast")),
    "members_half": (
        MajorityRule(Base.members, Fraction(1, 2)),
        N_("more than half of all members"),
    ),
    "members_two_thirds": (
        MajorityRule(Base.members, Fraction(2, 3), strict=False),
        N_("at least two thirds of all members"),
    ),
}


@dataclass(frozen=True)
class Figures:
    """The weights counted for one question (or for one option of an election)."""

    members: int  # weight of all the body's voting members (the eligible list)
    in_favour: int
    against: int
    abstaining: int = 0
    chair_choice: str | None = None  # "in_favour" | "against" | None, for the tie rule

    def __post_init__(self) -> None:
        counted = (self.members, self.in_favour, self.against, self.abstaining)
        if min(counted) < 0:
            raise ValueError("weights are never negative")
        if self.in_favour + self.against + self.abstaining > self.members:
            raise ValueError("more weight voted than there are members")

    @property
    def took_part(self) -> int:
        return self.in_favour + self.against + self.abstaining


@dataclass(frozen=True)
class Result:
    """What the engine decided, and the numbers that decided it."""

    outcome: Outcome
    figures: Figures
    rule: MajorityRule
    base: int  # the weight the fraction applies to
    needed: Fraction  # in favour must be above (strict) or at least this
    tie: bool = False
    decided_by_chair: bool = False
    notes: list[str] = field(default_factory=list)


def _base(rule: MajorityRule, figures: Figures) -> int:
    if rule.base == Base.members:
        return figures.members
    cast = figures.in_favour + figures.against
    return cast + figures.abstaining if rule.abstentions_count else cast


def _meets(weight: int, needed: Fraction, strict: bool) -> bool:
    return weight > needed if strict else weight >= needed


def _quorate(figures: Figures, quorum: QuorumRule | None) -> bool:
    """Enough of the eligible weight took part (abstaining is taking part)."""
    if quorum is None or quorum.fraction is None:
        return True
    return figures.took_part >= quorum.fraction * figures.members


def decide(
    figures: Figures,
    rule: MajorityRule,
    quorum: QuorumRule | None = None,
    *,
    chair_breaks_ties: bool = False,
) -> Result:
    """Passed, failed or no quorum, by the rule, from the figures.

    A tie is as many in favour as against. When the rule is not met on a tie and the body lets
    the chair break ties, the side the chair voted for prevails.
    """
    base = _base(rule, figures)
    needed = rule.fraction * base
    if not _quorate(figures, quorum):
        return Result(Outcome.no_quorum, figures, rule, base, needed)
    if base > 0 and _meets(figures.in_favour, needed, rule.strict):
        return Result(Outcome.passed, figures, rule, base, needed)
    tie = figures.in_favour == figures.against > 0
    if tie and chair_breaks_ties and figures.chair_choice in ("in_favour", "against"):
        won = figures.chair_choice == "in_favour"
        outcome = Outcome.passed if won else Outcome.failed
        return Result(outcome, figures, rule, base, needed, tie=True, decided_by_chair=True)
    return Result(Outcome.failed, figures, rule, base, needed, tie=tie)
