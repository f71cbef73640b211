"""A poll's report as Word and PDF files: the decree's heading, the figures, the opinions under
their option, the recipients and the signature, read back from the files themselves."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn
from pypdf import PdfReader
from sqlmodel import Session

from meetings import i18n
from meetings.exports import docx, pdf
from meetings.exports.official import Kind, OfficialDocument, Paragraph
from meetings.voting import actions, casting
from meetings.voting.queries import options_of
from meetings.voting.report import summary_document
from tests.attendance.support import ACTOR
from tests.exports.support import (
    AGREED,
    OTHER,
    QUESTION,
    answered_ballot,
    live_vote,
    pdf_pages,
    province,
    text_of,
)
from tests.factories import Factory

ON = date(2026, 2, 5)
RENDER = {"docx": docx.docx, "pdf": pdf.pdf}
FORMATS = pytest.mark.parametrize("kind", ["docx", "pdf"])
SIDES = ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")


@FORMATS
def test_a_named_ballots_report_reads_as_an_official_vietnamese_report(
    kind: str, factory: Factory, db: Session
) -> None:
    s = province(factory, db)
    document = summary_document(db, answered_ballot(s), "vi", on=ON)
    text = text_of(kind, RENDER[kind](document))
    heading = (
        "ỦY BAN NHÂN DÂN TỈNH BÌNH AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        "Độc lập - Tự do - Hạnh phúc Số: /BC-UBND Bình An, ngày 05 tháng 02 năm 2026 BÁO CÁO"
    )
    assert text.startswith(heading)
    assert document.title in text and QUESTION in text
    assert "Tán thành 2 50,0%" in text and "Ý kiến khác 1 25,0%" in text
    assert "Không tán thành 0 0,0%" in text
    assert "Thủ Tướng Nguyễn." in text, "the chair did not answer"
    assert text.index("Nơi nhận: - ") < text.index("- Lưu: VT.")
    assert text.endswith("TM. ỦY BAN NHÂN DÂN THỦ TƯỚNG Thủ Tướng Nguyễn")


@FORMATS
def test_opinions_stand_under_the_option_they_came_with_named_in_a_named_poll(
    kind: str, factory: Factory, db: Session
) -> None:
    s = province(factory, db)
    text = text_of(kind, RENDER[kind](summary_document(db, answered_ballot(s), "vi", on=ON)))
    opinions = text[text.index("II. Ý KIẾN BẰNG VĂN BẢN") :]
    agreed, other = opinions.index("1. Tán thành"), opinions.index("2. Ý kiến khác")
    first = opinions.index(f"- {s.members[0].name}: {AGREED}")
    third = opinions.index(f"- {s.members[2].name}: {OTHER}")
    assert agreed < first < other < third
    assert s.members[1].name not in text, "who agreed without a comment is not listed"


@FORMATS
def test_a_secret_polls_report_names_no_one_who_answered(
    kind: str, factory: Factory, db: Session
) -> None:
    s = province(factory, db)
    poll = answered_ballot(s, secret=True)
    text = text_of(kind, RENDER[kind](summary_document(db, poll, "vi", on=ON)))
    assert f"- {AGREED}" in text and f"- {OTHER}" in text
    assert "Tán thành 2 50,0%" in text
    for member in s.members:
        assert member.name not in text


@FORMATS
def test_the_english_report_has_the_english_heading_and_forms(
    kind: str, factory: Factory, db: Session
) -> None:
    s = province(factory, db)
    text = text_of(kind, RENDER[kind](summary_document(db, answered_ballot(s), "en", on=ON)))
    heading = (
        "ỦY BAN NHÂN DÂN TỈNH BÌNH AN SOCIALIST REPUBLIC OF VIET NAM "
        "Independence - Freedom - Happiness No.: /BC-UBND Bình An, 5 February 2026 REPORT "
        "Results of the opinion ballot of the members of Ủy ban nhân dân tỉnh"
    )
    assert text.startswith(heading)
    assert "Agree 2 50.0%" in text and "Other opinion 1 25.0%" in text
    assert "Recipients: - The members of Ủy ban nhân dân tỉnh; - Archived: VT." in text
    assert text.endswith("ON BEHALF OF ỦY BAN NHÂN DÂN THỦ TƯỚNG Thủ Tướng Nguyễn")
    assert not re.search("CỘNG HÒA|Nơi nhận|Số:|BÁO CÁO", text)


def test_a_live_votes_report_counts_votes_cast(factory: Factory, db: Session) -> None:
    s = province(factory, db)
    text = text_of("pdf", pdf.pdf(summary_document(db, live_vote(s), "en", on=ON)))
    assert "Results of the vote of Ủy ban nhân dân tỉnh" in text
    assert "Eligible voters: 4. Votes cast: 4. Did not vote: 0." in text
    assert "Agree 3 75.0% Disagree 1 25.0%" in text
    assert "1. Disagree (1 opinion) - Thủ Tướng Nguyễn: Cần thêm thời gian thẩm tra." in text
    assert "Result: Passed." in text


def test_the_callers_language_stays_as_it_was(factory: Factory, db: Session) -> None:
    s = province(factory, db)
    poll = answered_ballot(s)
    i18n.set_locale("vi")
    english = summary_document(db, poll, "en", on=ON)
    assert english.title.startswith("Results of the opinion ballot")
    assert i18n.current_locale() == "vi"


def test_the_word_file_is_a4_with_the_decrees_margins_in_times_new_roman(
    factory: Factory, db: Session
) -> None:
    s = province(factory, db)
    document = summary_document(db, answered_ballot(s), "vi", on=ON)
    content = docx.docx(document)
    word = WordDocument(io.BytesIO(content))
    section = word.sections[0]
    mm = {side: round(getattr(section, side).mm) for side in SIDES}
    assert (mm["page_width"], mm["page_height"]) == (210, 297)
    assert 20 <= mm["top_margin"] <= 25 and 20 <= mm["bottom_margin"] <= 25
    assert 30 <= mm["left_margin"] <= 35 and 15 <= mm["right_margin"] <= 20
    fonts = list(word.styles.element.iter(qn("w:rFonts")))[:2]  # the defaults, then Normal's
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert {f.get(qn(slot)) for f in fonts} == {"Times New Roman"}
    assert not any(f.get(qn("w:asciiTheme")) for f in fonts), "a theme font would win"
    assert word.core_properties.title == f"BÁO CÁO {document.title}"
    assert docx.docx(document) == content, "the same document gives the same bytes"


def test_the_pdf_is_a4_with_the_decrees_margins_in_a_times_metric_font(
    factory: Factory, db: Session
) -> None:
    s = province(factory, db)
    reader = PdfReader(io.BytesIO(pdf.pdf(summary_document(db, answered_ballot(s), "vi", on=ON))))
    page = reader.pages[0]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)
    lefts: list[float] = []
    page.extract_text(visitor_text=lambda text, cm, tm, *_: text.strip() and lefts.append(
        tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    ))  # fmt: skip
    assert round(min(lefts) / 72 * 25.4) == 30, "the left margin is 30 mm"
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    # Every glyph, Vietnamese letters included, from Times New Roman or its metric twins:
    # a fallback font here means the machine lacks fonts-liberation2 (or Times/Tinos).
    assert fonts and all(re.search("Times|Liberation-?Serif|Tinos", f) for f in fonts), fonts


def test_pages_after_the_first_are_numbered_at_the_top() -> None:
    long = OfficialDocument(
        language="vi",
        issuer="Chính phủ",
        kind=Kind.minutes,
        title="Phiên họp Chính phủ thường kỳ tháng 11 năm 2026",
        place="Hà Nội",
        on=ON,
        blocks=tuple(Paragraph(f"Đoạn {n}: Chính phủ thảo luận.") for n in range(60)),
    )
    pages = pdf_pages(pdf.pdf(long))
    assert len(pages) >= 2
    assert pages[0].startswith("CHÍNH PHỦ") and not pages[0].endswith("\n1"), "none on page 1"
    assert pages[1].startswith("Đoạn") and pages[1].endswith("\n2")
    word = WordDocument(io.BytesIO(docx.docx(long)))
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert section.header._element.find(".//" + qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"


def test_an_elections_report_says_which_candidates_passed(factory: Factory, db: Session) -> None:
    s = province(factory, db)
    s.open()
    for person in [s.chair, *s.members]:
        s.check_in(person)
    names = ["Nguyễn Văn An", "Trần Thị Bình"]
    poll = actions.create(
        db, s.body, actor=ACTOR, question=QUESTION, meeting=s.meeting, secret=True, candidates=names
    )
    actions.open_poll(db, poll, actor=ACTOR)
    first, second = (o.id or 0 for o in options_of(db, poll.id or 0))
    for person in s.members:
        casting.cast(db, poll, person.id or 0, [first], actor=ACTOR)
    casting.cast(db, poll, s.chair.id or 0, [second], actor=ACTOR)
    actions.close(db, poll, actor=ACTOR)
    text = text_of("docx", docx.docx(summary_document(db, poll, "en", on=ON)))
    assert "Option Votes Share of the total Result" in text
    assert "Nguyễn Văn An 3 75.0% Passed Trần Thị Bình 1 25.0% Not passed" in text
    assert not any(member.name in text for member in s.members)
