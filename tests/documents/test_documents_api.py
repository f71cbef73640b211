"""The documents API: a meeting's documents, one document with its versions, read receipts."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from sqlmodel import Session

from meetings.accounts.actions import create_api_token
from meetings.accounts.models import User
from meetings.archive.audit import Actor
from meetings.config import Config
from meetings.documents import actions
from meetings.documents.validation import inspect
from meetings.storage.blobs import LocalBlobStore
from tests.api.support import assert_error
from tests.client import Client
from tests.documents.test_downloads import ACTOR, Scene, make_scene, store_file
from tests.factories import Factory

Bearer = Callable[[User], dict[str, str]]
API = "/api/v1"


@pytest.fixture
def scene(factory: Factory, db: Session, config: Config) -> Scene:
    return make_scene(factory, db, LocalBlobStore(config.storage_dir))


@pytest.fixture
def bearer(db: Session) -> Bearer:
    """`bearer(user)`: the Authorization header of a fresh API token of that user."""

    def make(user: User) -> dict[str, str]:
        token = create_api_token(db, user=user, name="test script", actor=Actor(user.id, "test"))
        return {"Authorization": f"Bearer {token}"}

    return make


def test_a_document_with_its_versions_and_file_urls(
    client: Client, scene: Scene, bearer: Bearer
) -> None:
    document = scene.document(title="Dự thảo Nghị định về đầu tư công", kind="draft_decree")
    body = client.get(f"{API}/documents/{document.id}", headers=bearer(scene.people["member"]))
    assert body.status_code == 200, body.text
    found = body.json()
    assert found["id"] == document.id
    assert found["meeting_id"] == scene.meeting.id
    assert found["title"] == "Dự thảo Nghị định về đầu tư công"
    assert found["kind"] == "draft_decree"
    assert found["state"] == "published"
    assert found["file_url"] == f"/documents/{document.id}/file"
    (version,) = found["versions"]
    assert version["number"] == 1
    assert version["filename"] == "Tờ trình số 12.pdf"
    assert version["size"] == len(scene.pdf)
    assert version["sha256"] == hashlib.sha256(scene.pdf).hexdigest()
    assert version["media_type"] == "application/pdf"
    assert version["pages"] == 3
    assert version["file_url"] == f"/documents/{document.id}/versions/1/file"


def test_a_meeting_lists_only_what_the_caller_may_read(
    client: Client, scene: Scene, bearer: Bearer
) -> None:
    internal = scene.document(title="Báo cáo")
    confidential = scene.document(title="Mật", classification="confidential")
    draft = scene.document(title="Bản nháp", publish=False)
    url = f"{API}/meetings/{scene.meeting.id}/documents"

    def titles(who: str) -> list[str]:
        response = client.get(url, headers=bearer(scene.people[who]))
        assert response.status_code == 200, response.text
        return [d["title"] for d in response.json()]

    assert titles("member") == ["Báo cáo", "Mật"]
    assert titles("guest") == ["Báo cáo"]
    assert titles("secretary") == ["Báo cáo", "Mật", "Bản nháp"]
    assert {internal.id, confidential.id, draft.id}


def test_strangers_and_outsiders_get_404(client: Client, scene: Scene, bearer: Bearer) -> None:
    document = scene.document()
    for who in ("stranger", "outsider"):
        headers = bearer(scene.people[who])
        assert_error(
            client.get(f"{API}/documents/{document.id}", headers=headers), 404, "not_found"
        )
        listing = client.get(f"{API}/meetings/{scene.meeting.id}/documents", headers=headers)
        assert_error(listing, 404, "not_found")


def test_confidential_and_draft_documents_are_404_for_those_who_may_not_read_them(
    client: Client, scene: Scene, bearer: Bearer
) -> None:
    confidential = scene.document(classification="confidential")
    draft = scene.document(publish=False)
    guest, member = bearer(scene.people["guest"]), bearer(scene.people["member"])
    assert_error(client.get(f"{API}/documents/{confidential.id}", headers=guest), 404, "not_found")
    assert_error(client.get(f"{API}/documents/{draft.id}", headers=member), 404, "not_found")


def test_without_a_token_401(client: Client, scene: Scene) -> None:
    document = scene.document()
    assert_error(client.get(f"{API}/documents/{document.id}"), 401, "unauthorised")


def test_receipts_for_the_secretariat_only(
    client: Client, other_client: Client, scene: Scene, bearer: Bearer
) -> None:
    document = scene.document()
    received = store_file(scene.store, scene.pdf + b"\n% v2\n")
    actions.add_version(
        scene.db,
        scene.meeting,
        document,
        actor=ACTOR,
        store=scene.store,
        received=received,
        inspected=inspect(received.path, "Tờ trình số 12.pdf"),
    )
    member = scene.people["member"]
    other_client.cookies.set("ecab_lang", "en")
    other_client.log_in(member)
    assert other_client.get(f"/documents/{document.id}/versions/1/file").status_code == 200
    assert other_client.get(f"/documents/{document.id}/file").status_code == 200
    url = f"{API}/documents/{document.id}/receipts"
    receipts = client.get(url, headers=bearer(scene.people["secretary"]))
    assert receipts.status_code == 200, receipts.text
    rows = receipts.json()
    assert [(r["version"], r["user_id"], r["name"]) for r in rows] == [
        (1, member.id, member.name),
        (2, member.id, member.name),
    ]
    assert all(r["first_read_at"] for r in rows)
    assert_error(client.get(url, headers=bearer(member)), 403, "forbidden")
