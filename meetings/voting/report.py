"""A closed poll's summary as an official report (BÁO CÁO): who was asked and who answered,
the figures per option, the rule and its outcome from the result frozen at close, and every
written opinion under the option it came with (named in a named poll, never in a secret one).
Issued by the poll's body, signed on its behalf by the body's chair.
"""

from __future__ import annotations

import contextvars
import json
from datetime import date
from zoneinfo import ZoneInfo

from babel.numbers import format_percent
from sqlmodel import Session, col, select

from meetings import i18n
from meetings.accounts.models import User
from meetings.agenda.models import Meeting
from meetings.agenda.queries import names_of
from meetings.db import utcnow
from meetings.exports.official import (
    Block,
    Bullets,
    Heading,
    Kind,
    Language,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    authority,
    place_of,
    upper,
    without_place,
)
from meetings.i18n import _, local_datetime, ngettext
from meetings.organisations.models import Body, BodyRole, Membership, Organisation
from meetings.voting import labels, results
from meetings.voting.models import Poll, PollMode
from meetings.voting.queries import eligible_of, voted


def summary_document(
    db: Session, poll: Poll, locale: str, on: date | None = None
) -> OfficialDocument:
    """The report on a closed poll in `locale` ("vi" or "en"), dated `on` (today by default,
    in the organisation's time zone). The caller's own language is left as it was."""
    return contextvars.copy_context().run(_document, db, poll, locale, on)


def _document(db: Session, poll: Poll, locale: str, on: date | None) -> OfficialDocument:
    organisation = db.get(Organisation, poll.organisation_id)
    body = db.get(Body, poll.body_id)
    assert organisation is not None and body is not None
    language: Language = "en" if locale == "en" else "vi"
    i18n.set_locale(language, organisation.timezone)
    parent, issuer = authority(organisation.name, body.name)
    result = _frozen(db, poll)
    lines = results.summary(db, poll)
    return OfficialDocument(
        language=language,
        issuer=issuer,
        parent=parent,
        kind=Kind.report,
        title=_title(poll, body),
        place=place_of(issuer, parent),
        on=on or utcnow().astimezone(ZoneInfo(organisation.timezone)).date(),
        blocks=(
            *_introduction(db, poll, body),
            *_figures(db, poll, result, lines),
            *_opinions(poll, lines),
        ),
        recipients=(_("The members of %(body)s", body=body.name),),
        signature=_signature(db, body, issuer),
        author=issuer,
    )


def _frozen(db: Session, poll: Poll) -> dict[str, object]:
    """The result frozen at close (counted afresh only for a poll not closed yet)."""
    return json.loads(poll.result) if poll.result else results.result_of(db, poll)


def _title(poll: Poll, body: Body) -> str:
    if poll.mode == PollMode.ballot:
        return _("Results of the opinion ballot of the members of %(body)s", body=body.name)
    return _("Results of the vote of %(body)s", body=body.name)


# -- what was asked --------------------------------------------------------------------


def _introduction(db: Session, poll: Poll, body: Body) -> list[Block]:
    if poll.mode == PollMode.ballot:
        opening = _(
            "On %(sent)s, the members of %(body)s were asked for their opinion on “%(question)s”, "
            "to be given by %(deadline)s.",
            sent=local_datetime(poll.opened_at),
            body=body.name,
            question=poll.question,
            deadline=local_datetime(poll.deadline),
        )
    else:
        meeting = db.get(Meeting, poll.meeting_id) if poll.meeting_id else None
        opening = _(
            "At the meeting “%(meeting)s” on %(date)s, the members of %(body)s voted on "
            "“%(question)s”.",
            meeting=meeting.title if meeting else "",
            date=local_datetime(poll.opened_at),
            body=body.name,
            question=poll.question,
        )
    described = [Paragraph(part.strip()) for part in poll.description.split("\n\n") if part.strip()]
    return [Paragraph(opening), *described]


# -- the figures -----------------------------------------------------------------------


def _figures(
    db: Session, poll: Poll, result: dict[str, object], lines: list[results.SummaryLine]
) -> list[Block]:
    blocks: list[Block] = [Heading("I. " + upper(_("Result"))), *_turnout(db, poll)]
    blocks.append(_table(result, lines))
    blocks.extend(_outcome(poll, result))
    return blocks


