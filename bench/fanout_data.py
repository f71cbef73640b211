"""The data of bench.fanout: a meeting in session, its members and secretaries, API tokens.

Everything goes through the areas' own actions. The accounts have no password (set later, as the
CLI allows), so making a few hundred of them costs no password hashing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sqlmodel import Session

from meetings.accounts.actions import create_api_token
from meetings.accounts.models import User
from meetings.accounts.users import create_user
from meetings.agenda import actions as agenda
from meetings.archive.audit import Actor
from meetings.cli import upgrade_database
from meetings.db import make_engine
from meetings.organisations import actions as org_actions
from meetings.organisations.models import Body, BodyRole, Organisation
from tests.factories import Factory

ACTOR = Actor(None, "bench")
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Scene:
    meeting_id: int
    watcher_tokens: list[str]  # secretaries: their sockets get the console view
    member_tokens: list[str]  # members: each checks in once


def _person(db: Session, org: Organisation, name: str, role: str) -> User:
    email = f"{role}{next(_numbers)}@bench.example"
    user = create_user(db, email=email, name=name, password=None, actor=ACTOR, commit=False)
    org_actions.add_person(
        db, organisation_id=org.id or 0, user_id=user.id or 0, role=role, actor=ACTOR
    )
    return user


def _seat(db: Session, body: Body, user: User, role: str = BodyRole.member) -> None:
    org_actions.set_seat(
        db,
        body=body,
        user_id=user.id or 0,
        title="Bộ trưởng",
        role=role,
        voting_right=True,
        vote_weight=1,
        assistant_id=None,
        actor=ACTOR,
        commit=False,
    )


def prepare(database_url: str, *, watchers: int, members: int) -> Scene:
    """A new database with one published meeting, in session, of a body of `members` seats."""
    upgrade_database(database_url)
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as db:
        factory = Factory(db)
        org = factory.organisation("Văn phòng Chính phủ")
        body = factory.body(org, "Phiên họp Chính phủ")
        chair = _person(db, org, "Thủ Tướng", "member")
        _seat(db, body, chair, BodyRole.chair)
        seated = [_person(db, org, f"Bộ Trưởng {n + 1}", "member") for n in range(members)]
        for user in seated:
            _seat(db, body, user)
        secretaries = [_person(db, org, f"Thư Ký {n + 1}", "secretary") for n in range(watchers)]
        db.commit()
        meeting = factory.meeting(body, items=1, publish=True)
        agenda.open_session(db, meeting, actor=ACTOR)
        scene = Scene(
            meeting.id or 0,
            [create_api_token(db, user=u, name="console", actor=ACTOR) for u in secretaries],
            [create_api_token(db, user=u, name="tablet", actor=ACTOR) for u in seated],
        )
    engine.dispose()
    return scene
