"""A TestClient that behaves like a browser: it sends the CSRF token and can log in."""

from __future__ import annotations

import re
from typing import Any

import pyotp
from starlette.testclient import TestClient

from meetings.accounts.models import User
from tests.factories import PASSWORD

META_TOKEN = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


class Client(TestClient):
    """Follows the page's own CSRF token, like a browser submitting the page's form."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        kwargs.setdefault("base_url", "http://testserver")
        super().__init__(app, follow_redirects=False, **kwargs)
        self.totp_secret: str | None = None
        self.token = ""

    def request(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        response = super().request(*args, **kwargs)
        match = (
            META_TOKEN.search(response.text)
            if "html" in response.headers.get("content-type", "")
            else None
        )
        if match:
            self.token = match.group(1)
        return response

    def csrf(self) -> str:
        """The token of the last page seen, as a browser's form would carry it."""
        if not self.token:
            self.get("/login")
        assert self.token, "pages carry a CSRF token"
        return self.token

    def submit(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """POST a form as the page would, with the CSRF token field."""
        return self.post(url, data={"csrf_token": self.csrf(), **(data or {})}, **kwargs)

    def htmx(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = {"HX-Request": "true", "X-CSRF-Token": self.csrf(), **kwargs.pop("headers", {})}
        return self.request(method, url, headers=headers, **kwargs)

    def log_in(self, user: User, password: str = PASSWORD) -> Any:
        """Log in through the forms; set up or give the second factor when the account needs it."""
        response = self.submit("/login", {"email": user.email, "password": password})
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        if location == "/account/two-factor":
            return self.enrol_second_factor()
        if location.startswith("/login/second-factor"):
            assert user.totp_secret, "the user has two-factor login on"
            code = pyotp.TOTP(user.totp_secret).now()
            response = self.submit("/login/second-factor", {"code": code})
            assert response.status_code == 303, response.text
        return response

    def enrol_second_factor(self) -> Any:
        page = self.get("/account/two-factor")
        secret = re.search(r'name="secret" value="([A-Z2-7]+)"', page.text)
        signature = re.search(r'name="signature" value="([0-9a-f]+)"', page.text)
        assert secret and signature, page.text
        self.totp_secret = secret.group(1)
        response = self.submit(
            "/account/two-factor",
            {
                "secret": self.totp_secret,
                "signature": signature.group(1),
                "code": pyotp.TOTP(self.totp_secret).now(),
            },
        )
        assert response.status_code == 200, response.text
        return response
