"""What a person does on a tablet, as steps the browser tests share; and the screenshots."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pyotp
from playwright.sync_api import expect

from meetings.config import PROJECT_ROOT
from meetings.demo import DEMO_PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Page

VIEWPORTS = {"portrait": (768, 1024), "landscape": (1024, 768)}
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
# Copied to docs/screenshots/ (shown in the README) under MEETINGS_UPDATE_DOCS_SCREENSHOTS=1.
DOCS_NAMES = frozenset(
    {
        "login",
        "two-factor-setup",
        "home",
        "account",
        "sessions",
        "admin-body",
        "admin-people",
        "meetings",
        "meeting",
        "agenda-builder",
        "positions",
        "participants",
        "documents",
        "reader",
        "minutes-record",
        "tasks-board",
        "search",
    }
)
DOCS_LOCALE = "vi"
DOCS_ORIENTATION = "landscape"


def language(page: Page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def wait_for_path(page: Page, path: str) -> None:
    """Wait until the page shows `path` (after any redirects), whatever its query."""
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def submit(page: Page, action: str) -> None:
    """Press the submit button of the form in the page's main part that posts to `action`."""
    page.locator(f'main form[action="{action}"] button[type="submit"]').click()


def fill_in_login(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """On the login page: fill in and send the form; the caller waits for where it leads."""
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    submit(page, "/login")


def log_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Open the login page, fill in and send the form."""
    page.goto("/login")
    fill_in_login(page, email, password)


def log_in_member(page: Page, email: str) -> None:
    """Log in an account without two-factor login and arrive on the home page."""
    log_in(page, email)
    wait_for_path(page, "/")


def enrol_second_factor(page: Page) -> list[str]:
    """On the set-up page: read the key as an authenticator app would, enter its code.

    Returns the recovery codes the next page shows.
    """
    secret = "".join(page.get_by_test_id("totp-secret").inner_text().split())
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    submit(page, "/account/two-factor")
    codes = page.get_by_test_id("recovery-codes").locator("li code")
    expect(codes.first).to_be_visible()
    return [code.strip() for code in codes.all_inner_texts()]


def open_account_menu(page: Page) -> None:
    """Open the person's menu in the top bar (notes, account, language, log out)."""
    menu = page.locator("header details.account-menu")
    if menu.count() and menu.get_attribute("open") is None:
        menu.locator("summary").click()


def log_out(page: Page) -> None:
    open_account_menu(page)
    page.locator('header form[action="/logout"] button').click()


def switch_language(page: Page, to: str) -> None:
    """Press the language button in the top bar (in the account menu once logged in) and wait
    for the page in that language."""
    open_account_menu(page)
    page.locator("header form.lang-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", to)


def shoot(page: Page, name: str) -> None:
    """Full-page screenshots of the page as it is, in portrait and in landscape.

    Saved as test-artifacts/screenshots/<name>-<language>-<orientation>.png; the page's own
    lang attribute names the language, so a file never claims a language it does not show.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    locale = language(page)
    original = page.viewport_size
    for orientation, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        path = SCREENSHOTS / f"{name}-{locale}-{orientation}.png"
        page.screenshot(path=path, full_page=True, animations="disabled")
        if _for_docs(name, locale, orientation):
            DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_SCREENSHOTS / f"{name}.png")
    if original:
        page.set_viewport_size(original)


def _for_docs(name: str, locale: str, orientation: str) -> bool:
    return (
        os.environ.get("MEETINGS_UPDATE_DOCS_SCREENSHOTS") == "1"
        and name in DOCS_NAMES
        and locale == DOCS_LOCALE
        and orientation == DOCS_ORIENTATION
    )


def assert_error_page(page: Page, status: int) -> None:
    """An error page inside the site's layout: top bar, the code, a title, a way home, footer."""
    expect(page.locator("header.topbar .brand")).to_be_visible()
    expect(page.locator("main .error-code")).to_have_text(str(status))
    expect(page.locator("main h1")).not_to_be_empty()
    expect(page.locator('main a.button[href="/"]')).to_be_visible()
    expect(page.locator("footer.footer")).to_be_visible()
    assert page.title().endswith("e-Cabinet")
