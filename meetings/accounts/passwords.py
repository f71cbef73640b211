"""Password hashing (Argon2id, OWASP parameters) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from meetings.i18n import _
from meetings.text import fold

MIN_LENGTH = 10
# Words that people here put in passwords; zxcvbn treats them as a dictionary.
LOCAL_WORDS = (
    "matkhau",
    "mat khau",
    "chinhphu",
    "vietnam",
    "hanoi",
    "ecabinet",
    "cabinet",
    "admin",
    "quantri",
    "thuky",
    "bimat",
    "ubnd",
    "hoithao",
    "phienhop",
)
MAX_LENGTH = 256

# OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB of memory, 2 iterations, 1 lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

# A real hash to verify against when the account does not exist, so that an unknown
# address takes as long to refuse as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True if the password matches; spends the same time when there is no usable hash."""
    if stored_hash is not None and not stored_hash.startswith("$argon2"):
        stored_hash = None
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """A message saying what is wrong with a new password, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("The password must have at least %(n)s characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("The password must have at most %(n)s characters.", n=MAX_LENGTH)
    folded = fold(name)
    names = (*name.split(), *folded.split(), folded.replace(" ", ""))
    hints = [part for part in (email, email.split("@")[0], *names, *LOCAL_WORDS) if part]
    if zxcvbn(password[:100], user_inputs=hints)["score"] < 3:
        return _(
            "This password is too common or too easy to guess. "
            "Use a longer phrase of several unrelated words."
        )
    return None
