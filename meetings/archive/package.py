"""An archived meeting as a BagIt package (the Library of Congress archival format, RFC 8493).

The bag's payload (data/):

    meeting.json                       the meeting's facts, agenda items and attendance rows
    documents/<id>-<title>/v<N>-<name> every version of every document, withdrawn ones too
    documents/<id>-<title>/document.json
    records/<id>-<kind>.json|.docx|.pdf every record (minutes, conclusion notice, addenda)
    votes/poll-<id>.json               each poll: options, the result frozen at close, named
                                       votes, and for a published secret poll its ballot list
    audit.json                         the audit entries of the meeting and of its items,
                                       participants, documents, polls, records, floor turns
                                       and opinions (not readers' private notes, nor tasks)

bag-info.txt names the organisation, the meeting and its retention period; the manifests hold
SHA-256 and SHA-512 checksums of every file. Nothing here deletes anything.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import threading
import unicodedata
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import bagit
from sqlmodel import Session, SQLModel, col, select

from meetings.agenda.items import items
from meetings.agenda.models import Meeting, MeetingState
from meetings.archive.audit import Actor, record
from meetings.archive.models import AuditEntry
from meetings.attendance.models import Participant
from meetings.documents.actions import versions
from meetings.documents.models import Document
from meetings.errors import Refusal
from meetings.exports import docx, pdf
from meetings.i18n import _
from meetings.live.models import FloorRequest, Opinion
from meetings.minutes.export import record_document
from meetings.minutes.models import MeetingRecord
from meetings.minutes.queries import records_of, sections_of
from meetings.organisations.models import Body, Organisation
from meetings.storage.blobs import BlobStore
from meetings.voting.models import Poll, PollState, SecretBallot, Turnout, Vote
from meetings.voting.queries import options_of

CHECKSUMS = ["sha256", "sha512"]
AGENT = "e-Cabinet"
# bagit.make_bag changes the process's working folder while it runs: one bag at a time.
_BAGGING = threading.Lock()


def export(
    db: Session, meeting: Meeting, store: BlobStore, path: Path, *, actor: Actor, locale: str = "vi"
) -> Path:
    """Write the archived meeting's package to `path` (a zip of the bag) and audit its hash."""
    if meeting.state != MeetingState.archived:
        raise Refusal(_("Only an archived meeting can be exported as a package."), status=409)
    with tempfile.TemporaryDirectory(dir=store.temp_dir(), prefix="bag-") as tmp:
        bag_dir = Path(tmp) / f"meeting-{meeting.id}"
        bag_dir.mkdir()
        _payload(db, meeting, store, bag_dir, locale)
        with _BAGGING:
            bagit.make_bag(str(bag_dir), _bag_info(db, meeting), checksums=CHECKSUMS)
        _zip(bag_dir, path)
    record(
        db,
        actor,
        "archive.exported",
        ("meeting", meeting.id),
        organisation_id=meeting.organisation_id,
        sha256=_sha256(path),
        size=path.stat().st_size,
    )
    db.commit()
    return path


def verify(path: Path) -> list[str]:
    """The problems found in a package: empty when every file matches its manifests."""
    with tempfile.TemporaryDirectory(prefix="bag-check-") as tmp:
        try:
            root = _unzip(path, Path(tmp))
            bagit.Bag(str(root)).validate()
        except bagit.BagValidationError as error:
            return [str(detail) for detail in error.details] or [str(error)]
        except (bagit.BagError, zipfile.BadZipFile, OSError) as error:
            return [str(error)]
    return []


# -- the payload -------------------------------------------------------------------------


def _payload(db: Session, meeting: Meeting, store: BlobStore, root: Path, locale: str) -> None:
    _write_json(root / "meeting.json", _meeting(db, meeting))
    documents = _documents(db, meeting)
    for document in documents:
        _document(db, document, store, root / "documents")
    records = records_of(db, meeting.id or 0)
    for row in records:
        _record(db, row, meeting, root / "records", locale)
    polls = _polls(db, meeting)
    for poll in polls:
        _write_json(root / "votes" / f"poll-{poll.id}.json", _poll(db, poll))
    _write_json(root / "audit.json", _audit(db, meeting, documents, polls, records))


def _meeting(db: Session, meeting: Meeting) -> dict[str, Any]:
    participants = select(Participant).where(Participant.meeting_id == meeting.id)
    return {
        "meeting": _row(meeting),
        "agenda": [_row(item) for item in items(db, meeting.id or 0)],
        "attendance": [_row(p) for p in db.exec(participants.order_by(col(Participant.id)))],
    }


def _documents(db: Session, meeting: Meeting) -> list[Document]:
    query = select(Document).where(Document.meeting_id == meeting.id)
    return list(db.exec(query.order_by(col(Document.id))))


