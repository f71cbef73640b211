"""CSRF on every change, strict security headers on every response."""

from __future__ import annotations

from sqlmodel import Session, select

from meetings.accounts.models import LoginSession
from tests.client import Client
from tests.factories import PASSWORD, Factory


def test_post_without_csrf_token_is_refused_and_changes_nothing(
    client: Client, factory: Factory, db: Session
) -> None:
    user = factory.user(organisation=factory.organisation())
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "ecab_session" not in response.headers.get("set-cookie", "")
    assert db.exec(select(LoginSession)).first() is None


def test_post_with_forged_csrf_token_is_refused(client: Client, factory: Factory) -> None:
    user = factory.user(organisation=factory.organisation())
    client.get("/login")
    forged = "0" * 64
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": forged}
    )
    assert response.status_code == 403


def test_csrf_token_from_another_browser_is_refused(
    client: Client, other_client: Client, factory: Factory
) -> None:
    user = factory.user(organisation=factory.organisation())
    theirs = other_client.csrf()
    client.get("/login")
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": theirs}
    )
    assert response.status_code == 403


def test_htmx_header_token_is_accepted(client: Client, factory: Factory) -> None:
    user = factory.user(organisation=factory.organisation())
    client.log_in(user)
    response = client.htmx("POST", "/account/sessions/end-others")
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/account/sessions"


def test_csrf_failure_page_is_in_the_users_language(client: Client) -> None:
    client.get("/login")
    response = client.post("/language", data={"locale": "en"})
    assert response.status_code == 403
    assert '<html lang="vi">' in response.text


def test_every_page_has_strict_security_headers(client: Client) -> None:
    for url in ("/login", "/healthz", "/nowhere", "/static/css/app.css"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_pages_are_not_cached_but_static_files_may_be(client: Client) -> None:
    assert client.get("/login").headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/static/css/app.css").headers.get("cache-control", "")


def test_templates_have_no_inline_scripts_or_handlers() -> None:
    import re
    from pathlib import Path

    for path in Path("templates").rglob("*.html"):
        if path.parts[1] == "exports":
            continue  # laid out for WeasyPrint's PDF renderer, never served to a browser
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"inline script in {path}"
        assert not re.search(r"\son[a-z]+=", text), f"inline event handler in {path}"
        assert "style=" not in text, f"inline style in {path}"
