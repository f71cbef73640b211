"""The console adopts the consent block; a member's tablet carries their own attendance."""

from __future__ import annotations

from sqlmodel import Session

from meetings.agenda.models import AgendaItem, ItemStatus
from tests.attendance.support import log_in, scene
from tests.client import Client
from tests.factories import Factory
from tests.live.test_views import ORIGIN, until


def test_the_chair_adopts_the_consent_block_from_the_console(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    item = factory.item(s.meeting, "Báo cáo công tác tháng", consent=True)
    s.open()
    log_in(client, s.chair)
    console = client.get(s.url("/live/console")).text
    assert "Consent block: 1 item nobody objected to." in console
    tablet = client.get(s.url("/live")).text
    assert "Adopt the consent block" not in tablet
    with client.websocket_connect(f"/ws/meetings/{s.meeting.id}?view=tablet", headers=ORIGIN) as ws:
        ws.receive_text()
        answer = client.htmx("POST", s.url("/live/consent"))
        assert answer.status_code == 200
        pushed = until(ws, 'id="live-agenda"')
        assert "Báo cáo công tác tháng" in pushed and "Adopt the consent block" not in pushed
    db.expire_all()
    adopted = db.get(AgendaItem, item.id)
    assert adopted is not None and adopted.status == ItemStatus.done
    again = client.htmx("POST", s.url("/live/consent"))
    assert again.status_code == 409


def test_a_member_may_not_adopt_the_consent_block(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    factory.item(s.meeting, "Báo cáo công tác tháng", consent=True)
    s.open()
    log_in(client, s.members[0])
    assert client.htmx("POST", s.url("/live/consent")).status_code in (403, 404)


def test_a_members_tablet_loads_their_own_attendance(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    log_in(client, s.members[0])
    page = client.get(s.url("/live")).text
    assert f'hx-get="/meetings/{s.meeting.id}/attendance"' in page
    panel = client.htmx("GET", s.url("/attendance"))
    assert 'id="my-attendance"' in panel.text and "Not checked in" in panel.text
    log_in(client, s.secretary)
    assert "/attendance" not in client.get(s.url("/live")).text.split("live-side")[1]
