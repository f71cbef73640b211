"""The demo's documents: real PDF and DOCX files on the agenda, published, and loaded only once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from meetings.agenda.models import AgendaItem, Meeting
from meetings.archive.models import AuditEntry
from meetings.cli import main
from meetings.config import Config
from meetings.demo_documents import ascii_fold
from meetings.documents.models import Classification, Document, DocumentKind, DocumentVersion
from meetings.notifications.models import Notification
from meetings.organisations.models import Body
from meetings.storage.blobs import LocalBlobStore

VIETNAMESE = re.compile(
    r"[ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]"
)


@pytest.fixture
def env(config: Config, monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.setenv("MEETINGS_STORAGE_DIR", str(config.storage_dir))
    monkeypatch.setenv("MEETINGS_DATABASE_URL", config.database_url)
    monkeypatch.setenv("MEETINGS_SECRET_KEY", config.secret_key)
    return config


def _meetings_of(db: Session, body_name: str) -> list[Meeting]:
    body = db.exec(select(Body).where(Body.name == body_name)).one()
    return list(
        db.exec(select(Meeting).where(Meeting.body_id == body.id).order_by(col(Meeting.starts_at)))
    )


def _documents(db: Session, meeting: Meeting) -> dict[str, Document]:
    found = db.exec(select(Document).where(Document.meeting_id == meeting.id)).all()
    return {document.title: document for document in found}


def _version(db: Session, document: Document) -> DocumentVersion:
    (version,) = db.exec(
        select(DocumentVersion).where(DocumentVersion.document_id == document.id)
    ).all()
    return version


def _one(documents: dict[str, Document], start: str) -> Document:
    (found,) = [document for title, document in documents.items() if title.startswith(start)]
    return found


def test_upcoming_government_session_has_published_papers_on_its_items(
    env: Config, db: Session
) -> None:
    assert main(["demo"]) == 0
    past, upcoming = _meetings_of(db, "Chính phủ")
    documents = _documents(db, upcoming)
    assert len(documents) == 4
    assert not _documents(db, past), "a closed meeting gets no new papers"
    store = LocalBlobStore(env.storage_dir)
    for document in documents.values():
        assert document.published_at is not None and document.withdrawn_at is None
        assert document.agency and document.item_id is not None
        version = _version(db, document)
        assert version.number == 1 and version.published_at is not None
        assert (
            store.exists(version.blob) and store.path(version.blob).stat().st_size == version.size
        )

    decree = _one(documents, "Dự thảo Nghị định quy định chi tiết một số điều của Luật Căn cước")
    submission = _one(documents, "Tờ trình số ")
    secret = _one(documents, "Báo cáo mật")
    report = _one(documents, "Báo cáo tình hình kinh tế - xã hội")
    assert "định danh và xác thực điện tử" in decree.title
    assert (decree.kind, submission.kind, report.kind) == (
        DocumentKind.draft_decree,
        DocumentKind.submission,
        DocumentKind.report,
    )
    assert decree.agency == submission.agency == secret.agency == "Bộ Công an"
    assert report.agency == "Bộ Tài chính"
    assert secret.classification == Classification.confidential
    assert {d.classification for d in (decree, submission, report)} == {Classification.internal}

    can_cuoc = db.get(AgendaItem, decree.item_id)
    assert can_cuoc is not None and "Luật Căn cước" in can_cuoc.title
    assert submission.item_id == secret.item_id == decree.item_id
    report_item = db.get(AgendaItem, report.item_id)
    assert report_item is not None and report_item.title.startswith("Báo cáo tình hình kinh tế")
    assert report_item.parent_id is not None


def test_docx_text_is_vietnamese_and_pdfs_have_pages_of_text(env: Config, db: Session) -> None:
    assert main(["demo"]) == 0
    _past, upcoming = _meetings_of(db, "Chính phủ")
    versions = [_version(db, document) for document in _documents(db, upcoming).values()]
    docx = [version for version in versions if version.file_kind == "docx"]
    pdfs = [version for version in versions if version.file_kind == "pdf"]
    assert len(docx) == 2 and len(pdfs) == 2
    for version in docx:
        assert version.filename.endswith(".docx") and VIETNAMESE.search(version.text)
    submission = next(v for v in docx if v.filename.startswith("Tờ trình"))
    assert "Kính gửi: Chính phủ." in submission.text
    assert "SỰ CẦN THIẾT BAN HÀNH NGHỊ ĐỊNH" in submission.text
    for version in pdfs:
        assert version.pages is not None and version.pages >= 5 and version.has_text
        assert version.media_type == "application/pdf"
    decree = next(v for v in pdfs if v.filename.startswith("Dự thảo"))
    for words in ("Chương I", "Điều 1. Phạm vi điều chỉnh", "Điều 2. Đối tượng áp dụng"):
        assert ascii_fold(words) in decree.text  # the PDF text layer is ASCII-folded
    assert decree.text.count("\f") == decree.pages - 1


def test_the_province_meeting_gets_one_pdf(env: Config, db: Session) -> None:
    assert main(["demo"]) == 0
    _live_today, meeting = _meetings_of(db, "Ủy ban nhân dân tỉnh")
    (document,) = _documents(db, meeting).values()
    version = _version(db, document)
    assert document.published_at is not None and document.agency == "Sở Tài chính"
    assert version.file_kind == "pdf" and version.has_text
    assert document.item_id is not None


def _state(db: Session, blobs: Path) -> tuple[int, int, int, int, int]:
    db.expire_all()
    return (
        len(db.exec(select(Document)).all()),
        len(db.exec(select(DocumentVersion)).all()),
        len(
            db.exec(select(AuditEntry).where(col(AuditEntry.action).startswith("document."))).all()
        ),
        len(db.exec(select(Notification)).all()),
        sum(1 for path in blobs.rglob("*") if path.is_file()),
    )


def test_loading_the_demo_twice_adds_no_document(env: Config, db: Session) -> None:
    store = LocalBlobStore(env.storage_dir)
    assert main(["demo"]) == 0
    first = _state(db, store.root)
    assert first[0] == 5 and first[1] == 5
    assert main(["demo"]) == 0
    assert _state(db, store.root) == first
    assert not list(store.temp_dir().glob("demo-*")), "no temporary file is left behind"


def test_ascii_fold_keeps_the_case() -> None:
    assert ascii_fold("Điều 1. Phạm vi điều chỉnh") == "Dieu 1. Pham vi dieu chinh"
    assert ascii_fold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == "CONG HOA XA HOI CHU NGHIA VIET NAM"
