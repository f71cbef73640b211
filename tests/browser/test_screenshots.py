"""Every account page in both languages and orientations, for people to look at.

Each language takes its own officer (two-factor set-up happens once per account) and its own
language cookie, so the account's stored language is never touched.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import Tablets
from tests.browser.steps import (
    enrol_second_factor,
    language,
    log_in,
    shoot,
    submit,
    wait_for_path,
)

pytestmark = pytest.mark.browser

UNKNOWN = "/khong-co-trang-nay"
# Administrators of the two organisations, so that the administration pages are shown too.
OFFICERS = {"vi": "quantri@chinhphu.example", "en": "quantri@ubnd-binhan.example"}


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_screenshots_of_the_account_pages(tablets: Tablets, locale: str) -> None:
    tablets.log.expect_error(UNKNOWN, 404)
    page = tablets.open(language=locale)
    page.goto("/login")
    assert language(page) == locale
    shoot(page, "login")

    log_in(page, OFFICERS[locale])
    wait_for_path(page, "/account/two-factor")
    shoot(page, "two-factor-setup")
    enrol_second_factor(page)
    shoot(page, "recovery-codes")
    page.locator('main a.button-primary[href="/"]').click()
    wait_for_path(page, "/")
    shoot(page, "home")

    # The account menu: opened by a tap, closed by Escape or a tap elsewhere.
    menu = page.locator("header details.account-menu")
    panel = menu.locator(".account-panel")
    expect(panel).to_be_hidden()
    menu.locator("summary").click()
    expect(panel.locator('a[href="/admin/people"]')).to_be_visible()
    expect(panel.locator('a[href="/account"]')).to_be_visible()
    expect(panel.locator('form[action="/logout"] button')).to_be_visible()
    shoot(page, "account-menu")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(menu.locator("summary")).to_be_focused()
    menu.locator("summary").click()
    page.locator("main h1").click()
    expect(panel).to_be_hidden()

    for name, path in (("account", "/account"), ("sessions", "/account/sessions")):
        page.goto(path)
        shoot(page, name)
    page.goto("/account/tokens")
    page.locator("#token-name").fill("Đồng bộ văn thư")
    submit(page, "/account/tokens")
    expect(page.get_by_test_id("new-token")).to_be_visible()
    shoot(page, "tokens")

    page.goto("/admin/people")
    shoot(page, "admin-people")
    page.goto("/admin/bodies")
    shoot(page, "admin-bodies")
    page.locator("main a[href^='/admin/bodies/']").first.click()
    page.wait_for_load_state()
    shoot(page, "admin-body")

    page.goto("/meetings")
    shoot(page, "meetings")
    page.locator("main a[href^='/meetings/']:not([href='/meetings/new'])").first.click()
    page.wait_for_load_state()
    shoot(page, "meeting")
    page.goto("/notifications")
    shoot(page, "notifications")

    response = page.goto(UNKNOWN)
    assert response is not None and response.status == 404
    assert language(page) == locale
    shoot(page, "error-404")
