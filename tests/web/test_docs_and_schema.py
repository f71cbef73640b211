"""Settings are documented; migrations build exactly the models' schema on this engine."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

from meetings.config import SETTINGS, load
from meetings.schema import metadata
from meetings.search.models import outside_the_models

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text()
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in text]
    assert not missing, f"document these settings in README.md: {missing}"


def test_every_setting_has_help_text() -> None:
    assert all(len(setting.help) > 20 for setting in SETTINGS)


def test_every_environment_variable_read_is_a_declared_setting() -> None:
    import re

    source = (Path(__file__).resolve().parents[2] / "meetings" / "config.py").read_text()
    read = set(re.findall(r'"(MEETINGS_[A-Z_]+)"', source))
    assert read == {s.env for s in SETTINGS}


def test_bad_settings_are_reported_not_crashed(tmp_path: Path) -> None:
    config = load(
        {
            "MEETINGS_STORAGE_DIR": str(tmp_path),
            "MEETINGS_TIMEZONE": "Mars/Olympus",
            "MEETINGS_SESSION_IDLE_MINUTES": "soon",
            "MEETINGS_DEFAULT_LOCALE": "fr",
        }
    )
    assert len(config.problems) == 3
    assert config.timezone == "Asia/Ho_Chi_Minh" and config.default_locale == "vi"


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load({"MEETINGS_STORAGE_DIR": str(tmp_path)}).secret_key
    second = load({"MEETINGS_STORAGE_DIR": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 48
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        opts = {
            "compare_type": True,
            "include_name": lambda name, _type, _parents: not outside_the_models(name),
        }
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, metadata)
    assert differences == [], f"write a migration for: {differences}"


def test_sqlite_runs_with_wal_foreign_keys_and_full_sync(tmp_path: Path) -> None:
    from sqlalchemy import text

    from meetings.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2
    engine.dispose()
