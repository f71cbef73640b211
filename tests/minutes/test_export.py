"""A record downloaded as an official document: the minutes as BIÊN BẢN with the facts
recorded automatically and what the secretary wrote, the conclusion notice as THÔNG BÁO; in
Word and PDF; for whoever may read the record."""

from __future__ import annotations

import io

import pytest
from docx import Document as WordDocument
from sqlmodel import Session

from meetings.minutes import actions
from tests.attendance.support import log_in
from tests.client import Client
from tests.exports.support import docx_text, pdf_text
from tests.factories import Factory
from tests.minutes.support import Held, by, held, section_of, started

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def h(factory: Factory, db: Session) -> Held:
    return held(factory, db)


def write(h: Held, record, item, text: str, conclusion: str = "") -> None:  # type: ignore[no-untyped-def]
    section = section_of(h.s.db, record, item)
    actions.save_section(
        h.s.db,
        record,
        section,
        actor=by(h.s.secretary),
        text=text,
        conclusion=conclusion,
        base_version=section.version,
    )


def test_the_final_minutes_as_word_say_what_happened_and_what_was_written(
    client: Client, db: Session, h: Held
) -> None:
    record = started(h)
    write(h, record, h.item, "Bộ Tư pháp trình bày dự thảo.", "Thống nhất thông qua.")
    actions.set_number(db, record, actor=by(h.s.secretary), number="12/BB-HĐ")
    actions.approve(db, record, actor=by(h.s.chair))
    log_in(client, h.s.members[0])
    word = client.get(f"/records/{record.id}.docx?lang=vi")
    assert word.status_code == 200 and word.headers["content-type"] == DOCX
    assert word.headers["cache-control"] == "private, no-store"
    text = docx_text(word.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "BIÊN BẢN" in text
    assert "Số: 12/BB-HĐ" in text
    assert "Thứ Trưởng Phạm" in text and "Bộ Trưởng 3, Bộ trưởng: Đi công tác" in text
    assert "1. Nội dung 1" in text and "Bộ Trưởng 1 (Về điều 5)" in text
    assert "Bộ Tư pháp trình bày dự thảo." in text and "Thống nhất thông qua." in text
    assert "Draft" not in text
    closing = WordDocument(io.BytesIO(word.content)).tables[-1]
    secretary, chair = ([p.text for p in cell.paragraphs] for cell in closing.rows[0].cells)
    assert secretary == ["THƯ KÝ", h.s.secretary.name], "the secretary signs on the left"
    assert chair == ["CHỦ TỌA", "Thủ Tướng Nguyễn"], "the chair on the right"
    assert closing.rows[1].cells[0].paragraphs[0].text == "Nơi nhận:"
    printed = pdf_text(client.get(f"/records/{record.id}.pdf?lang=en").content)
    assert "SECRETARY" in printed and "CHAIR" in printed and h.s.secretary.name in printed


def test_the_conclusion_notice_as_pdf(client: Client, db: Session, h: Held) -> None:
    notice = started(h, "conclusions")
    write(h, notice, h.item, "", "Giao Bộ Tư pháp hoàn thiện dự thảo.")
    log_in(client, h.s.secretary)
    printed = client.get(f"/records/{notice.id}.pdf?lang=en")
    assert printed.status_code == 200 and printed.headers["content-type"] == "application/pdf"
    assert printed.content.startswith(b"%PDF-")
    text = pdf_text(printed.content)
    assert "NOTICE" in text and "Conclusions of the meeting" in text
    assert "Giao Bộ Tư pháp hoàn thiện dự thảo." in text
    assert "Draft, not approved yet." in text
    assert "SECRETARY" not in text, "a notice has one signature"


def test_a_draft_is_not_downloaded_by_a_member(client: Client, h: Held) -> None:
    record = started(h)
    log_in(client, h.s.members[0])
    for extension in ("docx", "pdf"):
        assert client.get(f"/records/{record.id}.{extension}").status_code == 404
