"""Writing sections: every save is a new version kept as a revision (who, when, what); a save
based on a version someone else has saved over is a conflict carrying both texts, and nothing
is overwritten, even when the two saves race; a final record refuses every save."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from meetings import i18n
from meetings.accounts.models import User
from meetings.archive.models import AuditEntry
from meetings.errors import Refusal
from meetings.minutes import actions
from meetings.minutes.models import MeetingRecord, RecordSection, SectionRevision
from meetings.minutes.queries import diff, revisions_of, sections_of
from tests.factories import Factory
from tests.minutes.support import Held, by, held, section_of, started


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_locale("en")
    yield
    i18n.set_locale("vi")


@pytest.fixture
def h(factory: Factory, db: Session) -> Held:
    return held(factory, db)


def save(
    h: Held,
    section: RecordSection,
    text: str,
    base: int,
    who: User | None = None,
    conclusion: str = "",
) -> RecordSection:
    """Save as the secretary (or `who`), through the action."""
    record = h.s.db.get(MeetingRecord, section.record_id)
    assert record is not None
    return actions.save_section(
        h.s.db,
        record,
        section,
        actor=by(who or h.s.secretary),
        text=text,
        conclusion=conclusion,
        base_version=base,
    )


def test_a_record_has_the_opening_and_a_section_per_item_in_agenda_order(
    db: Session, h: Held
) -> None:
    record = started(h)
    sections = sections_of(db, record.id or 0)
    assert [s.item_id for s in sections] == [None, h.item.id, h.consent_item.id]
    assert all(s.version == 0 and s.text == "" for s in sections)


def test_every_save_is_a_version_kept_with_who_and_when(db: Session, h: Held) -> None:
    record = started(h)
    section = section_of(db, record, h.item)
    save(h, section, "Bộ Tư pháp trình bày dự thảo.", 0)
    save(h, section_of(db, record, h.item), "Bộ Tư pháp trình bày dự thảo Nghị định.", 1)
    saves = revisions_of(db, section.id or 0)
    assert [(r.version, r.text, r.saved_by) for r in saves] == [
        (2, "Bộ Tư pháp trình bày dự thảo Nghị định.", h.s.secretary.id),
        (1, "Bộ Tư pháp trình bày dự thảo.", h.s.secretary.id),
    ]
    assert saves[0].saved_at >= saves[1].saved_at
    assert section_of(db, record, h.item).version == 2
    audited = db.exec(select(AuditEntry).where(AuditEntry.action == "minutes.section_saved")).all()
    assert len(audited) == 2 and audited[0].actor_id == h.s.secretary.id


def test_the_same_text_saved_again_is_not_a_new_version(db: Session, h: Held) -> None:
    record = started(h)
    save(h, section_of(db, record, h.item), "Nội dung.", 0)
    again = save(h, section_of(db, record, h.item), "  Nội dung.  ", 1)
    assert again.version == 1
    assert len(revisions_of(db, again.id or 0)) == 1


def test_a_save_on_a_version_saved_over_is_a_conflict_with_both_texts(db: Session, h: Held) -> None:
    record = started(h)
    other = h.s.members[0]  # any actor: access is the views' business
    save(h, section_of(db, record, h.item), "Văn bản của thư ký thứ nhất.", 0)
    with pytest.raises(actions.Conflict) as caught:
        save(h, section_of(db, record, h.item), "Văn bản của thư ký thứ hai.", 0, other)
    conflict = caught.value
    assert conflict.status == 409
    assert conflict.current.text == "Văn bản của thư ký thứ nhất."
    assert conflict.current.version == 1 and conflict.current.updated_by == h.s.secretary.id
    assert (conflict.text, conflict.base_version) == ("Văn bản của thư ký thứ hai.", 0)
    kept = section_of(db, record, h.item)
    assert (kept.text, kept.version) == ("Văn bản của thư ký thứ nhất.", 1)
    assert len(revisions_of(db, kept.id or 0)) == 1


def test_two_saves_racing_on_one_version_store_one_and_refuse_the_other(
    engine: Engine, db: Session, h: Held
) -> None:
    """Each secretary's session read version 0 before either saved: the database decides."""
    record = started(h)
    section_id = section_of(db, record, h.item).id
    with Session(engine) as first, Session(engine) as second:
        mine = [
            (own, own.get(MeetingRecord, record.id), own.get(RecordSection, section_id))
            for own in (first, second)
        ]
        assert all(section.version == 0 for _own, _record, section in mine)
        own, row, section = mine[0]
        actions.save_section(
            own,
            row,
            section,
            actor=by(h.s.secretary),
            text="Thứ nhất",
            conclusion="",
            base_version=0,
        )
        own, row, section = mine[1]
        assert section.version == 0, "the second session has not seen the first save"
        with pytest.raises(actions.Conflict) as caught:
            actions.save_section(
                own,
                row,
                section,
                actor=by(h.s.chair),
                text="Thứ hai",
                conclusion="",
                base_version=0,
            )
    assert caught.value.current.text == "Thứ nhất"
    db.expire_all()
    rows = db.exec(select(SectionRevision).where(SectionRevision.section_id == section_id)).all()
    assert [(r.version, r.text) for r in rows] == [(1, "Thứ nhất")]


def test_the_conclusion_is_saved_and_kept_beside_the_text(db: Session, h: Held) -> None:
    record = started(h)
    section = section_of(db, record, h.item)
    save(h, section, "Thảo luận.", 0, conclusion="Thống nhất thông qua.")
    saved = section_of(db, record, h.item)
    assert (saved.text, saved.conclusion) == ("Thảo luận.", "Thống nhất thông qua.")
    assert revisions_of(db, saved.id or 0)[0].conclusion == "Thống nhất thông qua."


def test_a_text_too_long_is_refused_at_its_field_and_nothing_is_stored(
    db: Session, h: Held
) -> None:
    record = started(h)
    section = section_of(db, record, h.item)
    with pytest.raises(Refusal) as caught:
        save(h, section, "x" * (actions.TEXT_MAX + 1), 0)
    assert (caught.value.status, caught.value.field) == (422, "text")
    assert section_of(db, record, h.item).version == 0
    assert db.exec(select(SectionRevision)).all() == []


def test_a_final_record_refuses_every_save(db: Session, h: Held, english: None) -> None:
    record = started(h)
    actions.approve(db, record, actor=by(h.s.chair))
    with pytest.raises(Refusal) as caught:
        save(h, section_of(db, record, h.item), "Sửa sau khi đã duyệt.", 0)
    assert caught.value.status == 409 and "addendum" in caught.value.message
    assert section_of(db, record, h.item).text == ""


def test_what_changed_is_shown_word_by_word() -> None:
    pieces = diff("Thống nhất thông qua dự thảo.", "Thống nhất chưa thông qua dự thảo.")
    assert [(p.kind, p.text.strip()) for p in pieces if p.kind != "same"] == [("added", "chưa")]
    assert "".join(p.text for p in pieces if p.kind != "removed") == (
        "Thống nhất chưa thông qua dự thảo."
    )
    removed = diff("a b c", "a c")
    assert [(p.kind, p.text.strip()) for p in removed if p.kind != "same"] == [("removed", "b")]
