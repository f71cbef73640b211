"""The browser tests' server (with the demo data) and Chromium, for the search page."""

from tests.browser.conftest import browser, chromium_path, page, server, tablets

__all__ = ["browser", "chromium_path", "page", "server", "tablets"]
