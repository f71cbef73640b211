"""Random tokens and their stored hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random token with `nbytes` of entropy."""
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """What we store instead of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
