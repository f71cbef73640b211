"""A poll's result by its own rule, from the votes as they stand (frozen by close)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlmodel import Session, select

from meetings.agenda.queries import names_of
from meetings.voting import tally
from meetings.voting.models import Meaning, Poll, SecretBallot, Vote
from meetings.voting.queries import eligible_of, label, options_of


def weights(db: Session, poll: Poll) -> tuple[dict[int, int], str | None]:
    """Weight per option, and the chair's side (named polls only)."""
    rows = (
        db.exec(
            select(SecretBallot.choices, SecretBallot.weight).where(SecretBallot.poll_id == poll.id)
        )
        if poll.secret
        else db.exec(select(Vote.choices, Vote.weight).where(Vote.poll_id == poll.id))
    )
    per: dict[int, int] = {}
    for choices, weight in rows:
        for option in choices.split(","):
            per[int(option)] = per.get(int(option), 0) + weight
    chair_side = None
    if not poll.secret and poll.chair_id is not None:
        vote = db.exec(
            select(Vote).where(Vote.poll_id == poll.id, Vote.voter_id == poll.chair_id)
        ).first()
        if vote is not None:
            meanings = {o.id: o.meaning for o in options_of(db, poll.id or 0)}
            chosen = {meanings.get(int(o)) for o in vote.choices.split(",")}
            if Meaning.in_favour in chosen:
                chair_side = "in_favour"
            elif Meaning.against in chosen:
                chair_side = "against"
    return per, chair_side


def result_of(db: Session, poll: Poll) -> dict[str, object]:
    """The outcome by the poll's rule, from the votes as they stand."""
    per, chair_side = weights(db, poll)
    options = options_of(db, poll.id or 0)
    members = sum(e.weight for e in eligible_of(db, poll.id or 0))
    rule = tally.MajorityRule(
        tally.Base(poll.majority_base),
        Fraction(poll.majority_numerator, poll.majority_denominator),
        strict=poll.majority_strict,
        abstentions_count=poll.abstentions_count,
    )
    quorum = tally.QuorumRule(
        Fraction(poll.quorum_numerator, poll.quorum_denominator)
        if poll.quorum_numerator and poll.quorum_denominator
        else None
    )
    by_meaning = {m: sum(per.get(o.id or 0, 0) for o in options if o.meaning == m) for m in Meaning}
    figures_of: dict[str, object] = {
        "members": members,
        "options": {str(o.id): per.get(o.id or 0, 0) for o in options},
    }
    if any(o.meaning == Meaning.candidate for o in options):
        cast_weight = _cast_weight(db, poll)
        figures_of["candidates"] = {
            str(o.id): tally.decide(
                tally.Figures(members, per.get(o.id or 0, 0), cast_weight - per.get(o.id or 0, 0)),
                rule,
                quorum,
            ).outcome.value
            for o in options
        }
        return figures_of
    figures = tally.Figures(
        members,
        by_meaning[Meaning.in_favour],
        by_meaning[Meaning.against],
        by_meaning[Meaning.abstain] + by_meaning[Meaning.other],
        chair_side,
    )
    decided = tally.decide(figures, rule, quorum, chair_breaks_ties=poll.chair_breaks_ties)
    figures_of.update(
        outcome=decided.outcome.value,
        in_favour=figures.in_favour,
        against=figures.against,
        abstaining=figures.abstaining,
        took_part=figures.took_part,
        base=decided.base,
        needed=str(decided.needed),
        tie=decided.tie,
        decided_by_chair=decided.decided_by_chair,
    )
    return figures_of


def _cast_weight(db: Session, poll: Poll) -> int:
    table = SecretBallot if poll.secret else Vote
    query = select(table.weight).where(table.poll_id == poll.id)  # type: ignore[attr-defined]
    return sum(db.exec(query))


@dataclass(frozen=True)
class SummaryLine:
    option_id: int
    label: str
    weight: int
    comments: list[str]


def summary(db: Session, poll: Poll) -> list[SummaryLine]:
    """For the report: the weight per option and every comment under the option it came with
    (with the voter's name in a named poll; never in a secret one)."""
    per, _chair = weights(db, poll)
    said: dict[int, list[str]] = {}
    if poll.secret:
        rows = db.exec(select(SecretBallot).where(SecretBallot.poll_id == poll.id))
        for ballot in rows:
            if ballot.comment:
                for option in ballot.choices.split(","):
                    said.setdefault(int(option), []).append(ballot.comment)
    else:
        votes = list(db.exec(select(Vote).where(Vote.poll_id == poll.id)))
        names = names_of(db, {v.voter_id for v in votes})
        for vote in sorted(votes, key=lambda v: v.cast_at):
            if vote.comment:
                for option in vote.choices.split(","):
                    said.setdefault(int(option), []).append(
                        f"{names.get(vote.voter_id, '?')}: {vote.comment}"
                    )
    return [
        SummaryLine(o.id or 0, label(o), per.get(o.id or 0, 0), said.get(o.id or 0, []))
        for o in options_of(db, poll.id or 0)
    ]
