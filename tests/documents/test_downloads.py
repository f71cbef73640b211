"""A document's file: HTTP Range for the reader, read receipts on opening, and who is refused."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.agenda.models import Meeting
from meetings.archive.audit import Actor
from meetings.archive.models import AuditEntry
from meetings.attendance import actions as attendance
from meetings.config import Config
from meetings.documents import actions
from meetings.documents.models import Document, ReadReceipt
from meetings.documents.validation import inspect
from meetings.storage.blobs import LocalBlobStore, Received
from tests.client import Client
from tests.documents.support import docx, pdf
from tests.factories import Factory

ACTOR = Actor(None, "test")


def pdf_bytes(pages: int = 3) -> bytes:
    return pdf("Trang", pages=pages)


def store_file(store: LocalBlobStore, content: bytes) -> Received:
    """A file as an upload leaves it: in the store's temporary folder, hashed and measured."""
    path = store.temp_dir() / f"upload-{uuid.uuid4().hex}"
    path.write_bytes(content)
    return Received(path, hashlib.sha256(content).hexdigest(), len(content))


def upload(
    db: Session,
    store: LocalBlobStore,
    meeting: Meeting,
    content: bytes,
    filename: str,
    **values: Any,
) -> Document:
    received = store_file(store, content)
    inspected = inspect(received.path, filename)
    return actions.upload(
        db, meeting, actor=ACTOR, store=store, received=received, inspected=inspected, **values
    )


@dataclass
class Scene:
    """A published meeting with its secretary, a member, a guest, an outsider and a stranger."""

    db: Session
    store: LocalBlobStore
    meeting: Meeting
    people: dict[str, User]
    pdf: bytes = field(default_factory=pdf_bytes)

    def document(self, publish: bool = True, **values: Any) -> Document:
        document = upload(
            self.db, self.store, self.meeting, self.pdf, "Tờ trình số 12.pdf", **values
        )
        if publish:
            actions.publish(self.db, self.meeting, [document], actor=ACTOR)
        return document

    def receipts(self) -> list[tuple[int, int]]:
        self.db.expire_all()
        rows = self.db.exec(select(ReadReceipt)).all()
        return [(row.version_id, row.user_id) for row in rows]


@pytest.fixture
def store(config: Config) -> LocalBlobStore:
    return LocalBlobStore(Path(config.storage_dir))


def make_scene(factory: Factory, db: Session, store: LocalBlobStore) -> Scene:
    org = factory.organisation()
    body = factory.body(org)
    people = {"secretary": factory.user(organisation=org, role="secretary")}
    for name in ("chair", "member", "guest", "outsider"):
        people[name] = factory.user(organisation=org)
    factory.seat(body, people["chair"], role="chair")
    factory.seat(body, people["member"])
    people["stranger"] = factory.user(organisation=factory.organisation())
    meeting = factory.meeting(body, publish=True, items=1)
    attendance.add_guest(db, meeting, actor=ACTOR, role="guest", user_id=people["guest"].id)
    return Scene(db, store, meeting, people)


@pytest.fixture
def scene(factory: Factory, db: Session, store: LocalBlobStore) -> Scene:
    return make_scene(factory, db, store)


def as_(client: Client, user: User) -> Client:
    client.cookies.set("ecab_lang", "en")
    client.log_in(user)
    return client


def url(document: Document, tail: str = "/file") -> str:
    return f"/documents/{document.id}{tail}"


# -- ranges --------------------------------------------------------------------------


def test_the_whole_file_with_its_etag_and_range_support(client: Client, scene: Scene) -> None:
    document = scene.document()
    response = as_(client, scene.people["member"]).get(url(document))
    assert response.status_code == 200
    assert response.content == scene.pdf
    sha = hashlib.sha256(scene.pdf).hexdigest()
    assert response.headers["etag"] == f'"{sha}"'
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.headers["last-modified"].endswith("GMT")
    assert "private" in response.headers["cache-control"]


def test_the_first_bytes(client: Client, scene: Scene) -> None:
    document = scene.document()
    response = as_(client, scene.people["member"]).get(
        url(document), headers={"Range": "bytes=0-99"}
    )
    assert response.status_code == 206
    assert response.headers["content-range"] == f"bytes 0-99/{len(scene.pdf)}"
    assert response.content == scene.pdf[:100]


