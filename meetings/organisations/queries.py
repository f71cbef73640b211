"""Reads about organisations, bodies and memberships, always scoped by organisation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from meetings.accounts.models import User
from meetings.organisations.models import (
    Body,
    BodyRole,
    Membership,
    Organisation,
    OrganisationMember,
    OrgRole,
)


def holds_office(db: Session, user_id: int) -> bool:
    """True if the user administers or is secretary of any organisation or body."""
    office = db.exec(
        select(OrganisationMember.id).where(
            OrganisationMember.user_id == user_id,
            col(OrganisationMember.role).in_([OrgRole.admin, OrgRole.secretary]),
        )
    ).first()
    seat = db.exec(
        select(Membership.id).where(
            Membership.user_id == user_id, Membership.role == BodyRole.secretary
        )
    ).first()
    return office is not None or seat is not None


def organisations_of(db: Session, user_id: int) -> list[tuple[Organisation, str]]:
    """The organisations a user belongs to, with their role in each, by name."""
    rows = db.exec(
        select(Organisation, OrganisationMember.role)
        .join(OrganisationMember, col(OrganisationMember.organisation_id) == Organisation.id)
        .where(OrganisationMember.user_id == user_id)
        .order_by(Organisation.name)
    ).all()
    return [(org, role) for org, role in rows]


def default_organisation_id(db: Session, user_id: int) -> int | None:
    orgs = organisations_of(db, user_id)
    return orgs[0][0].id if orgs else None


def role_in(db: Session, organisation_id: int, user_id: int) -> str | None:
    return db.exec(
        select(OrganisationMember.role).where(
            OrganisationMember.organisation_id == organisation_id,
            OrganisationMember.user_id == user_id,
        )
    ).first()


def bodies(db: Session, organisation_id: int) -> list[Body]:
    return list(
        db.exec(
            select(Body)
            .where(Body.organisation_id == organisation_id, col(Body.archived_at).is_(None))
            .order_by(Body.name)
        )
    )


def body(db: Session, organisation_id: int, body_id: int) -> Body | None:
    """The body if it belongs to the organisation, else None (callers answer 404)."""
    found = db.get(Body, body_id)
    return found if found and found.organisation_id == organisation_id else None


@dataclass(frozen=True)
class Seat:
    """A membership with the people it names."""

    membership: Membership
    user: User
    assistant: User | None


def seats(db: Session, body_id: int) -> list[Seat]:
    """The members of a body in protocol order."""
    rows = db.exec(
        select(Membership, User)
        .join(User, col(User.id) == Membership.user_id)
        .where(Membership.body_id == body_id)
        .order_by(col(Membership.position), col(Membership.id))
    ).all()
    assistant_ids = {m.assistant_id for m, _u in rows if m.assistant_id}
    assistants = (
        {u.id: u for u in db.exec(select(User).where(col(User.id).in_(assistant_ids)))}
        if assistant_ids
        else {}
    )
    return [Seat(m, u, assistants.get(m.assistant_id)) for m, u in rows]


def membership(db: Session, body_id: int, membership_id: int) -> Membership | None:
    found = db.get(Membership, membership_id)
    return found if found and found.body_id == body_id else None


def people(db: Session, organisation_id: int) -> list[tuple[User, str]]:
    """Everyone in the organisation with their organisation role, by name."""
    rows = db.exec(
        select(User, OrganisationMember.role)
        .join(OrganisationMember, col(OrganisationMember.user_id) == User.id)
        .where(OrganisationMember.organisation_id == organisation_id)
        .order_by(User.name)
    ).all()
    return [(user, role) for user, role in rows]


def person(db: Session, organisation_id: int, user_id: int) -> User | None:
    """A user if they belong to the organisation, else None."""
    if role_in(db, organisation_id, user_id) is None:
        return None
    return db.get(User, user_id)


def belongs_elsewhere(db: Session, user_id: int, organisation_id: int) -> bool:
    """True if the user is also a person of some other organisation."""
    other = db.exec(
        select(OrganisationMember.id).where(
            OrganisationMember.user_id == user_id,
            OrganisationMember.organisation_id != organisation_id,
        )
    ).first()
    return other is not None


def seat_of(db: Session, body_id: int, user_id: int) -> Membership | None:
    """A person's seat in a body, if they have one."""
    return db.exec(
        select(Membership).where(Membership.body_id == body_id, Membership.user_id == user_id)
    ).first()


def seat_count(db: Session, body_id: int) -> int:
    """How many seats a body has (the next seat's place in protocol order)."""
    return db.exec(
        select(func.count()).select_from(Membership).where(Membership.body_id == body_id)
    ).one()
