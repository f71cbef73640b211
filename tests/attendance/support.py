"""A body with a secretary, a chair and members, and a published meeting of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.agenda import actions as agenda
from meetings.agenda.models import Meeting
from meetings.archive.audit import Actor
from meetings.attendance import actions as attendance
from meetings.attendance.models import Participant
from meetings.db import utcnow
from meetings.organisations.models import Body, Organisation
from tests.client import Client
from tests.factories import Factory

ACTOR = Actor(None, "test")


@dataclass
class Scene:
    """Who is who around one meeting; `outsider` belongs to the organisation but is not invited."""

    db: Session
    org: Organisation
    body: Body
    secretary: User
    chair: User
    members: list[User]
    outsider: User
    meeting: Meeting = field(init=False)

    def row(self, user: User) -> Participant:
        """The user's invitation, as the database holds it now."""
        self.db.expire_all()
        return self.db.exec(
            select(Participant).where(
                Participant.meeting_id == self.meeting.id, Participant.user_id == user.id
            )
        ).one()

    def url(self, tail: str = "") -> str:
        return f"/meetings/{self.meeting.id}{tail}"

    def open(self, minutes_ago: int = 0) -> None:
        """Open the session, as if `minutes_ago` minutes ago."""
        agenda.open_session(self.db, self.meeting, actor=ACTOR)
        if minutes_ago:
            self.meeting.opened_at = utcnow() - timedelta(minutes=minutes_ago)
            self.db.add(self.meeting)
            self.db.commit()

    def check_in(self, user: User, presence: str = "in_room") -> None:
        attendance.check_in(self.db, self.meeting, self.row(user), actor=ACTOR, presence=presence)


def scene(factory: Factory, db: Session, members: int = 3, publish: bool = True) -> Scene:
    org = factory.organisation()
    body = factory.body(org)
    secretary = factory.user("Chánh Văn Phòng", organisation=org, role="secretary")
    chair = factory.user("Thủ Tướng Nguyễn", organisation=org)
    factory.seat(body, chair, role="chair", title="Thủ tướng")
    people = [factory.user(f"Bộ Trưởng {n + 1}", organisation=org) for n in range(members)]
    for person in people:
        factory.seat(body, person, title="Bộ trưởng")
    outsider = factory.user("Thứ Trưởng Lê", organisation=org)
    made = Scene(db, org, body, secretary, chair, people, outsider)
    made.meeting = factory.meeting(body, items=1, publish=publish)
    return made


def log_in(client: Client, user: User) -> None:
    """Log in with English pages."""
    client.cookies.set("ecab_lang", "en")
    client.log_in(user)
