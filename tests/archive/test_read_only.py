"""Approving the final minutes archives the meeting; from then on its records refuse changes."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from meetings import i18n
from meetings.agenda import actions as agenda
from meetings.agenda import items as agenda_items
from meetings.agenda.models import AgendaItem, MeetingState
from meetings.archive.audit import Actor
from meetings.attendance import actions as attendance
from meetings.documents import actions as documents
from meetings.documents.models import Document
from meetings.errors import Refusal
from meetings.minutes import actions as minutes
from meetings.minutes.models import MeetingRecord
from meetings.minutes.queries import sections_of
from meetings.voting import actions as voting
from meetings.voting.models import Poll
from tests.attendance.support import ACTOR, Scene, log_in, scene
from tests.client import Client
from tests.documents.support import pdf, upload
from tests.factories import Factory

ARCHIVED = "This meeting is archived: its records can no longer be changed."


def count(db: Session, model: type) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def s(factory: Factory, db: Session) -> Scene:
    """A held and closed meeting, its conclusion notice still a draft."""
    made = scene(factory, db, members=2)
    made.open()
    made.check_in(made.chair)
    agenda.close_session(db, made.meeting, actor=ACTOR)
    return made


def archive_by_minutes(s: Scene) -> MeetingRecord:
    row = minutes.start(s.db, s.meeting, actor=Actor(s.secretary.id), kind="minutes")
    return minutes.approve(s.db, row, actor=Actor(s.chair.id))


def test_approving_the_conclusion_notice_leaves_the_meeting_closed(s: Scene) -> None:
    notice = minutes.start(s.db, s.meeting, actor=ACTOR, kind="conclusions")
    minutes.approve(s.db, notice, actor=ACTOR)
    s.db.refresh(s.meeting)
    assert s.meeting.state == MeetingState.closed


def test_a_draft_conclusion_notice_holds_the_archive_until_it_is_final(s: Scene) -> None:
    notice = minutes.start(s.db, s.meeting, actor=ACTOR, kind="conclusions")
    archive_by_minutes(s)
    s.db.refresh(s.meeting)
    assert s.meeting.state == MeetingState.closed, "no draft is frozen half-written"
    minutes.approve(s.db, notice, actor=ACTOR)
    s.db.refresh(s.meeting)
    assert s.meeting.state == MeetingState.archived


def test_approving_the_final_minutes_archives_the_meeting(s: Scene) -> None:
    archive_by_minutes(s)
    s.db.expire_all()
    s.db.refresh(s.meeting)
    assert s.meeting.state == MeetingState.archived


def test_an_archived_meeting_refuses_a_document_upload(
    s: Scene, client: Client, db: Session
) -> None:
    archive_by_minutes(s)
    log_in(client, s.secretary)
    response = upload(client, s.url("/documents/upload"), pdf(), "muon.pdf")
    assert response.status_code == 409, response.text
    # refused before the file is read, with the archive's own words
    assert "This meeting is archived" in response.text
    assert count(db, Document) == 0
    i18n.set_locale("en")
    with pytest.raises(Refusal) as refused:
        documents.publish(db, s.meeting, [], actor=ACTOR)
    assert (refused.value.status, refused.value.message) == (409, ARCHIVED)


def test_an_archived_meeting_refuses_agenda_check_in_and_polls(s: Scene, db: Session) -> None:
    archive_by_minutes(s)
    before = (count(db, AgendaItem), count(db, Poll))
    attempts = [
        lambda: agenda_items.add_item(db, s.meeting, actor=ACTOR, title="Thêm", duration_minutes=5),
        lambda: attendance.check_in(
            db, s.meeting, s.row(s.members[0]), actor=ACTOR, presence="in_room"
        ),
        lambda: voting.create(db, s.body, actor=ACTOR, question="Biểu quyết?", meeting=s.meeting),
    ]
    for attempt in attempts:
        with pytest.raises(Refusal) as refused:
            attempt()
        assert (refused.value.status, refused.value.message) == (409, ARCHIVED)
        db.rollback()
    assert (count(db, AgendaItem), count(db, Poll)) == before
    assert s.row(s.members[0]).checked_in_at is None


def test_an_archived_meeting_refuses_a_new_record_but_takes_an_addendum(
    s: Scene, db: Session
) -> None:
    final = archive_by_minutes(s)
    i18n.set_locale("en")
    with pytest.raises(Refusal) as refused:
        minutes.start(db, s.meeting, actor=ACTOR, kind="conclusions")
    assert (refused.value.status, refused.value.message) == (409, ARCHIVED)
    db.rollback()
    assert count(db, MeetingRecord) == 1
    correction = minutes.addendum(db, final, actor=ACTOR)
    first = sections_of(db, correction.id or 0)[0]
    saved = minutes.save_section(
        db, correction, first, actor=ACTOR, text="Đính chính", conclusion="", base_version=0
    )
    assert saved.text == "Đính chính"