def _document(db: Session, document: Document, store: BlobStore, folder: Path) -> None:
    here = folder / f"{document.id}-{_safe(document.title)}"
    kept = versions(db, document.id or 0)
    for version in kept:
        target = here / f"v{version.number}-{_safe(version.filename)}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(store.path(version.blob), target)
    listed = [_row(v, exclude={"text"}) for v in kept]
    _write_json(here / "document.json", {"document": _row(document), "versions": listed})


def _record(db: Session, row: MeetingRecord, meeting: Meeting, folder: Path, locale: str) -> None:
    name = folder / f"{row.id}-{row.kind}"
    sections = [_row(s) for s in sections_of(db, row.id or 0)]
    _write_json(name.with_suffix(".json"), {"record": _row(row), "sections": sections})
    official = record_document(db, row, meeting, locale)
    name.with_suffix(".docx").write_bytes(docx.docx(official))
    name.with_suffix(".pdf").write_bytes(pdf.pdf(official))


def _polls(db: Session, meeting: Meeting) -> list[Poll]:
    return list(db.exec(select(Poll).where(Poll.meeting_id == meeting.id).order_by(col(Poll.id))))


def _poll(db: Session, poll: Poll) -> dict[str, Any]:
    found: dict[str, Any] = {
        "poll": _row(poll, exclude={"result"}),
        "options": [_row(o) for o in options_of(db, poll.id or 0)],
        "result": json.loads(poll.result) if poll.result else None,
    }
    if poll.secret:
        turnout = select(Turnout).where(Turnout.poll_id == poll.id).order_by(col(Turnout.id))
        found["turnout"] = [_row(t) for t in db.exec(turnout)]
        if poll.state == PollState.published:  # the ballot list is public only from then on
            ballots = select(SecretBallot).where(SecretBallot.poll_id == poll.id)
            found["ballots"] = [
                _row(b) for b in db.exec(ballots.order_by(col(SecretBallot.receipt)))
            ]
    else:
        votes = select(Vote).where(Vote.poll_id == poll.id).order_by(col(Vote.id))
        found["votes"] = [_row(v) for v in db.exec(votes)]
    return found


def _audit(
    db: Session,
    meeting: Meeting,
    documents: list[Document],
    polls: list[Poll],
    records: list[MeetingRecord],
) -> list[dict[str, Any]]:
    """The meeting's entries and those of its objects, in chain order (hashes included, so
    that they can be checked against the live log)."""
    objects = {
        "meeting": [meeting.id],
        "item": [i.id for i in items(db, meeting.id or 0)],
        "agenda_item": [i.id for i in items(db, meeting.id or 0)],
        "participant": _ids(db, Participant, meeting),
        "document": [d.id for d in documents],
        "poll": [p.id for p in polls],
        "meeting_record": [r.id for r in records],
        "floor_request": _ids(db, FloorRequest, meeting),
        "opinion": _ids(db, Opinion, meeting),
    }
    entries: list[AuditEntry] = []
    for object_type, ids in objects.items():
        wanted = [str(i) for i in ids]
        query = select(AuditEntry).where(
            AuditEntry.object_type == object_type, col(AuditEntry.object_id).in_(wanted)
        )
        entries.extend(db.exec(query))
    return [_row(e) for e in sorted(entries, key=lambda e: e.id or 0)]


def _ids(db: Session, model: Any, meeting: Meeting) -> list[int]:
    return list(db.exec(select(model.id).where(model.meeting_id == meeting.id)))


# -- the bag -----------------------------------------------------------------------------


def _bag_info(db: Session, meeting: Meeting) -> dict[str, str]:
    organisation = db.get(Organisation, meeting.organisation_id)
    body = db.get(Body, meeting.body_id)
    assert organisation is not None and body is not None
    return {
        "Source-Organization": organisation.name,
        "Organization-Address": body.name,
        "Contact-Name": f"{body.name} — {organisation.name}",
        "External-Identifier": str(meeting.id),
        "External-Description": meeting.title,
        "Bagging-Date": date.today().isoformat(),
        "Bag-Software-Agent": AGENT,
        "Retention-Years": str(organisation.retention_years),
    }


def _zip(bag_dir: Path, path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(bag_dir.rglob("*")):
            if file.is_file():
                archive.write(file, f"{bag_dir.name}/{file.relative_to(bag_dir).as_posix()}")


def _unzip(path: Path, into: Path) -> Path:
    """Extract the package (refusing names that would land outside) and return the bag."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (into / name).resolve().is_relative_to(into.resolve()):
                raise bagit.BagError(f"{name}: a path outside the package")
        archive.extractall(into)
    found = [p.parent for p in into.glob("*/bagit.txt")] or [into]
    return found[0]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- small helpers -----------------------------------------------------------------------


def _row(row: SQLModel, exclude: set[str] | None = None) -> dict[str, Any]:
    return row.model_dump(mode="json", exclude=exclude)


def _write_json(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _safe(name: str, limit: int = 80) -> str:
    """A file name any archive system takes: ASCII letters, digits, dot, dash, underscore."""
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-.")[:limit] or "file"
