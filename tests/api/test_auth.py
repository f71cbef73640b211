"""Who may call the API: Bearer tokens, the browser session, CSRF, and the JSON errors."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from meetings import jobs
from meetings.accounts import actions as account_actions
from meetings.accounts.models import ApiToken, User
from meetings.accounts.users import set_active
from meetings.archive.audit import Actor
from meetings.config import Config
from meetings.organisations.models import Body
from meetings.storage.blobs import LocalBlobStore
from tests.api.support import Headers, assert_error, count
from tests.client import Client
from tests.factories import Factory

Bearer = Callable[[User], Headers]


def test_me_with_a_bearer_token(client: Client, factory: Factory, bearer: Bearer) -> None:
    org = factory.organisation("Bộ Tư pháp")
    user = factory.user("Lê Văn Minh", organisation=org, role="secretary")
    response = client.get("/api/v1/me", headers=bearer(user))
    assert response.status_code == 200
    me = response.json()
    assert (me["id"], me["name"], me["email"]) == (user.id, "Lê Văn Minh", user.email)
    assert me["organisations"] == [
        {"id": org.id, "name": "Bộ Tư pháp", "short_name": org.short_name, "role": "secretary"}
    ]


def test_me_with_the_browser_session(client: Client, factory: Factory) -> None:
    user = factory.user(organisation=factory.organisation())
    client.log_in(user)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["id"] == user.id


def test_me_without_credentials_is_401_json(client: Client) -> None:
    assert_error(client.get("/api/v1/me"), 401, "unauthorised")


def test_unknown_token_is_401_even_with_a_session(client: Client, factory: Factory) -> None:
    client.log_in(factory.user(organisation=factory.organisation()))
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer ecab_not-a-token"})
    assert_error(response, 401, "unauthorised")


def test_revoked_token_is_401(
    client: Client, factory: Factory, db: Session, bearer: Bearer
) -> None:
    user = factory.user(organisation=factory.organisation())
    headers = bearer(user)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    token = db.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert account_actions.revoke_api_token(
        db, user=user, token_id=token.id or 0, actor=Actor(user.id, "test")
    )
    assert_error(client.get("/api/v1/me", headers=headers), 401, "unauthorised")


def test_disabled_users_token_is_401(
    client: Client, factory: Factory, db: Session, bearer: Bearer
) -> None:
    user = factory.user(organisation=factory.organisation())
    headers = bearer(user)
    set_active(db, user=user, active=False, actor=Actor(None, "test"))
    assert_error(client.get("/api/v1/me", headers=headers), 401, "unauthorised")


def test_session_half_way_through_two_factor_login_is_401(client: Client, factory: Factory) -> None:
    admin = factory.user(organisation=factory.organisation(), role="admin")
    factory.second_factor(admin)
    first = client.submit("/login", {"email": admin.email, "password": "mot-mat-khau-rat-dai-2026"})
    assert first.headers["location"].startswith("/login/second-factor")
    assert_error(client.get("/api/v1/me"), 401, "unauthorised")


# -- the shape of errors -------------------------------------------------------------


def test_unknown_api_url_is_404_json(client: Client, factory: Factory, bearer: Bearer) -> None:
    headers = bearer(factory.user(organisation=factory.organisation()))
    assert_error(client.get("/api/v1/no-such-thing", headers=headers), 404, "not_found")
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(client.get("/api/v1/organisations/abc", headers=headers), 404, "not_found")


def test_wrong_method_is_405_json(client: Client, factory: Factory, bearer: Bearer) -> None:
    headers = bearer(factory.user(organisation=factory.organisation()))
    assert_error(client.delete("/api/v1/me", headers=headers), 405, "method_not_allowed")


def test_403_404_and_422_are_json(client: Client, factory: Factory, bearer: Bearer) -> None:
    org = factory.organisation()
    member = bearer(factory.user(organisation=org))
    admin = bearer(factory.user(organisation=org, role="admin"))
    bodies = f"/api/v1/organisations/{org.id}/bodies"
    assert_error(client.post(bodies, json={"name": "X"}, headers=member), 403, "forbidden")
    assert_error(client.get(f"{bodies}/999999", headers=member), 404, "not_found")
    assert_error(client.post(bodies, json={}, headers=admin), 422, "invalid")


# -- CSRF ----------------------------------------------------------------------------


def _admin_session(client: Client, factory: Factory) -> str:
    """Log an administrator in through the pages; return their bodies URL."""
    org = factory.organisation()
    client.log_in(factory.user(organisation=org, role="admin"))
    return f"/api/v1/organisations/{org.id}/bodies"


def test_session_post_without_csrf_header_is_refused_and_changes_nothing(
    client: Client, factory: Factory, db: Session
) -> None:
    url = _admin_session(client, factory)
    response = client.post(url, json={"name": "Hội đồng thi đua"})
    assert_error(response, 403, "forbidden")
    wrong = client.post(url, json={"name": "Hội đồng"}, headers={"X-CSRF-Token": "0" * 64})
    assert_error(wrong, 403, "forbidden")
    assert count(db, Body) == 0


def test_session_post_with_csrf_header_works(client: Client, factory: Factory, db: Session) -> None:
    url = _admin_session(client, factory)
    response = client.post(
        url, json={"name": "Hội đồng thi đua"}, headers={"X-CSRF-Token": client.csrf()}
    )
    assert response.status_code == 201, response.text
    assert count(db, Body) == 1


def test_bearer_post_needs_no_csrf_token(
    other_client: Client, factory: Factory, db: Session, bearer: Bearer
) -> None:
    org = factory.organisation()
    headers = bearer(factory.user(organisation=org, role="admin"))
    url = f"/api/v1/organisations/{org.id}/bodies"
    response = other_client.post(url, json={"name": "Hội đồng"}, headers=headers)
    assert response.status_code == 201, response.text
    assert count(db, Body) == 1


def test_a_bogus_bearer_header_does_not_let_the_session_skip_csrf(
    client: Client, factory: Factory, db: Session
) -> None:
    url = _admin_session(client, factory)
    headers = {"Authorization": "Bearer made-up"}
    assert_error(client.post(url, json={"name": "Hội đồng"}, headers=headers), 401, "unauthorised")
    assert count(db, Body) == 0


# -- the body is parsed only after the caller is known and allowed ----------------------


def test_bad_body_with_an_unknown_token_is_401(client: Client, factory: Factory) -> None:
    org = factory.organisation()
    headers = {"Authorization": "Bearer made-up"}
    response = client.post(f"/api/v1/organisations/{org.id}/bodies", json={}, headers=headers)
    assert_error(response, 401, "unauthorised")


def test_bad_body_to_another_organisation_is_404(
    client: Client, factory: Factory, bearer: Bearer
) -> None:
    stranger = bearer(factory.user(organisation=factory.organisation()))
    org = factory.organisation()
    response = client.post(f"/api/v1/organisations/{org.id}/bodies", json={}, headers=stranger)
    assert_error(response, 404, "not_found")


def test_api_change_without_any_credentials_is_401_not_a_csrf_error(factory: Factory, app) -> None:  # type: ignore[no-untyped-def]
    org = factory.organisation()
    with Client(app) as anonymous:
        response = anonymous.post(f"/api/v1/organisations/{org.id}/bodies", json={"name": "X"})
    assert_error(response, 401, "unauthorised")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_tokens_use_is_written_by_the_jobs_not_by_the_request(
    client: Client, factory: Factory, db: Session, bearer: Bearer, engine: Engine, config: Config
) -> None:
    user = factory.user(organisation=factory.organisation())
    headers = bearer(user)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    token = db.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert token.last_used_at is None, "the request itself writes nothing"
    done = jobs.run_once(engine, LocalBlobStore(config.storage_dir), config)
    assert done["API token uses written"] == 1
    db.refresh(token)
    assert token.last_used_at is not None
    first = token.last_used_at
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    done = jobs.run_once(engine, LocalBlobStore(config.storage_dir), config)
    assert done["API token uses written"] == 0, "used again within the minute: not noted again"
    db.refresh(token)
    assert token.last_used_at == first