def test_a_range_in_the_middle_and_a_suffix(client: Client, scene: Scene) -> None:
    document = scene.document()
    as_(client, scene.people["member"])
    middle = client.get(url(document, "/versions/1/file"), headers={"Range": "bytes=200-299"})
    assert middle.status_code == 206
    assert middle.headers["content-range"] == f"bytes 200-299/{len(scene.pdf)}"
    assert middle.content == scene.pdf[200:300]
    suffix = client.get(url(document), headers={"Range": "bytes=-100"})
    assert suffix.status_code == 206
    assert suffix.content == scene.pdf[-100:]


def test_a_range_past_the_end_is_not_satisfiable(client: Client, scene: Scene) -> None:
    document = scene.document()
    size = len(scene.pdf)
    response = as_(client, scene.people["member"]).get(
        url(document), headers={"Range": f"bytes={size + 10}-"}
    )
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{size}"


def test_if_range_with_another_etag_sends_the_whole_file(client: Client, scene: Scene) -> None:
    document = scene.document()
    as_(client, scene.people["member"])
    headers = {"Range": "bytes=100-199", "If-Range": '"not-this-version"'}
    response = client.get(url(document), headers=headers)
    assert response.status_code == 200
    assert response.content == scene.pdf
    same = client.get(url(document), headers={**headers, "If-Range": response.headers["etag"]})
    assert same.status_code == 206
    assert same.content == scene.pdf[100:200]


# -- read receipts -------------------------------------------------------------------


def test_opening_writes_one_receipt_and_later_ranges_none(client: Client, scene: Scene) -> None:
    document = scene.document()
    member = scene.people["member"]
    as_(client, member)
    assert client.get(url(document), headers={"Range": "bytes=500-599"}).status_code == 206
    assert scene.receipts() == []
    assert client.get(url(document), headers={"Range": "bytes=0-1023"}).status_code == 206
    version = actions.versions(scene.db, document.id or 0)[0]
    assert scene.receipts() == [(version.id, member.id)]
    client.get(url(document))
    client.get(url(document, "/versions/1/file"))
    assert scene.receipts() == [(version.id, member.id)]


def test_each_version_has_its_own_receipt(client: Client, scene: Scene) -> None:
    document = scene.document()
    meeting = scene.meeting
    received = store_file(scene.store, pdf_bytes(4))
    actions.add_version(
        scene.db,
        meeting,
        document,
        actor=ACTOR,
        store=scene.store,
        received=received,
        inspected=inspect(received.path, "Tờ trình số 12 (sửa).pdf"),
    )
    as_(client, scene.people["member"])
    assert client.get(url(document)).content == pdf_bytes(4)
    assert client.get(url(document, "/versions/1/file")).content == scene.pdf
    assert len(scene.receipts()) == 2


# -- who is refused ------------------------------------------------------------------


def denials(db: Session, document: Document) -> int:
    db.expire_all()
    rows = db.exec(select(AuditEntry).where(AuditEntry.action == "document.denied")).all()
    return sum(1 for row in rows if row.object_id == str(document.id))


@pytest.mark.parametrize("who", ["stranger", "outsider"])
def test_people_outside_the_meeting_get_404(client: Client, scene: Scene, who: str) -> None:
    document = scene.document()
    as_(client, scene.people[who])
    assert client.get(url(document)).status_code == 404
    assert client.get(url(document, "")).status_code == 404
    assert denials(scene.db, document) == 2
    assert scene.receipts() == []


def test_a_guest_reads_internal_documents_but_not_confidential_ones(
    client: Client, scene: Scene
) -> None:
    internal = scene.document()
    confidential = scene.document(classification="confidential")
    as_(client, scene.people["guest"])
    assert client.get(url(internal)).status_code == 200
    assert client.get(url(confidential)).status_code == 404
    assert client.get(url(confidential, "")).status_code == 404
    assert denials(scene.db, confidential) == 2
    as_(client, scene.people["member"])
    assert client.get(url(confidential)).status_code == 200


def test_drafts_only_to_the_secretariat(client: Client, other_client: Client, scene: Scene) -> None:
    draft = scene.document(publish=False)
    assert as_(client, scene.people["member"]).get(url(draft)).status_code == 404
    assert client.get(url(draft, "/versions/1/file")).status_code == 404
    secretariat = as_(other_client, scene.people["secretary"])
    assert secretariat.get(url(draft)).status_code == 200
    assert secretariat.get(url(draft, "/versions/1/file")).content == scene.pdf


def test_a_withdrawn_document_is_gone_for_members(client: Client, scene: Scene) -> None:
    document = scene.document()
    actions.withdraw(scene.db, scene.meeting, document, actor=ACTOR)
    assert as_(client, scene.people["member"]).get(url(document)).status_code == 404
    assert client.get(url(document, "")).status_code == 404


