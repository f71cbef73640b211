"""The scene every task test starts from."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.factories import Factory
from tests.tasks.support import Scene, scene


@pytest.fixture
def s(factory: Factory, db: Session) -> Scene:
    return scene(factory, db)
