"""The secretariat's documents page (publish, withdraw, read receipts) and the members' lists."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from meetings.agenda.access import Viewer
from meetings.agenda.items import items
from meetings.archive.audit import Actor
from meetings.attendance import actions as attendance
from meetings.documents import actions, queries
from meetings.documents.models import Document, DocumentVersion
from meetings.notifications.models import Notification
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


def add(client: Client, s: Scene, title: str, **params: str) -> int:
    """Upload a one-page PDF as the logged-in secretary; return the document id."""
    response = upload(
        client,
        s.url("/documents/upload"),
        pdf(title),
        f"{title}.pdf",
        params={"title": title, **params},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["document_id"])


def document(db: Session, document_id: int) -> Document:
    db.expire_all()
    found = db.get(Document, document_id)
    assert found is not None
    return found


def notifications(db: Session, kind: str) -> set[int]:
    db.expire_all()
    return set(db.exec(select(Notification.user_id).where(Notification.kind == kind)).all())


def viewer(s: Scene, user_id: int | None) -> Viewer:
    return Viewer(user_id or 0, s.org.id or 0, "member")


def shelf_titles(db: Session, s: Scene, user_id: int | None) -> set[str]:
    db.expire_all()
    shelf = queries.shelf(db, viewer(s, user_id), s.meeting)
    return {line.document.title for lines in shelf.values() for line in lines}


def test_the_list_shows_each_document_with_its_latest_version(
    client: Client, db: Session, s: Scene
) -> None:
    item = items(db, s.meeting.id or 0)[0]
    add(client, s, "Tờ trình", kind="submission", item_id=str(item.id))
    page = client.get(s.url("/documents"))
    assert page.status_code == 200
    for text in ("Tờ trình.pdf", "Submission", "Internal", item.title, "Version 1", "1 page"):
        assert text in page.text
    assert "Draft" in page.text and "Publish the 1 draft" in page.text
    fragment = client.get(s.url("/documents"), headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="document-list"')


def test_publishing_shows_documents_to_members_and_tells_them(
    client: Client, db: Session, s: Scene
) -> None:
    first = add(client, s, "Báo cáo")
    member = s.members[0].id
    assert shelf_titles(db, s, member) == set()
    response = client.submit(s.url(f"/documents/{first}/publish"))
    assert response.status_code == 303
    assert document(db, first).published_at is not None
    assert shelf_titles(db, s, member) == {"Báo cáo"}
    assert member in notifications(db, "documents_published")


def test_publish_all_drafts(client: Client, db: Session, s: Scene) -> None:
    ids = [add(client, s, f"Tài liệu {n}") for n in range(3)]
    response = client.submit(s.url("/documents/publish"))
    assert response.status_code == 303
    assert all(document(db, i).published_at for i in ids)
    assert "3 documents have been published" in client.get(s.url("/documents")).text
    assert (
        db.exec(
            select(func.count())
            .select_from(Notification)
            .where(
                Notification.kind == "documents_published", Notification.user_id == s.members[0].id
            )
        ).one()
        == 1
    )


def test_withdrawing_hides_a_document_but_keeps_it(client: Client, db: Session, s: Scene) -> None:
    first = add(client, s, "Dự thảo")
    client.submit(s.url(f"/documents/{first}/publish"))
    response = client.submit(s.url(f"/documents/{first}/withdraw"))
    assert response.status_code == 303
    withdrawn = document(db, first)
    assert withdrawn.withdrawn_at is not None
    assert db.exec(select(DocumentVersion).where(DocumentVersion.document_id == first)).all()
    assert shelf_titles(db, s, s.members[0].id) == set()
    assert s.members[0].id in notifications(db, "document_withdrawn")
    page = client.get(s.url("/documents"))
    assert "Withdrawn" in page.text and "Dự thảo" in page.text
    assert client.submit(s.url(f"/documents/{first}/withdraw")).status_code == 409


def test_the_secretariat_switches_downloading_the_original_on_and_off(
    client: Client, db: Session, s: Scene
) -> None:
    first = add(client, s, "Báo cáo mật")
    assert document(db, first).original_download is True
    page = client.get(s.url("/documents"))
    assert "Reading in the page only" in page.text
    assert (
        client.submit(s.url(f"/documents/{first}/download"), {"allowed": "no"}).status_code == 303
    )
    assert document(db, first).original_download is False
    assert "Allow downloading the original" in client.get(s.url("/documents")).text
    assert (
        client.submit(s.url(f"/documents/{first}/download"), {"allowed": "yes"}).status_code == 303
    )
    assert document(db, first).original_download is True


def test_read_receipts_say_who_has_opened_the_latest_version(
    client: Client, db: Session, s: Scene
) -> None:
    first = add(client, s, "Báo cáo")
    client.submit(s.url(f"/documents/{first}/publish"))
    version = db.exec(select(DocumentVersion).where(DocumentVersion.document_id == first)).one()
    actions.mark_read(db, version, s.members[0].id or 0, actor=ACTOR)
    lines = queries.secretariat_lines(db, s.meeting)
    assert lines[0].receipts.read == [s.members[0].name]
    assert s.members[1].name in lines[0].receipts.unread
    page = client.get(s.url("/documents")).text
    assert "Opened by 1 of" in page and s.members[1].name in page


def test_a_new_version_resets_who_has_read_it(client: Client, db: Session, s: Scene) -> None:
    first = add(client, s, "Báo cáo")
    client.submit(s.url(f"/documents/{first}/publish"))
    version = db.exec(select(DocumentVersion).where(DocumentVersion.document_id == first)).one()
    actions.mark_read(db, version, s.members[0].id or 0, actor=ACTOR)
    upload(client, s.url(f"/documents/{first}/versions"), pdf("v2"), "v2.pdf")
    assert queries.secretariat_lines(db, s.meeting)[0].receipts.read == []
    assert s.members[0].id in notifications(db, "document_version")


# -- access -----------------------------------------------------------------------------------


def secretariat_urls(s: Scene, document_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", s.url("/documents")),
        ("POST", s.url("/documents/publish")),
        ("POST", s.url(f"/documents/{document_id}/publish")),
        ("POST", s.url(f"/documents/{document_id}/withdraw")),
        ("POST", s.url(f"/documents/{document_id}/download")),
        ("UPLOAD", s.url("/documents/upload")),
        ("UPLOAD", s.url(f"/documents/{document_id}/versions")),
    ]


def statuses(client: Client, urls: list[tuple[str, str]]) -> set[int]:
    answers = set()
    for method, url in urls:
        if method == "GET":
            answers.add(client.get(url).status_code)
        elif method == "POST":
            answers.add(client.submit(url).status_code)
        else:
            answers.add(upload(client, url, pdf(), "x.pdf").status_code)
    return answers


def writes(db: Session) -> tuple[int, int, int]:
    db.expire_all()
    return (
        db.exec(select(func.count()).select_from(Document)).one(),
        db.exec(select(func.count()).select_from(DocumentVersion)).one(),
        db.exec(select(func.count()).select_from(Notification)).one(),
    )


def test_a_member_gets_403_on_every_secretariat_url(
    client: Client, other_client: Client, db: Session, s: Scene
) -> None:
    urls = secretariat_urls(s, add(client, s, "Báo cáo"))
    log_in(other_client, s.members[0])
    before = writes(db)
    assert statuses(other_client, urls) == {403}
    assert writes(db) == before


def test_another_organisation_and_the_uninvited_get_404(
    client: Client, other_client: Client, factory: Factory, db: Session, s: Scene
) -> None:
    urls = secretariat_urls(s, add(client, s, "Báo cáo"))
    log_in(other_client, s.outsider)
    before = writes(db)
    assert statuses(other_client, urls) == {404}
    stranger = factory.user(organisation=factory.organisation(), role="secretary")
    other_client.post("/logout", data={"csrf_token": other_client.csrf()})
    log_in(other_client, stranger)
    assert statuses(other_client, urls) == {404}
    assert writes(db) == before


def test_a_document_of_another_meeting_is_not_found(
    client: Client, factory: Factory, db: Session, s: Scene
) -> None:
    other = factory.meeting(s.body, "Phiên khác", publish=True)
    foreign = add(client, s, "Báo cáo")
    response = client.submit(f"/meetings/{other.id}/documents/{foreign}/publish")
    assert response.status_code == 404
    assert document(db, foreign).published_at is None


# -- the members' lists -------------------------------------------------------------------------


def guest(factory: Factory, db: Session, s: Scene) -> int:
    person = factory.user("Khách Mời", organisation=s.org)
    attendance.add_guest(db, s.meeting, actor=ACTOR, role="guest", user_id=person.id)
    return person.id or 0


def test_a_guest_never_sees_a_confidential_document(
    client: Client, factory: Factory, db: Session, s: Scene
) -> None:
    invited = guest(factory, db, s)
    add(client, s, "Mật", classification="confidential")
    add(client, s, "Công khai", classification="public")
    client.submit(s.url("/documents/publish"))
    assert shelf_titles(db, s, invited) == {"Công khai"}
    assert shelf_titles(db, s, s.members[0].id) == {"Mật", "Công khai"}
    lines = queries.secretariat_lines(db, s.meeting)
    confidential = next(line for line in lines if line.document.title == "Mật")
    assert "Khách Mời" not in confidential.receipts.read + confidential.receipts.unread


def test_drafts_are_not_on_the_members_shelf(client: Client, db: Session, s: Scene) -> None:
    add(client, s, "Nháp")
    assert shelf_titles(db, s, s.members[0].id) == set()
    shelf = queries.shelf(db, Viewer(s.secretary.id or 0, s.org.id or 0, "secretary"), s.meeting)
    assert [line.state for line in shelf[None]] == ["draft"]


def test_the_meeting_page_lists_readable_documents_under_their_item(
    client: Client, other_client: Client, factory: Factory, db: Session, s: Scene
) -> None:
    item = items(db, s.meeting.id or 0)[0]
    add(client, s, "Mật", classification="confidential", item_id=str(item.id))
    add(client, s, "Công khai", classification="public", item_id=str(item.id))
    add(client, s, "Chung của phiên họp")
    client.submit(s.url("/documents/publish"))
    invited = guest(factory, db, s)
    db.expire_all()
    from meetings.accounts.models import User

    log_in(other_client, db.get(User, invited))  # type: ignore[arg-type]
    page = other_client.get(s.url()).text
    assert "Công khai" in page and "Chung của phiên họp" in page
    assert "Mật" not in page
