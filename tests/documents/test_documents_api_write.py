"""The documents API's writes and files: multipart uploads, versions, publication, readers,
withdrawal, and downloads with HTTP Range, for API callers with a Bearer token."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import pytest
from sqlmodel import Session, select

from meetings.accounts.actions import create_api_token
from meetings.accounts.models import User
from meetings.agenda.items import items
from meetings.archive.audit import Actor
from meetings.archive.models import AuditEntry
from meetings.config import Config
from meetings.documents.models import Document, DocumentVersion, ReadReceipt
from meetings.storage.blobs import LocalBlobStore
from tests.api.support import assert_error, count
from tests.client import Client
from tests.documents.support import docx, files_under, pdf
from tests.documents.test_downloads import Scene, make_scene
from tests.factories import Factory

API = "/api/v1"
BOUNDARY = "ecab-test-boundary"
Bearer = Callable[[str], dict[str, str]]
Part = tuple[str, str | None, bytes]  # name, file name (None for a field), content


@pytest.fixture
def scene(factory: Factory, db: Session, config: Config) -> Scene:
    return make_scene(factory, db, LocalBlobStore(config.storage_dir))


@pytest.fixture
def bearer(db: Session, scene: Scene) -> Bearer:
    """`bearer("member")`: the Authorization header of a fresh token of that person."""

    def make(who: str) -> dict[str, str]:
        user: User = scene.people[who]
        token = create_api_token(db, user=user, name="script", actor=Actor(user.id, "test"))
        return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    return make


def multipart(parts: list[Part]) -> tuple[bytes, dict[str, str]]:
    """A multipart/form-data body built by hand, to send exactly the parts a test wants."""
    body = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        body += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        body += content + b"\r\n"
    body += f"--{BOUNDARY}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def documents_url(scene: Scene) -> str:
    return f"{API}/meetings/{scene.meeting.id}/documents"


def send(
    client: Client, url: str, headers: dict[str, str], content: bytes, name: str, **fields: str
) -> Any:
    """Upload one file the way an HTTP library does (httpx's own multipart encoder)."""
    return client.post(url, files={"file": (name, content)}, data=fields, headers=headers)


def upload(client: Client, scene: Scene, bearer: Bearer, content: bytes, name: str) -> int:
    response = send(client, documents_url(scene), bearer("secretary"), content, name)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def stored(db: Session, client: Client) -> tuple[int, int, set[Path]]:
    """Rows and files: what a refused request must leave as it found them."""
    blobs: LocalBlobStore = client.app.state.blobs  # type: ignore[attr-defined]
    files = files_under(blobs.root) | files_under(blobs.temp_dir())
    return count(db, Document), count(db, DocumentVersion), files


# -- uploads -------------------------------------------------------------------------------


def test_a_pdf_uploaded_with_a_token_is_a_draft_with_its_fields(
    client: Client, db: Session, scene: Scene, bearer: Bearer
) -> None:
    content = pdf("To trinh", pages=2)
    decomposed = unicodedata.normalize("NFD", "Tờ trình số 12.pdf")
    item = items(db, scene.meeting.id or 0)[0]
    fields = {"title": "Dự thảo Nghị định", "kind": "draft_decree", "agency": "Bộ Tư pháp"}
    fields |= {"classification": "confidential", "item_id": str(item.id)}
    response = send(
        client, documents_url(scene), bearer("secretary"), content, decomposed, **fields
    )
    assert response.status_code == 201, response.text
    found = response.json()
    assert response.headers["location"] == f"{API}/documents/{found['id']}"
    assert (found["title"], found["kind"], found["agency"]) == (
        "Dự thảo Nghị định",
        "draft_decree",
        "Bộ Tư pháp",
    )
    assert found["classification"] == "confidential" and found["state"] == "draft"
    assert found["item_id"] == item.id
    assert found["readers"] is None and found["publish_at"] is None
    (version,) = found["versions"]
    assert version["filename"] == "Tờ trình số 12.pdf"  # NFC, as typed on a Windows machine
    assert version["sha256"] == hashlib.sha256(content).hexdigest()
    assert version["pages"] == 2
    assert version["api_file_url"] == f"{API}/documents/{found['id']}/versions/1/file"
    assert client.app.state.blobs.exists(version["sha256"])  # type: ignore[attr-defined]


def test_a_docx_keeps_its_vietnamese_name_on_download(
    client: Client, scene: Scene, bearer: Bearer
) -> None:
    content = docx("Báo cáo")
    document_id = upload(client, scene, bearer, content, "Báo cáo tình hình.docx")
    published = client.post(f"{API}/documents/{document_id}/publish", headers=bearer("secretary"))
    assert published.status_code == 200, published.text
    response = client.get(f"{API}/documents/{document_id}/file", headers=bearer("member"))
    assert response.status_code == 200
    assert response.content == content
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=UTF-8''" + quote("Báo cáo tình hình.docx", safe="") in disposition
    assert 'filename="Bao cao tinh hinh.docx"' in disposition


BAD = {
    "empty": (b"", "rong.pdf"),
    "pdf named docx": (pdf(), "bao-cao.docx"),
    "not a pdf": (b"%PDX-1.7 this is no document" * 10, "gia.pdf"),
    "encrypted pdf": (pdf(password="mat-khau"), "mat.pdf"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_stored(
    client: Client, db: Session, scene: Scene, bearer: Bearer, case: str
) -> None:
    content, name = BAD[case]
    before = stored(db, client)
    response = send(client, documents_url(scene), bearer("secretary"), content, name)
    assert response.status_code in (415, 422), response.text
    assert response.json()["error"]["message"]
    assert stored(db, client) == before


FORMS: dict[str, tuple[list[Part], int]] = {
    "no file": ([("title", None, "Báo cáo".encode())], 422),
    "two files": ([("file", "a.pdf", pdf("a")), ("file", "b.pdf", pdf("b"))], 422),
    "unknown field": ([("file", "a.pdf", pdf()), ("colour", None, b"red")], 422),
    "a file in a field": ([("file", "a.pdf", pdf()), ("title", "t.txt", b"x")], 422),
    "a field twice": (
        [("file", "a.pdf", pdf()), ("kind", None, b"report"), ("kind", None, b"x")],
        422,
    ),
    "unknown kind": ([("file", "a.pdf", pdf()), ("kind", None, b"memo")], 422),
    "unknown item": ([("file", "a.pdf", pdf()), ("item_id", None, b"999999")], 422),
    "no name": ([("file", "", pdf())], 422),
    "cut short": ([("file", "a.pdf", pdf())], 400),
}


@pytest.mark.parametrize("case", FORMS)
def test_a_malformed_form_is_refused_and_nothing_is_stored(
    client: Client, db: Session, scene: Scene, bearer: Bearer, case: str
) -> None:
    parts, status = FORMS[case]
    body, headers = multipart(parts)
    if case == "cut short":
        body = body[: -len(f"--{BOUNDARY}--\r\n")]
    before = stored(db, client)
    response = client.post(
        documents_url(scene), content=body, headers=bearer("secretary") | headers
    )
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]
    assert stored(db, client) == before


def test_a_body_that_is_not_multipart_is_refused(
    client: Client, db: Session, scene: Scene, bearer: Bearer
) -> None:
    before = stored(db, client)
    headers = bearer("secretary") | {"Content-Type": "application/pdf"}
    response = client.post(documents_url(scene), content=pdf(), headers=headers)
    message = assert_error(response, 415, "unsupported_media_type")
    assert "multipart/form-data" in message
    assert stored(db, client) == before


@pytest.fixture
def small_limit(client: Client) -> Iterator[None]:
    """A 1 MB limit for this test (the configuration is frozen: swap it for a copy)."""
    state = client.app.state  # type: ignore[attr-defined]
    original = state.config
    state.config = dataclasses.replace(original, max_upload_mb=1)
    yield
    state.config = original


def post_streamed(
    client: Client, url: str, headers: dict[str, str], body: bytes
) -> tuple[int, dict[str, Any], int]:
    """POST a body to the app in 64 KB messages, as a server hands it over (the test client
    would read it whole first); answer the status, the JSON and how many bytes were pulled."""
    chunks = [body[start : start + 64 * 1024] for start in range(0, len(body), 64 * 1024)]
    pulled, sent = 0, []
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": url,
        "raw_path": url.encode(),
        "root_path": "",
        "query_string": b"",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 50000),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled // (64 * 1024) >= len(chunks):
            return {"type": "http.disconnect"}
        chunk = chunks[pulled // (64 * 1024)]
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": pulled < len(body)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    anyio.run(client.app, scope, receive, send)  # type: ignore[arg-type]
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    answer = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(answer), pulled


def test_over_the_limit_is_refused_while_streaming_before_the_whole_body_is_read(
    client: Client, db: Session, scene: Scene, bearer: Bearer, small_limit: None
) -> None:
    body, headers = multipart([("file", "to.pdf", b"%PDF-1.7\n" + b"0" * (8 << 20))])
    before = stored(db, client)
    url = documents_url(scene)
    status, answer, pulled = post_streamed(client, url, bearer("secretary") | headers, body)
    assert status == 413 and "1 MB" in answer["error"]["message"]
    assert pulled < 2 << 20  # stopped soon after the limit, far from the 8 MB sent
    assert stored(db, client) == before


def test_over_the_limit_by_content_length_is_refused_at_once(
    client: Client, db: Session, scene: Scene, bearer: Bearer, small_limit: None
) -> None:
    before = stored(db, client)
    content = b"%PDF-1.7\n" + b"0" * (2 << 20)
    response = send(client, documents_url(scene), bearer("secretary"), content, "to.pdf")
    assert_error(response, 413, "too_large")
    assert stored(db, client) == before


def test_a_member_is_refused_before_the_body_is_read(
    client: Client, db: Session, scene: Scene, bearer: Bearer
) -> None:
    body, headers = multipart([("file", "a.pdf", pdf() + b"%" * (4 << 20))])
    before = stored(db, client)
    url = documents_url(scene)
    status, answer, pulled = post_streamed(client, url, bearer("member") | headers, body)
    assert status == 403 and "secretariat" in answer["error"]["message"]
    assert pulled == 0
    assert stored(db, client) == before


def test_outsiders_and_other_organisations_get_404(
    client: Client, db: Session, scene: Scene, bearer: Bearer
) -> None:
    document_id = upload(client, scene, bearer, pdf(), "a.pdf")
    before = stored(db, client)
    for who in ("outsider", "stranger"):
        refused = send(client, documents_url(scene), bearer(who), pdf("x"), "x.pdf")
        assert_error(refused, 404, "not_found")
        version = send(client, f"{API}/documents/{document_id}/versions", bearer(who), pdf(), "v")
        assert_error(version, 404, "not_found")
        publish = client.post(f"{API}/documents/{document_id}/publish", headers=bearer(who))
        assert_error(publish, 404, "not_found")
    assert stored(db, client) == before


def test_without_a_token_401_and_nothing_stored(client: Client, db: Session, scene: Scene) -> None:
    before = stored(db, client)
    assert_error(send(client, documents_url(scene), {}, pdf(), "a.pdf"), 401, "unauthorised")
    assert stored(db, client) == before


# -- versions --------------------------------------------------------------------------------


def test_a_new_version_keeps_the_old_one(
    client: Client, db: Session, scene: Scene, bearer: Bearer
) -> None:
    document_id = upload(client, scene, bearer, pdf("Ban 1"), "du-thao.pdf")
    url = f"{API}/documents/{document_id}/versions"
    response = send(client, url, bearer("secretary"), pdf("Ban 2", pages=2), "du-thao-v2.pdf")
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"{API}/documents/{document_id}"
    versions = response.json()["versions"]
    assert [(v["number"], v["filename"]) for v in versions] == [
        (1, "du-thao.pdf"),
        (2, "du-thao-v2.pdf"),
    ]
    before = stored(db, client)
    bad = send(client, url, bearer("secretary"), pdf(password="x"), "v3.pdf")
    assert bad.status_code == 422 and bad.json()["error"]["message"]
    body, headers = multipart([("file", "v.pdf", pdf()), ("title", None, b"t")])
    extra = client.post(url, content=body, headers=bearer("secretary") | headers)
    assert extra.status_code == 422
    assert stored(db, client) == before


def test_a_member_who_reads_the_document_may_not_add_a_version(
    client: Client, db: Session, scene: Scene, bearer: Bearer
) -> None:
    document = scene.document()
    before = stored(db, client)
    url = f"{API}/documents/{document.id}/versions"
    assert_error(send(client, url, bearer("member"), pdf("x"), "x.pdf"), 403, "forbidden")
    assert stored(db, client) == before


# -- publication, schedule, readers, withdrawal ---------------------------------------------


def test_publishing_shows_the_document_to_members(
    client: Client, scene: Scene, bearer: Bearer
) -> None:
    document_id = upload(client, scene, bearer, pdf(), "a.pdf")
    url = f"{API}/documents/{document_id}"
    assert_error(client.get(url, headers=bearer("member")), 404, "not_found")
    assert_error(client.post(url + "/publish", headers=bearer("member")), 404, "not_found")
    published = client.post(url + "/publish", headers=bearer("secretary"))
    assert published.status_code == 200, published.text
    assert published.json()["state"] == "published" and published.json()["published_at"]
    seen = client.get(url, headers=bearer("member"))
    assert seen.status_code == 200 and seen.json()["readers"] is None
    assert_error(client.post(url + "/publish", headers=bearer("member")), 403, "forbidden")


def test_a_publication_time_is_set_checked_and_cancelled(
    client: Client, scene: Scene, bearer: Bearer
) -> None:
    document_id = upload(client, scene, bearer, pdf(), "a.pdf")
    url = f"{API}/documents/{document_id}/schedule"
    secretary = bearer("secretary")
    later = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    local = later.astimezone(datetime.now().astimezone().tzinfo).isoformat()
    response = client.put(url, json={"publish_at": local}, headers=secretary)
    assert response.status_code == 200, response.text
    assert datetime.fromisoformat(response.json()["publish_at"]) == later
    assert response.json()["state"] == "draft"
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert "future" in assert_error(
        client.put(url, json={"publish_at": past}, headers=secretary), 422, "invalid"
    )
    naive = later.replace(tzinfo=None).isoformat()
    assert_error(client.put(url, json={"publish_at": naive}, headers=secretary), 422, "invalid")
    cancelled = client.put(url, json={"publish_at": None}, headers=secretary)
    assert cancelled.status_code == 200 and cancelled.json()["publish_at"] is None
    client.post(f"{API}/documents/{document_id}/publish", headers=secretary)
    again = client.put(url, json={"publish_at": later.isoformat()}, headers=secretary)
    assert_error(again, 409, "conflict")


def test_readers_restrict_a_document_to_the_people_named(
    client: Client, scene: Scene, bearer: Bearer
) -> None:
    document = scene.document()
    url = f"{API}/documents/{document.id}"
    guest_id, member = scene.people["guest"].id, bearer("member")
    named = client.put(url + "/readers", json={"user_ids": [guest_id]}, headers=bearer("secretary"))
    assert named.status_code == 200, named.text
    assert named.json()["readers"] == [guest_id]
    assert_error(client.get(url, headers=member), 404, "not_found")
    assert_error(client.get(url + "/file", headers=member), 404, "not_found")
    seen = client.get(url, headers=bearer("guest"))
    assert seen.status_code == 200 and seen.json()["readers"] is None  # not shown to readers
    lifted = client.put(url + "/readers", json={"user_ids": []}, headers=bearer("secretary"))
    assert lifted.status_code == 200 and lifted.json()["readers"] is None
    assert client.get(url + "/file", headers=member).status_code == 200


def test_readers_must_be_invited_and_guests_never_read_confidential_documents(
    client: Client, scene: Scene, bearer: Bearer
) -> None:
    internal = scene.document()
    confidential = scene.document(classification="confidential")
    secretary = bearer("secretary")
    outsider = {"user_ids": [scene.people["outsider"].id]}
    refused = client.put(f"{API}/documents/{internal.id}/readers", json=outsider, headers=secretary)
    assert "invited" in assert_error(refused, 422, "invalid")
    guest = {"user_ids": [scene.people["member"].id, scene.people["guest"].id]}
    url = f"{API}/documents/{confidential.id}"
    assert "guests" in assert_error(
        client.put(url + "/readers", json=guest, headers=secretary), 422, "invalid"
    )
    assert client.get(url, headers=secretary).json()["readers"] is None
    not_a_list = client.put(url + "/readers", json={"user_ids": "7"}, headers=secretary)
    assert_error(not_a_list, 422, "invalid")


def test_withdrawal_hides_the_document_and_keeps_it(
    client: Client, scene: Scene, bearer: Bearer
) -> None:
    document = scene.document()
    url = f"{API}/documents/{document.id}"
    assert_error(client.post(url + "/withdraw", headers=bearer("member")), 403, "forbidden")
    withdrawn = client.post(url + "/withdraw", headers=bearer("secretary"))
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["state"] == "withdrawn" and len(withdrawn.json()["versions"]) == 1
    assert_error(client.get(url, headers=bearer("member")), 404, "not_found")
    assert_error(client.post(url + "/withdraw", headers=bearer("secretary")), 409, "conflict")
    assert_error(client.post(url + "/publish", headers=bearer("secretary")), 409, "conflict")


# -- files -----------------------------------------------------------------------------------


def test_a_member_downloads_a_published_document_by_range(
    client: Client, db: Session, scene: Scene, bearer: Bearer
) -> None:
    document = scene.document()
    url, member, size = f"{API}/documents/{document.id}/file", bearer("member"), len(scene.pdf)
    whole = client.get(url, headers=member)
    assert whole.status_code == 200 and whole.content == scene.pdf
    assert whole.headers["content-type"] == "application/pdf"
    assert whole.headers["accept-ranges"] == "bytes"
    etag = whole.headers["etag"]
    assert etag == f'"{hashlib.sha256(scene.pdf).hexdigest()}"'
    assert count(db, ReadReceipt) == 1
    first = client.get(url, headers=member | {"Range": "bytes=0-99"})
    assert first.status_code == 206 and first.content == scene.pdf[:100]
    assert first.headers["content-range"] == f"bytes 0-99/{size}"
    suffix = client.get(
        f"{API}/documents/{document.id}/versions/1/file", headers=member | {"Range": "bytes=-50"}
    )
    assert suffix.status_code == 206 and suffix.content == scene.pdf[-50:]
    assert suffix.headers["content-range"] == f"bytes {size - 50}-{size - 1}/{size}"
    outside = client.get(url, headers=member | {"Range": f"bytes={size + 10}-"})
    assert outside.status_code == 416
    same = client.get(url, headers=member | {"Range": "bytes=10-19", "If-Range": etag})
    assert same.status_code == 206 and same.content == scene.pdf[10:20]
    stale = client.get(url, headers=member | {"Range": "bytes=10-19", "If-Range": '"old"'})
    assert stale.status_code == 200 and stale.content == scene.pdf
    saved = client.get(url, headers=member, params={"download": "1"})
    assert saved.status_code == 200
    # Each opening is audited (whole file, a range from byte 0, the stale If-Range, the
    # download), never each further range.
    actions = [
        e.action
        for e in db.exec(select(AuditEntry).where(AuditEntry.object_id == str(document.id)))
        if e.action in ("document.read", "document.downloaded")
    ]
    assert actions == ["document.read"] * 3 + ["document.downloaded"]


def test_a_confidential_pdf_is_stamped_for_its_reader(
    client: Client, scene: Scene, bearer: Bearer
) -> None:
    document = scene.document(classification="confidential")
    response = client.get(f"{API}/documents/{document.id}/file", headers=bearer("member"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF") and response.content != scene.pdf
    assert str(scene.people["member"].id) in response.headers["etag"]
    guest = client.get(f"{API}/documents/{document.id}/file", headers=bearer("guest"))
    assert_error(guest, 404, "not_found")


def test_a_draft_file_and_an_unknown_version_are_404(
    client: Client, scene: Scene, bearer: Bearer
) -> None:
    draft = scene.document(publish=False)
    assert_error(
        client.get(f"{API}/documents/{draft.id}/file", headers=bearer("member")), 404, "not_found"
    )
    published = scene.document()
    missing = client.get(
        f"{API}/documents/{published.id}/versions/9/file", headers=bearer("member")
    )
    assert_error(missing, 404, "not_found")
    secretary = client.get(f"{API}/documents/{draft.id}/file", headers=bearer("secretary"))
    assert secretary.status_code == 200


# -- CSRF and the OpenAPI document ----------------------------------------------------------


def test_a_session_upload_needs_the_csrf_token_and_a_bearer_one_does_not(
    client: Client, other_client: Client, db: Session, scene: Scene, bearer: Bearer
) -> None:
    client.log_in(scene.people["secretary"])
    before = stored(db, client)
    files = {"file": ("a.pdf", pdf("csrf"))}
    refused = client.post(documents_url(scene), files=files)
    assert refused.status_code == 403
    assert stored(db, client) == before
    with_token = client.post(
        documents_url(scene), files=files, headers={"X-CSRF-Token": client.csrf()}
    )
    assert with_token.status_code == 201, with_token.text
    document_id = with_token.json()["id"]
    session_publish = client.post(f"{API}/documents/{document_id}/publish")
    assert session_publish.status_code == 403
    by_token = other_client.post(
        f"{API}/documents/{document_id}/publish", headers=bearer("secretary")
    )
    assert by_token.status_code == 200, by_token.text


def test_the_openapi_document_describes_uploads_and_files(client: Client) -> None:
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    upload_op = paths[f"{API}/meetings/{{meeting_id}}/documents"]["post"]
    schema = upload_op["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema["properties"]["file"] == {
        "type": "string",
        "format": "binary",
        "description": "The file itself",
    }
    assert "file" in schema["required"] and "item_id" in schema["properties"]
    assert {"201", "413", "422"} <= set(upload_op["responses"])
    versions = paths[f"{API}/documents/{{document_id}}/versions"]["post"]
    assert "multipart/form-data" in versions["requestBody"]["content"]
    for path in ("/file", "/versions/{number}/file"):
        responses = paths[f"{API}/documents/{{document_id}}{path}"]["get"]["responses"]
        assert {"200", "206", "416"} <= set(responses)
        assert responses["200"]["content"]["application/pdf"]["schema"]["format"] == "binary"
        assert "Content-Range" in responses["206"]["headers"]
    schedule = paths[f"{API}/documents/{{document_id}}/schedule"]["put"]
    assert "application/json" in schedule["requestBody"]["content"]
    readers = paths[f"{API}/documents/{{document_id}}/readers"]["put"]["requestBody"]
    assert "user_ids" in str(readers)
