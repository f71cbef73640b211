"""Every change to accounts: log in, second factor, passwords, API tokens, users."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from meetings.accounts import passwords, sessions, throttle, token_use, totp
from meetings.accounts.models import ApiToken, LoginSession, SessionStage, User
from meetings.archive.audit import Actor, record
from meetings.config import Config
from meetings.db import utcnow
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.organisations import queries as org_queries
from meetings.security import new_token, token_hash


class AccountError(Refusal):
    """A refused change in this area."""


@dataclass
class LoginOutcome:
    """What a login attempt led to."""

    status: str  # ok | second_factor | enrol | throttled | invalid
    key: str = ""
    session: LoginSession | None = None
    minutes: int = 0
    recovery_codes: list[str] = field(default_factory=list)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def requires_second_factor(db: Session, user: User) -> bool:
    """Administrators and secretaries must use two-factor login."""
    assert user.id is not None
    return org_queries.holds_office(db, user.id)


def _first_stage(db: Session, user: User) -> SessionStage:
    if user.totp_enabled_at is not None:
        return SessionStage.second_factor
    return SessionStage.enrol if requires_second_factor(db, user) else SessionStage.full


def log_in(
    db: Session, config: Config, *, email: str, password: str, ip: str, user_agent: str
) -> LoginOutcome:
    """Check a password (throttled); open a session at the stage the account needs."""
    email = normalise_email(email)
    blocked = throttle.minutes_blocked(db, config, email=email, ip=ip)
    if blocked:
        record(db, Actor(None, ip), "login.throttled", email=email)
        db.commit()
        return LoginOutcome("throttled", minutes=blocked)
    user = db.exec(select(User).where(User.email == email)).first()
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        throttle.note(db, email=email, ip=ip, success=False)
        record(db, Actor(user.id if user else None, ip), "login.failed", email=email)
        db.commit()
        return LoginOutcome("invalid")
    throttle.note(db, email=email, ip=ip, success=True)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        db.add(user)
    stage = _first_stage(db, user)
    assert user.id is not None
    key, row = sessions.start(
        db,
        config,
        user_id=user.id,
        ip=ip,
        user_agent=user_agent,
        stage=stage,
        organisation_id=org_queries.default_organisation_id(db, user.id),
    )
    record(db, Actor(user.id, ip), "login.password_ok", ("user", user.id), stage=str(stage))
    db.commit()
    return LoginOutcome("ok" if stage == SessionStage.full else str(stage), key, row)


def _promote(db: Session, config: Config, old: LoginSession, ip: str) -> tuple[str, LoginSession]:
    """Replace a partial session with a full one under a new key."""
    sessions.end(db, old)
    return sessions.start(
        db,
        config,
        user_id=old.user_id,
        ip=ip,
        user_agent=old.user_agent,
        organisation_id=old.organisation_id,
    )


def give_second_factor(
    db: Session, config: Config, *, login: LoginSession, code: str, ip: str
) -> LoginOutcome:
    """Finish a login with a TOTP code or a recovery code."""
    user = db.get(User, login.user_id)
    assert user is not None
    blocked = throttle.minutes_blocked(db, config, email=user.email, ip=ip)
    if blocked:
        return LoginOutcome("throttled", minutes=blocked)
    if not (totp.check_code(user, code) or totp.use_recovery_code(db, user, code)):
        throttle.note(db, email=user.email, ip=ip, success=False)
        record(db, Actor(user.id, ip), "login.second_factor_failed", ("user", user.id))
        db.commit()
        return LoginOutcome("invalid")
    db.add(user)
    key, row = _promote(db, config, login, ip)
    record(db, Actor(user.id, ip), "login", ("user", user.id), second_factor=True)
    db.commit()
    return LoginOutcome("ok", key, row)


def enrol_second_factor(
    db: Session, config: Config, *, login: LoginSession, secret: str, code: str, ip: str
) -> LoginOutcome:
    """Turn on TOTP after the first correct code; a partial session becomes full."""
    user = db.get(User, login.user_id)
    assert user is not None
    if not totp.check_code(user, code, secret):
        raise AccountError(
            _("That code is not right. Check the time on your phone and try the new code."), "code"
        )
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    codes = totp.new_recovery_codes(db, user)
    db.add(user)
    key, row = "", login
    if login.stage != SessionStage.full:
        key, row = _promote(db, config, login, ip)
    record(db, Actor(user.id, ip), "account.second_factor_enrolled", ("user", user.id))
    db.commit()
    return LoginOutcome("ok", key, row, recovery_codes=codes)


def disable_second_factor(db: Session, *, user: User, code: str, actor: Actor) -> None:
    if requires_second_factor(db, user):
        raise AccountError(_("Your role requires two-factor login; it cannot be turned off."))
    if not totp.check_code(user, code):
        raise AccountError(_("That code is not right."), "code")
    user.totp_secret = None
    user.totp_enabled_at = None
    totp.new_recovery_codes(db, user)
    db.add(user)
    record(db, actor, "account.second_factor_disabled", ("user", user.id))
    db.commit()


def new_recovery_codes(db: Session, *, user: User, actor: Actor) -> list[str]:
    codes = totp.new_recovery_codes(db, user)
    record(db, actor, "account.recovery_codes_renewed", ("user", user.id))
    db.commit()
    return codes


def log_out(db: Session, *, login: LoginSession, actor: Actor) -> None:
    sessions.end(db, login)
    record(db, actor, "logout", ("user", login.user_id))
    db.commit()


def end_session(db: Session, *, user: User, session_id: int, actor: Actor) -> bool:
    """End one of the user's own sessions; False if it is not theirs."""
    row = db.get(LoginSession, session_id)
    if row is None or row.user_id != user.id:
        return False
    sessions.end(db, row)
    record(db, actor, "session.ended", ("session", session_id))
    db.commit()
    return True


