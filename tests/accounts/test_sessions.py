"""Server-side sessions: hashed keys, new key at login, idle and absolute expiry, my sessions."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from meetings.accounts.models import LoginSession
from meetings.security import token_hash
from tests.client import Client
from tests.factories import Factory


def _cookie(client: Client) -> str:
    return client.cookies.get("ecab_session") or ""


def test_session_key_is_stored_only_as_a_hash(
    client: Client, factory: Factory, db: Session
) -> None:
    client.log_in(factory.user(organisation=factory.organisation()))
    key = _cookie(client)
    row = db.exec(select(LoginSession)).one()
    assert key and row.key_hash == token_hash(key) and key not in row.key_hash


def test_cookie_is_httponly_and_samesite_lax(client: Client, factory: Factory) -> None:
    user = factory.user(organisation=factory.organisation())
    response = client.log_in(user)
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("ecab_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_https_uses_host_prefixed_secure_cookie(app, factory: Factory) -> None:  # type: ignore[no-untyped-def]
    user = factory.user(organisation=factory.organisation())
    with Client(app, base_url="https://testserver") as secure:
        response = secure.log_in(user)
    cookie = next(c for c in response.headers.get_list("set-cookie") if "ecab_session" in c)
    assert cookie.startswith("__Host-ecab_session=") and "Secure" in cookie


def test_second_factor_login_gets_a_new_session_key(client: Client, factory: Factory) -> None:
    user = factory.user(organisation=factory.organisation())
    factory.second_factor(user)
    import pyotp

    client.submit("/login", {"email": user.email, "password": "mot-mat-khau-rat-dai-2026"})
    partial = _cookie(client)
    client.submit("/login/second-factor", {"code": pyotp.TOTP(user.totp_secret or "").now()})
    assert _cookie(client) and _cookie(client) != partial


def _age(db: Session, **delta: float) -> None:
    row = db.exec(select(LoginSession)).one()
    row.last_seen_at -= timedelta(**delta)
    row.created_at -= timedelta(**delta)
    db.add(row)
    db.commit()


def test_idle_session_expires_after_30_minutes(
    client: Client, factory: Factory, db: Session
) -> None:
    client.log_in(factory.user(organisation=factory.organisation()))
    _age(db, minutes=29)
    assert client.get("/").status_code == 200
    _age(db, minutes=31)
    assert client.get("/").headers["location"].startswith("/login")


def test_active_session_still_ends_after_12_hours(
    client: Client, factory: Factory, db: Session
) -> None:
    client.log_in(factory.user(organisation=factory.organisation()))
    row = db.exec(select(LoginSession)).one()
    row.expires_at = row.created_at + timedelta(seconds=1)
    row.created_at -= timedelta(hours=12)
    row.expires_at -= timedelta(hours=12)
    db.add(row)
    db.commit()
    assert client.get("/").headers["location"].startswith("/login")


def test_user_lists_and_ends_other_sessions(
    client: Client, other_client: Client, factory: Factory
) -> None:
    user = factory.user(organisation=factory.organisation())
    client.log_in(user)
    other_client.log_in(user)
    page = client.get("/account/sessions")
    assert page.text.count('/end"') == 2
    assert client.submit("/account/sessions/end-others").status_code == 303
    assert other_client.get("/").headers["location"].startswith("/login")
    assert client.get("/").status_code == 200


def test_cannot_end_someone_elses_session(
    client: Client, other_client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    victim = factory.user(organisation=org)
    other_client.log_in(victim)
    theirs = db.exec(select(LoginSession)).one()
    client.log_in(factory.user(organisation=org))
    assert client.submit(f"/account/sessions/{theirs.id}/end").status_code == 404
    assert other_client.get("/").status_code == 200


def test_logout_ends_the_session(client: Client, factory: Factory, db: Session) -> None:
    client.log_in(factory.user(organisation=factory.organisation()))
    assert client.submit("/logout").headers["location"] == "/login"
    assert db.exec(select(LoginSession)).one().ended_at is not None
    assert client.get("/").status_code == 303
