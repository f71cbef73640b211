"""Downloading a poll's report: who may, when, in which language, and as what."""

from __future__ import annotations

from sqlmodel import Session

from meetings.voting import actions
from tests.attendance.support import ACTOR, log_in
from tests.client import Client
from tests.exports.support import answered_ballot, docx_text, open_ballot, pdf_text, province
from tests.factories import Factory

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_chair_downloads_the_report_as_word_and_pdf_once_closed(
    client: Client, factory: Factory, db: Session
) -> None:
    s = province(factory, db)
    poll = answered_ballot(s)
    log_in(client, s.chair)
    word = client.get(f"/polls/{poll.id}/summary.docx")
    assert word.status_code == 200 and word.headers["content-type"] == DOCX
    assert word.headers["content-disposition"] == (
        f'attachment; filename="Poll summary {poll.id}.docx"; '
        f"filename*=UTF-8''Poll%20summary%20{poll.id}.docx"
    )
    assert word.headers["cache-control"] == "private, no-store"
    assert "SOCIALIST REPUBLIC OF VIET NAM" in docx_text(word.content), "the reader's language"
    printed = client.get(f"/polls/{poll.id}/summary.pdf?lang=vi")
    assert printed.status_code == 200 and printed.headers["content-type"] == "application/pdf"
    assert printed.content.startswith(b"%PDF-")
    text = pdf_text(printed.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in text
    assert "Tán thành 2 50,0%" in text


def test_there_is_no_report_before_the_poll_closes(
    client: Client, factory: Factory, db: Session
) -> None:
    s = province(factory, db)
    poll = open_ballot(s)
    log_in(client, s.secretary)
    for extension in ("docx", "pdf"):
        early = client.get(f"/polls/{poll.id}/summary.{extension}")
        assert early.status_code == 409
        assert "The summary is made once the poll is closed." in early.text


def test_members_get_the_report_once_the_result_is_published(
    client: Client, factory: Factory, db: Session
) -> None:
    s = province(factory, db)
    poll = answered_ballot(s)
    log_in(client, s.members[0])
    unpublished = client.get(f"/polls/{poll.id}/summary.pdf")
    assert unpublished.status_code == 409
    assert "once the result is published" in unpublished.text
    actions.publish(db, poll, actor=ACTOR)
    published = client.get(f"/polls/{poll.id}/summary.docx")
    assert published.status_code == 200 and published.headers["content-type"] == DOCX


def test_who_may_not_see_the_poll_finds_no_report(
    client: Client, other_client: Client, factory: Factory, db: Session
) -> None:
    s = province(factory, db)
    poll = answered_ballot(s)
    actions.publish(db, poll, actor=ACTOR)
    stranger = factory.user("Người Ngoài", organisation=factory.organisation())
    log_in(client, s.outsider)  # of the organisation, not of the committee
    log_in(other_client, stranger)
    for browser in (client, other_client):
        for extension in ("docx", "pdf"):
            assert browser.get(f"/polls/{poll.id}/summary.{extension}").status_code == 404
    assert client.get(f"/polls/{(poll.id or 0) + 1000}/summary.pdf").status_code == 404


def test_a_visitor_is_sent_to_log_in(client: Client, factory: Factory, db: Session) -> None:
    s = province(factory, db)
    poll = answered_ballot(s)
    answer = client.get(f"/polls/{poll.id}/summary.docx")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=")
