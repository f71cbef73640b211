"""Every change to organisations, bodies and memberships."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from meetings.accounts import users
from meetings.accounts.models import User
from meetings.archive.audit import Actor, record
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.organisations import queries
from meetings.organisations.models import (
    Body,
    BodyRole,
    Membership,
    Organisation,
    OrganisationMember,
    OrgRole,
)
from meetings.text import fold, nfc

if TYPE_CHECKING:
    from meetings.organisations.imports import ImportRow


class OrganisationError(Refusal):
    """A refused change in this area."""


def slugify(text: str) -> str:
    ascii_text = fold(text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "org"


def create_organisation(
    db: Session, *, name: str, short_name: str, timezone: str, actor: Actor
) -> Organisation:
    name = " ".join(name.split())
    if not name:
        raise OrganisationError(_("Enter the organisation's name."), "name")
    slug = base = slugify(short_name or name)
    n = 1
    while db.exec(select(Organisation.id).where(Organisation.slug == slug)).first():
        n += 1
        slug = f"{base}-{n}"
    org = Organisation(name=name, short_name=short_name or name, slug=slug, timezone=timezone)
    db.add(org)
    db.flush()
    record(db, actor, "organisation.created", ("organisation", org.id), organisation_id=org.id)
    return org


def add_person(
    db: Session, *, organisation_id: int, user_id: int, role: str, actor: Actor
) -> OrganisationMember:
    """Give a user a place in the organisation (or change their role there)."""
    if role not in OrgRole.__members__:
        raise OrganisationError(_("Choose a role from the list."), "role")
    row = db.exec(
        select(OrganisationMember).where(
            OrganisationMember.organisation_id == organisation_id,
            OrganisationMember.user_id == user_id,
        )
    ).first() or OrganisationMember(organisation_id=organisation_id, user_id=user_id)
    row.role = role
    db.add(row)
    db.flush()
    record(db, actor, "organisation.person_set", ("user", user_id), role=role)
    return row


def _body_fields(name: str, description: str) -> tuple[str, str]:
    name = " ".join(name.split())
    if not name:
        raise OrganisationError(_("Enter the body's name."), "name")
    if len(name) > 200:
        raise OrganisationError(_("The name is too long (200 characters at most)."), "name")
    if len(description) > 2000:
        raise OrganisationError(
            _("The description is too long (2,000 characters at most)."), "description"
        )
    return name, description.strip()


def create_body(
    db: Session, *, organisation_id: int, name: str, description: str, actor: Actor
) -> Body:
    name, description = _body_fields(name, description)
    body = Body(organisation_id=organisation_id, name=name, description=description)
    db.add(body)
    db.flush()
    record(db, actor, "body.created", ("body", body.id), name=name)
    db.commit()
    return body


def update_body(db: Session, *, body: Body, name: str, description: str, actor: Actor) -> Body:
    body.name, body.description = _body_fields(name, description)
    db.add(body)
    record(db, actor, "body.updated", ("body", body.id), name=body.name)
    db.commit()
    return body


def set_body_rules(
    db: Session,
    *,
    body: Body,
    quorum_numerator: int,
    quorum_denominator: int,
    substitutes_count_for_quorum: bool,
    substitutes_may_vote: bool,
    remote_counts_for_quorum: bool,
    actor: Actor,
) -> Body:
    """Set the body's meeting rules: quorum as a fraction of its seats, substitutes, remote."""
    if not 1 <= quorum_denominator <= 100:
        message = _("The denominator must be a whole number from 1 to 100.")
        raise OrganisationError(message, "quorum_denominator")
    if not 1 <= quorum_numerator <= quorum_denominator:
        message = _("The numerator must be a whole number from 1 to the denominator.")
        raise OrganisationError(message, "quorum_numerator")
    body.quorum_numerator, body.quorum_denominator = quorum_numerator, quorum_denominator
    body.substitutes_count_for_quorum = substitutes_count_for_quorum
    body.substitutes_may_vote = substitutes_may_vote
    body.remote_counts_for_quorum = remote_counts_for_quorum
    db.add(body)
    record(
        db,
        actor,
        "body.rules_set",
        ("body", body.id),
        quorum=f"{quorum_numerator}/{quorum_denominator}",
        substitutes_count=substitutes_count_for_quorum,
        substitutes_vote=substitutes_may_vote,
        remote_counts=remote_counts_for_quorum,
    )
    db.commit()
    return body


def _check_seat(
    db: Session, body: Body, *, user_id: int, role: str, weight: int, assistant_id: int | None
) -> None:
    if queries.person(db, body.organisation_id, user_id) is None:
        raise OrganisationError(_("Choose a person of this organisation."), "user_id")
    if role not in BodyRole.__members__:
        raise OrganisationError(_("Choose a role from the list."), "role")
    if not 0 <= weight <= 100:
        raise OrganisationError(
            _("The vote weight must be a whole number from 0 to 100."), "vote_weight"
        )
    if assistant_id is not None:
        if assistant_id == user_id:
            raise OrganisationError(_("A member cannot be their own assistant."), "assistant_id")
        if queries.person(db, body.organisation_id, assistant_id) is None:
            raise OrganisationError(
                _("Choose an assistant from this organisation."), "assistant_id"
            )


