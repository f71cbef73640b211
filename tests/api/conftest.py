"""Fixtures for the API tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from meetings.accounts.actions import create_api_token
from meetings.accounts.models import User
from meetings.archive.audit import Actor


@pytest.fixture
def bearer(db: Session) -> Callable[[User], dict[str, str]]:
    """`bearer(user)`: the Authorization header of a fresh API token of that user."""

    def make(user: User) -> dict[str, str]:
        token = create_api_token(db, user=user, name="test script", actor=Actor(user.id, "test"))
        return {"Authorization": f"Bearer {token}"}

    return make
