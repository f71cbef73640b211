"""The records' pages over HTTP: the meeting's records and starting one, the record with its
automatic facts beside each section's editor, autosave through htmx ("Saved at ...") and the
Save button without JavaScript, the conflict with both texts, the automatic summary inserted
as a starting text, comments while circulated, revisions with what changed, and the workflow
buttons."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from meetings.live import opinions
from meetings.live.models import Opinion
from meetings.minutes import actions
from meetings.minutes.models import MeetingRecord, RecordComment, SectionRevision
from meetings.minutes.queries import revisions_of
from tests.attendance.support import log_in
from tests.client import Client
from tests.factories import Factory
from tests.minutes.support import Held, by, held, reloaded, section_of, started


@pytest.fixture
def h(factory: Factory, db: Session) -> Held:
    return held(factory, db)


def base_of(page: str, section_id: int | None) -> str:
    found = re.search(
        rf'id="status-{section_id}"[^>]*>\s*<input type="hidden" name="base_version" '
        r'value="(\d+)"',
        page,
    )
    assert found, "the editor carries the version it builds on"
    return found.group(1)


def url(record: MeetingRecord, tail: str = "") -> str:
    return f"/records/{record.id}{tail}"


def test_the_meeting_page_links_to_its_records(client: Client, h: Held) -> None:
    log_in(client, h.s.members[0])
    page = client.get(h.s.url())
    assert f'href="/meetings/{h.s.meeting.id}/minutes"' in page.text
    listing = client.get(h.s.url("/minutes"))
    assert listing.status_code == 200
    assert "No record of this meeting has been started yet." in listing.text
    assert "Start the minutes" not in listing.text, "only the secretariat starts one"


def test_the_secretary_starts_the_minutes_and_sees_each_section_with_its_facts(
    client: Client, db: Session, h: Held
) -> None:
    log_in(client, h.s.secretary)
    listing = client.get(h.s.url("/minutes"))
    assert "Start the minutes" in listing.text and "Start the conclusion notice" in listing.text
    answer = client.submit(h.s.url("/minutes"), {"kind": "minutes"})
    assert answer.status_code == 303
    record = db.exec(select(MeetingRecord)).one()
    assert answer.headers["location"] == url(record)
    page = client.get(url(record))
    assert page.status_code == 200
    assert "Opening and general part" in page.text and "1. Nội dung 1" in page.text
    assert "Recorded automatically" in page.text
    assert "Thứ Trưởng Phạm in place of Bộ Trưởng 4" in page.text
    assert "Bộ Trưởng 1 (Về điều 5)" in page.text and "3 min 20 s" in page.text
    item = section_of(db, record, h.item)
    assert f'hx-post="/records/{record.id}/sections/{item.id}"' in page.text
    assert 'hx-trigger="input changed delay:1500ms, change, submit"' in page.text
    assert base_of(page.text, item.id) == "0"
    assert "Circulate for comments" in page.text and "Approve as final" not in page.text
    assert "Start the minutes" not in client.get(h.s.url("/minutes")).text


def test_autosave_answers_saved_at_and_the_version_to_build_on(
    client: Client, db: Session, h: Held
) -> None:
    record = started(h)
    item = section_of(db, record, h.item)
    log_in(client, h.s.secretary)
    client.get(url(record))
    answer = client.htmx(
        "POST",
        url(record, f"/sections/{item.id}"),
        data={"text": "Bộ Tư pháp trình bày.", "conclusion": "", "base_version": "0"},
    )
    assert answer.status_code == 200
    assert "Saved at" in answer.text and "<form" not in answer.text, "just the status"
    assert base_of(answer.text, item.id) == "1"
    saved = section_of(db, record, h.item)
    assert (saved.text, saved.version, saved.updated_by) == (
        "Bộ Tư pháp trình bày.",
        1,
        h.s.secretary.id,
    )


def test_the_save_button_works_without_javascript(client: Client, db: Session, h: Held) -> None:
    record = started(h)
    opening = section_of(db, record, None)
    log_in(client, h.s.secretary)
    client.get(url(record))
    answer = client.submit(
        url(record, f"/sections/{opening.id}"), {"text": "Khai mạc phiên họp.", "base_version": "0"}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == url(record, f"#section-{opening.id}")
    page = client.get(url(record))
    assert "The section has been saved." in page.text and "Khai mạc phiên họp." in page.text
    assert base_of(page.text, opening.id) == "1"


def test_the_second_secretary_gets_a_conflict_with_both_texts_and_nothing_is_overwritten(
    client: Client, other_client: Client, factory: Factory, db: Session, h: Held
) -> None:
    record = started(h)
    item = section_of(db, record, h.item)
    deputy = factory.user("Phó Văn Phòng", organisation=h.s.org, role="secretary")
    log_in(client, h.s.secretary)
    log_in(other_client, deputy)
    target = url(record, f"/sections/{item.id}")
    base = base_of(client.get(url(record)).text, item.id)
    assert base_of(other_client.get(url(record)).text, item.id) == base
    first = client.htmx("POST", target, data={"text": "Văn bản thứ nhất.", "base_version": base})
    assert first.status_code == 200
    second = other_client.htmx(
        "POST", target, data={"text": "Văn bản thứ hai.", "base_version": base}
    )
    assert second.status_code == 409
    assert second.headers["HX-Retarget"] == f"#editor-{item.id}"
    assert "Văn bản thứ nhất." in second.text and "Văn bản thứ hai." in second.text
    assert "Keep the saved text" in second.text and "Save my text" in second.text
    assert 'name="base_version" value="1"' in second.text, "the merge builds on the saved text"
    kept = section_of(db, record, h.item)
    assert (kept.text, kept.version) == ("Văn bản thứ nhất.", 1)

    merged = other_client.htmx(
        "POST",
        target,
        data={"text": "Văn bản thứ nhất. Văn bản thứ hai.", "base_version": "1"},
        headers={"HX-Target": f"editor-{item.id}"},
    )
    assert merged.status_code == 200
    assert 'hx-trigger="input changed delay:1500ms, change, submit"' in merged.text, (
        "the editor again"
    )
    assert [r.saved_by for r in revisions_of(db, item.id or 0)] == [deputy.id, h.s.secretary.id]


def test_a_conflict_without_javascript_is_the_page_with_both_texts(
    client: Client, db: Session, h: Held
) -> None:
    record = started(h)
    item = section_of(db, record, h.item)
    actions.save_section(
        db, record, item, actor=by(h.s.chair), text="Đã lưu trước.", conclusion="", base_version=0
    )
    log_in(client, h.s.secretary)
    client.get(url(record))
    answer = client.submit(
        url(record, f"/sections/{item.id}"), {"text": "Của tôi.", "base_version": "0"}
    )
    assert answer.status_code == 409
    assert "Đã lưu trước." in answer.text and "Của tôi." in answer.text
    assert "Nothing was overwritten" in answer.text
    assert section_of(db, record, h.item).text == "Đã lưu trước."


def test_a_text_too_long_is_refused_next_to_its_field(client: Client, db: Session, h: Held) -> None:
    record = started(h)
    item = section_of(db, record, h.item)
    log_in(client, h.s.secretary)
    client.get(url(record))
    answer = client.htmx(
        "POST",
        url(record, f"/sections/{item.id}"),
        data={"text": "chữ " * 25_001, "conclusion": "Kết luận.", "base_version": "0"},
    )
    assert answer.status_code == 422
    assert 'class="field-error"' in answer.text and "Keep the text under" in answer.text
    assert "Kết luận." in answer.text, "what was typed is kept"
    assert db.exec(select(SectionRevision)).all() == []


def test_the_automatic_summary_is_inserted_as_a_starting_text(
    client: Client, db: Session, h: Held
) -> None:
    record = started(h)
    item = section_of(db, record, h.item)
    log_in(client, h.s.secretary)
    client.get(url(record))
    answer = client.htmx(
        "POST",
        url(record, f"/sections/{item.id}/summary"),
        data={"text": "Mở đầu do thư ký viết.", "conclusion": "", "base_version": "0"},
    )
    assert answer.status_code == 200
    saved = section_of(db, record, h.item)
    assert saved.version == 1
    assert saved.text.startswith("Mở đầu do thư ký viết.\n\nSpeakers: Bộ Trưởng 1 (Về điều 5)")
    assert "Vote:\n- Thông qua dự thảo Nghị định? — Passed" in saved.text
    assert "Mở đầu do thư ký viết." in answer.text and "<textarea" in answer.text


def test_participants_comment_while_the_record_is_circulated(
    client: Client, db: Session, h: Held
) -> None:
    record = started(h)
    item = section_of(db, record, h.item)
    actions.circulate(db, record, h.s.meeting, actor=by(h.s.secretary))
    log_in(client, h.s.members[1])
    page = client.get(url(record))
    assert page.status_code == 200 and "Send the comment" in page.text
    assert "<textarea" in page.text and 'name="base_version"' not in page.text, "no editor"
    empty = client.htmx(
        "POST", url(record, "/comments"), data={"section_id": str(item.id), "text": ""}
    )
    assert empty.status_code == 422 and "Write your comment first." in empty.text
    sent = client.htmx(
        "POST",
        url(record, "/comments"),
        data={"section_id": str(item.id), "text": "Đề nghị ghi rõ ý kiến của tôi."},
    )
    assert sent.status_code == 200
    assert "Đề nghị ghi rõ ý kiến của tôi." in sent.text and "Comments (1)" in sent.text
    assert db.exec(select(RecordComment.section_id)).all() == [item.id]


def test_the_history_shows_who_saved_when_and_what_changed(
    client: Client, db: Session, h: Held
) -> None:
    record = started(h)
    item = section_of(db, record, h.item)
    for base, text in enumerate(("Thống nhất thông qua.", "Thống nhất chưa thông qua.")):
        actions.save_section(
            db,
            record,
            section_of(db, record, h.item),
            actor=by(h.s.secretary),
            text=text,
            conclusion="",
            base_version=base,
        )
    log_in(client, h.s.chair)
    page = client.get(url(record, f"/sections/{item.id}/revisions"))
    assert page.status_code == 200
    assert "Version 2 compared with version 1" in page.text
    assert re.search(r"<ins>\s*chưa\s*</ins>", page.text)
    assert "Chánh Văn Phòng" in page.text
    first = client.get(url(record, f"/sections/{item.id}/revisions?version=1"))
    assert "Version 1, the first" in first.text
    assert client.get(url(record, f"/sections/{item.id}/revisions?version=7")).status_code == 404


def test_the_chair_approves_from_the_page_and_it_becomes_read_only(
    client: Client, db: Session, h: Held
) -> None:
    record = started(h)
    log_in(client, h.s.chair)
    page = client.get(url(record))
    assert "Approve as final" in page.text
    answer = client.submit(url(record, "/approve"))
    assert answer.status_code == 303
    assert reloaded(db, record).state == "final"
    final = client.get(url(record)).text
    assert "final and read-only" in final and "<textarea" not in final
    log_in(client, h.s.secretary)
    page = client.get(url(record)).text
    assert "Correct with an addendum" in page and "hx-post" not in page
    again = client.submit(
        url(record, f"/sections/{section_of(db, record, h.item).id}"),
        {"text": "Sửa.", "base_version": "0"},
    )
    assert again.status_code == 409 and "Correct it with an addendum" in again.text
    added = client.submit(url(record, "/addendum"))
    assert added.status_code == 303
    addendum = db.exec(select(MeetingRecord).where(MeetingRecord.kind == "addendum")).one()
    assert added.headers["location"] == url(addendum)
    page = client.get(url(addendum)).text
    assert "This addendum corrects a final record" in page and "As approved" in page


def test_a_conclusion_leads_to_a_follow_up_task(client: Client, db: Session, h: Held) -> None:
    notice = started(h, "conclusions")
    item = section_of(db, notice, h.item)
    actions.save_section(
        db,
        notice,
        item,
        actor=by(h.s.secretary),
        text="",
        conclusion="Giao Bộ Tư pháp hoàn thiện.",
        base_version=0,
    )
    log_in(client, h.s.secretary)
    page = client.get(url(notice)).text
    assert f'href="/tasks/new?section={item.id}"' in page
    assert "Create a follow-up task" in page
    assert page.count("Create a follow-up task") == 1, "only where there is a conclusion"
    assert 'name="text"' in page and "Record of the discussion" not in page


def test_an_item_added_during_the_session_gets_its_section(
    client: Client, factory: Factory, db: Session
) -> None:
    h = held(factory, db, close=False)
    record = started(h)
    late = factory.item(h.s.meeting, "Nội dung phát sinh")
    log_in(client, h.s.secretary)
    page = client.get(url(record)).text
    assert "1 agenda item was added after this record was started" in page
    added = client.submit(url(record, "/sections"))
    assert added.status_code == 303
    page = client.get(url(record)).text
    assert "3. Nội dung phát sinh" in page and "was added after" not in page
    assert section_of(db, record, late).version == 0
    again = client.submit(url(record, "/sections"))
    assert again.status_code == 409


def test_during_the_session_the_facts_beside_the_editor_keep_up(
    client: Client, factory: Factory, db: Session
) -> None:
    during = held(factory, db, close=False)
    record = started(during)
    section = section_of(db, record, during.item)
    facts = url(record, f"/sections/{section.id}/facts")
    log_in(client, during.s.secretary)
    page = client.get(url(record)).text
    assert f'hx-get="{facts}" hx-trigger="every 20s"' in page, "asked again while in session"
    before = client.get(facts)
    assert before.status_code == 200 and "Ý kiến riêng" not in before.text
    shown = db.exec(select(Opinion).where(Opinion.text == "Ý kiến riêng.")).one()
    opinions.show(db, during.s.meeting, shown, public=True, actor=by(during.s.chair))
    assert "Ý kiến riêng." in client.get(facts).text, "a newly shown opinion appears"
    stranger = factory.user(organisation=factory.organisation(), role="secretary")
    log_in(client, stranger)
    assert client.get(facts).status_code == 404


def test_after_the_session_the_facts_are_not_asked_again(client: Client, h: Held) -> None:
    record = started(h)
    log_in(client, h.s.secretary)
    assert 'hx-trigger="every 20s"' not in client.get(url(record)).text
