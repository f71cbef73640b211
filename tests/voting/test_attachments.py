"""Files sent with an opinion ballot: checked from their bytes when drafted, added and removed
only while the ballot is a draft, downloaded (as an attachment) only by those who may see the
ballot. A refused file stores nothing: no ballot, no row, no blob, no temporary file."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from meetings.config import Config
from meetings.voting.models import Poll, PollAttachment
from meetings.web.app import create_app
from tests.api.support import count
from tests.attendance.support import log_in, scene
from tests.client import Client
from tests.documents.support import docx, pdf
from tests.factories import Factory
from tests.voting.test_ballot_pages import (
    Browser,
    browsers,
    draft_ballot,
    sent_ballot,
    text,
    the_poll,
)

PDF = "application/pdf"


@pytest.fixture
def browser(app: Any) -> Iterator[Browser]:
    yield from browsers(app)


def stored(storage_dir: Path) -> set[Path]:
    """Every file in the blob store and its temporary folder."""
    return {p for folder in ("blobs", "tmp") for p in (storage_dir / folder).rglob("*")}


def test_a_file_sent_with_a_ballot_is_downloaded_by_its_members_only(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    content = pdf("To trinh so 12")
    poll, _secretary = sent_ballot(
        s, browser, files=[("files", ("Tờ trình số 12.pdf", content, PDF))]
    )
    attachment = db.exec(select(PollAttachment)).one()
    url = f"/polls/{poll.id}/attachments/{attachment.id}"
    member = browser(s.members[0])
    assert url in member.get(f"/polls/{poll.id}").text
    got = member.get(url)
    assert got.status_code == 200 and got.content == content
    assert got.headers["content-type"] == PDF
    assert got.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''T%E1%BB%9D%20tr%C3%ACnh" in got.headers["content-disposition"]
    assert got.headers["x-content-type-options"] == "nosniff"
    stranger = factory.user("Người Ngoài", organisation=factory.organisation(), role="admin")
    for person in (s.outsider, stranger):
        assert browser(person).get(url).status_code == 404
    assert member.get(f"/polls/{poll.id}/attachments/{attachment.id + 1}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Tờ trình.pdf", b"MZ\x90\x00 not a document", "Files of type EXE are not accepted."),
        ("Tờ trình.pdf", docx(), "but the file itself is of another type"),
        ("Trống.pdf", b"", "The file is empty"),
    ],
)
def test_a_refused_file_stores_nothing(
    factory: Factory,
    db: Session,
    browser: Browser,
    storage_dir: Path,
    name: str,
    content: bytes,
    message: str,
) -> None:
    s = scene(factory, db)
    secretary = browser(s.secretary)
    before = stored(storage_dir)
    good = ("files", ("Báo cáo.pdf", pdf("Bao cao rieng"), PDF))
    refused = draft_ballot(secretary, s, files=[good, ("files", (name, content, PDF))])
    assert refused.status_code == 422
    page = text(refused)
    assert f"“{name}”" in page and message in page and 'id="ballot-files-error"' in page
    assert count(db, Poll) == 0 and count(db, PollAttachment) == 0
    assert stored(storage_dir) == before, "neither the good file nor the bad one is kept"


def test_a_file_sent_without_javascript_is_refused_not_dropped(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    secretary = browser(s.secretary)
    form = {"body_id": s.body.id, "question": "Ý kiến?", "deadline": "22/11/2099 17:00"}
    refused = secretary.submit("/ballots/new", {**form, "files": "Tờ trình.pdf"})
    assert refused.status_code == 422 and "sending files needs JavaScript" in text(refused)
    assert count(db, Poll) == 0
    made = secretary.submit("/ballots/new", {**form, "files": ""})
    assert made.status_code == 303, "no file chosen: the ballot is drafted"


@pytest.fixture
def small_uploads(config: Config) -> Iterator[Client]:
    """An app that takes files up to 1 MB."""
    with Client(create_app(dataclasses.replace(config, max_upload_mb=1))) as client:
        yield client


def test_a_file_over_the_limit_answers_413_and_stores_nothing(
    factory: Factory, db: Session, small_uploads: Client, storage_dir: Path
) -> None:
    s = scene(factory, db)
    log_in(small_uploads, s.secretary)
    before = stored(storage_dir)
    big = ("files", ("Phụ lục.txt", b"a" * (1024 * 1024 + 1), "text/plain"))
    refused = draft_ballot(small_uploads, s, files=[big])
    assert refused.status_code == 413
    assert "larger than 1 MB" in text(refused)
    assert count(db, Poll) == 0 and stored(storage_dir) == before


def test_a_body_over_the_form_limit_answers_413(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    huge = ("files", ("Phụ lục.txt", b"a" * (9 * 1024 * 1024), "text/plain"))
    assert draft_ballot(browser(s.secretary), s, files=[huge]).status_code == 413
    assert count(db, Poll) == 0


def _add(client: Client, poll: Poll, *files: Any) -> Any:
    return client.htmx("POST", f"/polls/{poll.id}/attachments", files=list(files))


def test_files_are_added_and_removed_only_while_the_ballot_is_a_draft(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    secretary = browser(s.secretary)
    draft_ballot(secretary, s)
    poll = the_poll(db)
    added = _add(secretary, poll, ("files", ("Dự thảo.pdf", pdf(), PDF)))
    assert added.status_code == 204 and count(db, PollAttachment) == 1
    bad = _add(secretary, poll, ("files", ("Dự thảo.pdf", b"plain words", PDF)))
    assert bad.status_code == 422 and 'id="poll-files-error"' in bad.text
    assert "Add the files" in bad.text and "<html" not in bad.text, "htmx gets the section"
    attachment = db.exec(select(PollAttachment)).one()
    remove = f"/polls/{poll.id}/attachments/{attachment.id}/remove"
    assert secretary.submit(remove).status_code == 303 and count(db, PollAttachment) == 0
    _add(secretary, poll, ("files", ("Dự thảo.pdf", pdf(), PDF)))
    chair = browser(s.chair)
    chair.submit(f"/polls/{poll.id}/approve")
    chair.submit(f"/polls/{poll.id}/send")
    late = _add(secretary, poll, ("files", ("Phụ lục.pdf", pdf("Phu luc"), PDF)))
    assert late.status_code == 409 and count(db, PollAttachment) == 1
    kept = db.exec(select(PollAttachment)).one()
    assert secretary.submit(f"/polls/{poll.id}/attachments/{kept.id}/remove").status_code == 409
    member = browser(s.members[0])
    assert _add(member, poll, ("files", ("x.pdf", pdf(), PDF))).status_code == 403
    assert member.submit(f"/polls/{poll.id}/attachments/{kept.id}/remove").status_code == 403
    assert count(db, PollAttachment) == 1
