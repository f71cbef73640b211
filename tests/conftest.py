"""Shared fixtures: one migrated database per run, emptied after every test; real HTTP clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from meetings import config as config_module
from meetings.cli import upgrade_database
from meetings.config import Config
from meetings.db import make_engine
from meetings.schema import metadata
from meetings.web.app import create_app
from tests.client import Client
from tests.factories import Factory

TEST_DATABASE_URL = os.environ.get("MEETINGS_TEST_DATABASE_URL", "")


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def storage_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("storage")


@pytest.fixture(scope="session")
def database_url(storage_dir: Path) -> str:
    """A database migrated from empty to head once per run (SQLite, or the given PostgreSQL)."""
    url = TEST_DATABASE_URL or f"sqlite:///{storage_dir / 'test.sqlite3'}"
    if url.startswith("postgresql"):
        _reset_postgres(url)
    upgrade_database(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _empty(engine: Engine) -> None:
    tables = [table.name for table in reversed(metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{name}"' for name in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                connection.execute(text(f'DELETE FROM "{name}"'))  # noqa: S608 (our table names)


@pytest.fixture
def config(storage_dir: Path, database_url: str, engine: Engine) -> Iterator[Config]:
    """The app's configuration for a test; every table is emptied afterwards."""
    env = {
        "MEETINGS_STORAGE_DIR": str(storage_dir),
        "MEETINGS_DATABASE_URL": database_url,
        "MEETINGS_SECRET_KEY": "test-secret-key-not-for-production",
        "MEETINGS_BROADCAST_URL": os.environ.get("MEETINGS_TEST_BROADCAST_URL", "memory://"),
        # Tests run the jobs themselves (meetings.jobs.run_once); test_jobs starts the loop.
        "MEETINGS_JOBS_INTERVAL_SECONDS": "0",
    }
    yield config_module.load(env)
    _empty(engine)


@pytest.fixture
def db(engine: Engine, config: Config) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def factory(db: Session) -> Factory:
    return Factory(db)


@pytest.fixture
def app(config: Config):  # type: ignore[no-untyped-def]
    return create_app(config)


@pytest.fixture
def client(app) -> Iterator[Client]:  # type: ignore[no-untyped-def]
    with Client(app) as test_client:
        yield test_client


@pytest.fixture
def other_client(app) -> Iterator[Client]:  # type: ignore[no-untyped-def]
    """A second browser, for tests with two people."""
    with Client(app) as test_client:
        yield test_client