def set_seat(
    db: Session,
    *,
    body: Body,
    user_id: int,
    title: str,
    role: str,
    voting_right: bool,
    vote_weight: int,
    assistant_id: int | None,
    actor: Actor,
    commit: bool = True,
) -> Membership:
    """Add a member to a body, or update their seat if they already have one."""
    _check_seat(db, body, user_id=user_id, role=role, weight=vote_weight, assistant_id=assistant_id)
    seat = db.exec(
        select(Membership).where(Membership.body_id == body.id, Membership.user_id == user_id)
    ).first()
    if seat is None:
        seat = Membership(
            body_id=body.id or 0, user_id=user_id, position=queries.seat_count(db, body.id or 0)
        )
    seat.title = " ".join(title.split())[:200]
    seat.role = role
    seat.voting_right = voting_right and role != BodyRole.guest
    seat.vote_weight = vote_weight if seat.voting_right else 0
    seat.assistant_id = assistant_id
    db.add(seat)
    db.flush()
    record(
        db,
        actor,
        "body.seat_set",
        ("membership", seat.id),
        body_id=body.id,
        user_id=user_id,
        role=role,
    )
    if commit:
        db.commit()
    return seat


def remove_seat(db: Session, *, body: Body, seat: Membership, actor: Actor) -> None:
    record(
        db,
        actor,
        "body.seat_removed",
        ("membership", seat.id),
        body_id=body.id,
        user_id=seat.user_id,
    )
    db.delete(seat)
    db.commit()


# -- administration: people, seats, imports -----------------------------------------


def create_person(
    db: Session,
    *,
    organisation_id: int,
    email: str,
    name: str,
    password: str,
    role: str,
    actor: Actor,
) -> User:
    """A new account that belongs to the organisation, created in one transaction."""
    if role not in OrgRole.__members__:
        raise OrganisationError(_("Choose a role from the list."), "role")
    try:
        user = users.create_user(
            db, email=email, name=nfc(name), password=password, actor=actor, commit=False
        )
        add_person(
            db, organisation_id=organisation_id, user_id=user.id or 0, role=role, actor=actor
        )
    except Refusal:
        db.rollback()
        raise
    db.commit()
    return user


def set_person_role(
    db: Session, *, organisation_id: int, user_id: int, role: str, actor: Actor
) -> None:
    """Change a person's role in the organisation; administrators cannot demote themselves."""
    if user_id == actor.user_id and role != OrgRole.admin:
        message = _("You cannot take away your own administrator role. Ask another administrator.")
        raise OrganisationError(message, "role", 409)
    add_person(db, organisation_id=organisation_id, user_id=user_id, role=role, actor=actor)
    db.commit()


def _check_account_change(
    db: Session, *, organisation_id: int, user: User, actor: Actor, own: str
) -> None:
    if user.id == actor.user_id:
        raise OrganisationError(own, status=409)
    if queries.belongs_elsewhere(db, user.id or 0, organisation_id):
        message = _(
            "This person also belongs to another organisation, so only a system administrator "
            "can disable, re-enable or set a password for their account."
        )
        raise OrganisationError(message, status=409)


def set_person_active(
    db: Session, *, organisation_id: int, user: User, active: bool, actor: Actor
) -> None:
    """Disable or re-enable the account of someone who belongs to this organisation only."""
    own = _("You cannot disable your own account.")
    _check_account_change(db, organisation_id=organisation_id, user=user, actor=actor, own=own)
    users.set_active(db, user=user, active=active, actor=actor)


def set_person_password(
    db: Session, *, organisation_id: int, user: User, password: str, actor: Actor
) -> None:
    """Set the password of someone who belongs to this organisation only."""
    own = _("Change your own password from My account.")
    _check_account_change(db, organisation_id=organisation_id, user=user, actor=actor, own=own)
    users.set_password(db, user=user, password=password, actor=actor)


def add_seat(
    db: Session,
    *,
    body: Body,
    user_id: int,
    title: str,
    role: str,
    voting_right: bool,
    vote_weight: int,
    assistant_id: int | None,
    actor: Actor,
) -> Membership:
    """Give a person a new seat in a body (one seat per person and body)."""
    if queries.seat_of(db, body.id or 0, user_id) is not None:
        message = _("This person already has a seat in this body. Change that seat instead.")
        raise OrganisationError(message, "user_id")
    return set_seat(
        db,
        body=body,
        user_id=user_id,
        title=nfc(title),
        role=role,
        voting_right=voting_right,
        vote_weight=vote_weight,
        assistant_id=assistant_id,
        actor=actor,
    )


def import_members(db: Session, *, body: Body, rows: Sequence[ImportRow], actor: Actor) -> int:
    """Create the new accounts and set every seat of a checked import: all rows or none."""
    if not rows or any(row.errors for row in rows):
        message = _("Nothing was imported, because some rows have errors. Correct them first.")
        raise OrganisationError(message)
    try:
        for row in rows:
            _import_row(db, body, row, actor)
        created = sum(1 for row in rows if row.user_id is None)
        record(
            db, actor, "body.members_imported", ("body", body.id), rows=len(rows), created=created
        )
    except Refusal:
        db.rollback()
        raise
    db.commit()
    return len(rows)


def _import_row(db: Session, body: Body, row: ImportRow, actor: Actor) -> None:
    user_id = row.user_id
    if user_id is None:
        # No password yet: the administrator sets a real one later.
        user = users.create_user(
            db,
            email=row.email,
            name=row.name,
            password=None,
            actor=actor,
            commit=False,
        )
        user_id = user.id or 0
        add_person(
            db, organisation_id=body.organisation_id, user_id=user_id, role="member", actor=actor
        )
    set_seat(
        db,
        body=body,
        user_id=user_id,
        title=row.title,
        role=row.role,
        voting_right=row.voting_right,
        vote_weight=row.vote_weight,
        assistant_id=row.assistant_id,
        actor=actor,
        commit=False,
    )
