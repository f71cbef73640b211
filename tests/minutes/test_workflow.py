"""The records' workflow: started once the session has opened, one of each kind; draft ->
circulated (the participants asked for comments) -> approved by the chair -> final and
read-only; a correction of a final record is an addendum approved on its own; the conclusion
notice starts from the conclusions written in the minutes. Every change is audited."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, col, select

from meetings import i18n
from meetings.archive.models import AuditEntry
from meetings.errors import Refusal
from meetings.minutes import actions
from meetings.minutes.models import MeetingRecord, RecordComment, RecordKind, RecordState
from meetings.minutes.queries import sections_of
from meetings.notifications.actions import message
from meetings.notifications.models import Notification
from tests.attendance.support import scene
from tests.factories import Factory
from tests.minutes.support import Held, by, held, reloaded, section_of, started


@pytest.fixture
def h(factory: Factory, db: Session) -> Held:
    return held(factory, db)


def refused(move) -> Refusal:  # type: ignore[no-untyped-def]
    with pytest.raises(Refusal) as caught:
        move()
    return caught.value


def test_records_are_drafted_once_the_session_has_opened(factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    early = refused(lambda: actions.start(db, s.meeting, actor=by(s.secretary), kind="minutes"))
    assert early.status == 409
    assert db.exec(select(MeetingRecord)).all() == []
    s.open()
    record = actions.start(db, s.meeting, actor=by(s.secretary), kind="minutes")
    assert (record.kind, record.state, record.created_by) == ("minutes", "draft", s.secretary.id)


def test_each_kind_is_started_once_and_only_the_two_kinds(db: Session, h: Held) -> None:
    started(h, "minutes")
    again = refused(lambda: started(h, "minutes"))
    assert again.status == 409
    wrong = refused(lambda: started(h, "addendum"))
    assert (wrong.status, wrong.field) == (422, "kind")
    started(h, "conclusions")
    kinds = db.exec(select(MeetingRecord.kind).order_by(col(MeetingRecord.id))).all()
    assert kinds == ["minutes", "conclusions"]


def test_circulating_asks_every_participant_for_comments(db: Session, h: Held) -> None:
    record = started(h)
    actions.circulate(db, record, h.s.meeting, actor=by(h.s.secretary))
    assert reloaded(db, record).state == RecordState.circulated
    assert record.circulated_at is not None
    told = db.exec(select(Notification).where(Notification.kind == "minutes_circulated")).all()
    expected = {h.s.chair.id, *(m.id for m in h.s.members), h.substitute.id}
    assert {n.user_id for n in told} == expected, "everyone invited, and the substitute"
    assert json.loads(told[0].data)["record_id"] == record.id, "the notice leads to the record"
    i18n.set_locale("en")
    try:
        assert message(told[0]) == (
            "The minutes of “Phiên họp Chính phủ thường kỳ” are circulated for your comments."
        )
    finally:
        i18n.set_locale("vi")
    again = refused(lambda: actions.circulate(db, record, h.s.meeting, actor=by(h.s.secretary)))
    assert again.status == 409


def test_comments_are_taken_only_while_the_record_is_circulated(db: Session, h: Held) -> None:
    record = started(h)
    section = section_of(db, record, h.item)
    member = by(h.s.members[0])
    draft = refused(
        lambda: actions.comment(db, record, actor=member, text="Sớm quá", section=section)
    )
    assert draft.status == 409
    actions.circulate(db, record, h.s.meeting, actor=by(h.s.secretary))
    empty = refused(lambda: actions.comment(db, record, actor=member, text="  ", section=section))
    assert (empty.status, empty.field) == (422, "text")
    actions.comment(db, record, actor=member, text="Đề nghị ghi rõ ý kiến.", section=section)
    actions.approve(db, record, actor=by(h.s.chair))
    late = refused(lambda: actions.comment(db, record, actor=member, text="Muộn", section=section))
    assert late.status == 409
    kept = db.exec(select(RecordComment)).all()
    assert [(c.text, c.section_id, c.user_id) for c in kept] == [
        ("Đề nghị ghi rõ ý kiến.", section.id, h.s.members[0].id)
    ]


def test_the_chair_approves_and_the_record_is_final_and_read_only(db: Session, h: Held) -> None:
    record = started(h)
    actions.approve(db, record, actor=by(h.s.chair))  # straight from the draft
    final = reloaded(db, record)
    assert (final.state, final.approved_by) == (RecordState.final, h.s.chair.id)
    assert final.approved_at is not None
    section = section_of(db, record, h.item)
    secretary = by(h.s.secretary)
    moves = [
        lambda: actions.save_section(
            db, final, section, actor=secretary, text="x", conclusion="", base_version=0
        ),
        lambda: actions.set_number(db, final, actor=secretary, number="12/BB-CP"),
        lambda: actions.circulate(db, final, h.s.meeting, actor=secretary),
        lambda: actions.approve(db, final, actor=by(h.s.chair)),
        lambda: actions.comment(db, final, actor=secretary, text="x", section=section),
    ]
    for move in moves:
        assert refused(move).status == 409
    assert reloaded(db, record).number == ""
    assert section_of(db, record, h.item).version == 0
    told = db.exec(select(Notification).where(Notification.kind == "minutes_approved")).all()
    expected = {*(m.id for m in h.s.members), h.substitute.id}
    assert {n.user_id for n in told} == expected, "everyone but the chair who approved"
    assert json.loads(told[0].data)["record_id"] == record.id
    i18n.set_locale("en")
    try:
        assert message(told[0]) == (
            "The minutes of “Phiên họp Chính phủ thường kỳ” are approved and final."
        )
    finally:
        i18n.set_locale("vi")


def test_a_final_record_is_corrected_by_an_addendum_approved_on_its_own(
    db: Session, h: Held
) -> None:
    record = started(h)
    draft = refused(lambda: actions.addendum(db, record, actor=by(h.s.secretary)))
    assert draft.status == 409, "a draft is corrected in place"
    actions.approve(db, record, actor=by(h.s.chair))
    added = actions.addendum(db, record, actor=by(h.s.secretary))
    assert (added.kind, added.corrects_id, added.state) == ("addendum", record.id, "draft")
    original = [s.item_id for s in sections_of(db, record.id or 0)]
    assert [s.item_id for s in sections_of(db, added.id or 0)] == original
    twice = refused(lambda: actions.addendum(db, record, actor=by(h.s.secretary)))
    assert twice.status == 409, "one addendum is drafted at a time"
    section = section_of(db, added, h.item)
    actions.save_section(
        db,
        added,
        section,
        actor=by(h.s.secretary),
        text="Sửa tên người phát biểu.",
        conclusion="",
        base_version=0,
    )
    actions.approve(db, added, actor=by(h.s.chair))
    assert reloaded(db, added).state == RecordState.final
    assert reloaded(db, record).state == RecordState.final, "the original stays as approved"
    assert section_of(db, record, h.item).text == ""
    second = actions.addendum(db, reloaded(db, added), actor=by(h.s.secretary))
    assert second.corrects_id == record.id, "a correction of an addendum corrects the original"


def test_the_conclusion_notice_starts_from_the_conclusions_in_the_minutes(
    db: Session, h: Held
) -> None:
    record = started(h)
    section = section_of(db, record, h.item)
    actions.save_section(
        db,
        record,
        section,
        actor=by(h.s.secretary),
        text="Thảo luận.",
        conclusion="Giao Bộ Tư pháp hoàn thiện dự thảo.",
        base_version=0,
    )
    notice = started(h, RecordKind.conclusions)
    copied = section_of(db, notice, h.item)
    assert (copied.conclusion, copied.text, copied.version) == (
        "Giao Bộ Tư pháp hoàn thiện dự thảo.",
        "",
        1,
    )
    assert section_of(db, notice, h.consent_item).version == 0


def test_every_change_is_audited(db: Session, h: Held) -> None:
    record = started(h)
    actions.set_number(db, record, actor=by(h.s.secretary), number="12/BB-CP")
    actions.circulate(db, record, h.s.meeting, actor=by(h.s.secretary))
    actions.comment(db, record, actor=by(h.s.members[0]), text="Đồng ý.")
    actions.approve(db, record, actor=by(h.s.chair))
    actions.addendum(db, record, actor=by(h.s.secretary))
    rows = db.exec(
        select(AuditEntry)
        .where(col(AuditEntry.action).startswith("minutes."))
        .order_by(col(AuditEntry.id))
    ).all()
    assert [r.action for r in rows] == [
        "minutes.started",
        "minutes.numbered",
        "minutes.circulated",
        "minutes.commented",
        "minutes.approved",
        "minutes.addendum_started",
    ]
    assert all(r.organisation_id == h.s.org.id for r in rows)
    assert rows[4].actor_id == h.s.chair.id
