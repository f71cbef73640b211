"""Streamed uploads: one request per file, stored once by content; a refused one stores nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from meetings.agenda.items import items
from meetings.documents.models import Document, DocumentVersion
from meetings.storage.blobs import LocalBlobStore
from tests.attendance.support import Scene, log_in, scene
from tests.client import Client
from tests.documents.support import docx, files_under, pdf, upload
from tests.factories import Factory


@pytest.fixture
def s(factory: Factory, db: Session, client: Client) -> Scene:
    made = scene(factory, db, members=2)
    log_in(client, made.secretary)
    return made


def blobs(client: Client) -> LocalBlobStore:
    return client.app.state.blobs  # type: ignore[attr-defined,no-any-return]


def stored(db: Session) -> tuple[int, int]:
    db.expire_all()
    documents = db.exec(select(func.count()).select_from(Document)).one()
    versions = db.exec(select(func.count()).select_from(DocumentVersion)).one()
    return documents, versions


def storage_files(client: Client) -> set[Path]:
    return files_under(blobs(client).root) | files_under(blobs(client).temp_dir())


def test_several_files_become_draft_documents_stored_by_their_hash(
    client: Client, db: Session, s: Scene
) -> None:
    files = {"Tờ trình số 12.pdf": pdf("To trinh", pages=3), "Báo cáo.docx": docx("Bao cao")}
    for name, content in files.items():
        response = upload(
            client, s.url("/documents/upload"), content, name, params={"kind": "report"}
        )
        assert response.status_code == 201, response.text
        assert response.json()["ok"] is True
    db.expire_all()
    documents = db.exec(select(Document).where(Document.meeting_id == s.meeting.id)).all()
    assert sorted(d.title for d in documents) == ["Báo cáo", "Tờ trình số 12"]
    assert all(d.published_at is None and d.kind == "report" for d in documents)
    versions = db.exec(select(DocumentVersion)).all()
    assert {v.number for v in versions} == {1}
    by_name = {v.filename: v for v in versions}
    assert by_name["Tờ trình số 12.pdf"].pages == 3
    for name, content in files.items():
        sha = hashlib.sha256(content).hexdigest()
        assert by_name[name].blob == sha
        assert blobs(client).path(sha).read_bytes() == content


def test_the_same_content_twice_is_stored_once(client: Client, db: Session, s: Scene) -> None:
    content = pdf("Mot lan")
    for name in ("a.pdf", "b.pdf"):
        assert upload(client, s.url("/documents/upload"), content, name).status_code == 201
    sha = hashlib.sha256(content).hexdigest()
    assert len([p for p in files_under(blobs(client).root) if p.name == sha]) == 1
    assert stored(db) == (2, 2)


def test_metadata_travels_in_the_query(client: Client, db: Session, s: Scene) -> None:
    item = items(db, s.meeting.id or 0)[0]
    params = {
        "title": "Dự thảo Nghị định về chính phủ số",
        "kind": "draft_decree",
        "classification": "confidential",
        "agency": "Bộ Tư pháp",
        "item_id": str(item.id),
    }
    response = upload(client, s.url("/documents/upload"), pdf(), "du-thao.pdf", params=params)
    assert response.status_code == 201, response.text
    document = db.get(Document, response.json()["document_id"])
    assert document is not None
    assert (document.title, document.kind, document.classification, document.agency) == (
        params["title"],
        "draft_decree",
        "confidential",
        "Bộ Tư pháp",
    )
    assert document.item_id == item.id


def test_a_new_version_keeps_the_old_one(client: Client, db: Session, s: Scene) -> None:
    first = upload(client, s.url("/documents/upload"), pdf("Ban 1"), "du-thao.pdf").json()
    url = s.url(f"/documents/{first['document_id']}/versions")
    response = upload(client, url, pdf("Ban 2", pages=2), "du-thao-v2.pdf")
    assert response.status_code == 201, response.text
    assert response.json()["version"] == 2
    db.expire_all()
    versions = db.exec(
        select(DocumentVersion).where(DocumentVersion.document_id == first["document_id"])
    ).all()
    assert sorted((v.number, v.filename) for v in versions) == [
        (1, "du-thao.pdf"),
        (2, "du-thao-v2.pdf"),
    ]
    assert all(blobs(client).exists(v.blob) for v in versions)


def test_the_answer_is_a_list_row_in_the_users_language(client: Client, s: Scene) -> None:
    client.cookies.set("ecab_lang", "vi")
    response = upload(
        client, s.url("/documents/upload"), pdf(), "x.pdf", headers={"Accept": "text/html"}
    )
    assert response.status_code == 201
    assert 'class="upload-result upload-ok"' in response.text
    refused = upload(
        client, s.url("/documents/upload"), b"", "rong.pdf", headers={"Accept": "text/html"}
    )
    assert refused.status_code == 422
    assert "upload-failed" in refused.text and "0 byte" in refused.text


# -- refusals store nothing ---------------------------------------------------------------------


def chunked(content: bytes) -> Iterator[bytes]:
    for start in range(0, len(content), 4096):
        yield content[start : start + 4096]


BAD = {
    "pdf named docx": (lambda: pdf(), "bao-cao.docx", 422),
    "encrypted pdf": (lambda: pdf(password="mat-khau"), "mat.pdf", 422),
    "empty": (lambda: b"", "rong.pdf", 422),
    "executable": (lambda: b"MZ\x90\x00" + b"\x00" * 200, "chay.pdf", 415),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_is_refused_and_nothing_is_stored(
    client: Client, db: Session, s: Scene, case: str
) -> None:
    make, name, status = BAD[case]
    before, files = stored(db), storage_files(client)
    response = upload(client, s.url("/documents/upload"), make(), name)
    assert response.status_code == status, response.text
    assert response.json()["ok"] is False and response.json()["message"]
    assert stored(db) == before
    assert storage_files(client) == files


def test_a_bad_new_version_changes_nothing(client: Client, db: Session, s: Scene) -> None:
    first = upload(client, s.url("/documents/upload"), pdf(), "a.pdf").json()
    before, files = stored(db), storage_files(client)
    url = s.url(f"/documents/{first['document_id']}/versions")
    response = upload(client, url, pdf(password="x"), "b.pdf")
    assert response.status_code == 422
    assert stored(db) == before and storage_files(client) == files


@pytest.fixture
def small_limit(client: Client) -> Iterator[None]:
    """A 1 MB limit for this test (the configuration is frozen: swap it for a copy)."""
    import dataclasses

    state = client.app.state  # type: ignore[attr-defined]
    original = state.config
    state.config = dataclasses.replace(original, max_upload_mb=1)
    yield
    state.config = original


def test_over_the_limit_by_content_length_is_refused_before_reading(
    client: Client, db: Session, s: Scene, small_limit: None
) -> None:
    before, files = stored(db), storage_files(client)
    response = upload(client, s.url("/documents/upload"), b"%PDF" + b"0" * (1 << 20), "to.pdf")
    assert response.status_code == 413
    assert "1 MB" in response.json()["message"]
    assert stored(db) == before and storage_files(client) == files


def test_over_the_limit_while_streaming_is_refused(
    client: Client, db: Session, s: Scene, small_limit: None
) -> None:
    before, files = stored(db), storage_files(client)
    body = chunked(b"%PDF-1.7\n" + b"0" * (1 << 20))
    response = upload(client, s.url("/documents/upload"), body, "to.pdf")  # type: ignore[arg-type]
    assert response.status_code == 413
    assert stored(db) == before and storage_files(client) == files


def test_a_chunked_body_under_the_limit_is_accepted(client: Client, db: Session, s: Scene) -> None:
    content = pdf(pages=2)
    response = upload(client, s.url("/documents/upload"), chunked(content), "ok.pdf")  # type: ignore[arg-type]
    assert response.status_code == 201, response.text
    assert blobs(client).exists(hashlib.sha256(content).hexdigest())


def test_an_unknown_agenda_item_is_refused(client: Client, db: Session, s: Scene) -> None:
    before = stored(db)
    params = {"item_id": "999999"}
    response = upload(client, s.url("/documents/upload"), pdf(), "a.pdf", params=params)
    assert response.status_code == 422
    assert stored(db) == before


# -- who may upload ----------------------------------------------------------------------------


def test_the_csrf_header_is_required(client: Client, db: Session, s: Scene) -> None:
    before, files = stored(db), storage_files(client)
    response = upload(client, s.url("/documents/upload"), pdf(), "a.pdf", csrf=False)
    assert response.status_code == 403
    assert stored(db) == before and storage_files(client) == files


def test_a_member_may_not_upload(
    other_client: Client, db: Session, s: Scene, client: Client
) -> None:
    first = upload(client, s.url("/documents/upload"), pdf(), "a.pdf").json()
    log_in(other_client, s.members[0])
    before, files = stored(db), storage_files(other_client)
    for url in (
        s.url("/documents/upload"),
        s.url(f"/documents/{first['document_id']}/versions"),
    ):
        assert upload(other_client, url, pdf("x"), "x.pdf").status_code == 403
    assert stored(db) == before and storage_files(other_client) == files


def test_another_organisation_gets_404(
    other_client: Client, factory: Factory, db: Session, s: Scene
) -> None:
    stranger = factory.user(organisation=factory.organisation(), role="secretary")
    log_in(other_client, stranger)
    before = stored(db)
    assert upload(other_client, s.url("/documents/upload"), pdf(), "a.pdf").status_code == 404
    assert stored(db) == before


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(
    other_client: Client, db: Session, s: Scene
) -> None:
    before = stored(db)
    response = upload(other_client, s.url("/documents/upload"), pdf(), "a.pdf")
    assert response.status_code == 303
    assert stored(db) == before
