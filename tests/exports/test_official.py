"""The decree's fixed forms: date lines, authority lines, symbols, signing forms, recipients."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from meetings.exports.official import (
    Kind,
    OfficialDocument,
    Signature,
    abbreviation,
    authority,
    broken,
    date_line,
    place_of,
    without_place,
)


@pytest.mark.parametrize(
    ("on", "language", "expected"),
    [
        (date(2026, 2, 5), "vi", "Hà Nội, ngày 05 tháng 02 năm 2026"),
        (date(2026, 3, 1), "vi", "Hà Nội, ngày 01 tháng 3 năm 2026"),
        (date(2026, 11, 23), "vi", "Hà Nội, ngày 23 tháng 11 năm 2026"),
        (date(2026, 11, 23), "en", "Hanoi, 23 November 2026"),
    ],
)
def test_a_date_line_pads_days_below_ten_and_the_first_two_months(
    on: date, language: str, expected: str
) -> None:
    assert date_line("Hà Nội", on, language) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("organisation", "body", "expected"),
    [
        ("Chính phủ nước Cộng hòa xã hội chủ nghĩa Việt Nam", "Chính phủ", ("", "Chính phủ")),
        (
            "Ủy ban nhân dân tỉnh Bình An",
            "Ủy ban nhân dân tỉnh",
            ("", "Ủy ban nhân dân tỉnh Bình An"),
        ),
        ("Chính phủ", "Thường trực Chính phủ", ("Chính phủ", "Thường trực Chính phủ")),
        ("Bộ Tư pháp", "Hội đồng thẩm định", ("Bộ Tư pháp", "Hội đồng thẩm định")),
    ],
)
def test_a_body_named_like_its_organisation_issues_in_one_line(
    organisation: str, body: str, expected: tuple[str, str]
) -> None:
    assert authority(organisation, body) == expected


def test_the_place_and_the_symbol_are_read_from_the_issuers_name() -> None:
    assert place_of("Ủy ban nhân dân tỉnh Bình An") == "Bình An"
    assert place_of("Sở Tư pháp", "Ủy ban nhân dân tỉnh Bình An") == "Bình An"
    assert place_of("Ủy ban nhân dân Thành phố Hồ Chí Minh") == "Thành phố Hồ Chí Minh"
    assert place_of("Bộ Lao động - Thương binh và Xã hội") == "Hà Nội", "Xã hội is no place"
    assert abbreviation("Ủy ban nhân dân tỉnh Bình An") == "UBND"
    assert abbreviation("Chính phủ") == "CP"
    assert abbreviation("Bộ Kế hoạch và Đầu tư") == "BKHĐT"
    assert abbreviation("Hội đồng 12") == "HĐ12"


def test_a_long_authority_breaks_before_its_place() -> None:
    assert broken("Ủy ban nhân dân tỉnh Bình An") == ["Ủy ban nhân dân", "tỉnh Bình An"]
    assert broken("Hội đồng nhân dân huyện Đông Anh thành phố Hà Nội") == [
        "Hội đồng nhân dân",
        "huyện Đông Anh",
        "thành phố Hà Nội",
    ]
    assert broken("Chính phủ") == ["Chính phủ"]
    assert without_place("Ủy ban nhân dân tỉnh Bình An") == "Ủy ban nhân dân"


def test_signing_forms_in_both_languages() -> None:
    on_behalf = Signature("Thủ tướng", "Nguyễn Văn A", capacity="TM", on_behalf_of="Chính phủ")
    assert on_behalf.lines("vi") == ["TM. CHÍNH PHỦ", "THỦ TƯỚNG"]
    assert on_behalf.lines("en") == ["ON BEHALF OF CHÍNH PHỦ", "THỦ TƯỚNG"]
    deputy = Signature("Phó Thủ tướng", "B", capacity="KT", on_behalf_of="Thủ tướng")
    assert deputy.lines("vi") == ["KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"]
    by_order = Signature("Vụ trưởng Vụ Pháp chế", "C", capacity="TL", on_behalf_of="Bộ trưởng")
    assert by_order.lines("vi") == ["TL. BỘ TRƯỞNG", "VỤ TRƯỞNG VỤ PHÁP CHẾ"]
    assert Signature("Bộ trưởng", "D", capacity="Q").lines("vi") == ["Q. BỘ TRƯỞNG"]
    assert Signature("Chủ tịch", "E").lines("vi") == ["CHỦ TỊCH"]


def test_the_number_is_left_blank_and_the_archive_closes_the_recipients() -> None:
    document = OfficialDocument(
        language="vi",
        issuer="Ủy ban nhân dân tỉnh Bình An",
        kind=Kind.notice,
        title="Kết luận của Chủ tịch",
        place="Bình An",
        on=date(2026, 5, 4),
        recipients=("Các Sở, ban, ngành;", "Chủ tịch, các Phó Chủ tịch"),
    )
    assert document.number_line == "Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/TB-UBND"
    assert document.recipient_lines == [
        "- Các Sở, ban, ngành;",
        "- Chủ tịch, các Phó Chủ tịch;",
        "- Lưu: VT.",
    ]
    assert document.authority_lines == ([], ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH AN"])
    numbered = replace(document, number="12", language="en")
    assert numbered.number_line == "No.: 12/TB-UBND"
    assert numbered.kind_name == "NOTICE"
