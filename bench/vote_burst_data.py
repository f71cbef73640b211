"""The data of bench.vote_burst: a meeting in session with every voter checked in, one open
live vote, an API token per voter and per secretary, and what was stored after the burst.

The organisation, the body, the meeting (published: its seats are invited), the session and the
vote go through the areas' own actions. The people, their seats, their tokens and their
check-in are plain rows written in one transaction each (the actions would add an audit entry
and a commit per row: minutes for a few thousand rows, and nothing the burst depends on).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, update
from sqlmodel import Session, col, func, select

from meetings.accounts.models import ApiToken, User
from meetings.accounts.users import NO_PASSWORD
from meetings.agenda import actions as agenda
from meetings.archive.audit import Actor, check_chain
from meetings.attendance.models import Participant, Presence
from meetings.cli import upgrade_database
from meetings.db import make_engine, utcnow
from meetings.organisations.models import Body, BodyRole, Membership, Organisation
from meetings.organisations.models import OrganisationMember as Staff
from meetings.security import new_token, token_hash
from meetings.voting import actions as voting
from meetings.voting.models import Eligible, Meaning, PollOption, SecretBallot, Turnout, Vote
from tests.factories import Factory

ACTOR = Actor(None, "bench")


@dataclass(frozen=True)
class Scene:
    meeting_id: int
    poll_id: int
    in_favour: int  # the option every voter chooses
    voter_tokens: list[str]  # one per eligible voter, the chair's first
    watcher_tokens: list[str]  # secretaries: shared round-robin by the sockets


@dataclass(frozen=True)
class Stored:
    """What the database holds for the poll after the burst, and whether the audit chain holds."""

    eligible: int
    votes: int  # named: Vote rows; secret: SecretBallot rows
    voters: int  # distinct voters (named: Vote.voter_id; secret: Turnout rows)
    audit_entries: int
    audit_broken_at: int | None


def is_empty(database_url: str) -> bool:
    engine = make_engine(database_url)
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _people(db: Session, org: Organisation, role: str, count: int) -> list[User]:
    users = [
        User(
            email=f"{role}{n}@bench.example", name=f"{role.title()} {n}", password_hash=NO_PASSWORD
        )
        for n in range(1, count + 1)
    ]
    db.add_all(users)
    db.flush()
    db.add_all(Staff(organisation_id=org.id or 0, user_id=u.id or 0, role=role) for u in users)
    return users


def _seats(db: Session, body: Body, voters: list[User]) -> None:
    db.add_all(
        Membership(
            body_id=body.id or 0,
            user_id=u.id or 0,
            title="Bộ trưởng",
            role=BodyRole.chair if n == 0 else BodyRole.member,
            position=n,
        )
        for n, u in enumerate(voters)
    )


def _tokens(db: Session, users: list[User], name: str) -> list[str]:
    tokens = [f"ecab_{new_token()}" for _ in users]
    db.add_all(
        ApiToken(user_id=u.id or 0, name=name, token_hash=token_hash(t), prefix=t[:12])
        for u, t in zip(users, tokens, strict=True)
    )
    return tokens


def _check_in_everyone(db: Session, meeting_id: int) -> None:
    db.execute(
        update(Participant)
        .where(col(Participant.meeting_id) == meeting_id)
        .values(presence=Presence.in_room, checked_in_at=utcnow())
    )
    db.commit()


def prepare(database_url: str, *, voters: int, watchers: int, secret: bool) -> Scene:
    """A new database: `voters` seats (a chair and members), all checked in, and an open vote;
    `watchers` secretaries with tokens."""
    upgrade_database(database_url)
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as db:
        factory = Factory(db)
        org = factory.organisation("Văn phòng Chính phủ")
        body = factory.body(org, "Phiên họp Chính phủ")
        seated = _people(db, org, "member", voters)
        _seats(db, body, seated)
        secretaries = _people(db, org, "secretary", watchers)
        voter_tokens = _tokens(db, seated, "tablet")
        watcher_tokens = _tokens(db, secretaries, "screen")
        db.commit()
        meeting = factory.meeting(body, items=1, publish=True)
        agenda.open_session(db, meeting, actor=ACTOR)
        _check_in_everyone(db, meeting.id or 0)
        question = "Thông qua dự thảo Nghị định"
        poll = voting.create(
            db, body, actor=ACTOR, question=question, meeting=meeting, secret=secret
        )
        voting.open_poll(db, poll, actor=ACTOR)
        in_favour = db.exec(
            select(PollOption.id).where(
                PollOption.poll_id == poll.id, PollOption.meaning == Meaning.in_favour
            )
        ).one()
        scene = Scene(meeting.id or 0, poll.id or 0, in_favour or 0, voter_tokens, watcher_tokens)
    engine.dispose()
    return scene


def _count(db: Session, table: type, poll_id: int, column: str = "") -> int:
    counted = func.count(func.distinct(getattr(table, column))) if column else func.count()
    query = select(counted).select_from(table).where(col(table.poll_id) == poll_id)  # type: ignore[attr-defined]
    return int(db.exec(query).one())


def stored(database_url: str, poll_id: int, *, secret: bool) -> Stored:
    engine = make_engine(database_url)
    try:
        with Session(engine) as db:
            eligible = _count(db, Eligible, poll_id)
            if secret:
                votes, voters = _count(db, SecretBallot, poll_id), _count(db, Turnout, poll_id)
            else:
                votes, voters = _count(db, Vote, poll_id), _count(db, Vote, poll_id, "voter_id")
            chain = check_chain(db)
            return Stored(eligible, votes, voters, chain.records, chain.broken_at)
    finally:
        engine.dispose()