def _turnout(db: Session, poll: Poll) -> list[Block]:
    """How many were asked and answered, and who has not (turnout is known even when the
    poll is secret; what each chose is not)."""
    asked = {e.user_id for e in eligible_of(db, poll.id or 0)}
    answered = voted(db, poll) & asked
    silent = sorted(names_of(db, set(asked - answered)).values())
    numbers = {"asked": len(asked), "answered": len(answered), "missing": len(asked - answered)}
    if poll.mode == PollMode.ballot:
        counted = _(
            "Members asked: %(asked)s. Answers received: %(answered)s. No answer: %(missing)s.",
            **numbers,
        )
        lead = _("No answer from")
    else:
        counted = _(
            "Eligible voters: %(asked)s. Votes cast: %(answered)s. Did not vote: %(missing)s.",
            **numbers,
        )
        lead = _("Did not vote")
    said: list[Block] = [Paragraph(counted)]
    if silent:
        said.append(Paragraph(", ".join(silent) + ".", lead=f"{lead}: "))
    return said


def _table(result: dict[str, object], lines: list[results.SummaryLine]) -> Table:
    """Weight per option and its share of all the eligible weight; an election's table also
    says which candidates were elected."""
    members = result.get("members")
    whole = members if isinstance(members, int) and members > 0 else 0
    candidates = result.get("candidates")
    header = (_("Option"), _("Votes"), _("Share of the total"))
    rows = []
    for line in lines:
        share = line.weight / whole if whole else 0
        row = (line.label, i18n.number(line.weight), _percent(share))
        if isinstance(candidates, dict):
            outcome = candidates.get(str(line.option_id))
            row = (*row, labels.outcome_text({"outcome": outcome}))
        rows.append(row)
    if isinstance(candidates, dict):
        align = ("left", "center", "center", "center")
        return Table((*header, _("Result")), tuple(rows), align, (0.4, 0.15, 0.2, 0.25))
    return Table(header, tuple(rows), ("left", "center", "center"), (0.5, 0.2, 0.3))


def _percent(share: float) -> str:
    return format_percent(share, "#,##0.0%", locale=i18n.current_locale())


def _outcome(poll: Poll, result: dict[str, object]) -> list[Block]:
    rule = labels.rule_text(poll)
    if result.get("outcome") in (None, "no_quorum"):
        stated = [Paragraph(_("Rule: %(rule)s.", rule=rule))]
    else:
        needed = labels.needed_text(poll, result)
        stated = [Paragraph(_("Rule: %(rule)s, that is %(needed)s.", rule=rule, needed=needed))]
    if result.get("decided_by_chair"):
        stated.append(Paragraph(_("The votes were tied: the side the chair voted for prevails.")))
    elif result.get("tie"):
        stated.append(Paragraph(_("The votes were tied.")))
    outcome = labels.outcome_text(result)
    if outcome:
        stated.append(Paragraph(f"{outcome}.", lead=_("Result") + ": "))
    return stated


# -- the written opinions --------------------------------------------------------------


def _opinions(poll: Poll, lines: list[results.SummaryLine]) -> list[Block]:
    blocks: list[Block] = [Heading("II. " + upper(_("Written opinions")))]
    if poll.secret:
        unnamed = _("The vote was secret: opinions are given without their authors' names.")
        blocks.append(Paragraph(unnamed, italic=True))
    said = [line for line in lines if line.comments]
    for number, line in enumerate(said, start=1):
        count = ngettext("%(num)s opinion", "%(num)s opinions", len(line.comments))
        blocks.append(Heading(f"{number}. {line.label} ({count})", level=2))
        blocks.append(Bullets(tuple(line.comments)))
    if not said:
        blocks.append(Paragraph(_("No member gave a written opinion.")))
    return blocks


# -- who signs -------------------------------------------------------------------------


def _signature(db: Session, body: Body, issuer: str) -> Signature | None:
    """The body's chair signs on the body's behalf (TM.), with the title of their seat; the
    body is named without its place, as signatures do ("TM. ỦY BAN NHÂN DÂN")."""
    query = select(Membership, User).join(User, col(User.id) == Membership.user_id)
    query = query.where(Membership.body_id == body.id, Membership.role == BodyRole.chair)
    chair = db.exec(query.order_by(col(Membership.position), col(Membership.id))).first()
    if chair is None:
        return None
    seat, person = chair
    return Signature(
        position=seat.title or _("Chair"),
        name=person.name,
        capacity="TM",
        on_behalf_of=without_place(issuer),
    )