def end_other_sessions(db: Session, *, user: User, keep_id: int | None, actor: Actor) -> int:
    assert user.id is not None
    ended = sessions.end_all(db, user.id, keep_id=keep_id)
    record(db, actor, "session.ended_all", ("user", user.id), count=ended)
    db.commit()
    return ended


def change_password(
    db: Session, *, user: User, current: str, new: str, keep_session_id: int | None, actor: Actor
) -> None:
    """Change one's own password; every other session ends."""
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError(_("The current password is not right."), "current")
    problem = passwords.password_problem(new, email=user.email, name=user.name)
    if problem:
        raise AccountError(problem, "new")
    user.password_hash = passwords.hash_password(new)
    user.password_changed_at = utcnow()
    db.add(user)
    assert user.id is not None
    sessions.end_all(db, user.id, keep_id=keep_session_id)
    record(db, actor, "account.password_changed", ("user", user.id))
    db.commit()


def set_locale(db: Session, *, user: User, locale: str) -> None:
    user.locale = locale
    db.add(user)
    db.commit()


def create_api_token(db: Session, *, user: User, name: str, actor: Actor) -> str:
    """Make a Bearer token for the user; return it (shown once, only its hash is kept)."""
    name = name.strip()
    if not name:
        raise AccountError(_("Give the token a name, e.g. the program that will use it."), "name")
    token = f"ecab_{new_token()}"
    row = ApiToken(
        user_id=user.id or 0, name=name[:100], token_hash=token_hash(token), prefix=token[:12]
    )
    db.add(row)
    db.flush()
    record(db, actor, "token.created", ("token", row.id), name=name)
    db.commit()
    return token


def revoke_api_token(db: Session, *, user: User, token_id: int, actor: Actor) -> bool:
    row = db.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    db.add(row)
    record(db, actor, "token.revoked", ("token", token_id))
    db.commit()
    return True


def user_for_token(db: Session, token: str) -> User | None:
    """The active user behind a Bearer token, noting its use; None if unknown or revoked."""
    row = db.exec(select(ApiToken).where(ApiToken.token_hash == token_hash(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    user = db.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    token_use.note(db, row)
    return user
