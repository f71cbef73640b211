"""The vote arithmetic: every majority rule, abstentions, weights, ties, quorum."""

from __future__ import annotations

from fractions import Fraction

import pytest

from meetings.voting.tally import (
    PRESETS,
    Base,
    Figures,
    MajorityRule,
    Outcome,
    QuorumRule,
    decide,
)

CAST_HALF = PRESETS["cast_half"][0]
MEMBERS_HALF = PRESETS["members_half"][0]
TWO_THIRDS = PRESETS["members_two_thirds"][0]


@pytest.mark.parametrize(
    ("in_favour", "against", "abstaining", "outcome"),
    [
        (6, 5, 10, Outcome.passed),  # abstentions are not votes cast under this rule
        (5, 5, 0, Outcome.failed),  # a tie is not more than half
        (1, 0, 20, Outcome.passed),
        (0, 0, 5, Outcome.failed),  # nothing cast
    ],
)
def test_more_than_half_of_the_votes_cast(
    in_favour: int, against: int, abstaining: int, outcome: Outcome
) -> None:
    result = decide(Figures(26, in_favour, against, abstaining), CAST_HALF)
    assert result.outcome == outcome
    assert result.base == in_favour + against


def test_abstentions_count_against_when_the_rule_says_so() -> None:
    rule = MajorityRule(Base.cast, Fraction(1, 2), abstentions_count=True)
    assert decide(Figures(26, 6, 5, 0), rule).outcome == Outcome.passed
    result = decide(Figures(26, 6, 5, 2), rule)
    assert result.outcome == Outcome.failed and result.base == 13


@pytest.mark.parametrize(
    ("in_favour", "outcome"), [(13, Outcome.failed), (14, Outcome.passed), (26, Outcome.passed)]
)
def test_the_governments_rule_more_than_half_of_all_members(
    in_favour: int, outcome: Outcome
) -> None:
    # 26 members: 13 is exactly half, not more than half, whoever stayed away.
    figures = Figures(26, in_favour, 26 - in_favour - 3 if in_favour < 23 else 0, 0)
    assert decide(figures, MEMBERS_HALF).outcome == outcome


@pytest.mark.parametrize(
    ("members", "in_favour", "outcome"),
    [
        (27, 18, Outcome.passed),
        (27, 17, Outcome.failed),
        (26, 17, Outcome.failed),
        (26, 18, Outcome.passed),
    ],
)
def test_at_least_two_thirds_of_all_members(members: int, in_favour: int, outcome: Outcome) -> None:
    # 2/3 of 26 is 17⅓: 17 is short, 18 is enough; of 27 it is exactly 18, which is enough.
    assert decide(Figures(members, in_favour, 0), TWO_THIRDS).outcome == outcome


def test_a_custom_fraction_of_the_votes_cast() -> None:
    three_fifths = MajorityRule(Base.cast, Fraction(3, 5), strict=False)
    assert decide(Figures(10, 6, 4), three_fifths).outcome == Outcome.passed
    assert decide(Figures(10, 5, 4), three_fifths).outcome == Outcome.failed


def test_weights_are_counted_not_heads() -> None:
    # Three members; one has a weight of 3 (e.g. a shareholder-style seat): 3 of 5 passes.
    assert decide(Figures(5, 3, 2), MEMBERS_HALF).outcome == Outcome.passed
    assert decide(Figures(5, 2, 3), MEMBERS_HALF).outcome == Outcome.failed


@pytest.mark.parametrize(
    ("chair", "breaks", "outcome", "by_chair"),
    [
        ("in_favour", True, Outcome.passed, True),
        ("against", True, Outcome.failed, True),
        ("in_favour", False, Outcome.failed, False),
        (None, True, Outcome.failed, False),  # the chair did not vote: a tie fails
    ],
)
def test_a_tie_goes_the_chairs_way_only_when_the_body_says_so(
    chair: str | None, breaks: bool, outcome: Outcome, by_chair: bool
) -> None:
    result = decide(Figures(26, 13, 13, 0, chair), MEMBERS_HALF, chair_breaks_ties=breaks)
    assert (result.outcome, result.tie, result.decided_by_chair) == (outcome, True, by_chair)


def test_the_chairs_side_prevails_on_a_tie_of_fewer_members_too() -> None:
    # The Government's rule: equal for and against, the Prime Minister's side decides.
    result = decide(Figures(26, 11, 11, 2, "in_favour"), MEMBERS_HALF, chair_breaks_ties=True)
    assert result.outcome == Outcome.passed and result.decided_by_chair


def test_a_clear_result_is_never_changed_by_the_chair() -> None:
    result = decide(Figures(26, 20, 3, 0, "against"), MEMBERS_HALF, chair_breaks_ties=True)
    assert result.outcome == Outcome.passed and not result.tie and not result.decided_by_chair


@pytest.mark.parametrize(("took_part", "outcome"), [(17, Outcome.no_quorum), (18, Outcome.passed)])
def test_without_quorum_there_is_no_decision(took_part: int, outcome: Outcome) -> None:
    quorum = QuorumRule(Fraction(2, 3))
    figures = Figures(27, took_part - 2, 0, 2)  # abstaining is taking part
    assert decide(figures, CAST_HALF, quorum).outcome == outcome


def test_impossible_figures_are_refused() -> None:
    with pytest.raises(ValueError, match="more weight"):
        Figures(10, 6, 5)
    with pytest.raises(ValueError, match="negative"):
        Figures(10, -1, 0)
    with pytest.raises(ValueError, match="fraction"):
        MajorityRule(Base.cast, Fraction(3, 2))


def test_the_result_states_the_threshold_exactly() -> None:
    result = decide(Figures(26, 14, 0), MEMBERS_HALF)
    assert result.needed == Fraction(13) and result.base == 26
    assert decide(Figures(26, 18, 0), TWO_THIRDS).needed == Fraction(52, 3)
