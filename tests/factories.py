"""Factory helpers that build real rows through the areas' own actions."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from meetings.accounts import totp
from meetings.accounts.models import User
from meetings.accounts.users import create_user
from meetings.agenda import actions as agenda_actions
from meetings.agenda import items as agenda_items
from meetings.agenda.models import AgendaItem, Meeting
from meetings.archive.audit import Actor
from meetings.db import utcnow
from meetings.organisations import actions as org_actions
from meetings.organisations.models import Body, BodyRole, Membership, Organisation

PASSWORD = "mot-mat-khau-rat-dai-2026"
_numbers = itertools.count(1)


class Factory:
    """`factory.user(...)`, `factory.organisation(...)`: each call makes a new, valid row."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self.actor = Actor(None, "test")

    def organisation(self, name: str = "") -> Organisation:
        n = next(_numbers)
        org = org_actions.create_organisation(
            self.db,
            name=name or f"Bộ Thử nghiệm {n}",
            short_name=f"BTN{n}",
            timezone="Asia/Ho_Chi_Minh",
            actor=self.actor,
        )
        self.db.commit()
        return org

    def user(
        self,
        name: str = "",
        *,
        organisation: Organisation | None = None,
        role: str = "member",
        email: str = "",
        password: str = PASSWORD,
    ) -> User:
        n = next(_numbers)
        user = create_user(
            self.db,
            email=email or f"user{n}@test.example",
            name=name or f"Người Dùng {n}",
            password=password,
            actor=self.actor,
        )
        if organisation is not None:
            self.join(user, organisation, role)
        return user

    def join(self, user: User, organisation: Organisation, role: str = "member") -> None:
        org_actions.add_person(
            self.db,
            organisation_id=organisation.id or 0,
            user_id=user.id or 0,
            role=role,
            actor=self.actor,
        )
        self.db.commit()

    def second_factor(self, user: User) -> str:
        """Turn two-factor login on for a user; return the TOTP secret."""
        user.totp_secret = totp.new_secret()
        user.totp_enabled_at = utcnow()
        self.db.add(user)
        self.db.commit()
        return user.totp_secret

    def body(self, organisation: Organisation, name: str = "") -> Body:
        return org_actions.create_body(
            self.db,
            organisation_id=organisation.id or 0,
            name=name or f"Hội đồng {next(_numbers)}",
            description="",
            actor=self.actor,
        )

    def meeting(
        self,
        body: Body,
        title: str = "Phiên họp Chính phủ thường kỳ",
        *,
        starts_at: datetime | None = None,
        items: int = 0,
        publish: bool = False,
    ) -> Meeting:
        """A meeting of the body tomorrow at 08:00 (Hà Nội), with `items` agenda items."""
        start = starts_at or datetime.now(UTC).replace(
            hour=1, minute=0, second=0, microsecond=0
        ) + timedelta(days=1)
        meeting = agenda_actions.create_meeting(
            self.db,
            actor=self.actor,
            body=body,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=4),
            place="Phòng họp Chính phủ",
        )
        for n in range(items):
            self.item(meeting, f"Nội dung {n + 1}")
        if publish:
            agenda_actions.publish(self.db, meeting, actor=self.actor)
        return meeting

    def item(
        self, meeting: Meeting, title: str = "Dự thảo Nghị định", **values: object
    ) -> AgendaItem:
        values.setdefault("duration_minutes", 30)
        return agenda_items.add_item(self.db, meeting, actor=self.actor, title=title, **values)

    def seat(
        self,
        body: Body,
        user: User,
        *,
        role: str = BodyRole.member,
        title: str = "Ủy viên",
        voting_right: bool = True,
        vote_weight: int = 1,
    ) -> Membership:
        return org_actions.set_seat(
            self.db,
            body=body,
            user_id=user.id or 0,
            title=title,
            role=role,
            voting_right=voting_right,
            vote_weight=vote_weight,
            assistant_id=None,
            actor=self.actor,
        )
