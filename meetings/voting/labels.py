"""Words for a poll's states, outcomes and rules, marked for translation."""

from __future__ import annotations

from fractions import Fraction

from babel.numbers import format_decimal

from meetings import i18n
from meetings.i18n import N_, _
from meetings.voting import tally
from meetings.voting.models import Poll

# Their own words, not the meeting's ("closed" is a session adjourned, not a vote counted).
STATES = {
    "draft": N_("Draft"),
    "open": N_("Voting open"),
    "closed": N_("Voting closed"),
    "published": N_("Result published"),
    "cancelled": N_("Vote cancelled"),
}
OUTCOMES = {
    tally.Outcome.passed: N_("Passed"),
    tally.Outcome.failed: N_("Not passed"),
    tally.Outcome.no_quorum: N_("No quorum"),
}
MODES = {"live": N_("Live vote"), "ballot": N_("Opinion ballot")}


def rule_text(poll: Poll) -> str:
    """The poll's majority rule in words, in the reader's language."""
    rule = tally.MajorityRule(
        tally.Base(poll.majority_base),
        Fraction(poll.majority_numerator, poll.majority_denominator),
        strict=poll.majority_strict,
        abstentions_count=poll.abstentions_count,
    )
    for preset, words in tally.PRESETS.values():
        if preset == rule:
            return _(words)
    share = f"{rule.fraction.numerator}/{rule.fraction.denominator}"
    if rule.base == tally.Base.members:
        if rule.strict:
            return _("more than %(share)s of all members", share=share)
        return _("at least %(share)s of all members", share=share)
    if rule.strict:
        return _("more than %(share)s of the votes cast", share=share)
    return _("at least %(share)s of the votes cast", share=share)


def outcome_text(result: dict[str, object]) -> str:
    outcome = result.get("outcome")
    return _(OUTCOMES[tally.Outcome(outcome)]) if isinstance(outcome, str) else ""


def _number(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return format_decimal(round(float(value), 2), locale=i18n.current_locale())


def needed_text(poll: Poll, result: dict[str, object]) -> str:
    """What the rule asked of the figures, e.g. "more than 7.5 of 15 in favour"."""
    if "needed" not in result or "base" not in result:
        return ""
    needed = _number(Fraction(str(result["needed"])))
    base = result["base"]
    if poll.majority_strict:
        return _("more than %(needed)s of %(base)s in favour", needed=needed, base=base)
    return _("at least %(needed)s of %(base)s in favour", needed=needed, base=base)
