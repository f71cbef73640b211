"""Vietnamese-aware matching, the same on SQLite and PostgreSQL: accents and đ both ways, case,
phrases in quotes, the last word as a prefix while typing."""

from __future__ import annotations

import pytest

from tests.client import Client
from tests.search.support import DECREE, Scene, found, log_in

PLAIN = "Bao cao tong hop y kien cua Dang uy"  # text typed without accents


@pytest.fixture
def secretary(client: Client, scene: Scene) -> Client:
    scene.document(scene.meeting, "Tổng hợp", PLAIN)
    return log_in(client, scene.people["secretary"])


def decree_found(client: Client, q: str) -> bool:
    return ("document", DECREE) in found(client, q, kind="document")


@pytest.mark.parametrize(
    "q", ["Đặng Quốc Khánh", "dang quoc khanh", "ĐẶNG QUỐC KHÁNH", "Dang", "đặng", "DANG QUOC"]
)
def test_accents_case_and_d_bar_are_optional_in_the_query(secretary: Client, q: str) -> None:
    assert decree_found(secretary, q)


@pytest.mark.parametrize("q", ["Báo cáo tổng hợp ý kiến", "Đảng ủy", "ĐẢNG"])
def test_an_accented_query_finds_text_written_without_accents(secretary: Client, q: str) -> None:
    assert ("document", "Tổng hợp") in found(secretary, q)


def test_a_phrase_in_quotes_must_appear_in_that_order(secretary: Client) -> None:
    assert decree_found(secretary, '"quoc khanh"')
    assert not decree_found(secretary, '"khanh quoc"')
    assert decree_found(secretary, "khanh quoc")  # without quotes, anywhere
    assert decree_found(secretary, '"tài khoản định danh" "Luật Căn cước"')


def test_the_last_word_is_a_prefix_until_a_space_follows_it(secretary: Client) -> None:
    assert decree_found(secretary, "dang quo")
    assert not decree_found(secretary, "dang quo ")
    assert decree_found(secretary, '"dang quoc kh')  # a phrase still being typed
    assert not decree_found(secretary, "quo dang")  # only the last word


def test_every_word_must_be_found(secretary: Client) -> None:
    assert decree_found(secretary, "nghi dinh can cuoc")
    assert not decree_found(secretary, "nghi dinh hang khong")


def test_what_the_engines_treat_as_syntax_is_just_text(secretary: Client) -> None:
    for q in ['dinh* OR "', "NOT dinh", "dinh:* & !danh", "(dinh | danh)", "'", "-dang", "^"]:
        response = secretary.get("/api/v1/search", params={"q": q})
        assert response.status_code == 200, (q, response.text)
