"""Settings, declared as data: each has an environment variable, a default and help text."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One configuration variable: its name, default (as text) and what it does."""

    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "MEETINGS_STORAGE_DIR",
        "storage/",
        "Folder for runtime data: the SQLite database, the generated secret key, uploaded files.",
    ),
    Setting(
        "MEETINGS_DATABASE_URL",
        "sqlite:///<storage>/meetings.sqlite3",
        "SQLAlchemy URL of the database. SQLite runs with WAL, foreign keys on and "
        "synchronous=FULL; use postgresql+psycopg://user@host/db in production.",
    ),
    Setting(
        "MEETINGS_BROADCAST_URL",
        "memory://",
        "Backend for live events: memory:// (one process) or redis://host:port/db.",
    ),
    Setting(
        "MEETINGS_SECRET_KEY",
        "generated once into <storage>/secret_key",
        "Key for CSRF tokens and other signatures. Set the same value on every worker and host.",
    ),
    Setting("MEETINGS_TIMEZONE", "Asia/Ho_Chi_Minh", "Default time zone for new organisations."),
    Setting(
        "MEETINGS_DEFAULT_LOCALE", "vi", "Language for visitors who have not chosen one (vi, en)."
    ),
    Setting(
        "MEETINGS_SESSION_IDLE_MINUTES",
        "30",
        "A login session ends after this many minutes without a request.",
    ),
    Setting(
        "MEETINGS_SESSION_MAX_HOURS",
        "12",
        "A login session ends this many hours after login, however active.",
    ),
    Setting(
        "MEETINGS_HTTPS",
        "auto",
        "Secure cookies with the __Host- prefix: on, off, or auto (on when the request is https).",
    ),
    Setting(
        "MEETINGS_MAX_UPLOAD_MB",
        "200",
        "Largest file accepted, in megabytes; checked while the upload streams in.",
    ),
    Setting(
        "MEETINGS_JOBS_INTERVAL_SECONDS",
        "5",
        "How often each server process runs the background jobs (documents published at a set "
        "time, PDF renditions of Office files); 0 turns them off in the server, for hosts that "
        "run `meetings jobs` on their own.",
    ),
    Setting(
        "MEETINGS_SOFFICE",
        "soffice",
        "LibreOffice's command (looked up on PATH), which makes the PDF renditions of Office "
        "files; without it the originals are still served and renditions stay pending.",
    ),
    Setting(
        "MEETINGS_LOGIN_MAX_FAILURES",
        "5",
        "Failed logins per account (and four times that per address) within 15 minutes "
        "before further attempts are refused for 15 minutes.",
    ),
)


@dataclass(frozen=True)
class Config:
    """The settings in force, read once from the environment."""

    storage_dir: Path
    database_url: str
    broadcast_url: str
    secret_key: str
    timezone: str
    default_locale: str
    session_idle_minutes: int
    session_max_hours: int
    https: str
    login_max_failures: int
    max_upload_mb: int = 200
    jobs_interval_seconds: int = 5
    soffice: str = "soffice"
    problems: list[str] = field(default_factory=list)


LOCALES = ("vi", "en")


def _int(env: dict[str, str], name: str, default: int, problems: list[str]) -> int:
    raw = env.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name} must be a whole number, not {raw!r}")
        return default
    if value <= 0:
        problems.append(f"{name} must be positive, not {value}")
        return default
    return value


def _seconds(env: dict[str, str], name: str, default: int, problems: list[str]) -> int:
    """A whole number of seconds, where 0 means off."""
    raw = env.get(name, str(default))
    if not raw.isdigit():
        problems.append(f"{name} must be a whole number of seconds (0 for off), not {raw!r}")
        return default
    return int(raw)


def _secret_key(storage: Path, env: dict[str, str]) -> str:
    if env.get("MEETINGS_SECRET_KEY"):
        return env["MEETINGS_SECRET_KEY"]
    path = storage / "secret_key"
    if not path.exists():
        storage.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def load(env: dict[str, str] | None = None) -> Config:
    """Read the configuration from the environment (os.environ by default)."""
    env = dict(os.environ if env is None else env)
    problems: list[str] = []
    storage = Path(env.get("MEETINGS_STORAGE_DIR", str(PROJECT_ROOT / "storage"))).resolve()
    storage.mkdir(parents=True, exist_ok=True)
    default_db = f"sqlite:///{storage / 'meetings.sqlite3'}"
    timezone = env.get("MEETINGS_TIMEZONE", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"MEETINGS_TIMEZONE {timezone!r} is not a known time zone")
        timezone = "Asia/Ho_Chi_Minh"
    locale = env.get("MEETINGS_DEFAULT_LOCALE", "vi")
    if locale not in LOCALES:
        problems.append(f"MEETINGS_DEFAULT_LOCALE must be one of {', '.join(LOCALES)}")
        locale = "vi"
    https = env.get("MEETINGS_HTTPS", "auto")
    if https not in ("on", "off", "auto"):
        problems.append("MEETINGS_HTTPS must be on, off or auto")
        https = "auto"
    broadcast = env.get("MEETINGS_BROADCAST_URL", "memory://")
    if not broadcast.startswith(("memory://", "redis://", "rediss://")):
        problems.append("MEETINGS_BROADCAST_URL must start with memory:// or redis://")
    return Config(
        storage_dir=storage,
        database_url=env.get("MEETINGS_DATABASE_URL", default_db),
        broadcast_url=broadcast,
        secret_key=_secret_key(storage, env),
        timezone=timezone,
        default_locale=locale,
        session_idle_minutes=_int(env, "MEETINGS_SESSION_IDLE_MINUTES", 30, problems),
        session_max_hours=_int(env, "MEETINGS_SESSION_MAX_HOURS", 12, problems),
        https=https,
        login_max_failures=_int(env, "MEETINGS_LOGIN_MAX_FAILURES", 5, problems),
        max_upload_mb=_int(env, "MEETINGS_MAX_UPLOAD_MB", 200, problems),
        jobs_interval_seconds=_seconds(env, "MEETINGS_JOBS_INTERVAL_SECONDS", 5, problems),
        soffice=env.get("MEETINGS_SOFFICE") or "soffice",
        problems=problems,
    )
