"""The demo's meetings: realistic, built through the rules, and loaded only once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, col, select

from meetings.agenda.models import AgendaItem, Meeting, MeetingState, Position
from meetings.agenda.positions import consent_block
from meetings.archive.models import AuditEntry
from meetings.attendance.models import Answer, Participant
from meetings.cli import main
from meetings.config import Config
from meetings.demo_meetings import first_weekday, month_after, month_before
from meetings.live.models import FloorRequest, Opinion
from meetings.organisations.models import Body


@pytest.fixture
def env(config: Config, monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.setenv("MEETINGS_STORAGE_DIR", str(config.storage_dir))
    monkeypatch.setenv("MEETINGS_DATABASE_URL", config.database_url)
    monkeypatch.setenv("MEETINGS_SECRET_KEY", config.secret_key)
    return config


def _counts(db: Session) -> tuple[int, int, int, int]:
    db.expire_all()
    return (
        len(db.exec(select(Meeting)).all()),
        len(db.exec(select(AgendaItem)).all()),
        len(db.exec(select(Participant)).all()),
        len(db.exec(select(Position)).all()),
    )


def _meetings_of(db: Session, body_name: str) -> list[Meeting]:
    body = db.exec(select(Body).where(Body.name == body_name)).one()
    return list(
        db.exec(select(Meeting).where(Meeting.body_id == body.id).order_by(col(Meeting.starts_at)))
    )


def test_loading_the_demo_twice_adds_no_meeting_item_or_invitation(
    env: Config, db: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    first = _counts(db)
    meeting_audits = len(
        db.exec(select(AuditEntry).where(col(AuditEntry.action).startswith("meeting."))).all()
    )
    assert main(["demo"]) == 0
    assert _counts(db) == first
    again = db.exec(select(AuditEntry).where(col(AuditEntry.action).startswith("meeting."))).all()
    assert len(again) == meeting_audits
    assert first[0] == 4 and first[1] >= 20


def test_next_government_session_is_published_with_answers_and_a_consent_block(
    env: Config, db: Session
) -> None:
    assert main(["demo"]) == 0
    past, upcoming = _meetings_of(db, "Chính phủ")
    assert upcoming.state == MeetingState.scheduled
    assert upcoming.starts_at > datetime.now(UTC) > past.starts_at
    agenda = db.exec(select(AgendaItem).where(AgendaItem.meeting_id == upcoming.id)).all()
    main_items = [item for item in agenda if item.parent_id is None]
    assert len(main_items) == 10 and len(agenda) == 12
    assert all(item.presenter_agency for item in agenda)
    assert any("Luật Căn cước" in item.title for item in agenda)
    consent = [item for item in main_items if item.consent]
    block = consent_block(db, upcoming)
    assert len(consent) == 3 and len(block) == 2, "one objection took an item out of the block"
    rows = db.exec(select(Participant).where(Participant.meeting_id == upcoming.id)).all()
    absent = [row for row in rows if row.answer == Answer.absent]
    assert len(absent) == 1 and absent[0].absence_reason
    substitutes = [row for row in rows if row.answer == Answer.substitute]
    assert len(substitutes) == 1 and substitutes[0].substitute_id is not None


def test_past_session_was_held_and_the_province_meets_next_month(env: Config, db: Session) -> None:
    assert main(["demo"]) == 0
    past, _upcoming = _meetings_of(db, "Chính phủ")
    assert past.state == MeetingState.archived, "closed, then archived by its final minutes"
    adopted = db.exec(
        select(AgendaItem).where(
            AgendaItem.meeting_id == past.id, col(AgendaItem.adopted_by_consent_at).is_not(None)
        )
    ).all()
    assert adopted
    present = db.exec(
        select(Participant).where(Participant.meeting_id == past.id, Participant.presence != "")
    ).all()
    assert len(present) >= 20
    live, province = _meetings_of(db, "Ủy ban nhân dân tỉnh")
    assert live.state == MeetingState.in_session
    assert province.state == MeetingState.scheduled
    assert province.organisation_id != past.organisation_id


def test_the_province_is_in_session_today_with_a_speaker_and_opinions(
    env: Config, db: Session
) -> None:
    assert main(["demo"]) == 0
    live, _next = _meetings_of(db, "Ủy ban nhân dân tỉnh")
    agenda = db.exec(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == live.id)
        .order_by(col(AgendaItem.position))
    ).all()
    assert [item.status for item in agenda] == ["done", "current", "pending"]
    assert live.current_item_id == agenda[1].id
    turns = db.exec(select(FloorRequest).where(FloorRequest.meeting_id == live.id)).all()
    assert sorted(turn.state for turn in turns) == ["speaking", "waiting"]
    said = db.exec(select(Opinion).where(Opinion.meeting_id == live.id)).all()
    assert sorted(opinion.public for opinion in said) == [False, True]
    assert main(["demo"]) == 0
    db.expire_all()
    assert len(db.exec(select(FloorRequest)).all()) == len(turns)


def test_demo_dates_follow_the_calendar() -> None:
    assert month_after(date(2026, 12, 31)) == date(2027, 1, 1)
    assert month_before(date(2026, 1, 15)) == date(2025, 12, 1)
    assert first_weekday(date(2026, 12, 1), 3) == date(2026, 12, 3)
    assert first_weekday(date(2026, 10, 1), 3) == date(2026, 10, 1)
