"""A person sees where they are logged in and ends a session on another tablet."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import Tablets
from tests.browser.steps import log_in_member, wait_for_path

pytestmark = pytest.mark.browser

MEMBER = "bt.noivu@chinhphu.example"


def test_ending_another_session_sends_that_tablet_to_login(tablets: Tablets) -> None:
    mine = tablets.open()
    other = tablets.open("portrait")
    log_in_member(mine, MEMBER)
    log_in_member(other, MEMBER)

    mine.goto("/account/sessions")
    rows = mine.locator("#sessions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.locator(".tag")).to_have_count(1)  # "this device"
    rows.filter(has_not=mine.locator(".tag")).locator("button[type=submit]").click()
    wait_for_path(mine, "/account/sessions")
    expect(mine.locator("main .flash")).to_be_visible()
    expect(rows).to_have_count(1)

    other.goto("/account")
    wait_for_path(other, "/login")
    expect(other.locator("#email")).to_be_visible()
    mine.goto("/account")
    wait_for_path(mine, "/account")
