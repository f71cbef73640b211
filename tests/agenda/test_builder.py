"""The agenda builder over HTTP: add, change, remove, reorder and move items; who may do it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.agenda import actions
from meetings.agenda.items import items
from meetings.agenda.models import AgendaItem, Amendment, ItemStatus, Meeting
from meetings.archive.audit import Actor
from meetings.archive.models import AuditEntry
from meetings.notifications.models import Notification
from meetings.organisations.models import Organisation
from tests.client import Client
from tests.factories import Factory

ACTOR = Actor(None, "test")


@dataclass
class Office:
    """A body with its chair, a member and a guest, its secretary and a draft meeting."""

    org: Organisation
    secretary: User
    chair: User
    member: User
    guest: User
    outsider: User
    meeting: Meeting

    @property
    def url(self) -> str:
        return f"/meetings/{self.meeting.id}/agenda"


@pytest.fixture
def office(factory: Factory) -> Office:
    org = factory.organisation()
    body = factory.body(org)
    secretary = factory.user("Nguyễn Thị Vân", organisation=org, role="secretary")
    chair = factory.user("Nguyễn Văn An", organisation=org)
    member = factory.user("Bùi Thị Hạnh", organisation=org)
    guest = factory.user("Đặng Văn Hải", organisation=org)
    outsider = factory.user("Lò Văn Tâm", organisation=org)
    factory.seat(body, chair, role="chair", title="Chủ tịch")
    factory.seat(body, member)
    factory.seat(body, guest, role="guest", voting_right=False)
    meeting = factory.meeting(body, items=3)
    return Office(org, secretary, chair, member, guest, outsider, meeting)


def logged_in(client: Client, user: User) -> Client:
    """The client logged in as the user, reading the pages in English."""
    client.cookies.set("ecab_lang", "en")
    client.log_in(user)
    return client


@pytest.fixture
def secretary(client: Client, office: Office) -> Client:
    return logged_in(client, office.secretary)


def titles(db: Session, meeting: Meeting) -> list[str]:
    db.expire_all()
    return [item.title for item in items(db, meeting.id or 0)]


def ids(db: Session, meeting: Meeting, parent_id: int | None = None) -> list[int]:
    db.expire_all()
    return [i.id or 0 for i in items(db, meeting.id or 0) if i.parent_id == parent_id]


def shown_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="item-title">([^<]*)</h3>', html)


def shown_numbers_and_times(html: str) -> list[tuple[str, str]]:
    numbers = re.findall(r'<span class="item-number">([^<]*)</span>', html)
    times = re.findall(r'<span class="item-time">[^<]*?(\d\d:\d\d)</span>', html)
    return list(zip(numbers, times, strict=True))


NEW_ITEM = {
    "title": "Dự thảo Nghị định quy định chi tiết Luật Đất đai",
    "description": "Tờ trình số 123/TTr-BTNMT",
    "presenter_id": "",
    "presenter_agency": "Bộ Nông nghiệp và Môi trường",
    "duration_minutes": "20",
    "consent": "on",
    "parent_id": "",
}


# -- the page ---------------------------------------------------------------------------


def test_the_builder_shows_items_in_order_with_numbers_and_planned_start_times(
    secretary: Client, office: Office
) -> None:
    page = secretary.get(office.url)
    assert page.status_code == 200
    assert shown_titles(page.text) == ["Nội dung 1", "Nội dung 2", "Nội dung 3"]
    # The factory's meeting starts at 08:00 in Hà Nội; each item lasts 30 minutes.
    assert shown_numbers_and_times(page.text) == [("1", "08:00"), ("2", "08:30"), ("3", "09:00")]
    assert 'src="/static/vendor/Sortable.min.js' in page.text
    assert 'src="/static/js/agenda.js' in page.text
    assert 'data-saved="' in page.text and 'role="status"' in page.text
    assert "<script>" not in page.text and "style=" not in page.text


def test_an_htmx_request_gets_only_the_agenda_fragment(secretary: Client, office: Office) -> None:
    fragment = secretary.htmx("GET", office.url)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<section id="agenda-builder"')
    assert "<html" not in fragment.text
    assert shown_titles(fragment.text) == ["Nội dung 1", "Nội dung 2", "Nội dung 3"]


# -- adding and changing ----------------------------------------------------------------


def test_secretary_adds_an_item_with_an_agency_as_presenter(
    secretary: Client, office: Office, db: Session
) -> None:
    response = secretary.submit(office.url, NEW_ITEM)
    assert response.status_code == 303
    added = db.exec(select(AgendaItem).where(AgendaItem.title == NEW_ITEM["title"])).one()
    assert response.headers["location"] == f"{office.url}#item-{added.id}"
    assert (added.duration_minutes, added.consent, added.parent_id) == (20, True, None)
    assert added.presenter_agency == "Bộ Nông nghiệp và Môi trường"
    page = secretary.get(office.url)
    assert shown_numbers_and_times(page.text)[-1] == ("4", "09:30")
    assert "Bộ Nông nghiệp và Môi trường" in page.text
    assert "Consent item" in page.text


def test_secretary_adds_a_sub_item_with_a_person_as_presenter(
    secretary: Client, office: Office, db: Session
) -> None:
    first = ids(db, office.meeting)[0]
    values = {
        **NEW_ITEM,
        "title": "Phụ lục",
        "presenter_id": str(office.member.id),
        "presenter_agency": "",
        "consent": "",
        "duration_minutes": "45",
        "parent_id": str(first),
    }
    assert secretary.submit(office.url, values).status_code == 303
    child = db.exec(select(AgendaItem).where(AgendaItem.title == "Phụ lục")).one()
    assert (child.parent_id, child.presenter_id, child.consent) == (first, office.member.id, False)
    page = secretary.get(office.url)
    # The sub-item lasts longer than its parent's 30 minutes: item 2 starts after it.
    assert shown_numbers_and_times(page.text) == [
        ("1", "08:00"),
        ("1.1", "08:00"),
        ("2", "08:45"),
        ("3", "09:15"),
    ]
    assert "Bùi Thị Hạnh" in page.text


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": "  "}, "title", "This field is required."),
        ({"title": "x" * 301}, "title", "At most 300 characters."),
        ({"duration_minutes": "abc"}, "duration_minutes", "The duration is a number of minutes"),
        ({"duration_minutes": "601"}, "duration_minutes", "The duration is a number of minutes"),
        ({"presenter_id": "x"}, "presenter_id", "Choose a person of this organisation."),
        ({"parent_id": "999999"}, "parent_id", "Sub-items go under a main item"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(
    secretary: Client,
    office: Office,
    db: Session,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    before = titles(db, office.meeting)
    response = secretary.submit(office.url, {**NEW_ITEM, **change})
    assert response.status_code == 422
    assert message in response.text
    assert f'name="{field}"' in response.text
    error_id = {
        "title": "item-title",
        "duration_minutes": "item-duration",
        "presenter_id": "item-presenter",
        "parent_id": "item-parent",
    }[field]
    assert f'id="{error_id}-error"' in response.text
    assert titles(db, office.meeting) == before


def test_a_presenter_from_another_organisation_is_refused(
    secretary: Client, office: Office, factory: Factory, db: Session
) -> None:
    stranger = factory.user(organisation=factory.organisation())
    response = secretary.submit(office.url, {**NEW_ITEM, "presenter_id": str(stranger.id)})
    assert response.status_code == 422
    assert "Choose a person of this organisation." in response.text
    assert NEW_ITEM["title"] not in titles(db, office.meeting)


def test_a_sub_item_cannot_have_sub_items(
    secretary: Client, office: Office, factory: Factory, db: Session
) -> None:
    parent = ids(db, office.meeting)[0]
    child = factory.item(office.meeting, "Phụ lục", parent_id=parent)
    response = secretary.submit(office.url, {**NEW_ITEM, "parent_id": str(child.id)})
    assert response.status_code == 422
    assert NEW_ITEM["title"] not in titles(db, office.meeting)


def test_secretary_changes_an_item_on_its_own_page(
    secretary: Client, office: Office, db: Session
) -> None:
    item_id = ids(db, office.meeting)[1]
    page = secretary.get(f"{office.url}/{item_id}")
    assert page.status_code == 200
    assert 'value="Nội dung 2"' in page.text
    values = {**NEW_ITEM, "title": "Nội dung 2 (sửa)", "duration_minutes": "50"}
    response = secretary.submit(f"{office.url}/{item_id}", values)
    assert response.status_code == 303
    changed = db.get(AgendaItem, item_id)
    db.refresh(changed)
    assert changed is not None
    assert (changed.title, changed.duration_minutes) == ("Nội dung 2 (sửa)", 50)
    page = secretary.get(office.url)
    assert shown_numbers_and_times(page.text)[2] == ("3", "09:20")


def test_a_refused_change_keeps_the_item_as_it_was(
    secretary: Client, office: Office, db: Session
) -> None:
    item_id = ids(db, office.meeting)[1]
    response = secretary.submit(f"{office.url}/{item_id}", {**NEW_ITEM, "title": ""})
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert titles(db, office.meeting)[1] == "Nội dung 2"


def test_an_item_of_another_meeting_is_not_found(
    secretary: Client, office: Office, factory: Factory, db: Session
) -> None:
    other = factory.meeting(factory.body(office.org), items=1)
    foreign = ids(db, other)[0]
    assert secretary.get(f"{office.url}/{foreign}").status_code == 404
    response = secretary.submit(f"{office.url}/{foreign}/move", {"direction": "up"})
    assert response.status_code == 404


# -- removing ---------------------------------------------------------------------------


def test_removing_an_item_of_a_draft_deletes_it(
    secretary: Client, office: Office, db: Session
) -> None:
    first = ids(db, office.meeting)[0]
    page = secretary.get(office.url)
    assert "Remove the item “Nội dung 1” from the agenda?" in page.text  # data-confirm
    response = secretary.submit(f"{office.url}/{first}/remove")
    assert response.status_code == 303
    assert titles(db, office.meeting) == ["Nội dung 2", "Nội dung 3"]
    assert db.exec(select(Amendment)).first() is None
    page = secretary.get(office.url)
    assert shown_numbers_and_times(page.text) == [("1", "08:00"), ("2", "08:30")]


def test_removing_an_item_of_a_draft_deletes_its_sub_items_too(
    secretary: Client, office: Office, factory: Factory, db: Session
) -> None:
    first = ids(db, office.meeting)[0]
    factory.item(office.meeting, "Phụ lục", parent_id=first)
    response = secretary.submit(f"{office.url}/{first}/remove")
    assert response.status_code == 303
    assert titles(db, office.meeting) == ["Nội dung 2", "Nội dung 3"]


def test_after_publication_removing_withdraws_and_participants_are_told(
    secretary: Client, office: Office, db: Session
) -> None:
    actions.publish(db, office.meeting, actor=ACTOR)
    second = ids(db, office.meeting)[1]
    page = secretary.get(office.url)
    assert 'data-testid="amendment-notice"' in page.text
    assert secretary.submit(f"{office.url}/{second}/remove").status_code == 303
    db.expire_all()
    withdrawn = db.get(AgendaItem, second)
    assert withdrawn is not None and withdrawn.status == ItemStatus.withdrawn
    amendment = db.exec(select(Amendment)).one()
    assert amendment.kind == "item_withdrawn" and "Nội dung 2" in amendment.data
    told = {
        n.user_id
        for n in db.exec(select(Notification).where(Notification.kind == "agenda_amended"))
    }
    assert told == {office.chair.id, office.member.id, office.guest.id}
    page = secretary.get(office.url)
    # The withdrawn item takes no time; it can not be withdrawn twice.
    assert shown_numbers_and_times(page.text) == [("1", "08:00"), ("2", "08:30"), ("3", "08:30")]
    again = secretary.submit(f"{office.url}/{second}/remove")
    assert again.status_code == 409
    assert len(db.exec(select(Amendment)).all()) == 1


# -- reordering -------------------------------------------------------------------------


def test_a_dragged_order_is_saved_at_once_and_survives_a_reload(
    secretary: Client, office: Office, db: Session
) -> None:
    first, second, third = ids(db, office.meeting)
    response = secretary.htmx(
        "POST",
        f"{office.url}/order",
        data={"parent_id": "", "item_ids": [str(third), str(first), str(second)]},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert shown_titles(response.text) == ["Nội dung 3", "Nội dung 1", "Nội dung 2"]
    assert ids(db, office.meeting) == [third, first, second]
    page = secretary.get(office.url)
    assert shown_titles(page.text) == ["Nội dung 3", "Nội dung 1", "Nội dung 2"]
    assert shown_numbers_and_times(page.text) == [("1", "08:00"), ("2", "08:30"), ("3", "09:00")]
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "agenda.reordered")).one()
    assert entry.actor_id == office.secretary.id


def test_sub_items_are_reordered_within_their_parent(
    secretary: Client, office: Office, factory: Factory, db: Session
) -> None:
    parent = ids(db, office.meeting)[0]
    a = factory.item(office.meeting, "Phụ lục A", parent_id=parent).id
    b = factory.item(office.meeting, "Phụ lục B", parent_id=parent).id
    response = secretary.htmx(
        "POST", f"{office.url}/order", data={"parent_id": str(parent), "item_ids": [b, a]}
    )
    assert response.status_code == 200
    assert ids(db, office.meeting, parent) == [b, a]
    numbers = dict(
        zip(
            shown_titles(response.text),
            re.findall(r'<span class="item-number">([^<]*)</span>', response.text),
            strict=True,
        )
    )
    assert (numbers["Phụ lục B"], numbers["Phụ lục A"]) == ("1.1", "1.2")


@pytest.mark.parametrize(
    "wrong",
    [
        lambda i: [i[0], i[1]],  # one missing: someone added or removed an item meanwhile
        lambda i: [i[0], i[1], i[2], 999999],
        lambda i: [i[0], i[0], i[1], i[2]],
        lambda i: [i[2], "x", i[0]],
    ],
)
def test_an_order_that_does_not_match_the_agenda_is_refused_and_nothing_changes(
    secretary: Client, office: Office, db: Session, wrong
) -> None:  # type: ignore[no-untyped-def]
    before = ids(db, office.meeting)
    response = secretary.htmx(
        "POST", f"{office.url}/order", data={"parent_id": "", "item_ids": wrong(before)}
    )
    assert response.status_code == 409
    assert "The agenda changed meanwhile" in response.text
    assert 'data-testid="agenda-problem"' in response.text
    assert shown_titles(response.text) == ["Nội dung 1", "Nội dung 2", "Nội dung 3"]
    assert ids(db, office.meeting) == before
    assert (
        db.exec(select(AuditEntry).where(AuditEntry.action == "agenda.reordered")).first() is None
    )


def test_move_up_and_down_work_as_plain_forms_and_with_htmx(
    secretary: Client, office: Office, db: Session
) -> None:
    first, second, third = ids(db, office.meeting)
    response = secretary.submit(f"{office.url}/{first}/move", {"direction": "down"})
    assert response.status_code == 303
    assert response.headers["location"] == f"{office.url}#item-{first}"
    assert ids(db, office.meeting) == [second, first, third]
    fragment = secretary.htmx("POST", f"{office.url}/{third}/move", data={"direction": "up"})
    assert fragment.status_code == 200
    assert shown_titles(fragment.text) == ["Nội dung 2", "Nội dung 3", "Nội dung 1"]
    assert ids(db, office.meeting) == [second, third, first]
    # At the top, "Move up" changes nothing (and its button is disabled).
    secretary.submit(f"{office.url}/{second}/move", {"direction": "up"})
    assert ids(db, office.meeting) == [second, third, first]
    assert f'data-focus-key="up-{second}" disabled' in fragment.text


def test_an_unknown_direction_is_refused(secretary: Client, office: Office, db: Session) -> None:
    before = ids(db, office.meeting)
    response = secretary.submit(f"{office.url}/{before[0]}/move", {"direction": "sideways"})
    assert response.status_code == 422
    assert ids(db, office.meeting) == before


def test_after_publication_a_new_order_is_an_amendment_and_participants_are_told(
    secretary: Client, office: Office, db: Session
) -> None:
    actions.publish(db, office.meeting, actor=ACTOR)
    first, second, third = ids(db, office.meeting)
    secretary.htmx("POST", f"{office.url}/order", data={"item_ids": [second, first, third]})
    secretary.submit(office.url, {**NEW_ITEM, "consent": ""})
    kinds = [a.kind for a in db.exec(select(Amendment).order_by(Amendment.id))]
    assert kinds == ["items_reordered", "item_added"]
    notices = db.exec(select(Notification).where(Notification.kind == "agenda_amended")).all()
    assert len(notices) == 2 * 3  # two changes, told to chair, member and guest
    db.refresh(office.meeting)
    assert office.meeting.sequence == 2


def test_an_unchanged_order_is_no_amendment(secretary: Client, office: Office, db: Session) -> None:
    actions.publish(db, office.meeting, actor=ACTOR)
    same = ids(db, office.meeting)
    assert secretary.htmx("POST", f"{office.url}/order", data={"item_ids": same}).status_code == 200
    assert db.exec(select(Amendment)).first() is None


# -- finished meetings ------------------------------------------------------------------


def test_a_finished_meeting_is_read_only_and_changes_answer_409(
    secretary: Client, office: Office, db: Session
) -> None:
    meeting = office.meeting
    actions.publish(db, meeting, actor=ACTOR)
    actions.open_session(db, meeting, actor=ACTOR)
    actions.close_session(db, meeting, actor=ACTOR)
    first, second, third = ids(db, meeting)
    page = secretary.get(office.url)
    assert page.status_code == 200
    assert "can no longer be changed" in page.text
    assert 'id="item-form"' not in page.text and "data-sortable" not in page.text
    attempts = [
        (office.url, NEW_ITEM),
        (f"{office.url}/{first}", NEW_ITEM),
        (f"{office.url}/{first}/remove", {}),
        (f"{office.url}/{first}/move", {"direction": "down"}),
        (f"{office.url}/order", {"item_ids": [third, second, first]}),
    ]
    for url, data in attempts:
        response = secretary.submit(url, data)
        assert response.status_code == 409, url
        assert "it can no longer be changed" in response.text
    assert ids(db, meeting) == [first, second, third]
    assert titles(db, meeting) == ["Nội dung 1", "Nội dung 2", "Nội dung 3"]
    assert db.exec(select(Amendment)).first() is None


# -- who may build the agenda -----------------------------------------------------------

BUILDER_URLS = [
    ("GET", ""),
    ("POST", ""),
    ("GET", "/{item}"),
    ("POST", "/{item}"),
    ("POST", "/{item}/remove"),
    ("POST", "/{item}/move"),
    ("POST", "/order"),
]


def _try_all(client: Client, office: Office, item_id: int) -> set[int]:
    statuses = set()
    for method, suffix in BUILDER_URLS:
        url = office.url + suffix.format(item=item_id)
        if method == "GET":
            statuses.add(client.get(url).status_code)
        else:
            statuses.add(
                client.submit(
                    url, {**NEW_ITEM, "direction": "up", "item_ids": [item_id]}
                ).status_code
            )
    return statuses


def test_an_invited_member_may_not_build_the_agenda(
    client: Client, office: Office, db: Session
) -> None:
    actions.publish(db, office.meeting, actor=ACTOR)
    before = titles(db, office.meeting)
    logged_in(client, office.member)
    assert _try_all(client, office, ids(db, office.meeting)[0]) == {403}
    assert titles(db, office.meeting) == before


def test_the_chair_may_not_build_the_agenda_either(
    client: Client, office: Office, db: Session
) -> None:
    logged_in(client, office.chair)
    assert _try_all(client, office, ids(db, office.meeting)[0]) == {403}


def test_people_who_cannot_see_the_meeting_get_404(
    client: Client, other_client: Client, office: Office, factory: Factory, db: Session
) -> None:
    actions.publish(db, office.meeting, actor=ACTOR)
    item_id = ids(db, office.meeting)[0]
    logged_in(client, office.outsider)  # same organisation, not invited
    assert _try_all(client, office, item_id) == {404}
    elsewhere = factory.organisation()
    other_secretary = factory.user(organisation=elsewhere, role="secretary")
    logged_in(other_client, other_secretary)
    assert _try_all(other_client, office, item_id) == {404}
    assert titles(db, office.meeting) == ["Nội dung 1", "Nội dung 2", "Nội dung 3"]


def test_members_do_not_see_a_draft_at_all(client: Client, office: Office, db: Session) -> None:
    logged_in(client, office.member)
    assert _try_all(client, office, ids(db, office.meeting)[0]) == {404}


def test_an_anonymous_visitor_is_sent_to_the_login_page(client: Client, office: Office) -> None:
    response = client.get(office.url)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
