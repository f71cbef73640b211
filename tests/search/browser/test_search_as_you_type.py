"""Search as you type on a tablet, on the demo data: a member types the decree's words without
accents and sees it, and its vote, appear; the controls are big enough to touch."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import Tablets
from tests.browser.steps import log_in_member, shoot
from tests.browser.test_touch_targets import _in_both_orientations

pytestmark = pytest.mark.browser

MEMBER = "bt.tuphap@chinhphu.example"
DECREE = "Dự thảo Nghị định quy định chi tiết một số điều của Luật Căn cước"


def test_typing_without_accents_shows_the_decree_and_its_vote_as_you_type(
    tablets: Tablets,
) -> None:
    page = tablets.open()
    log_in_member(page, MEMBER)
    page.locator('header nav a[href="/search"]').click()
    box = page.get_by_role("searchbox")
    expect(box).to_be_focused()
    box.press_sequentially("nghi dinh dinh da", delay=40)  # no Enter: htmx asks by itself
    results = page.locator("#search-results .search-hit")
    expect(results.filter(has_text=DECREE).first).to_be_visible()
    expect(results.filter(has_text="cho ý kiến về dự thảo Nghị định").first).to_be_visible()
    expect(results.locator("mark").first).to_have_text("Nghị")
    assert "q=nghi%20dinh%20dinh%20da" in page.url  # the URL follows, so Back and reload work
    page.reload()
    expect(results.filter(has_text=DECREE).first).to_be_visible()
    assert not _in_both_orientations(page, "search")
    shoot(page, "search")
    box.fill("")
    box.press_sequentially("khong co gi nhu the nay", delay=20)
    expect(page.locator("#search-results [role=status]")).to_be_visible()
    expect(results).to_have_count(0)
