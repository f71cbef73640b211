"""Logging in and out, throttling, and the two-factor steps."""

from __future__ import annotations

import re

import pyotp

from tests.client import Client
from tests.factories import PASSWORD, Factory


def test_login_page_is_vietnamese_by_default(client: Client) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert '<html lang="vi">' in page.text


def test_member_logs_in_and_sees_home(client: Client, factory: Factory) -> None:
    org = factory.organisation()
    user = factory.user("Ngô Thị Lan", organisation=org)
    response = client.log_in(user)
    assert response.headers["location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Ngô Thị Lan" in home.text


def test_wrong_password_gives_generic_message_and_no_session(
    client: Client, factory: Factory
) -> None:
    user = factory.user(organisation=factory.organisation())
    wrong = client.submit("/login", {"email": user.email, "password": "sai-mat-khau-roi-nhe"})
    unknown = client.submit("/login", {"email": "nobody@test.example", "password": "whatever-1234"})
    assert wrong.status_code == unknown.status_code == 422
    assert _alert(wrong.text) == _alert(unknown.text)
    assert client.get("/").status_code == 303


def _alert(html: str) -> str:
    return html.split('role="alert">')[1].split("<")[0]


def test_secretary_must_enrol_second_factor_then_use_it(
    client: Client, other_client: Client, factory: Factory
) -> None:
    org = factory.organisation()
    secretary = factory.user(organisation=org, role="secretary")
    first = client.submit(
        "/login", {"email": secretary.email, "password": "mot-mat-khau-rat-dai-2026"}
    )
    assert first.headers["location"] == "/account/two-factor"
    assert client.get("/").headers["location"] == "/account/two-factor"
    codes_page = client.enrol_second_factor()
    assert "recovery-codes" in codes_page.text
    assert client.get("/").status_code == 200
    response = other_client.submit(
        "/login", {"email": secretary.email, "password": "mot-mat-khau-rat-dai-2026"}
    )
    assert response.headers["location"].startswith("/login/second-factor")
    assert other_client.get("/").headers["location"] == "/login/second-factor"
    code = pyotp.TOTP(client.totp_secret or "").now()
    replay = other_client.submit("/login/second-factor", {"code": code})
    assert replay.status_code == 422, "a code already used for enrolment is refused"
    recovery = _recovery_codes(codes_page.text)[0]
    assert other_client.submit("/login/second-factor", {"code": recovery}).status_code == 303
    assert other_client.get("/").status_code == 200


def _recovery_codes(html: str) -> list[str]:
    return re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", html)


def test_second_factor_with_fresh_code_logs_in(client: Client, factory: Factory) -> None:
    user = factory.user(organisation=factory.organisation())
    factory.second_factor(user)
    client.log_in(user)
    assert client.get("/").status_code == 200


def test_recovery_code_works_only_once(
    client: Client, other_client: Client, factory: Factory
) -> None:
    user = factory.user(organisation=factory.organisation(), role="admin")
    client.log_in(user)
    codes = _recovery_codes(client.submit("/account/two-factor/recovery-codes").text)
    assert len(codes) == 10
    with Client(other_client.app) as third:
        _use_code(other_client, user.email, codes[0], 303)
        _use_code(third, user.email, codes[0], 422)


def _use_code(browser: Client, email: str, code: str, expected: int) -> None:
    browser.submit("/login", {"email": email, "password": PASSWORD})
    assert browser.submit("/login/second-factor", {"code": code}).status_code == expected
