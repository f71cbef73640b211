"""The language switch in the top bar: Vietnamese by default, English on request, remembered."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import Tablets
from tests.browser.steps import language, log_in_member, switch_language, wait_for_path

pytestmark = pytest.mark.browser

CHAIR = "thutuong@chinhphu.example"
DEPUTY = "pttg.kinhte@chinhphu.example"


def test_switch_to_english_stays_after_reload_and_navigation_then_switches_back(
    tablets: Tablets,
) -> None:
    page = tablets.open()
    page.goto("/login")
    assert language(page) == "vi"

    switch_language(page, "en")
    wait_for_path(page, "/login")
    page.reload()
    assert language(page) == "en"
    log_in_member(page, CHAIR)
    assert language(page) == "en"
    page.locator("header details.account-menu summary").click()
    page.locator('header .account-panel a[href="/account"]').click()
    wait_for_path(page, "/account")
    assert language(page) == "en"

    switch_language(page, "vi")
    wait_for_path(page, "/account")
    page.reload()
    assert language(page) == "vi"
    page.locator("header a.brand").click()
    wait_for_path(page, "/")
    assert language(page) == "vi"


def test_language_chosen_while_logged_in_follows_the_person_to_another_tablet(
    tablets: Tablets,
) -> None:
    page = tablets.open()
    log_in_member(page, DEPUTY)
    switch_language(page, "en")

    other = tablets.open("portrait")
    other.goto("/login")
    assert language(other) == "vi", "a new tablet starts in the browser's language"
    log_in_member(other, DEPUTY)
    expect(other.locator("html")).to_have_attribute("lang", "en")
    switch_language(other, "vi")
