"""Files sent with a progress report or a comment: checked from their bytes like documents,
kept once by content, downloaded by whoever sees the task; a refused file stores nothing."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from meetings.tasks.models import Task, TaskAttachment, TaskUpdate
from tests.api.support import count
from tests.client import Client
from tests.documents.support import pdf
from tests.tasks.support import Scene, files_under, log_in

REPORT = "Báo cáo tiến độ quý IV.pdf"


def _storage(client: Client) -> set[Path]:
    return files_under(client.app.state.config.storage_dir)  # type: ignore[attr-defined]


def test_a_progress_report_with_files_keeps_them_for_those_who_see_the_task(
    client: Client, other_client: Client, db: Session, s: Scene
) -> None:
    task = s.task()
    log_in(client, s.assignee)
    client.get(f"/tasks/{task.id}")
    files = [
        ("files", (REPORT, pdf("Bao cao tien do"), "application/pdf")),
        ("files", ("ghi chú.txt", "Số liệu đến ngày 30/11.".encode(), "text/plain")),
    ]
    sent = client.htmx("POST", f"/tasks/{task.id}/progress", data={"progress": "60"}, files=files)
    assert sent.status_code == 204 and sent.headers["HX-Redirect"] == f"/tasks/{task.id}"
    kept = db.exec(select(TaskAttachment).order_by(TaskAttachment.id)).all()
    assert [(a.filename, a.media_type) for a in kept] == [
        (REPORT, "application/pdf"),
        ("ghi chú.txt", "text/plain"),
    ]
    update = db.exec(select(TaskUpdate).where(TaskUpdate.kind == "progress")).one()
    assert {a.update_id for a in kept} == {update.id}
    page = client.get(f"/tasks/{task.id}")
    assert f'href="/tasks/{task.id}/files/{kept[0].id}"' in page.text

    log_in(other_client, s.member)
    download = other_client.get(f"/tasks/{task.id}/files/{kept[0].id}")
    assert download.status_code == 200
    assert download.content == pdf("Bao cao tien do")
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o" in download.headers["content-disposition"]
    assert download.headers["x-content-type-options"] == "nosniff"
    assert other_client.get(f"/tasks/{task.id}/files/999999").status_code == 404


def test_a_file_is_not_downloaded_by_those_who_do_not_see_the_task(
    client: Client, other_client: Client, db: Session, s: Scene
) -> None:
    task = s.task()
    log_in(client, s.assignee)
    client.get(f"/tasks/{task.id}")
    files = {"files": ("ghi chú.txt", "Nội dung".encode(), "text/plain")}
    client.htmx("POST", f"/tasks/{task.id}/comment", data={"comment": "Gửi kèm"}, files=files)
    attachment = db.exec(select(TaskAttachment)).one()
    log_in(other_client, s.outsider)
    assert other_client.get(f"/tasks/{task.id}/files/{attachment.id}").status_code == 404
    other = s.task(title="Việc khác")
    wrong_task = client.get(f"/tasks/{other.id}/files/{attachment.id}")
    assert wrong_task.status_code == 404, "a file is found only under its own task"


def test_a_refused_file_refuses_the_report_and_stores_nothing(
    client: Client, db: Session, s: Scene
) -> None:
    task = s.task()
    log_in(client, s.assignee)
    client.get(f"/tasks/{task.id}")
    before, updates = _storage(client), count(db, TaskUpdate)
    files = [
        ("files", ("tot.txt", "Tốt".encode(), "text/plain")),
        ("files", ("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")),
    ]
    sent = client.htmx("POST", f"/tasks/{task.id}/progress", data={"progress": "70"}, files=files)
    assert sent.status_code == 422
    assert 'id="progress-files-error"' in sent.text and "bao-cao.pdf" in sent.text
    assert count(db, TaskAttachment) == 0 and count(db, TaskUpdate) == updates
    assert _storage(client) == before, "no blob and no temporary file left"
    db.expire_all()
    assert db.get(Task, task.id).progress == 0  # type: ignore[union-attr]


def test_a_form_sent_without_the_files_themselves_is_refused(
    client: Client, db: Session, s: Scene
) -> None:
    task = s.task()
    log_in(client, s.assignee)
    form = {"progress": "20", "files": "bao-cao.pdf"}
    sent = client.submit(f"/tasks/{task.id}/progress", form)
    assert sent.status_code == 422 and 'id="progress-files-error"' in sent.text
    assert "sending files needs JavaScript" in sent.text
    assert count(db, TaskUpdate) == 1, "only the assignment"
