"""Tablets for the browser tests: fresh contexts, and a log of what went wrong in them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tests.browser.steps import VIEWPORTS

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Error,
        Page,
        WebError,
    )

TIMEOUT_MS = 10_000
# Chromium asks every site for /favicon.ico, which the app does not serve yet (see the report).
TOLERATED: frozenset[tuple[str, int]] = frozenset()
HTTP_ERROR = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3})")


@dataclass
class BrowserLog:
    """Console errors and uncaught exceptions (CSP violations arrive as console errors)."""

    problems: list[str] = field(default_factory=list)
    expected: set[tuple[str, int]] = field(default_factory=set)

    def expect_error(self, path: str, status: int) -> None:
        """The test opens `path` knowing the server answers it with this HTTP error status."""
        self.expected.add((path, status))

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        status = HTTP_ERROR.match(message.text)
        if status and (urlsplit(url).path, int(status[1])) in self.expected | TOLERATED:
            return
        self.problems.append(f"console error at {url}: {message.text}")

    def on_web_error(self, web_error: WebError) -> None:
        error: Error = web_error.error
        self.problems.append(f"uncaught exception: {error}")


class Tablets:
    """Opens tablets (fresh browser contexts with isolated cookies) for one test."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser, self.base_url = browser, base_url
        self.log = BrowserLog()
        self.contexts: list[BrowserContext] = []

    def open(self, orientation: str = "landscape", language: str | None = None) -> Page:
        """A page on a new tablet; `language` sets the language cookie (vi or en)."""
        width, height = VIEWPORTS[orientation]
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport={"width": width, "height": height},
            device_scale_factor=1,
            is_mobile=False,
            has_touch=True,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", self.log.on_console)
        context.on("weberror", self.log.on_web_error)
        if language:
            context.add_cookies([{"name": "ecab_lang", "value": language, "url": self.base_url}])
        self.contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()
