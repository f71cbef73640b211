"""Calendar files: a meeting's .ics, and the private feed that needs no login."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar, Event
from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.agenda import actions
from meetings.agenda.models import Meeting
from meetings.archive.audit import Actor
from meetings.notifications.models import CalendarFeed
from meetings.organisations.models import Body, Organisation
from tests.client import Client
from tests.factories import Factory

ACTOR = Actor(None, "test")
ZONE = "Asia/Ho_Chi_Minh"


@dataclass
class Setting:
    """An organisation's body with a chair and a member, and a stranger elsewhere."""

    org: Organisation
    body: Body
    chair: User
    member: User
    stranger: User
    stranger_org: Organisation


@pytest.fixture
def setting(factory: Factory) -> Setting:
    org = factory.organisation("Bộ Tư pháp")
    body = factory.body(org, "Ban cán sự đảng")
    chair, member = factory.user(organisation=org), factory.user(organisation=org)
    factory.seat(body, chair, role="chair")
    factory.seat(body, member)
    elsewhere = factory.organisation("Bộ Y tế")
    stranger = factory.user(organisation=elsewhere)
    return Setting(org, body, chair, member, stranger, elsewhere)


def _events(response: Any) -> list[Event]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def _event(client: Client, meeting: Meeting) -> Event:
    response = client.get(f"/meetings/{meeting.id}.ics")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="meeting-{meeting.id}.ics"'
    )
    (event,) = _events(response)
    return event


def _later(meeting: Meeting, hours: int) -> tuple[datetime, datetime]:
    start = meeting.starts_at + timedelta(hours=hours)
    return start, start + (meeting.ends_at - meeting.starts_at)


# -- one meeting ---------------------------------------------------------------------


def test_meeting_file_has_the_time_in_the_organisations_zone(
    client: Client, factory: Factory, setting: Setting
) -> None:
    meeting = factory.meeting(setting.body, "Phiên họp tháng 12", publish=True)
    factory.item(meeting, "Dự thảo Nghị định về định danh điện tử")
    client.log_in(setting.member)
    event = _event(client, meeting)
    assert event.decoded("dtstart") == meeting.starts_at
    assert event.decoded("dtstart").tzinfo.key == ZONE
    assert event.decoded("dtend") == meeting.ends_at
    assert str(event["uid"]) == f"meeting-{meeting.id}@e-cabinet"
    assert str(event["summary"]) == "Phiên họp tháng 12"
    assert str(event["location"]) == "Phòng họp Chính phủ"
    assert "1. Dự thảo Nghị định về định danh điện tử" in str(event["description"])
    assert str(event["url"]).endswith(f"/meetings/{meeting.id}")
    assert str(event["status"]) == "CONFIRMED"


