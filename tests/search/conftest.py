"""The search scene for every search test."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from meetings.config import Config
from meetings.storage.blobs import LocalBlobStore
from tests.factories import Factory
from tests.search.support import Scene, build


@pytest.fixture
def scene(factory: Factory, db: Session, config: Config) -> Scene:
    return build(factory, db, LocalBlobStore(Path(config.storage_dir)))
