"""Every control a finger has to hit is at least 44 px high (and buttons 44 px wide)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.harness import Tablets
from tests.browser.steps import VIEWPORTS, log_in_member

pytestmark = pytest.mark.browser

MEMBER = "bt.congan@chinhphu.example"
MIN_PX = 44
# Buttons (and links styled as buttons), links in the top bar, inputs and selects.
TARGETS = "button, a.button, .topbar a, input:not([type=hidden]), select"
MEASURE = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden"
      && !el.closest(".visually-hidden");
  })
  .map((el) => {
    const box = el.getBoundingClientRect();
    const label = (el.innerText || el.getAttribute("aria-label") || el.name || el.id || "").trim();
    return {
      what: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${label.slice(0, 40)}"`,
      width: box.width,
      height: box.height,
      button: el.matches("button, a.button, input[type=submit], input[type=button]"),
    };
  })"""


def _too_small(page: Page, where: str) -> list[str]:
    targets = page.evaluate(MEASURE, TARGETS)
    assert targets, f"{where}: no controls found to measure"
    problems = []
    for target in targets:
        short = target["height"] < MIN_PX or (target["button"] and target["width"] < MIN_PX)
        if short:
            size = f"{target['width']:.0f}x{target['height']:.0f}"
            problems.append(f"{where}: {target['what']} is {size} px")
    return problems


def _in_both_orientations(page: Page, name: str) -> list[str]:
    problems = []
    for orientation, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        problems += _too_small(page, f"{name} ({orientation})")
    return problems


def test_controls_on_login_home_and_account_pages_are_big_enough_to_touch(
    tablets: Tablets,
) -> None:
    page = tablets.open()
    page.goto("/login")
    problems = _in_both_orientations(page, "login")
    log_in_member(page, MEMBER)
    problems += _in_both_orientations(page, "home")
    for path in ("/account", "/account/sessions", "/account/tokens", "/account/password"):
        page.goto(path)
        problems += _in_both_orientations(page, path)
    assert not problems, "touch targets under 44 px:\n" + "\n".join(problems)
