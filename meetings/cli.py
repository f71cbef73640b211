"""The `meetings` command: serve, database, demo data, users, tokens, checks."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from meetings import config as config_module
from meetings.config import SETTINGS, Config
from meetings.organisations.models import OrgRole

if TYPE_CHECKING:
    from sqlmodel import Session


def _config() -> Config:
    return config_module.load()


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run(
        "meetings.web.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        ws="websockets-sansio",
        # Live sockets: a tablet that stops answering pings for 20 s is dropped (its page
        # reconnects and gets a snapshot); clients send nothing, so incoming frames stay small.
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
        ws_max_size=64 * 1024,
        # Fragments are small and go to many sockets at once: compressing every socket's copy
        # would cost more CPU and memory per connection than it saves (see bench/fanout).
        ws_per_message_deflate=False,
        proxy_headers=True,
        log_level="info",
    )
    return 0


def upgrade_database(url: str) -> None:
    """Bring the database at `url` to the newest schema."""
    from alembic.config import Config as AlembicConfig

    from alembic import command

    alembic_cfg = AlembicConfig(str(config_module.PROJECT_ROOT / "alembic.ini"))
    alembic_cfg.attributes["url"] = url
    command.upgrade(alembic_cfg, "head")


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    config = _config()
    upgrade_database(config.database_url)
    print(f"database is at the newest schema: {_display_url(config.database_url)}")
    from meetings.search.cli import build_if_empty

    built = build_if_empty(config.database_url)
    if built is not None:
        print(f"search index built: {built} sources")
    return 0


def _display_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def cmd_demo(_args: argparse.Namespace) -> int:
    from meetings.demo import load_demo

    config = _config()
    logins = load_demo(config)
    print("Demo data is loaded. Demo logins (password for all: see below):")
    for email, role in logins.accounts:
        print(f"  {email:42} {role}")
    print(f"  password: {logins.password}")
    print("Officers (secretariat, administrators) set up two-factor login at first login.")
    return 0


@contextmanager
def _database() -> Iterator[Session]:
    """A session on the configured database; the engine is disposed afterwards."""
    from meetings.db import make_engine, session_scope

    engine = make_engine(_config().database_url)
    try:
        with session_scope(engine) as db:
            yield db
    finally:
        engine.dispose()


def _read_password(args: argparse.Namespace) -> str:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise SystemExit("the two passwords differ")
    return first


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_user_create(args: argparse.Namespace) -> int:
    from sqlmodel import select

    from meetings.accounts.users import create_user
    from meetings.archive.audit import Actor
    from meetings.errors import Refusal
    from meetings.organisations import actions as org_actions
    from meetings.organisations.models import Organisation

    password = _read_password(args)
    with _database() as db:
        actor = Actor(None, "cli")
        try:
            user = create_user(
                db, email=args.email, name=args.name, password=password, actor=actor, commit=False
            )
            if args.organisation:
                org = db.exec(
                    select(Organisation).where(Organisation.slug == args.organisation)
                ).first()
                if org is None:
                    return _fail(f"no organisation with the slug {args.organisation!r}")
                org_actions.add_person(
                    db,
                    organisation_id=org.id or 0,
                    user_id=user.id or 0,
                    role=args.role,
                    actor=actor,
                )
        except Refusal as refusal:
            return _fail(refusal.message)
        db.commit()
        print(f"created user {user.id}: {user.email}")
    return 0


def _find_user(db, email: str):  # type: ignore[no-untyped-def]
    from meetings.accounts.users import find_by_email

    user = find_by_email(db, email)
    if user is None:
        raise SystemExit(f"error: no user with the e-mail address {email}")
    return user


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from meetings.accounts.users import set_password
    from meetings.archive.audit import Actor
    from meetings.errors import Refusal

    password = _read_password(args)
    with _database() as db:
        try:
            set_password(
                db, user=_find_user(db, args.email), password=password, actor=Actor(None, "cli")
            )
        except Refusal as refusal:
            return _fail(refusal.message)
    print("password changed; the user's sessions were ended")
    return 0


def _set_active(args: argparse.Namespace, active: bool) -> int:
    from meetings.accounts.users import set_active
    from meetings.archive.audit import Actor

    with _database() as db:
        set_active(db, user=_find_user(db, args.email), active=active, actor=Actor(None, "cli"))
    print("account enabled" if active else "account disabled; its sessions were ended")
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    from meetings.accounts.actions import create_api_token
    from meetings.archive.audit import Actor

    with _database() as db:
        user = _find_user(db, args.email)
        print(create_api_token(db, user=user, name=args.name, actor=Actor(user.id, "cli")))
    return 0


def cmd_check(_args: argparse.Namespace) -> int:
    """Report configuration problems, the database and the broadcast backend."""
    import asyncio

    from sqlalchemy import text

    from meetings.live.broadcast import from_url

    config = _config()
    problems = list(config.problems)
    try:
        with _database() as db:
            db.execute(text("SELECT 1"))
    except Exception as error:
        problems.append(f"database {_display_url(config.database_url)}: {error}")

    async def ping() -> bool:
        backend = from_url(config.broadcast_url)
        try:
            return await backend.ping()
        finally:
            await backend.disconnect()

    if not asyncio.run(ping()):
        problems.append(f"broadcast backend {config.broadcast_url} does not answer")
    for setting in SETTINGS:
        origin = "(set)" if setting.env in os.environ else "(default)"
        print(f"{setting.env:32} {origin}")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    print("configuration is sound" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def cmd_jobs(args: argparse.Namespace) -> int:
    """Run the background jobs once, or every --every seconds until interrupted."""
    import time

    from meetings import jobs
    from meetings.db import make_engine
    from meetings.storage.blobs import LocalBlobStore

    config = _config()
    engine = make_engine(config.database_url)
    store = LocalBlobStore(config.storage_dir)
    try:
        while True:
            for name, count in jobs.run_once(engine, store, config).items():
                if count or not args.every:
                    print(f"{name}: {count}")
            if not args.every:
                return 0
            time.sleep(args.every)
    except KeyboardInterrupt:
        return 0
    finally:
        engine.dispose()


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Walk the audit chain; exit 1 naming the first record that was altered, removed or
    reordered, or when a head noted earlier is gone (the log was cut short)."""
    from sqlmodel import Session

    from meetings.archive.audit import check_chain, holds
    from meetings.db import make_engine

    engine = make_engine(_config().database_url)
    try:
        with Session(engine) as db:
            found = check_chain(db)
            noted = holds(db, args.head) if args.head else True
    finally:
        engine.dispose()
    if not found.intact:
        how = (
            "its content was altered"
            if found.altered
            else f"it does not follow record {found.after or 'none'}: "
            "a record was removed, inserted or reordered"
        )
        print(f"audit chain BROKEN at record {found.broken_at}: {how}", file=sys.stderr)
        print(f"{found.records} records hold before it", file=sys.stderr)
        return 1
    if not noted:
        print(f"audit chain cut short: the noted head {args.head} is gone", file=sys.stderr)
        return 1
    print(f"audit chain intact: {found.records} records, head {found.head}")
    return 0