def test_unknown_documents_and_versions_are_404(client: Client, scene: Scene) -> None:
    document = scene.document()
    as_(client, scene.people["member"])
    assert client.get(url(document, "/versions/2/file")).status_code == 404
    assert client.get("/documents/999999/file").status_code == 404


def test_no_original_download_refuses_download_but_allows_reading(
    client: Client, other_client: Client, scene: Scene
) -> None:
    document = scene.document()
    document.original_download = False
    scene.db.add(document)
    scene.db.commit()
    as_(client, scene.people["member"])
    assert client.get(url(document) + "?download=1").status_code == 403
    reading = client.get(url(document))
    assert reading.status_code == 200
    assert reading.headers["content-disposition"].startswith("inline")
    secretariat = as_(other_client, scene.people["secretary"])
    assert secretariat.get(url(document) + "?download=1").status_code == 200


def test_a_download_is_an_attachment(client: Client, scene: Scene) -> None:
    document = scene.document()
    response = as_(client, scene.people["member"]).get(url(document) + "?download=1")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.content == scene.pdf


def test_without_login_the_file_leads_to_the_login_page(client: Client, scene: Scene) -> None:
    document = scene.document()
    response = client.get(url(document))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


# -- the reader page -----------------------------------------------------------------


def test_the_reader_page_of_a_pdf(client: Client, scene: Scene) -> None:
    document = scene.document(title="Dự thảo Nghị định về đầu tư công")
    page = as_(client, scene.people["member"]).get(url(document, ""))
    assert page.status_code == 200
    html = page.text
    assert "Dự thảo Nghị định về đầu tư công" in html
    assert f'href="/meetings/{scene.meeting.id}"' in html
    assert f'data-file="/documents/{document.id}/versions/1/file"' in html
    assert "vendor/pdfjs/pdf.min.mjs" in html and "vendor/pdfjs/pdf.worker.min.mjs" in html
    assert 'type="module"' in html and "<script>" not in html and "style=" not in html
    assert f'href="/documents/{document.id}/versions/1/file?download=1"' in html
    assert "Version 1" in html
    assert scene.receipts() == [], "the page alone is not a reading"


def test_the_reader_page_offers_each_version(client: Client, scene: Scene) -> None:
    document = scene.document()
    received = store_file(scene.store, pdf_bytes(5))
    actions.add_version(
        scene.db,
        scene.meeting,
        document,
        actor=ACTOR,
        store=scene.store,
        received=received,
        inspected=inspect(received.path, "Tờ trình số 12 (sửa).pdf"),
    )
    as_(client, scene.people["member"])
    latest = client.get(url(document, "")).text
    assert f'data-file="/documents/{document.id}/versions/2/file"' in latest
    assert "Version 1" in latest and "Version 2" in latest
    first = client.get(url(document, "?version=1")).text
    assert f'data-file="/documents/{document.id}/versions/1/file"' in first
    assert client.get(url(document, "?version=7")).status_code == 404


def test_a_file_that_is_not_a_pdf_shows_its_facts(client: Client, scene: Scene) -> None:
    document = upload(scene.db, scene.store, scene.meeting, docx(), "Tờ trình.docx")
    actions.publish(scene.db, scene.meeting, [document], actor=ACTOR)
    page = as_(client, scene.people["member"]).get(url(document, ""))
    assert page.status_code == 200
    assert 'data-testid="no-rendition"' in page.text
    assert "reader.js" not in page.text
    assert f"/documents/{document.id}/versions/1/file?download=1" in page.text
    saved = client.get(url(document) + "?download=1")
    assert saved.headers["content-disposition"].startswith("attachment")


def test_no_download_button_when_the_original_is_for_reading_only(
    client: Client, scene: Scene
) -> None:
    document = scene.document(publish=False)
    document.original_download = False
    scene.db.add(document)
    scene.db.commit()
    actions.publish(scene.db, scene.meeting, [document], actor=ACTOR)
    page = as_(client, scene.people["member"]).get(url(document, ""))
    assert 'data-testid="download-original"' not in page.text
    assert "for reading here only" in page.text


def test_the_reader_page_is_404_for_those_who_may_not_read(client: Client, scene: Scene) -> None:
    draft = scene.document(publish=False)
    assert as_(client, scene.people["member"]).get(url(draft, "")).status_code == 404
    assert denials(scene.db, draft) == 1
