"""Creating and maintaining user accounts (administrators and the CLI)."""

from __future__ import annotations

from email.utils import parseaddr

from sqlmodel import Session, select

from meetings.accounts import passwords, sessions
from meetings.accounts.actions import AccountError, normalise_email
from meetings.accounts.models import User
from meetings.archive.audit import Actor, record
from meetings.i18n import _


def email_problem(email: str) -> str | None:
    _name, address = parseaddr(email)
    local, _at, domain = address.partition("@")
    if address != email or not local or "." not in domain or " " in email:
        return _("Enter an e-mail address such as name@example.gov.vn.")
    return None


def find_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == normalise_email(email))).first()


# Stored for accounts that have no password yet: it is not an Argon2 hash, so nothing matches it.
NO_PASSWORD = "!no-password-set"  # noqa: S105  (a marker, not a password)


def create_user(
    db: Session, *, email: str, name: str, password: str | None, actor: Actor, commit: bool = True
) -> User:
    """A new active account; the password must pass the policy, or be None (set one later)."""
    email = normalise_email(email)
    name = " ".join(name.split())
    problem = email_problem(email)
    if problem:
        raise AccountError(problem, "email")
    if not name:
        raise AccountError(_("Enter the person's full name."), "name")
    if find_by_email(db, email):
        raise AccountError(_("An account with this e-mail address already exists."), "email")
    problem = password and passwords.password_problem(password, email=email, name=name)
    if problem:
        raise AccountError(problem, "password")
    stored = passwords.hash_password(password) if password else NO_PASSWORD
    user = User(email=email, name=name[:200], password_hash=stored)
    db.add(user)
    db.flush()
    record(db, actor, "user.created", ("user", user.id), email=email)
    if commit:
        db.commit()
    return user


def set_password(db: Session, *, user: User, password: str, actor: Actor) -> None:
    """Set a new password for someone (administrator or CLI); their sessions end."""
    problem = passwords.password_problem(password, email=user.email, name=user.name)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = passwords.hash_password(password)
    db.add(user)
    assert user.id is not None
    sessions.end_all(db, user.id)
    record(db, actor, "user.password_set", ("user", user.id))
    db.commit()


def set_active(db: Session, *, user: User, active: bool, actor: Actor) -> None:
    """Disable (ending every session) or re-enable an account; it is never deleted."""
    user.is_active = active
    db.add(user)
    assert user.id is not None
    if not active:
        sessions.end_all(db, user.id)
    record(db, actor, "user.enabled" if active else "user.disabled", ("user", user.id))
    db.commit()
