"""TOTP two-factor login: secrets, QR codes, code checks without replay, recovery codes."""

from __future__ import annotations

import secrets
import time

import pyotp
import segno
from sqlmodel import Session, col, select

from meetings.accounts.models import RecoveryCode, User
from meetings.db import utcnow
from meetings.security import token_hash

ISSUER = "e-Cabinet"
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code for an authenticator app, as inline SVG (no script, CSP-safe)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#111", light="#fff")


def matching_step(secret: str, code: str, *, now: float | None = None) -> int | None:
    """The time step a code belongs to (allowing one step of clock drift), or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    current = int(moment // totp.interval)
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def check_code(user: User, code: str, secret: str | None = None) -> bool:
    """Accept a TOTP code once: a code whose step was already used is refused."""
    secret = secret or user.totp_secret
    if not secret:
        return False
    step = matching_step(secret, code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def new_recovery_codes(db: Session, user: User) -> list[str]:
    """Replace the user's recovery codes; return the new ones (shown once)."""
    for old in db.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.delete(old)
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    for code in codes:
        db.add(RecoveryCode(user_id=user.id, code_hash=token_hash(_normalise(code))))
    return codes


def use_recovery_code(db: Session, user: User, code: str) -> bool:
    row = db.exec(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == token_hash(_normalise(code)),
            col(RecoveryCode.used_at).is_(None),
        )
    ).first()
    if row is None:
        return False
    row.used_at = utcnow()
    db.add(row)
    return True


def recovery_codes_left(db: Session, user: User) -> int:
    rows = db.exec(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id, col(RecoveryCode.used_at).is_(None)
        )
    ).all()
    return len(rows)
