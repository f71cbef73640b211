"""Refused, unknown and expired requests end on an error page inside the site's layout."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import Tablets
from tests.browser.steps import (
    assert_error_page,
    fill_in_login,
    language,
    log_in_member,
    shoot,
    wait_for_path,
)

pytestmark = pytest.mark.browser

MEMBER = "bt.tuphap@chinhphu.example"
UNKNOWN = "/khong-co-trang-nay"


def test_member_opening_an_administration_page_gets_403_page(tablets: Tablets) -> None:
    tablets.log.expect_error("/admin/people", 403)
    page = tablets.open()
    log_in_member(page, MEMBER)
    response = page.goto("/admin/people")
    assert response is not None and response.status == 403
    assert_error_page(page, 403)
    assert language(page) == "vi"
    shoot(page, "error-403")

    page.context.add_cookies([{"name": "ecab_lang", "value": "en", "url": page.url}])
    page.reload()
    assert language(page) == "en"
    assert_error_page(page, 403)
    shoot(page, "error-403")


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_form_sent_after_its_token_was_lost_gets_403_page(tablets: Tablets, locale: str) -> None:
    tablets.log.expect_error("/login", 403)
    page = tablets.open(language=locale)
    page.goto("/login")
    page.context.clear_cookies(name="ecab_csrf")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        fill_in_login(page, MEMBER)
    assert answer.value.status == 403
    assert_error_page(page, 403)
    assert language(page) == locale
    expect(page.locator('header form[action="/logout"]')).to_have_count(0)
    shoot(page, "error-403-form-expired")


def test_unknown_address_gets_404_page(tablets: Tablets) -> None:
    tablets.log.expect_error(UNKNOWN, 404)
    page = tablets.open("portrait")
    response = page.goto(UNKNOWN)
    assert response is not None and response.status == 404
    assert_error_page(page, 404)
    assert language(page) == "vi"


def test_logged_out_visitor_is_sent_to_login_then_back_to_the_page(page: Page) -> None:
    page.goto("/")
    assert _path_and_next(page.url) == ("/login", "/")
    page.goto("/account/sessions")
    assert _path_and_next(page.url) == ("/login", "/account/sessions")
    fill_in_login(page, MEMBER)
    wait_for_path(page, "/account/sessions")


def _path_and_next(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query).get("next", [""])[0]
