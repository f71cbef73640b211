"""A document restricted to named participants: the secretariat's control, who reads, who gets
404 (audited), and the refusals that leave everything as it was."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.agenda import actions as agenda
from meetings.archive.audit import Actor
from meetings.archive.models import AuditEntry
from meetings.attendance import actions as attendance
from meetings.documents import queries
from meetings.documents.models import DocumentReader
from tests.attendance.support import Scene, log_in, scene
from tests.client import Client
from tests.documents.support import pdf, upload
from tests.factories import Factory

ACTOR = Actor(None, "test")


@pytest.fixture
def s(factory: Factory, db: Session, client: Client) -> Scene:
    made = scene(factory, db, members=2)
    log_in(client, made.secretary)
    return made


def add(client: Client, s: Scene, title: str, classification: str = "internal") -> int:
    """Upload and publish a one-page PDF as the logged-in secretary; return its id."""
    response = upload(
        client,
        s.url("/documents/upload"),
        pdf(title),
        f"{title}.pdf",
        params={"title": title, "classification": classification},
    )
    assert response.status_code == 201, response.text
    document_id = int(response.json()["document_id"])
    assert client.submit(s.url(f"/documents/{document_id}/publish")).status_code == 303
    return document_id


def restrict(client: Client, s: Scene, document_id: int, *people: User | int) -> object:
    ids = [str(p if isinstance(p, int) else p.id) for p in people]
    data = {"who": "named" if people else "everyone", "readers": ids}
    return client.submit(s.url(f"/documents/{document_id}/readers"), data)


def named(db: Session, document_id: int) -> set[int]:
    db.expire_all()
    query = select(DocumentReader.user_id).where(DocumentReader.document_id == document_id)
    return set(db.exec(query))


def reads(client: Client, document_id: int) -> tuple[int, int]:
    """The reader page's status and the file's status for whoever is logged in."""
    return (
        client.get(f"/documents/{document_id}").status_code,
        client.get(f"/documents/{document_id}/file").status_code,
    )


def api_titles(client: Client, s: Scene) -> set[str]:
    response = client.get(f"/api/v1/meetings/{s.meeting.id}/documents")
    assert response.status_code == 200, response.text
    return {document["title"] for document in response.json()}


def as_user(client: Client, user: User) -> Client:
    client.post("/logout", data={"csrf_token": client.csrf()})
    client.cookies.clear()
    client.token = ""
    log_in(client, user)
    return client


# -- reading -----------------------------------------------------------------------------------


def test_only_the_named_member_the_chair_and_the_secretariat_read_it(
    client: Client, other_client: Client, db: Session, s: Scene
) -> None:
    secret = add(client, s, "Báo cáo riêng")
    open_one = add(client, s, "Báo cáo chung")
    response = restrict(client, s, secret, s.members[0])
    assert response.status_code == 303
    assert named(db, secret) == {s.members[0].id}
    assert reads(client, secret) == (200, 200)  # the secretariat
    assert reads(as_user(other_client, s.members[0]), secret) == (200, 200)
    assert reads(as_user(other_client, s.chair), secret) == (200, 200)
    left_out = as_user(other_client, s.members[1])
    assert reads(left_out, secret) == (404, 404)
    assert reads(left_out, open_one) == (200, 200)
    assert "Báo cáo riêng" not in left_out.get(s.url()).text
    assert "Báo cáo chung" in left_out.get(s.url()).text
    assert api_titles(left_out, s) == {"Báo cáo chung"}
    assert left_out.get(f"/api/v1/documents/{secret}").status_code == 404


def test_a_denial_writes_an_audit_record(
    client: Client, other_client: Client, db: Session, s: Scene
) -> None:
    secret = add(client, s, "Báo cáo riêng")
    restrict(client, s, secret, s.members[0])
    reads(as_user(other_client, s.members[1]), secret)
    db.expire_all()
    denials = db.exec(select(AuditEntry).where(AuditEntry.action == "document.denied")).all()
    assert {(d.actor_id, d.object_id) for d in denials} == {(s.members[1].id, str(secret))}
    assert all('"reason": "document"' in d.data for d in denials)


def test_clearing_the_restriction_gives_everyone_invited_access_again(
    client: Client, other_client: Client, db: Session, s: Scene
) -> None:
    secret = add(client, s, "Báo cáo riêng")
    restrict(client, s, secret, s.members[0])
    assert restrict(client, s, secret).status_code == 303
    assert named(db, secret) == set()
    assert reads(as_user(other_client, s.members[1]), secret) == (200, 200)
    assert "Everyone invited may read" in client.get(s.url("/documents")).text


def test_the_line_says_how_many_may_read_and_receipts_count_only_them(
    client: Client, db: Session, s: Scene
) -> None:
    secret = add(client, s, "Báo cáo riêng")
    response = client.htmx(
        "POST",
        s.url(f"/documents/{secret}/readers"),
        data={"who": "named", "readers": [str(s.members[0].id)]},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<li")
    assert "Restricted: 1 person" in response.text
    assert "Opened by 0 of 1 participants" in response.text
    line = next(x for x in queries.secretariat_lines(db, s.meeting) if x.document.id == secret)
    assert line.receipts.unread == [s.members[0].name]
    checked = f'value="{s.members[0].id}" checked'
    assert checked in client.get(s.url("/documents")).text


def test_a_substitute_is_offered_as_themselves_and_can_be_named(
    client: Client, other_client: Client, db: Session, s: Scene
) -> None:
    row = s.row(s.members[1])
    attendance.answer(
        db,
        s.meeting,
        row,
        actor=ACTOR,
        reply="substitute",
        reason="Đi công tác",
        substitute_id=s.outsider.id,
    )
    secret = add(client, s, "Báo cáo riêng")
    page = client.get(s.url("/documents")).text
    assert f"substitute for {s.members[1].name}" in page
    assert restrict(client, s, secret, s.outsider).status_code == 303
    assert reads(as_user(other_client, s.outsider), secret) == (200, 200)
    assert reads(as_user(other_client, s.members[1]), secret) == (404, 404)


# -- refusals ----------------------------------------------------------------------------------


def guest(factory: Factory, db: Session, s: Scene) -> User:
    person = factory.user("Khách Mời", organisation=s.org)
    attendance.add_guest(db, s.meeting, actor=ACTOR, role="guest", user_id=person.id)
    return person


def test_naming_someone_not_invited_is_refused_and_nothing_is_stored(
    client: Client, db: Session, s: Scene
) -> None:
    secret = add(client, s, "Báo cáo riêng")
    restrict(client, s, secret, s.members[0])
    response = restrict(client, s, secret, s.members[1], s.outsider)
    assert response.status_code == 422
    assert f'id="readers-{secret}-error">Choose people invited to this meeting.' in response.text
    assert named(db, secret) == {s.members[0].id}


@pytest.mark.parametrize(
    ("readers", "message"),
    [
        ([], "Tick at least one person, or let everyone invited read it."),
        (["abc"], "Choose people invited to this meeting."),
    ],
)
def test_only_these_people_needs_people_from_the_list(
    client: Client, db: Session, s: Scene, readers: list[str], message: str
) -> None:
    secret = add(client, s, "Báo cáo riêng")
    data = {"who": "named", "readers": readers}
    response = client.submit(s.url(f"/documents/{secret}/readers"), data)
    assert response.status_code == 422 and message in response.text
    assert named(db, secret) == set()


def test_a_guest_is_never_named_for_a_confidential_document(
    client: Client, factory: Factory, db: Session, s: Scene
) -> None:
    invited = guest(factory, db, s)
    secret = add(client, s, "Mật", classification="confidential")
    ordinary = add(client, s, "Thường")
    checkbox = f'id="reader-{secret}-{invited.id}" type="checkbox" name="readers"'
    page = client.get(s.url("/documents")).text
    assert f'{checkbox} value="{invited.id}" disabled' in page
    assert "guest: never shown a confidential document" in page
    response = restrict(client, s, secret, s.members[0], invited)
    assert response.status_code == 422
    assert "A confidential document is never shown to guests" in response.text
    assert named(db, secret) == set()
    assert restrict(client, s, ordinary, invited).status_code == 303
    assert named(db, ordinary) == {invited.id}


def test_a_member_gets_403_and_another_organisation_404(
    client: Client, other_client: Client, factory: Factory, db: Session, s: Scene
) -> None:
    secret = add(client, s, "Báo cáo riêng")
    url = s.url(f"/documents/{secret}/readers")
    data = {"who": "named", "readers": [str(s.members[0].id)]}
    assert as_user(other_client, s.members[0]).submit(url, data).status_code == 403
    stranger = factory.user(organisation=factory.organisation(), role="secretary")
    assert as_user(other_client, stranger).submit(url, data).status_code == 404
    assert named(db, secret) == set()


def test_the_restriction_is_not_changed_once_the_meeting_is_over(
    client: Client, db: Session, s: Scene
) -> None:
    secret = add(client, s, "Báo cáo riêng")
    s.open()
    agenda.close_session(db, s.meeting, actor=ACTOR)
    assert restrict(client, s, secret, s.members[0]).status_code == 409
    assert named(db, secret) == set()
