"""My notifications: only mine, newest first, in my language, and marking them read."""

from __future__ import annotations

from sqlmodel import Session, select

from meetings.notifications.actions import notify
from meetings.notifications.models import Notification
from tests.attendance.support import log_in, scene
from tests.client import Client
from tests.factories import Factory

WHEN = "2026-03-02T01:00:00+00:00"


def invite(db: Session, user_id: int, title: str, org_id: int, meeting_id: int | None) -> None:
    notify(
        db,
        [user_id],
        "invitation",
        organisation_id=org_id,
        meeting_id=meeting_id,
        title=title,
        when=WHEN,
    )
    db.commit()


def test_i_see_only_my_notifications_newest_first(
    client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    me, someone = factory.user(organisation=org), factory.user(organisation=org)
    invite(db, me.id or 0, "Phiên họp tháng Hai", org.id or 0, None)
    invite(db, someone.id or 0, "Họp kín của người khác", org.id or 0, None)
    invite(db, me.id or 0, "Phiên họp tháng Ba", org.id or 0, None)
    log_in(client, me)
    page = client.get("/notifications").text
    assert "Họp kín của người khác" not in page
    assert page.index("Phiên họp tháng Ba") < page.index("Phiên họp tháng Hai")
    assert "You are invited to “Phiên họp tháng Ba” at 2 Mar 2026, 08:00." in page
    assert page.count('class="tag tag-new"') == 2


def test_messages_are_in_the_readers_language(
    client: Client, factory: Factory, db: Session
) -> None:
    org = factory.organisation()
    me = factory.user(organisation=org)
    invite(db, me.id or 0, "Phiên họp thường kỳ", org.id or 0, None)
    client.log_in(me)
    client.cookies.set("ecab_lang", "vi")
    page = client.get("/notifications").text
    assert "Bạn được mời dự “Phiên họp thường kỳ” lúc 08:00, 02/03/2026." in page


def test_mark_all_as_read_touches_only_mine(client: Client, factory: Factory, db: Session) -> None:
    org = factory.organisation()
    me, someone = factory.user(organisation=org), factory.user(organisation=org)
    invite(db, me.id or 0, "Của tôi", org.id or 0, None)
    invite(db, someone.id or 0, "Của người khác", org.id or 0, None)
    log_in(client, me)
    assert '<span class="badge"' in client.get("/notifications").text
    response = client.submit("/notifications/read")
    assert response.status_code == 303
    assert response.headers["location"] == "/notifications"
    db.expire_all()
    read = {n.user_id: n.read_at is not None for n in db.exec(select(Notification))}
    assert read == {me.id: True, someone.id: False}
    page = client.get("/notifications").text
    assert "All your notifications are marked as read." in page
    assert "tag-new" not in page and '<span class="badge"' not in page
    assert "Mark all as read" not in page


def test_a_notification_links_to_its_meeting_in_this_organisation(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    elsewhere = factory.organisation("Ủy ban nhân dân tỉnh Lào Cai")
    factory.join(s.members[0], elsewhere)
    invite(db, s.members[0].id or 0, "Họp ở tỉnh", elsewhere.id or 0, None)
    log_in(client, s.members[0])
    page = client.get("/notifications").text
    assert f'href="/meetings/{s.meeting.id}"' in page
    assert "Ủy ban nhân dân tỉnh Lào Cai" in page


def test_nothing_yet(client: Client, factory: Factory) -> None:
    log_in(client, factory.user(organisation=factory.organisation()))
    assert "You have no notifications." in client.get("/notifications").text


def test_logged_out_visitors_are_sent_to_log_in(client: Client) -> None:
    assert client.get("/notifications").headers["location"].startswith("/login")
    assert client.submit("/notifications/read").status_code == 303


def test_a_ballot_notification_leads_to_the_ballot(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    notify(
        db,
        [s.members[0].id],
        "ballot_opened",
        organisation_id=s.org.id,
        question="Dự thảo Nghị định?",
        when=WHEN,
        poll_id=41,
    )
    notify(
        db,
        [s.members[0].id],
        "task_overdue",
        organisation_id=s.org.id,
        title="T",
        due="x",
        task_id="not a number",
    )
    db.commit()
    log_in(client, s.members[0])
    page = client.get("/notifications").text
    assert 'href="/polls/41"' in page and "Open the ballot" in page
    assert "/tasks/" not in page, "only a real id makes a link"
