"""The facts a record states without anyone retyping them, read from what the system saw: the
meeting's facts and chair, who attended and how, and per agenda item who spoke and for how long,
the opinions the chair made public, the votes with their rule and figures, and the items adopted
by consent. Shown beside the editor, offered as a section's starting text, and exported.

Every line is worded here, in the reader's language, so the page, the inserted text, the API
and the exports say the same thing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from meetings.agenda.labels import KINDS as MEETING_KINDS
from meetings.agenda.models import Meeting
from meetings.agenda.queries import PlannedItem, agenda_of, body_names, names_of
from meetings.attendance.actions import participants
from meetings.attendance.models import Answer, Participant, Presence
from meetings.i18n import _, local_datetime
from meetings.live.models import FloorRequest, FloorState, Opinion
from meetings.voting.labels import needed_text, outcome_text, rule_text
from meetings.voting.models import Poll, PollState
from meetings.voting.queries import label, options_of

Section = int | None  # an agenda item's id; None for the opening and general part


@dataclass(frozen=True)
class Line:
    """One automatic fact: a label and its values ("Speakers": one value per speaker)."""

    label: str
    values: tuple[str, ...]

    def text(self) -> str:
        if len(self.values) == 1:
            return f"{self.label}: {self.values[0]}"
        return "\n".join([f"{self.label}:", *(f"- {value}" for value in self.values)])


def as_text(lines: Iterable[Line]) -> str:
    """The lines as plain text, for a section's starting text and the exports."""
    return "\n".join(line.text() for line in lines)


def _time(value: datetime | None) -> str:
    return local_datetime(value, "HH:mm") if value else ""


def _people(db: Session, meeting: Meeting, rows: list[Participant]) -> dict[int, str]:
    wanted: set[int | None] = {meeting.chair_id, meeting.secretary_id}
    wanted |= {r.user_id for r in rows} | {r.substitute_id for r in rows}
    wanted |= set(
        db.exec(select(FloorRequest.user_id).where(FloorRequest.meeting_id == meeting.id))
    )
    wanted |= set(db.exec(select(Opinion.user_id).where(Opinion.meeting_id == meeting.id)))
    return names_of(db, wanted)


# -- the opening: facts and attendance -----------------------------------------------------


def _attendee(row: Participant, names: dict[int, str]) -> str:
    """Who sat in the seat (a substitute, if one came), with the title and an early leave."""
    came = row.substitute_id if row.answer == Answer.substitute and row.substitute_id else None
    name = names.get(came or row.user_id or 0, "") or row.name
    said = f"{name}, {row.title}" if row.title and not came else name
    if row.left_at is not None:
        said += f" ({_('left at %(time)s', time=_time(row.left_at))})"
    return said


def _absent(row: Participant, names: dict[int, str]) -> str:
    name = names.get(row.user_id or 0, "") or row.name
    said = f"{name}, {row.title}" if row.title else name
    return f"{said}: {row.absence_reason}" if row.absence_reason else said


def _attendance(rows: list[Participant], names: dict[int, str]) -> list[Line]:
    lines = []
    for presence, words in ((Presence.in_room, _("In the room")), (Presence.remote, _("Remote"))):
        here = [_attendee(r, names) for r in rows if r.presence == presence]
        if here:
            lines.append(Line(f"{words} ({len(here)})", tuple(here)))
    away = [_absent(r, names) for r in rows if not r.presence]
    if away:
        lines.append(Line(f"{_('Absent')} ({len(away)})", tuple(away)))
    sent = [
        _(
            "%(substitute)s in place of %(principal)s",
            substitute=names.get(r.substitute_id or 0, ""),
            principal=names.get(r.user_id or 0, ""),
        )
        for r in rows
        if r.answer == Answer.substitute and r.substitute_id
    ]
    if sent:
        lines.append(Line(_("Substitutes"), tuple(sent)))
    return lines


def _when(meeting: Meeting) -> str:
    opened = local_datetime(meeting.opened_at or meeting.starts_at, "short")
    if meeting.closed_at is None:
        return _("Opened at %(opened)s", opened=opened)
    closed = local_datetime(meeting.closed_at, "short")
    return _("Opened at %(opened)s, closed at %(closed)s", opened=opened, closed=closed)


def _facts(db: Session, meeting: Meeting, names: dict[int, str]) -> list[Line]:
    kind = _(MEETING_KINDS.get(meeting.kind, meeting.kind))
    lines = [
        Line(_("Meeting"), (f"{meeting.title} ({kind})",)),
        Line(_("Body"), (body_names(db, meeting.organisation_id).get(meeting.body_id, ""),)),
        Line(_("Time"), (_when(meeting),)),
    ]
    if meeting.place:
        lines.insert(2, Line(_("Place"), (meeting.place,)))
    for person, words in ((meeting.chair_id, _("Chair")), (meeting.secretary_id, _("Secretary"))):
        if person is not None:
            lines.append(Line(words, (names.get(person, ""),)))
    return lines


def _consent(agenda: list[PlannedItem]) -> list[Line]:
    adopted = [f"{p.number}. {p.item.title}" for p in agenda if p.item.adopted_by_consent_at]
    return [Line(_("Adopted by consent"), tuple(adopted))] if adopted else []


