"""The live regions, rendered per view from the database: each view gets its regions, and no
view gets what some of its people may not see (private opinions, restricted or confidential
documents)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from jinja2 import Environment
from sqlmodel import Session

from meetings import i18n
from meetings.agenda import session
from meetings.agenda.items import items
from meetings.agenda.models import AgendaItem, Meeting
from meetings.db import utcnow
from meetings.documents.models import Classification, Document, DocumentReader
from meetings.live import floor, opinions, regions
from meetings.live.events import EVENTS, Audience
from meetings.live.models import LivePresence
from meetings.web.templating import make_templates
from tests.attendance.support import ACTOR, Scene, scene
from tests.factories import Factory

VIEWS = {
    Audience.console: {"state", "current", "agenda", "floor", "speaker", "opinions", "quorum"}
    | {"presence", "vote", "tally"},
    Audience.tablet: {
        "state",
        "current",
        "agenda",
        "floor",
        "speaker",
        "opinions",
        "vote",
        "tally",
    },
    Audience.screen: {"state", "current", "speaker", "opinions", "quorum", "vote", "tally"},
}


@pytest.fixture
def env() -> Environment:
    i18n.set_locale("en", "Asia/Ho_Chi_Minh")
    return make_templates().env


def region_id(name: str) -> str:
    return 'id="quorum"' if name == "quorum" else f'id="live-{name}"'


def render(s: Scene, env: Environment, view: str, *names: str) -> str:
    s.db.expire_all()
    meeting = s.db.get(Meeting, s.meeting.id)
    assert meeting is not None
    return regions.render(s.db, meeting, env, view, names)


def taken_up(s: Scene) -> AgendaItem:
    s.open()
    item = items(s.db, s.meeting.id or 0)[0]
    session.go_to(s.db, s.meeting, item, actor=ACTOR)
    return item


def test_every_region_an_event_names_exists() -> None:
    named = {name for cls in EVENTS.values() for name in cls.regions}
    assert named <= set(regions.REGIONS)
    assert set().union(*VIEWS.values()) == set(regions.REGIONS)


@pytest.mark.parametrize("view", list(VIEWS))
def test_each_view_gets_exactly_its_regions(
    factory: Factory, db: Session, env: Environment, view: str
) -> None:
    s = scene(factory, db)
    s.open()
    text = render(s, env, view)
    for name in regions.REGIONS:
        assert (region_id(name) in text) == (name in VIEWS[view]), (view, name)
        alone = render(s, env, view, name)
        assert (region_id(name) in alone) == (name in VIEWS[view])


def test_the_state_says_whether_the_session_is_open(
    factory: Factory, db: Session, env: Environment
) -> None:
    s = scene(factory, db)
    assert "The session is not open (scheduled)." in render(s, env, Audience.screen, "state")
    s.open()
    assert "The session is open." in render(s, env, Audience.screen, "state")


def test_only_the_console_has_the_controls(factory: Factory, db: Session, env: Environment) -> None:
    s = scene(factory, db)
    taken_up(s)
    floor.ask(db, s.meeting, s.members[0].id or 0, topic="", actor=ACTOR)
    opinions.post(db, s.meeting, s.members[0].id or 0, text="Nhất trí", actor=ACTOR)
    console = render(s, env, Audience.console)
    for control in ("Next item", "Previous item", "Give the floor", "Skip", "Show to everyone"):
        assert control in console
    for view in (Audience.tablet, Audience.screen):
        text = render(s, env, view)
        assert "hx-post" not in text and "Give the floor" not in text
    tablet = render(s, env, Audience.tablet, "floor")
    assert f'hx-get="/meetings/{s.meeting.id}/live/my-floor"' in tablet


def add_document(s: Scene, item: AgendaItem, title: str, **values: object) -> Document:
    values.setdefault("published_at", utcnow())
    document = Document(
        organisation_id=s.org.id or 0,
        meeting_id=s.meeting.id or 0,
        item_id=item.id,
        title=title,
        **values,  # type: ignore[arg-type]
    )
    s.db.add(document)
    s.db.commit()
    return document


def test_each_view_lists_only_the_documents_all_its_people_may_read(
    factory: Factory, db: Session, env: Environment
) -> None:
    s = scene(factory, db)
    item = taken_up(s)
    add_document(s, item, "Tờ trình chung")
    add_document(s, item, "Báo cáo mật", classification=Classification.confidential)
    named = add_document(s, item, "Phụ lục hạn chế")
    db.add(DocumentReader(document_id=named.id or 0, user_id=s.members[0].id or 0))
    add_document(s, item, "Bản nháp", published_at=None)
    add_document(s, item, "Đã rút", withdrawn_at=utcnow())
    db.commit()

    tablet = render(s, env, Audience.tablet, "current")
    assert "Tờ trình chung" in tablet and "Báo cáo mật" in tablet
    assert "Phụ lục hạn chế" not in tablet, "fetched per viewer, never pushed to all"
    screen = render(s, env, Audience.screen, "current")
    assert "Tờ trình chung" in screen
    assert "Báo cáo mật" not in screen and "Phụ lục hạn chế" not in screen
    assert "/documents/" not in screen, "the room screen has nothing to press"
    console = render(s, env, Audience.console, "current")
    assert "Phụ lục hạn chế" in console and "Báo cáo mật" in console
    for text in (tablet, screen, console):
        assert "Bản nháp" not in text and "Đã rút" not in text


def test_private_opinions_reach_only_the_console(
    factory: Factory, db: Session, env: Environment
) -> None:
    s = scene(factory, db)
    taken_up(s)
    private = opinions.post(db, s.meeting, s.members[0].id or 0, text="Riêng tư", actor=ACTOR)
    shown = opinions.post(db, s.meeting, s.members[1].id or 0, text="Công khai", actor=ACTOR)
    opinions.show(db, s.meeting, shown, public=True, actor=ACTOR)
    assert private.public is False
    console = render(s, env, Audience.console, "opinions")
    assert "Riêng tư" in console and "Công khai" in console
    for view in (Audience.tablet, Audience.screen):
        text = render(s, env, view, "opinions")
        assert "Công khai" in text and "Riêng tư" not in text


def test_the_speaker_carries_the_countdown(factory: Factory, db: Session, env: Environment) -> None:
    s = scene(factory, db)
    s.open()
    request = floor.ask(db, s.meeting, s.members[0].id or 0, topic="Về đất đai", actor=ACTOR)
    floor.grant(db, s.meeting, request, actor=ACTOR)
    request.started_at = utcnow() - timedelta(seconds=160)
    db.add(request)
    db.commit()
    for view in VIEWS:
        text = render(s, env, view, "speaker")
        assert "Bộ Trưởng 1" in text and 'data-allotted="180"' in text
        assert f'data-started-at="{request.started_at.isoformat()}"' in text
        assert "00:20" in text or "00:19" in text
        assert "live-warning" in text


def test_quorum_and_presence_are_for_the_views_that_have_them(
    factory: Factory, db: Session, env: Environment
) -> None:
    s = scene(factory, db)
    s.open()
    s.check_in(s.members[0])
    db.add(
        LivePresence(
            meeting_id=s.meeting.id or 0, user_id=s.members[2].id or 0, socket="a1", view="tablet"
        )
    )
    db.commit()
    presence = render(s, env, Audience.console, "presence")
    assert "Bộ Trưởng 3" in presence and "(tablet)" in presence
    assert render(s, env, Audience.tablet, "presence", "quorum") == ""
    assert render(s, env, Audience.screen, "presence") == ""
    assert "1 present" in render(s, env, Audience.screen, "quorum")
    assert "hx-get" not in render(s, env, Audience.screen, "quorum"), "pushed, never polled"