def cmd_archive_export(args: argparse.Namespace) -> int:
    """Write an archived meeting's BagIt package; refused (exit 2) for any other meeting."""
    from pathlib import Path

    from meetings.agenda.models import Meeting
    from meetings.archive import package
    from meetings.archive.audit import Actor
    from meetings.errors import Refusal
    from meetings.storage.blobs import LocalBlobStore

    store = LocalBlobStore(_config().storage_dir)
    with _database() as db:
        meeting = db.get(Meeting, args.meeting_id)
        if meeting is None:
            return _fail(f"no meeting {args.meeting_id}")
        try:
            package.export(db, meeting, store, Path(args.file), actor=Actor(None, "cli"))
        except Refusal as refused:
            return _fail(refused.message)
    print(f"package written: {args.file}")
    return 0


def cmd_archive_verify(args: argparse.Namespace) -> int:
    """Check a package against its manifests; exit 1 naming the first problems."""
    from pathlib import Path

    from meetings.archive import package

    problems = package.verify(Path(args.file))
    for problem in problems[:10]:
        print(f"problem: {problem}", file=sys.stderr)
    if problems:
        print(f"package INVALID: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"package valid: {args.file}")
    return 0


def _search_reindex(args: argparse.Namespace) -> int:
    from meetings.search.cli import cmd_reindex

    return cmd_reindex(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meetings", description="e-Cabinet paperless meetings.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str, into=sub
    ) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        command = into.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    serve = add("serve", cmd_serve, "Serve the web app with uvicorn (HTTP and websockets).")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (use Redis broadcast for more than one)",
    )

    db = sub.add_parser("db", help="Database schema.", description="Database schema.")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    add("upgrade", cmd_db_upgrade, "Upgrade the database to the newest schema.", db_sub)

    add("demo", cmd_demo, "Load realistic demo data (idempotent) and print the demo logins.")
    add("check", cmd_check, "Check the configuration, the database and the broadcast backend.")
    jobs = add(
        "jobs",
        cmd_jobs,
        "Run the background jobs (scheduled publication, PDF renditions) once, or in a loop.",
    )
    jobs.add_argument(
        "--every", type=float, default=0, help="seconds between runs (default: run once and stop)"
    )

    user = sub.add_parser("user", help="Manage user accounts.", description="Manage user accounts.")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    create = add("create", cmd_user_create, "Create a user account.", user_sub)
    create.add_argument("email")
    create.add_argument("--name", required=True)
    create.add_argument("--organisation", help="slug of an organisation to add the user to")
    create.add_argument("--role", default="member", choices=[r.value for r in OrgRole])
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    passwd = add("passwd", cmd_user_passwd, "Set a user's password (their sessions end).", user_sub)
    passwd.add_argument("email")
    passwd.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    disable = add(
        "disable", lambda a: _set_active(a, False), "Disable an account (never deleted).", user_sub
    )
    disable.add_argument("email")
    enable = add("enable", lambda a: _set_active(a, True), "Enable a disabled account.", user_sub)
    enable.add_argument("email")

    audit = sub.add_parser("audit", help="The audit trail.", description="The audit trail.")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    averify = add(
        "verify",
        cmd_audit_verify,
        "Check the hash chain of the audit trail; exit 1 at the first broken record.",
        audit_sub,
    )
    averify.add_argument(
        "--head", help="a head hash printed by an earlier run: check it is still in the chain"
    )

    archive = sub.add_parser(
        "archive", help="Archival packages (BagIt).", description="Archival packages (BagIt)."
    )
    archive_sub = archive.add_subparsers(dest="archive_command", required=True)
    aexport = add(
        "export", cmd_archive_export, "Write an archived meeting's BagIt package.", archive_sub
    )
    aexport.add_argument("meeting_id", type=int)
    aexport.add_argument("file", help="the .zip file to write")
    pverify = add(
        "verify",
        cmd_archive_verify,
        "Check a package against its checksum manifests; exit 1 if a file was changed.",
        archive_sub,
    )
    pverify.add_argument("file")

    search = sub.add_parser("search", help="The search index.", description="The search index.")
    search_sub = search.add_subparsers(dest="search_command", required=True)
    add("reindex", _search_reindex, "Rebuild the search index, showing progress.", search_sub)

    token = sub.add_parser("token", help="API tokens.", description="API tokens.")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    tcreate = add("create", cmd_token_create, "Print a new API token for a user.", token_sub)
    tcreate.add_argument("email")
    tcreate.add_argument("--name", default="cli", help="what the token is for")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    raise SystemExit(main())