# -- per item: speakers, opinions, votes ---------------------------------------------------


def _duration(seconds: int) -> str:
    minutes, rest = divmod(max(seconds, 0), 60)
    return _("%(minutes)s min %(seconds)s s", minutes=minutes, seconds=rest)


def _turn(turn: FloorRequest, names: dict[int, str]) -> str:
    who = names.get(turn.user_id, "")
    if turn.topic:
        who = f"{who} ({turn.topic})"
    if turn.started_at is None:
        return who
    if turn.ended_at is None:
        return f"{who}: {_time(turn.started_at)}–"
    spoke = int((turn.ended_at - turn.started_at).total_seconds())
    return f"{who}: {_time(turn.started_at)}–{_time(turn.ended_at)}, {_duration(spoke)}"


def _turns(db: Session, meeting: Meeting, names: dict[int, str]) -> dict[Section, list[str]]:
    """Who spoke on which item and for how long, in the order the floor was given."""
    spoke = (FloorState.done, FloorState.speaking)
    query = select(FloorRequest).where(
        FloorRequest.meeting_id == meeting.id, col(FloorRequest.state).in_(spoke)
    )
    out: dict[Section, list[str]] = {}
    for turn in db.exec(query.order_by(col(FloorRequest.started_at), col(FloorRequest.id))):
        out.setdefault(turn.item_id, []).append(_turn(turn, names))
    return out


def _opinions(db: Session, meeting: Meeting, names: dict[int, str]) -> dict[Section, list[str]]:
    """The opinions the chair showed to everyone (the others stay the chair's)."""
    query = select(Opinion).where(Opinion.meeting_id == meeting.id, col(Opinion.public).is_(True))
    out: dict[Section, list[str]] = {}
    for said in db.exec(query.order_by(col(Opinion.created_at), col(Opinion.id))):
        out.setdefault(said.item_id, []).append(f"{names.get(said.user_id, '')}: {said.text}")
    return out


def _figures(result: dict[str, object]) -> str:
    return _(
        "%(took_part)s of %(members)s took part; %(in_favour)s in favour, %(against)s against, "
        "%(abstaining)s abstaining or other.",
        took_part=result.get("took_part", 0),
        members=result.get("members", 0),
        in_favour=result.get("in_favour", 0),
        against=result.get("against", 0),
        abstaining=result.get("abstaining", 0),
    )


def _vote(db: Session, poll: Poll) -> Line:
    """A closed vote: the question and outcome, the figures per option, the rule."""
    result = json.loads(poll.result) if poll.result else {}
    per = result.get("options", {})
    decided = result.get("candidates", {})
    options = []
    for option in options_of(db, poll.id or 0):
        said = f"{label(option)}: {per.get(str(option.id), 0)}"
        outcome = decided.get(str(option.id))
        options.append(f"{said} ({outcome_text({'outcome': outcome})})" if outcome else said)
    outcome = outcome_text(result)
    values = [f"{poll.question} — {outcome}" if outcome else poll.question, "; ".join(options)]
    if "outcome" in result:
        values.append(_figures(result))
        if result["outcome"] != "no_quorum":
            rule, needed = rule_text(poll), needed_text(poll, result)
            values.append(_("Rule: %(rule)s, that is %(needed)s.", rule=rule, needed=needed))
    if result.get("decided_by_chair"):
        values.append(_("The votes were tied: the side the chair voted for prevails."))
    elif result.get("tie"):
        values.append(_("The votes were tied."))
    return Line(_("Vote"), tuple(values))


def _votes(db: Session, meeting: Meeting) -> dict[Section, list[Line]]:
    counted = (PollState.closed, PollState.published)
    query = select(Poll).where(Poll.meeting_id == meeting.id, col(Poll.state).in_(counted))
    out: dict[Section, list[Line]] = {}
    for poll in db.exec(query.order_by(col(Poll.closed_at), col(Poll.id))):
        out.setdefault(poll.item_id, []).append(_vote(db, poll))
    return out


# -- the whole record ----------------------------------------------------------------------


def _item(planned: PlannedItem) -> list[Line]:
    adopted = planned.item.adopted_by_consent_at
    if adopted is None:
        return []
    return [Line(_("Adopted by consent"), (local_datetime(adopted, "short"),))]


def facts(db: Session, meeting: Meeting) -> dict[Section, list[Line]]:
    """The automatic lines of every section: None for the opening (facts, attendance, the
    consent block, and whatever happened on no item), else by agenda item id."""
    rows = participants(db, meeting.id or 0)
    names = _people(db, meeting, rows)
    agenda = agenda_of(db, meeting)
    opening = _facts(db, meeting, names) + _attendance(rows, names) + _consent(agenda)
    out: dict[Section, list[Line]] = {None: opening}
    out.update({p.item.id: _item(p) for p in agenda})
    turns, opinions = _turns(db, meeting, names), _opinions(db, meeting, names)
    for item_id, lines in out.items():
        if turns.get(item_id):
            lines.append(Line(_("Speakers"), tuple(turns[item_id])))
        if opinions.get(item_id):
            lines.append(Line(_("Opinions"), tuple(opinions[item_id])))
    for item_id, votes in _votes(db, meeting).items():
        out.setdefault(item_id, []).extend(votes)
    return out
