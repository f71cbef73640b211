"""Private notes and highlights: made, changed and deleted by their owner, seen by no one else."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import docx
import pytest
from sqlmodel import Session, select

from meetings.accounts.actions import create_api_token
from meetings.accounts.models import User
from meetings.archive.audit import Actor
from meetings.archive.models import AuditEntry
from meetings.config import Config
from meetings.documents import actions
from meetings.documents.models import Document, Note
from meetings.documents.validation import inspect
from meetings.storage.blobs import LocalBlobStore
from tests.api.support import assert_error, count
from tests.client import Client
from tests.documents.test_downloads import ACTOR, Scene, as_, make_scene, store_file
from tests.factories import Factory

API = "/api/v1"
NOTE_TEXT = "Đề nghị làm rõ nguồn vốn đầu tư công trung hạn giai đoạn 2026–2030"
QUOTE = "Điều 5. Nguyên tắc quản lý đầu tư công"
Bearer = Callable[[User], dict[str, str]]


@pytest.fixture
def scene(factory: Factory, db: Session, config: Config) -> Scene:
    return make_scene(factory, db, LocalBlobStore(config.storage_dir))


@pytest.fixture
def bearer(db: Session) -> Bearer:
    def make(user: User) -> dict[str, str]:
        token = create_api_token(db, user=user, name="ghi chú", actor=Actor(user.id, "test"))
        return {"Authorization": f"Bearer {token}"}

    return make


def add_note(client: Client, document: Document, **fields: object) -> object:
    data = {"version": "1", "page": "2", "text": NOTE_TEXT, **fields}
    return client.htmx("POST", f"/documents/{document.id}/notes", data=data)


def add_highlight(client: Client, document: Document, **fields: object) -> object:
    data = {
        "version": "1",
        "page": "1",
        "rects": "[[0.1, 0.08, 0.6, 0.04]]",
        "colour": "green",
        "quote": QUOTE,
        **fields,
    }
    return client.htmx("POST", f"/documents/{document.id}/highlights", data=data)


def notes_of(db: Session, user: User) -> list[Note]:
    db.expire_all()
    return list(db.exec(select(Note).where(Note.user_id == user.id)).all())


def new_version(scene: Scene, document: Document) -> None:
    received = store_file(scene.store, scene.pdf + b"\n% v2\n")
    actions.add_version(
        scene.db,
        scene.meeting,
        document,
        actor=ACTOR,
        store=scene.store,
        received=received,
        inspected=inspect(received.path, "Tờ trình số 12 (sửa).pdf"),
    )


# -- making, changing, deleting ------------------------------------------------------


def test_a_member_writes_a_note_on_a_page_and_the_panel_shows_it(
    client: Client, scene: Scene, db: Session
) -> None:
    document = scene.document(title="Dự thảo Luật Đầu tư công (sửa đổi)")
    member = scene.people["member"]
    response = add_note(as_(client, member), document)
    assert response.status_code == 200, response.text
    assert NOTE_TEXT in response.text
    assert 'id="reader-notes"' in response.text
    (note,) = notes_of(db, member)
    assert (note.kind, note.page, note.text, note.colour) == ("note", 2, NOTE_TEXT, "yellow")
    assert note.document_id == document.id
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "note.added")).one()
    assert entry.object_id == str(note.id) and entry.actor_id == member.id
    assert "nguồn vốn" not in entry.data, "the audit log keeps ids, never the note's text"


def test_a_highlight_keeps_its_areas_and_the_text_under_them(
    client: Client, scene: Scene, db: Session
) -> None:
    document = scene.document()
    member = scene.people["member"]
    response = add_highlight(as_(client, member), document)
    assert response.status_code == 200, response.text
    (note,) = notes_of(db, member)
    assert (note.kind, note.page, note.colour, note.quote) == ("highlight", 1, "green", QUOTE)
    assert json.loads(note.rects) == [[0.1, 0.08, 0.6, 0.04]]
    assert "data-rects=" in response.text and QUOTE in response.text


def test_the_owner_edits_then_deletes_a_note_and_the_log_keeps_only_ids(
    client: Client, scene: Scene, db: Session
) -> None:
    document = scene.document()
    member = scene.people["member"]
    add_note(as_(client, member), document)
    (note,) = notes_of(db, member)
    changed = client.htmx(
        "POST",
        f"/notes/{note.id}",
        data={"version": "1", "page": "2", "text": "Cần bổ sung số liệu", "colour": "pink"},
    )
    assert changed.status_code == 200, changed.text
    (note,) = notes_of(db, member)
    assert (note.text, note.colour) == ("Cần bổ sung số liệu", "pink")
    deleted = client.htmx("POST", f"/notes/{note.id}/delete", data={"version": "1", "page": "2"})
    assert deleted.status_code == 200, deleted.text
    assert notes_of(db, member) == []
    assert "Cần bổ sung" not in deleted.text
    entries = db.exec(select(AuditEntry).where(AuditEntry.object_type == "note")).all()
    assert [e.action for e in entries] == ["note.added", "note.edited", "note.deleted"]
    assert all("Cần" not in e.data and "nguồn" not in e.data for e in entries)


def test_without_htmx_a_note_goes_back_to_the_reader_at_its_page(
    client: Client, scene: Scene
) -> None:
    document = scene.document()
    response = as_(client, scene.people["member"]).submit(
        f"/documents/{document.id}/notes", {"version": "1", "page": "3", "text": NOTE_TEXT}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/documents/{document.id}?version=1#page=3"


# -- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"page": "0"}, "Choose a page between 1 and 3."),
        ({"page": "4"}, "Choose a page between 1 and 3."),
        ({"text": "   "}, "Write the note first."),
        ({"text": "ý" * 4001}, "A note can be at most 4000 characters long."),
        ({"colour": "red"}, "Choose one of the colours offered."),
    ],
)
def test_a_bad_note_is_refused_with_a_message_and_nothing_kept(
    client: Client, scene: Scene, db: Session, fields: dict[str, str], message: str
) -> None:
    document = scene.document()
    response = add_note(as_(client, scene.people["member"]), document, **fields)
    assert response.status_code == 422
    assert message in response.text
    assert count(db, Note) == 0


@pytest.mark.parametrize(
    "rects",
    [
        "not json",
        "[]",
        "[[0.1, 0.1, 0.2]]",
        "[[0.9, 0.1, 0.5, 0.1]]",
        "[[-0.1, 0.1, 0.2, 0.1]]",
        "[[0.1, 0.1, 0, 0.1]]",
        '[["a", 0.1, 0.2, 0.1]]',
        "[[0.1, 0.1, true, 0.1]]",
        json.dumps([[0.01, 0.01, 0.01, 0.01]] * 51),
    ],
)
def test_a_badly_drawn_highlight_is_refused(
    client: Client, scene: Scene, db: Session, rects: str
) -> None:
    document = scene.document()
    response = add_highlight(as_(client, scene.people["member"]), document, rects=rects)
    assert response.status_code == 422
    assert "The highlighted area is not valid. Draw it again." in response.text
    assert count(db, Note) == 0


def test_a_highlight_with_too_long_a_quote_is_refused(
    client: Client, scene: Scene, db: Session
) -> None:
    document = scene.document()
    response = add_highlight(as_(client, scene.people["member"]), document, quote="x" * 1001)
    assert response.status_code == 422
    assert "highlight less at once" in response.text
    assert count(db, Note) == 0


def test_a_version_the_document_does_not_have_is_404(
    client: Client, scene: Scene, db: Session
) -> None:
    document = scene.document()
    assert add_note(as_(client, scene.people["member"]), document, version="7").status_code == 404
    assert count(db, Note) == 0


# -- privacy -------------------------------------------------------------------------

OTHERS = ("chair", "secretary", "guest", "outsider", "stranger")


@pytest.mark.parametrize("who", OTHERS)
def test_no_one_else_sees_changes_or_deletes_my_note(
    client: Client, other_client: Client, scene: Scene, db: Session, who: str
) -> None:
    document = scene.document()
    member = scene.people["member"]
    add_note(as_(client, member), document)
    add_highlight(client, document)
    mine = notes_of(db, member)
    other = as_(other_client, scene.people[who])
    panel = other.htmx("GET", f"/documents/{document.id}/notes?version=1")
    assert panel.status_code in (200, 404)
    assert NOTE_TEXT not in panel.text and QUOTE not in panel.text
    for note in mine:
        edit = other.htmx("POST", f"/notes/{note.id}", data={"text": "Sửa trộm", "page": "1"})
        assert edit.status_code == 404
        assert other.htmx("POST", f"/notes/{note.id}/delete", data={}).status_code == 404
    assert NOTE_TEXT not in other.get("/notes").text
    export = other.get("/notes/export.docx")
    assert export.status_code == 200
    assert NOTE_TEXT not in docx_text(export.content)
    assert [(n.id, n.text) for n in notes_of(db, member)] == [(n.id, n.text) for n in mine]


@pytest.mark.parametrize("who", OTHERS)
def test_no_one_else_reaches_my_notes_through_the_api(
    client: Client, scene: Scene, db: Session, bearer: Bearer, who: str
) -> None:
    document = scene.document()
    member = scene.people["member"]
    made = client.post(
        f"{API}/documents/{document.id}/notes",
        json={"page": 2, "text": NOTE_TEXT},
        headers=bearer(member),
    )
    assert made.status_code == 201, made.text
    note_id = made.json()["id"]
    headers = bearer(scene.people[who])
    listed = client.get(f"{API}/notes", headers=headers)
    assert listed.status_code == 200 and listed.json() == []
    on_document = client.get(f"{API}/documents/{document.id}/notes", headers=headers)
    assert on_document.status_code in (200, 404)
    assert NOTE_TEXT not in on_document.text
    patch = client.patch(f"{API}/notes/{note_id}", json={"text": "Sửa trộm"}, headers=headers)
    assert_error(patch, 404, "not_found")
    assert_error(client.delete(f"{API}/notes/{note_id}", headers=headers), 404, "not_found")
    assert [n.text for n in notes_of(db, member)] == [NOTE_TEXT]


@pytest.mark.parametrize(
    ("who", "values"),
    [
        ("outsider", {}),
        ("stranger", {}),
        ("guest", {"classification": "confidential"}),
        ("member", {"publish": False}),
    ],
)
def test_a_person_who_may_not_read_the_document_cannot_note_on_it(
    client: Client, scene: Scene, db: Session, bearer: Bearer, who: str, values: dict[str, object]
) -> None:
    document = scene.document(**values)  # type: ignore[arg-type]
    person = scene.people[who]
    assert add_note(as_(client, person), document).status_code == 404
    assert add_highlight(client, document).status_code == 404
    api = client.post(
        f"{API}/documents/{document.id}/notes",
        json={"page": 1, "text": NOTE_TEXT},
        headers=bearer(person),
    )
    assert_error(api, 404, "not_found")
    assert count(db, Note) == 0


def test_notes_on_a_withdrawn_document_are_kept_but_no_longer_shown(
    client: Client, scene: Scene, db: Session
) -> None:
    document = scene.document()
    member = scene.people["member"]
    add_note(as_(client, member), document)
    actions.withdraw(db, scene.meeting, document, actor=ACTOR)
    assert NOTE_TEXT not in client.get("/notes").text
    (note,) = notes_of(db, member)
    assert client.htmx("POST", f"/notes/{note.id}/delete", data={}).status_code == 404


# -- versions, "my notes", the export --------------------------------------------------


def test_notes_stay_on_the_version_they_were_made_on(
    client: Client, scene: Scene, db: Session
) -> None:
    document = scene.document()
    member = scene.people["member"]
    add_note(as_(client, member), document)
    add_highlight(client, document)
    new_version(scene, document)
    panel = client.htmx("GET", f"/documents/{document.id}/notes?version=2")
    assert panel.status_code == 200
    assert NOTE_TEXT in panel.text
    assert panel.text.count("made on version 1") == 2
    assert f'href="/documents/{document.id}?version=1#page=2"' in panel.text
    on_latest = add_note(client, document, version="2", page="1", text="Bản mới đã sửa Điều 5")
    assert on_latest.status_code == 200
    assert on_latest.text.count("made on version 1") == 2
    assert len(notes_of(db, member)) == 3


def test_my_notes_lists_them_by_meeting_and_document_with_links_into_the_reader(
    client: Client, scene: Scene
) -> None:
    first = scene.document(title="Báo cáo tình hình kinh tế - xã hội")
    second = scene.document(title="Tờ trình dự án Luật Thủ đô")
    as_(client, scene.people["member"])
    add_note(client, first)
    add_highlight(client, second, page="3")
    home = client.get("/")
    assert 'href="/notes"' in home.text
    page = client.get("/notes")
    assert page.status_code == 200
    text = page.text
    assert scene.meeting.title in text
    assert text.index("Báo cáo tình hình") < text.index(NOTE_TEXT) < text.index("Tờ trình dự án")
    assert f'href="/documents/{first.id}?version=1#page=2"' in text
    assert f'href="/documents/{second.id}?version=1#page=3"' in text
    assert QUOTE in text
    assert 'href="/notes/export.docx"' in text


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_the_export_is_a_word_file_of_my_notes_with_vietnamese_intact(
    client: Client, other_client: Client, scene: Scene
) -> None:
    document = scene.document(title="Dự thảo Nghị định về quản lý nợ công")
    add_note(as_(client, scene.people["member"]), document)
    add_highlight(client, document)
    add_note(as_(other_client, scene.people["chair"]), document, text="Ý kiến riêng của Chủ tọa")
    response = client.get("/notes/export.docx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response.headers["content-disposition"].startswith("attachment")
    text = docx_text(response.content)
    for expected in (scene.meeting.title, document.title, "Version 1", "Page 2", NOTE_TEXT, QUOTE):
        assert expected in text
    assert text.index("Page 1") < text.index("Page 2"), "by page within a version"
    assert "Ý kiến riêng" not in text


# -- the API -------------------------------------------------------------------------


def test_the_owner_manages_notes_through_the_api_with_a_token(
    client: Client, scene: Scene, db: Session, bearer: Bearer
) -> None:
    document = scene.document()
    headers = bearer(scene.people["member"])
    url = f"{API}/documents/{document.id}/notes"
    note = client.post(url, json={"page": 2, "text": NOTE_TEXT}, headers=headers)
    assert note.status_code == 201, note.text
    assert note.json()["version"] == 1 and note.json()["kind"] == "note"
    highlight = client.post(
        url,
        json={
            "kind": "highlight",
            "version": 1,
            "page": 1,
            "rects": [[0.1, 0.2, 0.3, 0.05]],
            "quote": QUOTE,
            "colour": "blue",
        },
        headers=headers,
    )
    assert highlight.status_code == 201, highlight.text
    assert highlight.json()["rects"] == [[0.1, 0.2, 0.3, 0.05]]
    listed = client.get(url, headers=headers).json()
    assert [(n["kind"], n["page"]) for n in listed] == [("highlight", 1), ("note", 2)]
    assert [n["id"] for n in client.get(f"{API}/notes", headers=headers).json()] == [
        n["id"] for n in listed
    ]
    note_id = note.json()["id"]
    changed = client.patch(
        f"{API}/notes/{note_id}", json={"text": "Đã trao đổi với Bộ Tài chính"}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["text"] == "Đã trao đổi với Bộ Tài chính"
    assert changed.json()["colour"] == "yellow"
    assert client.delete(f"{API}/notes/{note_id}", headers=headers).status_code == 204
    assert [n.kind for n in notes_of(db, scene.people["member"])] == ["highlight"]


def test_the_api_refuses_bad_notes_with_a_message(
    client: Client, scene: Scene, db: Session, bearer: Bearer
) -> None:
    document = scene.document()
    headers = {**bearer(scene.people["member"]), "Accept-Language": "en"}
    url = f"{API}/documents/{document.id}/notes"
    cases = [
        ({"page": 9, "text": NOTE_TEXT}, "Choose a page between 1 and 3."),
        ({"page": 1, "text": ""}, "Write the note first."),
        ({"page": 1, "kind": "highlight", "rects": [[0.5, 0.5, 0.9, 0.1]]}, "not valid"),
        ({"page": 1, "text": NOTE_TEXT, "colour": "red"}, "colour"),
        ({"page": 1, "text": NOTE_TEXT, "secret": True}, "secret"),
    ]
    for body, message in cases:
        response = client.post(url, json=body, headers=headers)
        assert message in assert_error(response, 422, "invalid"), body
    assert_error(
        client.post(url, json={"page": 1, "text": "x", "version": 5}, headers=headers),
        404,
        "not_found",
    )
    assert count(db, Note) == 0


def test_the_notes_operations_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert set(paths[f"{API}/notes"]) == {"get"}
    assert set(paths[f"{API}/notes/{{note_id}}"]) == {"patch", "delete"}
    assert set(paths[f"{API}/documents/{{document_id}}/notes"]) == {"get", "post"}
