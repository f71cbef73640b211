"""An archived meeting as a BagIt package: what it holds, that it validates, and that its
manifests catch a changed file; through the actions, the CLI and HTTP."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlmodel import Session, select

from meetings.agenda import actions as agenda
from meetings.archive import package
from meetings.archive.models import AuditEntry
from meetings.cli import main
from meetings.config import Config
from meetings.errors import Refusal
from meetings.minutes import actions as minutes
from meetings.storage.blobs import LocalBlobStore
from meetings.voting import actions as voting
from meetings.voting.models import Meaning
from tests.attendance.support import log_in
from tests.client import Client
from tests.documents.support import pdf, upload
from tests.factories import Factory
from tests.minutes.support import Held, _vote, by, held


def _secret_poll(h: Held) -> None:
    s = h.s
    poll = voting.create(
        s.db, s.body, actor=by(s.chair), question="Bầu kín?", meeting=s.meeting, secret=True
    )
    voting.open_poll(s.db, poll, actor=by(s.chair))
    _vote(s, poll, s.chair, Meaning.in_favour)
    _vote(s, poll, s.members[0], Meaning.against)
    voting.close(s.db, poll, actor=by(s.chair))
    voting.publish(s.db, poll, actor=by(s.chair))


@pytest.fixture
def h(factory: Factory, db: Session, client: Client) -> Held:
    """A held meeting with a document in two versions, a named and a secret poll; closed,
    its minutes not yet approved."""
    made = held(factory, db, close=False)
    log_in(client, made.s.secretary)
    first = upload(client, made.s.url("/documents/upload"), pdf("Ban 1"), "Tờ trình.pdf").json()
    url = made.s.url(f"/documents/{first['document_id']}/versions")
    assert upload(client, url, pdf("Ban 2"), "Tờ trình v2.pdf").status_code == 201
    _secret_poll(made)
    agenda.close_session(db, made.s.meeting, actor=by(made.s.chair))
    return made


def archive(h: Held) -> None:
    row = minutes.start(h.s.db, h.s.meeting, actor=by(h.s.secretary), kind="minutes")
    minutes.approve(h.s.db, row, actor=by(h.s.chair))


def store(config: Config) -> LocalBlobStore:
    return LocalBlobStore(config.storage_dir)


def changed_copy(source: Path, target: Path, name: str) -> None:
    """The same zip with one file's content altered, its size kept (so that only the
    checksums can tell)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, data[:-2] + b"X\n" if info.filename.endswith(name) else data)


def test_only_an_archived_meeting_is_exported(h: Held, config: Config, tmp_path: Path) -> None:
    with pytest.raises(Refusal) as refused:
        package.export(h.s.db, h.s.meeting, store(config), tmp_path / "p.zip", actor=by(h.s.chair))
    assert refused.value.status == 409
    assert not (tmp_path / "p.zip").exists()


def test_the_package_holds_the_record_and_a_changed_file_is_named(
    h: Held, config: Config, tmp_path: Path
) -> None:
    archive(h)
    path = package.export(
        h.s.db, h.s.meeting, store(config), tmp_path / "p.zip", actor=by(h.s.secretary)
    )
    names = zipfile.ZipFile(path).namelist()
    inside = [n.split("/", 1)[1] for n in names]
    for expected in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "data/meeting.json"):
        assert expected in inside
    assert "data/audit.json" in inside
    documents = sorted(n for n in inside if n.startswith("data/documents/") and "/v" in n)
    assert [d.rsplit("/", 1)[1] for d in documents] == ["v1-To-trinh.pdf", "v2-To-trinh-v2.pdf"]
    assert {n.rsplit(".", 1)[1] for n in inside if n.startswith("data/records/")} == {
        "json",
        "docx",
        "pdf",
    }
    with zipfile.ZipFile(path) as archive_zip:
        root = names[0].split("/", 1)[0]
        info = archive_zip.read(f"{root}/bag-info.txt").decode()
        polls = [json.loads(archive_zip.read(n)) for n in names if "/data/votes/poll-" in n]
        audit = json.loads(archive_zip.read(f"{root}/data/audit.json"))
    assert f"External-Identifier: {h.s.meeting.id}" in info
    assert "Retention-Years: 20" in info and "Bag-Software-Agent: e-Cabinet" in info
    secret = next(p for p in polls if p["poll"]["secret"])
    assert len(secret["ballots"]) == 2 and secret["result"] is not None
    assert "meeting.archive" in {e["action"] for e in audit}
    assert package.verify(path) == []
    exported = h.s.db.exec(select(AuditEntry).where(AuditEntry.action == "archive.exported")).one()
    assert json.loads(exported.data)["sha256"] == package._sha256(path)

    changed_copy(path, tmp_path / "changed.zip", "data/meeting.json")
    problems = package.verify(tmp_path / "changed.zip")
    assert problems and any("data/meeting.json" in p for p in problems)


def test_the_cli_exports_and_verifies(
    h: Held, config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MEETINGS_STORAGE_DIR", str(config.storage_dir))
    monkeypatch.setenv("MEETINGS_DATABASE_URL", config.database_url)
    monkeypatch.setenv("MEETINGS_SECRET_KEY", config.secret_key)
    target = tmp_path / "p.zip"
    assert main(["archive", "export", str(h.s.meeting.id), str(target)]) == 2
    archive(h)
    assert main(["archive", "export", str(h.s.meeting.id), str(target)]) == 0
    assert main(["archive", "verify", str(target)]) == 0
    changed_copy(target, tmp_path / "changed.zip", "data/audit.json")
    capsys.readouterr()
    assert main(["archive", "verify", str(tmp_path / "changed.zip")]) == 1
    assert "data/audit.json" in capsys.readouterr().err


def test_the_package_downloads_for_the_secretariat_only(
    h: Held, client: Client, other_client: Client
) -> None:
    url = h.s.url("/archive.zip")
    assert client.get(url).status_code == 409  # closed, not yet archived
    archive(h)
    response = client.get(url)
    assert response.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None
    log_in(other_client, h.s.members[0])
    assert other_client.get(url).status_code == 403
    log_in(other_client, h.s.outsider)
    assert other_client.get(url).status_code == 404
