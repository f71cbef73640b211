"""Argon2id hashing, the password policy, changing one's password, throttling."""

from __future__ import annotations

from sqlmodel import Session, select

from meetings.accounts.passwords import hash_password, password_problem, verify_password
from meetings.archive.models import AuditEntry
from tests.client import Client
from tests.factories import PASSWORD, Factory


def test_hash_is_argon2id_with_owasp_parameters() -> None:
    stored = hash_password("mot-cau-mat-khau-dai")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(stored, "mot-cau-mat-khau-dai")
    assert not verify_password(stored, "mot-cau-mat-khau-dau")


def test_policy_refuses_short_and_common_passwords() -> None:
    assert "10" in (password_problem("ngan") or "")
    for weak in ("password123", "12345678910", "Matkhau@123456", "qwertyuiop"):
        assert password_problem(weak) is not None, weak
    assert password_problem("ca-phe-sua-da-buoi-sang") is None


def test_password_like_the_name_is_refused() -> None:
    assert password_problem("nguyenvanan1", name="Nguyễn Văn An", email="an@x.vn") is not None


def test_change_password_needs_the_current_one(
    client: Client, factory: Factory, db: Session
) -> None:
    user = factory.user(organisation=factory.organisation())
    client.log_in(user)
    before = user.password_hash
    response = client.submit(
        "/account/password", {"current": "sai-roi-nhe-ban", "new": "con-meo-den-tren-mai-nha"}
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    db.refresh(user)
    assert user.password_hash == before


def test_change_password_ends_other_sessions(
    client: Client, other_client: Client, factory: Factory, db: Session
) -> None:
    user = factory.user(organisation=factory.organisation())
    client.log_in(user)
    other_client.log_in(user)
    response = client.submit(
        "/account/password", {"current": PASSWORD, "new": "con-meo-den-tren-mai-nha"}
    )
    assert response.status_code == 303
    assert other_client.get("/").status_code == 303
    assert client.get("/").status_code == 200
    db.refresh(user)
    assert verify_password(user.password_hash, "con-meo-den-tren-mai-nha")


def test_weak_new_password_is_refused_with_a_message(client: Client, factory: Factory) -> None:
    client.log_in(factory.user(organisation=factory.organisation()))
    response = client.submit("/account/password", {"current": PASSWORD, "new": "1234567890"})
    assert response.status_code == 422
    assert 'class="field-error" id="new-error"' in response.text


def test_login_is_throttled_per_account_with_an_audit_record(
    client: Client, factory: Factory, db: Session
) -> None:
    user = factory.user(organisation=factory.organisation())
    for _ in range(5):
        assert (
            client.submit(
                "/login", {"email": user.email, "password": "sai-mat-khau-nhe"}
            ).status_code
            == 422
        )
    blocked = client.submit("/login", {"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "15" in blocked.text or "14" in blocked.text
    actions = [e.action for e in db.exec(select(AuditEntry))]
    assert "login.throttled" in actions and actions.count("login.failed") == 5


def test_disabled_account_cannot_log_in(client: Client, factory: Factory, db: Session) -> None:
    user = factory.user(organisation=factory.organisation())
    user.is_active = False
    db.add(user)
    db.commit()
    assert client.submit("/login", {"email": user.email, "password": PASSWORD}).status_code == 422


def test_login_email_is_case_insensitive(client: Client, factory: Factory) -> None:
    user = factory.user(organisation=factory.organisation(), email="Ba.Truong@Test.example")
    assert user.email == "ba.truong@test.example"
    response = client.submit("/login", {"email": "BA.TRUONG@test.example", "password": PASSWORD})
    assert response.status_code == 303


def test_account_without_a_password_cannot_log_in(
    client: Client, factory: Factory, db: Session
) -> None:
    from meetings.accounts.users import create_user
    from meetings.archive.audit import Actor

    user = create_user(
        db, email="moi@test.example", name="Người Mới", password=None, actor=Actor(None)
    )
    assert not verify_password(user.password_hash, "")
    assert client.submit("/login", {"email": user.email, "password": ""}).status_code == 422
