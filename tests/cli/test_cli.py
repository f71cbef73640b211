"""The `meetings` command, run in-process against the test database."""

from __future__ import annotations

import io

import pytest
from sqlmodel import Session, select

from meetings.accounts.models import ApiToken, User
from meetings.cli import build_parser, main
from meetings.config import Config
from meetings.organisations.models import Body, OrganisationMember

STRONG = "bon-mua-xuan-ha-thu-dong\n"


@pytest.fixture
def env(config: Config, monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.setenv("MEETINGS_STORAGE_DIR", str(config.storage_dir))
    monkeypatch.setenv("MEETINGS_DATABASE_URL", config.database_url)
    monkeypatch.setenv("MEETINGS_SECRET_KEY", config.secret_key)
    return config


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        [],
        ["serve"],
        ["db"],
        ["db", "upgrade"],
        ["demo"],
        ["check"],
        ["user"],
        ["user", "create"],
        ["user", "passwd"],
        ["user", "disable"],
        ["token", "create"],
        ["jobs"],
        ["audit", "verify"],
        ["archive", "export"],
        ["archive", "verify"],
    ):
        with pytest.raises(SystemExit) as stop:
            build_parser().parse_args([*argv, "--help"])
        assert stop.value.code == 0
        assert "usage: meetings" in capsys.readouterr().out


def test_demo_is_idempotent_and_realistic(
    env: Config, db: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    first = len(db.exec(select(User)).all())
    assert main(["demo"]) == 0
    assert len(db.exec(select(User)).all()) == first >= 30
    names = {body.name for body in db.exec(select(Body))}
    assert {"Chính phủ", "Thường trực Chính phủ", "Ủy ban nhân dân tỉnh"} <= names
    assert "thuky@chinhphu.example" in capsys.readouterr().out


def test_user_create_passwd_disable_and_token(
    env: Config, db: Session, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["demo"])
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG))
    assert (
        main(
            [
                "user",
                "create",
                "moi@chinhphu.example",
                "--name",
                "Đặng Thị Mới",
                "--organisation",
                "chinh-phu",
                "--role",
                "secretary",
                "--password-stdin",
            ]
        )
        == 0
    )
    user = db.exec(select(User).where(User.email == "moi@chinhphu.example")).one()
    assert user.name == "Đặng Thị Mới"
    assert (
        db.exec(select(OrganisationMember).where(OrganisationMember.user_id == user.id)).one().role
        == "secretary"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    assert main(["user", "passwd", "moi@chinhphu.example", "--password-stdin"]) == 2
    assert "10" in capsys.readouterr().err
    assert main(["user", "disable", "moi@chinhphu.example"]) == 0
    db.refresh(user)
    assert user.is_active is False
    capsys.readouterr()
    assert main(["token", "create", "bt.tuphap@chinhphu.example", "--name", "đồng bộ"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("ecab_") and db.exec(select(ApiToken)).one().name == "đồng bộ"


def test_user_create_refuses_bad_input_and_stores_nothing(
    env: Config, db: Session, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG))
    assert main(["user", "create", "not-an-address", "--name", "X", "--password-stdin"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG))
    assert (
        main(
            [
                "user",
                "create",
                "a@b.example",
                "--name",
                "A",
                "--organisation",
                "nope",
                "--password-stdin",
            ]
        )
        == 2
    )
    assert db.exec(select(User)).first() is None
    assert "nope" in capsys.readouterr().err


def test_check_reports_a_sound_configuration(
    env: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check"]) == 0
    assert "configuration is sound" in capsys.readouterr().out


def test_check_reports_a_bad_setting(
    env: Config, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MEETINGS_TIMEZONE", "Nowhere/Land")
    assert main(["check"]) == 1
    assert "MEETINGS_TIMEZONE" in capsys.readouterr().err
