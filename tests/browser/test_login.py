"""Logging in on a tablet: first login with two-factor set-up, then with a recovery code."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import Tablets
from tests.browser.steps import (
    enrol_second_factor,
    language,
    log_in,
    log_out,
    submit,
    wait_for_path,
)

pytestmark = pytest.mark.browser

SECRETARY = "thuky@chinhphu.example"


def test_secretary_sets_up_two_factor_then_logs_in_again_with_a_recovery_code(
    tablets: Tablets,
) -> None:
    page = tablets.open()
    log_in(page, SECRETARY)
    wait_for_path(page, "/account/two-factor")
    assert language(page) == "vi"
    expect(page.locator("figure.qr svg")).to_be_visible()
    page.goto("/")
    wait_for_path(page, "/account/two-factor")  # nothing else opens before the set-up

    codes = enrol_second_factor(page)
    assert len(codes) == len(set(codes)) >= 8
    page.locator('main a.button-primary[href="/"]').click()
    wait_for_path(page, "/")
    expect(page.locator("main")).to_contain_text("Chính phủ")

    log_out(page)
    wait_for_path(page, "/login")
    page.goto("/")
    wait_for_path(page, "/login")

    tablet = tablets.open("portrait")
    log_in(tablet, SECRETARY)
    wait_for_path(tablet, "/login/second-factor")
    tablet.locator("#code").fill(codes[0])
    submit(tablet, "/login/second-factor")
    wait_for_path(tablet, "/")
    expect(tablet.locator("main")).to_contain_text("Chính phủ")