def test_the_file_carries_the_zone_definition(
    client: Client, factory: Factory, setting: Setting
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    client.log_in(setting.member)
    calendar = Calendar.from_ical(client.get(f"/meetings/{meeting.id}.ics").content)
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == [ZONE]


def test_a_time_change_raises_the_sequence(
    client: Client, db: Session, factory: Factory, setting: Setting
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    client.log_in(setting.chair)
    before = _event(client, meeting)
    starts_at, ends_at = _later(meeting, 2)
    actions.update_meeting(
        db,
        meeting,
        actor=ACTOR,
        **{k: getattr(meeting, k) for k in ("title", "kind", "place", "video_url")},
        starts_at=starts_at,
        ends_at=ends_at,
        chair_id=meeting.chair_id,
        secretary_id=meeting.secretary_id,
    )
    after = _event(client, meeting)
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart") == starts_at
    assert str(after["uid"]) == str(before["uid"])


def test_a_cancelled_meeting_is_marked_cancelled(
    client: Client, db: Session, factory: Factory, setting: Setting
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    actions.cancel(db, meeting, actor=ACTOR, reason="Trùng lịch họp Quốc hội")
    client.log_in(setting.member)
    event = _event(client, meeting)
    assert str(event["status"]) == "CANCELLED"
    assert "Trùng lịch họp Quốc hội" in str(event["description"])


def test_a_draft_is_tentative_for_its_chair(
    client: Client, factory: Factory, setting: Setting
) -> None:
    meeting = factory.meeting(setting.body)
    client.log_in(setting.chair)
    assert str(_event(client, meeting)["status"]) == "TENTATIVE"


def test_a_meeting_one_may_not_see_has_no_file(
    client: Client, other_client: Client, factory: Factory, setting: Setting
) -> None:
    draft = factory.meeting(setting.body)
    client.log_in(setting.member)
    assert client.get(f"/meetings/{draft.id}.ics").status_code == 404
    published = factory.meeting(setting.body, publish=True)
    other_client.log_in(setting.stranger)
    assert other_client.get(f"/meetings/{published.id}.ics").status_code == 404
    assert other_client.get("/meetings/999999.ics").status_code == 404


def test_the_meeting_file_needs_a_login(client: Client, factory: Factory, setting: Setting) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    response = client.get(f"/meetings/{meeting.id}.ics")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


# -- the private feed ----------------------------------------------------------------


def _make_feed(client: Client, user: User) -> str:
    client.log_in(user)
    assert client.get("/account/calendar").status_code == 200
    response = client.submit("/account/calendar")
    assert response.status_code == 201
    found = re.search(
        r'data-testid="feed-url">http://testserver(/calendar/[\w-]+\.ics)<', response.text
    )
    assert found, response.text
    return found.group(1)


def test_feed_works_without_login_and_keeps_only_the_hash(
    client: Client, other_client: Client, db: Session, factory: Factory, setting: Setting
) -> None:
    meeting = factory.meeting(setting.body, "Phiên họp thường kỳ", publish=True)
    url = _make_feed(client, setting.member)
    (event,) = _events(other_client.get(url))
    assert str(event["summary"]) == "Phiên họp thường kỳ"
    assert event.decoded("dtstart") == meeting.starts_at
    token = url.removeprefix("/calendar/").removesuffix(".ics")
    feed = db.exec(select(CalendarFeed)).one()
    assert token not in feed.token_hash and len(feed.token_hash) == 64
    assert token not in client.get("/account/calendar").text, "the link is shown only once"


def test_feed_lists_only_what_its_owner_may_see(
    client: Client, other_client: Client, factory: Factory, setting: Setting
) -> None:
    shown = factory.meeting(setting.body, "Được mời", publish=True)
    factory.meeting(setting.body, "Bản nháp")
    factory.meeting(factory.body(setting.org), "Cơ quan khác", publish=True)
    elsewhere = factory.body(setting.stranger_org)
    factory.seat(elsewhere, setting.stranger)
    factory.meeting(elsewhere, "Tổ chức khác", publish=True)
    long_ago = datetime.now(UTC) - timedelta(days=90)
    factory.meeting(setting.body, "Đã lâu", starts_at=long_ago, publish=True)
    recent = factory.meeting(
        setting.body, "Tháng trước", starts_at=datetime.now(UTC) - timedelta(days=30), publish=True
    )
    events = _events(other_client.get(_make_feed(client, setting.member)))
    assert [str(e["summary"]) for e in events] == ["Tháng trước", "Được mời"]
    assert {str(e["uid"]) for e in events} == {f"meeting-{m.id}@e-cabinet" for m in (shown, recent)}


def test_feed_covers_every_organisation_of_its_owner(
    client: Client, other_client: Client, factory: Factory, setting: Setting
) -> None:
    second = factory.organisation("Ủy ban nhân dân tỉnh")
    factory.join(setting.member, second)
    body = factory.body(second)
    factory.seat(body, setting.member)
    factory.meeting(setting.body, "Ở Bộ", publish=True)
    factory.meeting(body, "Ở tỉnh", publish=True)
    events = _events(other_client.get(_make_feed(client, setting.member)))
    assert sorted(str(e["summary"]) for e in events) == ["Ở Bộ", "Ở tỉnh"]


def test_revoked_replaced_and_unknown_feeds_answer_404(
    client: Client, other_client: Client, setting: Setting
) -> None:
    first = _make_feed(client, setting.member)
    second = _make_feed(client, setting.member)
    assert other_client.get(first).status_code == 404, "a new link replaces the old one"
    assert other_client.get(second).status_code == 200
    response = client.submit("/account/calendar/revoke")
    assert response.status_code == 303
    assert other_client.get(second).status_code == 404
    assert other_client.get("/calendar/not-a-real-token.ics").status_code == 404
    assert "/account/calendar/revoke" not in client.get("/account/calendar").text


def test_feed_of_a_disabled_account_answers_404(
    client: Client, other_client: Client, db: Session, setting: Setting
) -> None:
    url = _make_feed(client, setting.member)
    setting.member.is_active = False
    db.add(setting.member)
    db.commit()
    assert other_client.get(url).status_code == 404
