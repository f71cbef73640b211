"""Folding, query parsing and highlighting, without a database."""

from __future__ import annotations

from meetings.search import highlight
from meetings.search.terms import parse, terms


def test_text_is_folded_to_plain_words_with_d_bar_as_d() -> None:
    assert terms("Quyết định số 30/2020/NĐ-CP của Đặng") == "quyet dinh so 30 2020 nd cp cua dang"


def test_a_query_is_folded_the_same_way_with_or_without_accents() -> None:
    assert parse("quyet dinh") == parse("Quyết Định") == parse("QUYẾT ĐỊNH")
    assert parse("dang").groups == parse("Đặng").groups == (("dang",),)


def test_the_word_still_being_typed_is_a_prefix_and_a_finished_one_is_not() -> None:
    assert parse("nghi dinh dinh da").prefix
    assert not parse("nghi dinh dinh danh ").prefix
    assert parse("nghi dinh dinh da").fts5() == '"nghi" AND "dinh" AND "dinh" AND "da"*'
    assert parse("nghi da").tsquery() == "(nghi) & (da:*)"


def test_quotes_make_a_phrase_and_an_unclosed_quote_is_a_phrase_being_typed() -> None:
    closed = parse('"định danh điện tử" nghị')
    assert closed.groups == (("dinh", "danh", "dien", "tu"), ("nghi",))
    assert parse('"dinh danh"').prefix is False
    typing = parse('nghi "dinh da')
    assert typing.prefix and typing.fts5() == '"nghi" AND "dinh da"*'
    assert typing.tsquery() == "(nghi) & (dinh <-> da:*)"


def test_punctuation_alone_and_engine_syntax_are_no_query() -> None:
    assert not parse(' " - * ( ) : ')
    assert parse('a*b OR "c" NOT d:*').fts5() == '"a b" AND "or" AND "c" AND "not" AND "d"*'


def test_a_title_is_escaped_and_only_the_matched_words_are_marked() -> None:
    regex = highlight.pattern(parse("dinh danh"))
    shown = highlight.title("<b>Định danh</b> & định dạng", regex)
    assert (
        str(shown)
        == "&lt;b&gt;<mark>Định</mark> <mark>danh</mark>&lt;/b&gt; &amp; <mark>định</mark> dạng"
    )


def test_a_snippet_is_cut_around_the_first_match() -> None:
    text = "Mở đầu. " * 40 + "Tài khoản định danh điện tử của công dân. " + "Kết thúc. " * 40
    shown = str(highlight.snippet(text, highlight.pattern(parse('"dinh danh"'))))
    assert shown.startswith("… ") and shown.endswith(" …")
    assert "<mark>định danh</mark> điện tử" in shown
    assert len(shown) < 400


def test_text_that_folds_to_another_length_is_still_marked_in_the_right_place() -> None:
    text = "ﬁle Ｑuyết ﬁnal: quyết định"  # ligatures and full-width letters fold longer/shorter
    shown = str(highlight.title(text, highlight.pattern(parse("quyet dinh"))))
    assert shown.endswith("<mark>quyết</mark> <mark>định</mark>")
    assert "<mark>Ｑuyết</mark>" in shown
