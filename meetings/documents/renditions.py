"""PDF renditions of Office files, for reading in the page; the original is always kept.

An upload of a Word, Excel, PowerPoint or OpenDocument file leaves a pending rendition; the
background job converts it with LibreOffice (`soffice --headless --convert-to pdf`) and keeps
the PDF in the blob store. Each row is claimed with a compare-and-set, so several processes
never convert one file twice, and a claim left by a process that died is taken over after
CLAIM_SECONDS. Without LibreOffice nothing is converted and the rows stay pending, so that
installing it later is all it takes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import exists, insert, literal, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from meetings.db import UTCDateTime, utcnow
from meetings.documents import logger
from meetings.documents.models import DocumentVersion, Rendition, RenditionState
from meetings.documents.validation import KINDS
from meetings.storage.blobs import BlobStore, Received

OFFICE_KINDS = frozenset({"docx", "xlsx", "pptx", "odt", "ods"})
SOFFICE_ENV = "MEETINGS_SOFFICE"
DEFAULT_SOFFICE = "soffice"
TIMEOUT_SECONDS = 120  # a meeting paper converts in seconds; a file that hangs LibreOffice won't
CLAIM_SECONDS = 2 * TIMEOUT_SECONDS + 60  # a claim older than this: its process has died
MAX_ATTEMPTS = 3
BATCH = 5  # conversions per run, so that the other jobs (publication at a set time) wait little
INPUT_STEM = "document"  # the file LibreOffice reads is never named after the user's file
ERROR_CHARS = 500


class ConversionFailed(Exception):
    """LibreOffice did not make a readable PDF; the message says what happened."""


def wanted(version: DocumentVersion) -> bool:
    """Office files get a rendition; PDFs are read as they are, images and text are not."""
    return version.file_kind in OFFICE_KINDS


def enqueue(db: Session, version: DocumentVersion) -> Rendition | None:
    """A pending rendition for an Office version (in the caller's transaction)."""
    if not wanted(version):
        return None
    rendition = Rendition(version_id=version.id or 0)
    db.add(rendition)
    db.flush()
    return rendition


def of(db: Session, version: DocumentVersion) -> Rendition | None:
    """The version's rendition, whatever its state."""
    return db.exec(select(Rendition).where(Rendition.version_id == version.id)).first()


def done(db: Session, version: DocumentVersion) -> Rendition | None:
    """The version's rendition if its PDF is ready."""
    found = of(db, version)
    return found if found is not None and found.state == RenditionState.done else None


def available(command: str) -> bool:
    """Whether LibreOffice is installed here (the command, or found on PATH)."""
    return shutil.which(command) is not None


def configured_command() -> str:
    """The command the jobs run (the server's MEETINGS_SOFFICE setting, see meetings.config)."""
    return os.environ.get(SOFFICE_ENV) or DEFAULT_SOFFICE


def pdf_name(filename: str) -> str:
    """The name the rendition is offered under: "Tờ trình.docx" -> "Tờ trình.pdf"."""
    return f"{filename.rsplit('.', 1)[0]}.pdf"


def when_done(rendition: Rendition, version: DocumentVersion) -> datetime:
    """When the rendition's bytes last changed, for Last-Modified."""
    return rendition.finished_at or version.uploaded_at


# -- the job -------------------------------------------------------------------------


def render_pending(db: Session, store: BlobStore, command: str | None = None) -> int:
    """Convert pending renditions, one claimed row at a time; returns how many were made."""
    backfill(db)
    soffice = shutil.which(command or configured_command())
    if soffice is None:
        return 0
    made = 0
    tried: set[int] = set()  # a failed row waits for the next run before its next attempt
    while len(tried) < BATCH and (rendition := claim(db, skip=tried)) is not None:
        tried.add(rendition.id or 0)
        made += _render(db, store, rendition, soffice)
    return made


def backfill(db: Session) -> int:
    """Pending rows for Office versions that have none (uploaded before renditions existed)."""
    missing = select(
        col(DocumentVersion.id),
        literal(RenditionState.pending.value),
        literal(0),
        literal(""),
        literal(utcnow(), UTCDateTime()),
    ).where(
        col(DocumentVersion.file_kind).in_(OFFICE_KINDS),
        ~exists().where(col(Rendition.version_id) == col(DocumentVersion.id)),
    )
    columns = ["version_id", "state", "attempts", "error", "created_at"]
    try:
        added = db.execute(insert(Rendition).from_select(columns, missing)).rowcount  # type: ignore[attr-defined]
        db.commit()
    except IntegrityError:  # another process added the same rows at the same moment
        db.rollback()
        return 0
    return int(added or 0)


def claim(db: Session, skip: set[int] | frozenset[int] = frozenset()) -> Rendition | None:
    """Take one pending rendition (none if another process holds them all), counting the try."""
    now = utcnow()
    free = or_(
        col(Rendition.claimed_at).is_(None),
        col(Rendition.claimed_at) < now - timedelta(seconds=CLAIM_SECONDS),
    )
    waiting = db.exec(
        select(Rendition.id)
        .where(Rendition.state == RenditionState.pending, free, col(Rendition.id).not_in(skip))
        .order_by(col(Rendition.id))
        .limit(BATCH * 4)
    ).all()
    for rendition_id in waiting:
        taken = db.execute(
            update(Rendition)
            .where(col(Rendition.id) == rendition_id, Rendition.state == RenditionState.pending)
            .where(free)
            .values(claimed_at=now, attempts=col(Rendition.attempts) + 1)
        )
        db.commit()
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            return db.get(Rendition, rendition_id, populate_existing=True)
    return None


def _render(db: Session, store: BlobStore, rendition: Rendition, soffice: str) -> int:
    version = db.get(DocumentVersion, rendition.version_id)
    assert version is not None  # a foreign key
    try:
        blob, size, pages = convert(store, version, soffice)
    except Exception as error:  # a broken file, a crash, a full disk: counted as one attempt
        logger.warning("No PDF rendition of version %s: %s", version.id, error)
        _failed(db, rendition, str(error) or type(error).__name__)
        return 0
    rendition.state, rendition.blob = RenditionState.done, blob
    rendition.size, rendition.pages = size, pages
    rendition.error, rendition.finished_at = "", utcnow()
    db.add(rendition)
    db.commit()
    return 1


def _failed(db: Session, rendition: Rendition, error: str) -> None:
    """Back to pending for another try, or failed for good after MAX_ATTEMPTS."""
    rendition.error = error[:ERROR_CHARS]
    rendition.claimed_at = None
    if rendition.attempts >= MAX_ATTEMPTS:
        rendition.state, rendition.finished_at = RenditionState.failed, utcnow()
    db.add(rendition)
    db.commit()


# -- one conversion ------------------------------------------------------------------


def convert(store: BlobStore, version: DocumentVersion, soffice: str) -> tuple[str, int, int]:
    """The version's PDF, stored by content: (sha256, size, pages)."""
    folder = Path(tempfile.mkdtemp(prefix="rendition-", dir=store.temp_dir()))
    try:
        source = folder / f"{INPUT_STEM}.{KINDS[version.file_kind].extensions[0]}"
        shutil.copyfile(store.path(version.blob), source)
        made = _soffice(soffice, source, folder)
        pages = _pages(made)
        received = Received(made, _sha256(made), made.stat().st_size)
        return store.store(received), received.size, pages
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _soffice(soffice: str, source: Path, folder: Path) -> Path:
    """Run LibreOffice on the file with a profile of its own (concurrent conversions would
    otherwise fight over ~/.config/libreoffice), never through a shell, killed on timeout."""
    out = folder / "out"
    arguments = [
        soffice,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        str(source),
    ]
    process = subprocess.Popen(  # a list of arguments, no shell: nothing the user wrote is parsed
        arguments,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=folder,
        start_new_session=True,  # its own process group, to kill its helpers too
    )
    try:
        output, _none = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ConversionFailed(f"LibreOffice took longer than {TIMEOUT_SECONDS} s") from None
    made = out / f"{INPUT_STEM}.pdf"
    if process.returncode != 0 or not made.is_file():
        said = output.decode("utf-8", "replace").strip()[-300:]
        raise ConversionFailed(f"LibreOffice exited with {process.returncode}: {said}")
    return made


def _pages(path: Path) -> int:
    """The page count of a PDF that opens; ConversionFailed otherwise."""
    try:
        with path.open("rb") as handle:  # a file, not a path: pypdf reads a path whole
            pages = len(PdfReader(handle).pages)
    except Exception as error:  # pypdf meets a broken file with almost any exception type
        raise ConversionFailed(f"LibreOffice made an unreadable PDF: {error}") from error
    if pages == 0:
        raise ConversionFailed("LibreOffice made a PDF without pages")
    return pages


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
