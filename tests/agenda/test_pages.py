"""The meeting pages: list, new and edit forms, the meeting page, and every transition over HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from meetings.accounts.models import User
from meetings.agenda import actions
from meetings.agenda.models import AgendaItem, Meeting, MeetingState
from meetings.archive.audit import Actor
from meetings.archive.models import AuditEntry
from meetings.attendance.models import Participant
from meetings.organisations.models import Body, Organisation
from tests.client import Client
from tests.factories import Factory

ACTOR = Actor(None, "test")
TRANSITIONS = ["publish", "open", "close", "archive", "cancel", "postpone", "reschedule", "copy"]
NEXT_YEAR = datetime.now(UTC).year + 1
DAY = f"{NEXT_YEAR}-11-22"


@dataclass
class Setting:
    """An organisation with a body whose seats are a chair, a secretary and a member."""

    org: Organisation
    body: Body
    chair: User
    secretary: User
    member: User


@pytest.fixture
def setting(factory: Factory) -> Setting:
    org = factory.organisation()
    body = factory.body(org, "Chính phủ")
    chair = factory.user("Phạm Minh Chủ", organisation=org)
    secretary = factory.user("Trần Thư Ký", organisation=org, role="secretary")
    member = factory.user("Lê Thành Viên", organisation=org)
    factory.seat(body, chair, role="chair", title="Thủ tướng")
    factory.seat(body, member, title="Bộ trưởng")
    return Setting(org, body, chair, secretary, member)


def as_user(client: Client, user: User) -> Client:
    """Log in with English pages."""
    client.cookies.set("ecab_lang", "en")
    client.log_in(user)
    return client


def form(body: Body, **change: str) -> dict[str, str]:
    values = {
        "body_id": str(body.id),
        "title": "Phiên họp Chính phủ thường kỳ tháng 11",
        "kind": "regular",
        "date": DAY,
        "starts_at": "08:00",
        "ends_at": "11:30",
        "end_date": "",
        "place": "Phòng họp số 1, Văn phòng Chính phủ",
        "video_url": "https://hop.chinhphu.example/phien-11",
        "chair_id": "",
        "secretary_id": "",
    }
    return {**values, **change}


def count(db: Session, model: type[Any]) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(model)).one()


def state_of(db: Session, meeting: Meeting) -> str:
    db.expire_all()
    found = db.get(Meeting, meeting.id)
    assert found is not None
    return found.state


def transition_data(name: str) -> dict[str, str]:
    later = f"{NEXT_YEAR}-12-05"
    return {
        "cancel": {"reason": "Trùng lịch làm việc với Quốc hội"},
        "postpone": {"reason": "Chưa đủ tài liệu"},
        "reschedule": {"date": later, "starts_at": "14:00", "ends_at": "17:00"},
        "copy": {"date": later, "starts_at": "08:00"},
    }.get(name, {})


# -- creating and editing ----------------------------------------------------------------


def test_secretary_creates_a_meeting_with_local_times_stored_in_utc(
    client: Client, setting: Setting, db: Session
) -> None:
    as_user(client, setting.secretary)
    assert "New meeting" in client.get("/meetings").text
    page = client.get("/meetings/new")
    assert page.status_code == 200 and "Chính phủ" in page.text
    response = client.submit("/meetings/new", form(setting.body))
    meeting = db.exec(select(Meeting)).one()
    assert response.status_code == 303
    assert response.headers["location"] == f"/meetings/{meeting.id}"
    assert meeting.starts_at == datetime(NEXT_YEAR, 11, 22, 1, 0, tzinfo=UTC)
    assert meeting.ends_at == datetime(NEXT_YEAR, 11, 22, 4, 30, tzinfo=UTC)
    assert (meeting.state, meeting.chair_id) == (MeetingState.draft, setting.chair.id)
    shown = client.get(response.headers["location"]).text
    assert "created as a draft" in shown
    assert "22 November" in shown and "08:00" in shown and "11:30" in shown
    assert "Phạm Minh Chủ" in shown and "Join the video conference" in shown


def test_a_meeting_past_midnight_takes_its_end_date(
    client: Client, setting: Setting, db: Session
) -> None:
    as_user(client, setting.secretary)
    late = form(setting.body, starts_at="20:00", ends_at="01:00", end_date=f"23/11/{NEXT_YEAR}")
    assert client.submit("/meetings/new", late).status_code == 303
    meeting = db.exec(select(Meeting)).one()
    assert meeting.ends_at - meeting.starts_at == timedelta(hours=5)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": "  "}, "title", "This field is required."),
        ({"ends_at": "07:00"}, "end", "The meeting must end after it starts."),
        ({"date": "31/02/2030"}, "date", "Give the date as day/month/year"),
        ({"date": ""}, "date", "This field is required."),
        ({"date": "0001-01-01"}, "date", "Give the date as day/month/year"),
        ({"starts_at": "8 giờ"}, "start", "Give the time as hours and minutes"),
        ({"kind": "tea"}, "kind", "Choose a kind of meeting from the list."),
        ({"video_url": "ftp://hop.example"}, "video", "Give a web address starting with https://"),
        ({"chair_id": "abc"}, "chair", "Choose a person of this organisation."),
        ({"body_id": "999999"}, "body", "Choose a body from the list."),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_stored(
    client: Client,
    setting: Setting,
    db: Session,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    as_user(client, setting.secretary)
    response = client.submit("/meetings/new", form(setting.body, **change))
    assert response.status_code == 422
    assert message in response.text.replace("&#39;", "'")
    assert f'aria-describedby="meeting-{field}' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Phòng họp số 1" in response.text, "what was typed is kept"
    assert count(db, Meeting) == 0


def test_a_body_of_another_organisation_cannot_be_chosen(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    foreign = factory.body(factory.organisation())
    as_user(client, setting.secretary)
    response = client.submit("/meetings/new", form(foreign))
    assert response.status_code == 422
    assert count(db, Meeting) == 0


def test_secretary_edits_a_meeting_and_a_published_change_of_time_is_announced(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    as_user(client, setting.secretary)
    page = client.get(f"/meetings/{meeting.id}/edit")
    local_start = meeting.starts_at + timedelta(hours=7)
    assert page.status_code == 200
    assert f'value="{local_start.date().isoformat()}"' in page.text and 'value="08:00"' in page.text
    change = form(setting.body, date=local_start.date().isoformat(), starts_at="09:00")
    response = client.submit(f"/meetings/{meeting.id}/edit", {**change, "title": "Phiên họp mới"})
    assert response.status_code == 303
    db.refresh(meeting)
    assert meeting.title == "Phiên họp mới"
    assert meeting.starts_at == datetime.combine(local_start.date(), time(2, 0), UTC)
    shown = client.get(f"/meetings/{meeting.id}").text
    assert "Changes since publication" in shown and "new time" in shown
    assert "new place Phòng họp số 1" in shown


def test_editing_with_bad_input_changes_nothing(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    as_user(client, setting.secretary)
    response = client.submit(f"/meetings/{meeting.id}/edit", form(setting.body, title=""))
    assert response.status_code == 422
    db.expire_all()
    assert db.get(Meeting, meeting.id).title == "Phiên họp Chính phủ thường kỳ"  # type: ignore[union-attr]
    assert db.get(Meeting, meeting.id).sequence == meeting.sequence  # type: ignore[union-attr]
    assert client.get(f"/meetings/{meeting.id}").text.count("new place") == 0


def test_a_finished_meeting_can_no_longer_be_edited(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body)
    actions.cancel(db, meeting, actor=ACTOR, reason="Không cần họp")
    as_user(client, setting.secretary)
    page = client.get(f"/meetings/{meeting.id}/edit")
    assert page.status_code == 409
    assert "it can no longer be changed" in page.text
    response = client.submit(f"/meetings/{meeting.id}/edit", form(setting.body, title="Khác"))
    assert response.status_code == 409
    db.refresh(meeting)
    assert meeting.title != "Khác"


# -- the life of a meeting over HTTP -----------------------------------------------------


def test_secretary_publishes_opens_closes_and_archives(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body, items=2)
    as_user(client, setting.secretary)
    page = client.get(f"/meetings/{meeting.id}").text
    assert "Publish and invite" in page and "Open the session" not in page
    steps = [
        ("publish", MeetingState.scheduled, "published and its participants invited"),
        ("open", MeetingState.in_session, "The session is open."),
        ("close", MeetingState.closed, "The session is closed."),
        ("archive", MeetingState.archived, "The meeting has been archived."),
    ]
    for name, state, flash in steps:
        response = client.submit(f"/meetings/{meeting.id}/{name}")
        assert response.status_code == 303, (name, response.text)
        assert response.headers["location"] == f"/meetings/{meeting.id}"
        assert state_of(db, meeting) == state
        assert flash in client.get(f"/meetings/{meeting.id}").text
    invited = db.exec(select(Participant.user_id).where(Participant.meeting_id == meeting.id))
    assert set(invited) == {setting.chair.id, setting.member.id}


def test_the_chair_opens_the_session_but_does_not_prepare(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    as_user(client, setting.chair)
    page = client.get(f"/meetings/{meeting.id}").text
    assert "Open the session" in page and "Build the agenda" not in page
    assert client.submit(f"/meetings/{meeting.id}/postpone", {"reason": "x"}).status_code == 403
    assert client.submit(f"/meetings/{meeting.id}/open").status_code == 303
    assert state_of(db, meeting) == MeetingState.in_session


PATHS = {
    MeetingState.draft: [],
    MeetingState.in_session: ["publish", "open"],
    MeetingState.archived: ["publish", "open", "close", "archive"],
    MeetingState.cancelled: ["cancel"],
}
ILLEGAL = [
    (state, name)
    for state in PATHS
    for name, allowed in actions.TRANSITIONS.items()
    if state not in allowed
]


def _walk(db: Session, meeting: Meeting, steps: list[str]) -> None:
    run = {
        "publish": lambda: actions.publish(db, meeting, actor=ACTOR),
        "open": lambda: actions.open_session(db, meeting, actor=ACTOR),
        "close": lambda: actions.close_session(db, meeting, actor=ACTOR),
        "archive": lambda: actions.archive(db, meeting, actor=ACTOR),
        "cancel": lambda: actions.cancel(db, meeting, actor=ACTOR, reason="Hủy"),
    }
    for step in steps:
        run[step]()


@pytest.mark.parametrize(("state", "name"), ILLEGAL)
def test_an_illegal_transition_answers_409_with_the_reason_and_changes_nothing(
    client: Client, setting: Setting, factory: Factory, db: Session, state: str, name: str
) -> None:
    meeting = factory.meeting(setting.body)
    _walk(db, meeting, PATHS[state])
    as_user(client, setting.secretary)
    audit_before, invited_before = count(db, AuditEntry), count(db, Participant)
    response = client.submit(f"/meetings/{meeting.id}/{name}", transition_data(name))
    assert response.status_code == 409
    assert "cannot be" in response.text and "A meeting that is" in response.text
    assert state_of(db, meeting) == state
    assert count(db, AuditEntry) == audit_before
    assert count(db, Participant) == invited_before


def test_illegal_transitions_have_no_button(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body)
    _walk(db, meeting, ["publish", "open", "close", "archive"])
    as_user(client, setting.secretary)
    page = client.get(f"/meetings/{meeting.id}").text
    for label in ("Publish and invite", "Open the session", "Postpone", "Cancel the meeting"):
        assert label not in page
    assert "Edit the details" not in page and "Copy to a new date" in page


@pytest.mark.parametrize("name", ["postpone", "cancel"])
def test_postponing_or_cancelling_needs_a_reason(
    client: Client, setting: Setting, factory: Factory, db: Session, name: str
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    as_user(client, setting.secretary)
    response = client.submit(f"/meetings/{meeting.id}/{name}", {"reason": "   "})
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert f'id="{name}-reason"' in response.text and 'aria-invalid="true"' in response.text
    assert state_of(db, meeting) == MeetingState.scheduled


def test_a_postponed_meeting_shows_its_reason_and_is_rescheduled(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    as_user(client, setting.secretary)
    postponed = client.submit(f"/meetings/{meeting.id}/postpone", {"reason": "Chưa đủ tài liệu"})
    assert postponed.status_code == 303
    page = client.get(f"/meetings/{meeting.id}").text
    assert "This meeting is postponed: Chưa đủ tài liệu" in page and "Reschedule" in page
    bad = client.submit(
        f"/meetings/{meeting.id}/reschedule",
        {"date": f"{NEXT_YEAR}-12-05", "starts_at": "14:00", "ends_at": "13:00"},
    )
    assert bad.status_code == 422 and "The meeting must end after it starts." in bad.text
    assert state_of(db, meeting) == MeetingState.postponed
    moved = client.submit(f"/meetings/{meeting.id}/reschedule", transition_data("reschedule"))
    assert moved.status_code == 303
    db.refresh(meeting)
    assert meeting.state == MeetingState.scheduled
    assert meeting.starts_at == datetime(NEXT_YEAR, 12, 5, 7, 0, tzinfo=UTC)


def test_cancelling_keeps_the_reason(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    as_user(client, setting.secretary)
    page = client.get(f"/meetings/{meeting.id}").text
    assert 'data-confirm="Cancel this meeting for good?"' in page
    response = client.submit(f"/meetings/{meeting.id}/cancel", transition_data("cancel"))
    assert response.status_code == 303
    db.refresh(meeting)
    assert (meeting.state, meeting.state_reason) == (
        "cancelled",
        "Trùng lịch làm việc với Quốc hội",
    )


def test_copying_makes_a_draft_with_the_same_agenda_at_the_new_date(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body, items=3, publish=True)
    as_user(client, setting.secretary)
    response = client.submit(f"/meetings/{meeting.id}/copy", transition_data("copy"))
    assert response.status_code == 303
    copy = db.exec(select(Meeting).where(Meeting.copied_from_id == meeting.id)).one()
    assert response.headers["location"] == f"/meetings/{copy.id}"
    assert copy.state == MeetingState.draft
    assert copy.starts_at == datetime(NEXT_YEAR, 12, 5, 1, 0, tzinfo=UTC)
    assert copy.ends_at - copy.starts_at == meeting.ends_at - meeting.starts_at
    titles = db.exec(
        select(AgendaItem.title)
        .where(AgendaItem.meeting_id == copy.id)
        .order_by(col(AgendaItem.position))
    ).all()
    assert titles == ["Nội dung 1", "Nội dung 2", "Nội dung 3"]
    assert "still a draft" in client.get(response.headers["location"]).text


def test_copying_without_a_date_is_refused(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body)
    as_user(client, setting.secretary)
    response = client.submit(f"/meetings/{meeting.id}/copy", {"date": "", "starts_at": "08:00"})
    assert response.status_code == 422 and 'id="copy-date"' in response.text
    assert count(db, Meeting) == 1


# -- who may see and do what -------------------------------------------------------------


def test_a_member_is_refused_every_preparing_page_and_transition(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    as_user(client, setting.member)
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    assert "New meeting" not in client.get("/meetings").text
    assert client.get("/meetings/new").status_code == 403
    assert client.submit("/meetings/new", form(setting.body)).status_code == 403
    assert client.get(f"/meetings/{meeting.id}/edit").status_code == 403
    edit = client.submit(f"/meetings/{meeting.id}/edit", form(setting.body, title="Khác"))
    assert edit.status_code == 403
    for name in TRANSITIONS:
        response = client.submit(f"/meetings/{meeting.id}/{name}", transition_data(name))
        assert response.status_code == 403, name
    assert state_of(db, meeting) == MeetingState.scheduled
    assert count(db, Meeting) == 1


def test_a_member_sees_their_links_but_no_preparing_controls(
    client: Client, setting: Setting, factory: Factory
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    as_user(client, setting.member)
    page = client.get(f"/meetings/{meeting.id}").text
    assert f'href="/meetings/{meeting.id}/positions"' in page
    assert f'href="/meetings/{meeting.id}/answer"' in page
    assert f'href="/meetings/{meeting.id}.ics"' in page
    assert "Prepare and run" not in page and "/agenda" not in page


def test_a_person_not_invited_gets_404(client: Client, setting: Setting, factory: Factory) -> None:
    meeting = factory.meeting(setting.body, "Họp kín", publish=True)
    outsider = factory.user(organisation=setting.org)
    as_user(client, outsider)
    assert client.get(f"/meetings/{meeting.id}").status_code == 404
    assert client.submit(f"/meetings/{meeting.id}/open").status_code == 404
    assert "Họp kín" not in client.get("/meetings").text


def test_a_draft_is_hidden_from_invited_members_until_published(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body, "Phiên họp dự kiến")
    as_user(client, setting.member)
    assert client.get(f"/meetings/{meeting.id}").status_code == 404
    assert "Phiên họp dự kiến" not in client.get("/meetings").text
    actions.publish(db, meeting, actor=ACTOR)
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    assert "Phiên họp dự kiến" in client.get("/meetings").text


def test_another_organisations_secretary_gets_404_on_every_url(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    other_org = factory.organisation()
    as_user(client, factory.user(organisation=other_org, role="secretary"))
    for url in (f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/edit"):
        assert client.get(url).status_code == 404, url
    assert client.submit(f"/meetings/{meeting.id}/edit", form(setting.body)).status_code == 404
    for name in TRANSITIONS:
        response = client.submit(f"/meetings/{meeting.id}/{name}", transition_data(name))
        assert response.status_code == 404, name
    assert "Phiên họp Chính phủ" not in client.get("/meetings").text
    assert state_of(db, meeting) == MeetingState.scheduled


# -- the list and the meeting page -------------------------------------------------------


def test_the_list_shows_upcoming_meetings_first_then_past_ones(
    client: Client, setting: Setting, factory: Factory
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    factory.meeting(setting.body, "Họp năm ngoái", starts_at=now - timedelta(days=300))
    factory.meeting(setting.body, "Họp tuần trước", starts_at=now - timedelta(days=8))
    factory.meeting(setting.body, "Họp tháng sau", starts_at=now + timedelta(days=30))
    factory.meeting(setting.body, "Họp ngày mai", starts_at=now + timedelta(days=1))
    as_user(client, setting.secretary)
    page = client.get("/meetings").text
    order = ["Họp ngày mai", "Họp tháng sau", "Past meetings", "Họp tuần trước", "Họp năm ngoái"]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Chính phủ" in page and "Regular meeting" in page and "Draft" in page


def test_the_list_filters_by_body_and_state_and_ignores_unknown_values(
    client: Client, setting: Setting, factory: Factory
) -> None:
    other_body = factory.body(setting.org, "Thường trực Chính phủ")
    factory.meeting(setting.body, "Họp toàn thể", publish=True)
    factory.meeting(other_body, "Họp thường trực")
    as_user(client, setting.secretary)
    by_body = client.get(f"/meetings?body={other_body.id}").text
    assert "Họp thường trực" in by_body and "Họp toàn thể" not in by_body
    by_state = client.get("/meetings?state=scheduled").text
    assert "Họp toàn thể" in by_state and "Họp thường trực" not in by_state
    unknown = client.get("/meetings?state=dreaming&body=abc")
    assert unknown.status_code == 200
    assert "That state is not known" in unknown.text and "That body was not found" in unknown.text
    assert "Họp toàn thể" in unknown.text and "Họp thường trực" in unknown.text
    fragment = client.htmx("GET", "/meetings?state=draft")
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'id="meeting-list"' in fragment.text and "Họp thường trực" in fragment.text


def test_the_meeting_page_shows_the_agenda_with_times_presenters_and_amendments(
    client: Client, setting: Setting, factory: Factory, db: Session
) -> None:
    meeting = factory.meeting(setting.body)
    first = factory.item(meeting, "Tình hình kinh tế - xã hội", presenter_id=setting.member.id)
    factory.item(meeting, "Báo cáo chi tiết", parent_id=first.id, duration_minutes=20)
    factory.item(meeting, "Dự thảo Nghị định", presenter_agency="Bộ Tư pháp", consent=True)
    actions.publish(db, meeting, actor=ACTOR)
    factory.item(meeting, "Nội dung bổ sung")
    as_user(client, setting.member)
    page = client.get(f"/meetings/{meeting.id}").text
    assert "Tình hình kinh tế - xã hội" in page and "Lê Thành Viên" in page
    assert "agenda-sub" in page and ">1.1<" in page
    assert "Bộ Tư pháp" in page and "Consent item" in page
    assert "08:00" in page and "08:30" in page, "planned start times in local time"
    assert "30 minutes" in page and "Pending" in page
    assert "item “Nội dung bổ sung” added" in page


def test_the_meeting_page_speaks_vietnamese_by_default(
    client: Client, setting: Setting, factory: Factory
) -> None:
    meeting = factory.meeting(setting.body, publish=True)
    client.log_in(setting.member)
    page = client.get(f"/meetings/{meeting.id}")
    assert page.status_code == 200
    assert '<html lang="vi">' in page.text
