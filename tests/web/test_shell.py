"""The shell: language switch, organisation switch, home scoped to the current organisation."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from meetings import i18n
from tests.client import Client
from tests.factories import Factory


def test_language_switch_is_remembered_for_the_account(
    client: Client, other_client: Client, factory: Factory, db: Session
) -> None:
    user = factory.user(organisation=factory.organisation())
    client.log_in(user)
    response = client.submit("/language", {"locale": "en", "next": "/account"})
    assert response.headers["location"] == "/account"
    assert '<html lang="en">' in client.get("/account").text
    db.refresh(user)
    assert user.locale == "en"
    other_client.log_in(user)
    assert '<html lang="en">' in other_client.get("/").text


def test_language_switch_refuses_unknown_language_and_foreign_next(client: Client) -> None:
    assert client.submit("/language", {"locale": "fr"}).status_code == 400
    response = client.submit("/language", {"locale": "en", "next": "https://evil.example/"})
    assert response.headers["location"] == "/"


def test_home_shows_only_the_current_organisations_bodies(client: Client, factory: Factory) -> None:
    ours, theirs = factory.organisation(), factory.organisation()
    factory.body(ours, "Hội đồng của chúng tôi")
    factory.body(theirs, "Hội đồng bí mật của họ")
    client.log_in(factory.user(organisation=ours))
    home = client.get("/").text
    assert "Hội đồng của chúng tôi" in home and "Hội đồng bí mật của họ" not in home


def test_user_of_two_organisations_switches_between_them(client: Client, factory: Factory) -> None:
    first, second = factory.organisation("Bộ Tư pháp"), factory.organisation("Bộ Y tế")
    factory.body(first, "Ban cán sự Tư pháp")
    factory.body(second, "Ban cán sự Y tế")
    user = factory.user(organisation=first)
    factory.join(user, second)
    client.log_in(user)
    start = client.get("/").text
    assert "org-switch-select" in start
    target = second if "Ban cán sự Tư pháp" in start else first
    assert client.submit("/organisation", {"organisation_id": str(target.id)}).status_code == 303
    after = client.get("/").text
    assert ("Ban cán sự Y tế" in after) == (target is second)


def test_switching_to_an_organisation_one_does_not_belong_to_is_404(
    client: Client, factory: Factory
) -> None:
    mine, foreign = factory.organisation(), factory.organisation()
    client.log_in(factory.user(organisation=mine))
    assert client.submit("/organisation", {"organisation_id": str(foreign.id)}).status_code == 404
    assert client.submit("/organisation", {"organisation_id": "abc"}).status_code == 400


def test_times_are_shown_in_the_organisation_zone_and_user_language() -> None:
    moment = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)
    i18n.set_locale("vi", "Asia/Ho_Chi_Minh")
    vietnamese = i18n.local_datetime(moment, "short")
    i18n.set_locale("en", "Asia/Ho_Chi_Minh")
    english = i18n.local_datetime(moment, "short")
    assert vietnamese == "08:30, 22/11/2026"
    assert english == "22 Nov 2026, 08:30"
