"""The keyboard alone is enough: log in with Tab, typing and Enter; skip to the content."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from meetings.demo import DEMO_PASSWORD
from tests.browser.steps import wait_for_path

pytestmark = pytest.mark.browser

MEMBER = "bt.ngoaigiao@chinhphu.example"


def test_login_form_can_be_completed_with_tab_typing_and_enter(page: Page) -> None:
    page.goto("/login")
    expect(page.locator("#email")).to_be_focused()
    page.keyboard.type(MEMBER)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Tab")
    button = page.locator('main form[action="/login"] button[type="submit"]')
    expect(button).to_be_focused()
    assert button.evaluate("el => getComputedStyle(el).outlineStyle") == "solid", (
        "keyboard focus is visible"
    )
    page.keyboard.press("Enter")
    wait_for_path(page, "/")

    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
