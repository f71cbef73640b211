"""Results hold only what the searcher may read, by each area's own rule; the done-test of
the issue: "nghi dinh dinh danh" finds the draft decree, its minutes and its vote."""

from __future__ import annotations

from sqlmodel import Session, select

from meetings.voting.models import Poll, PollState
from tests.client import Client
from tests.search.support import (
    BALLOT,
    DECREE,
    SECRET_REPORT,
    TASK,
    Scene,
    found,
    log_in,
)

MEETING = "Phiên họp Chính phủ chuyên đề xây dựng pháp luật"
MINUTES = "12/BB-CP " + MEETING
DRAFT_MINUTES = MEETING  # a draft record has no number yet
EVERYTHING_A_MEMBER_READS = {
    ("meeting", MEETING),
    ("document", DECREE),
    ("minutes", MINUTES),
    ("conclusion", MINUTES),
    ("ballot", BALLOT),  # the question, and the opinions once the result is published
    ("task", TASK),
}


def test_typing_the_decree_without_accents_finds_it_its_minutes_and_its_vote(
    client: Client, scene: Scene
) -> None:
    log_in(client, scene.people["member"])
    assert found(client, "nghi dinh dinh danh") == EVERYTHING_A_MEMBER_READS


def test_a_guest_never_sees_a_confidential_document_not_even_its_title(
    client: Client, scene: Scene
) -> None:
    log_in(client, scene.people["guest"])
    results = found(client, "dinh danh")
    assert ("document", DECREE) in results
    assert all(title != SECRET_REPORT for _, title in results)
    assert found(client, "an ninh he thong") == set()
    assert ("task", TASK) not in results and ("ballot", BALLOT) not in results


def test_the_secretariat_sees_drafts_and_the_members_do_not(client: Client, scene: Scene) -> None:
    log_in(client, scene.people["member"])
    assert found(client, "chua cong bo") == set()
    assert found(client, "ban nhap bien ban") == set()
    assert found(client, "phieu nhap") == set()
    other = Client(client.app)
    log_in(other, scene.people["secretary"])
    assert ("document", "Tờ trình định danh chưa công bố") in found(other, "chua cong bo")
    assert found(other, "ban nhap bien ban") == {("minutes", DRAFT_MINUTES)}
    assert found(other, "phieu nhap") == {("ballot", "Phiếu nháp về định danh")}


def test_another_meeting_of_a_body_without_a_seat_is_not_searched(
    client: Client, scene: Scene
) -> None:
    log_in(client, scene.people["member"])
    assert found(client, "thi dua") == set()
    outsider = Client(client.app)
    log_in(outsider, scene.people["outsider"])
    assert found(outsider, "dinh danh") == set()


def test_another_organisation_is_never_searched(client: Client, scene: Scene) -> None:
    log_in(client, scene.people["secretary"])
    assert [t for k, t in found(client, "xac thuc dien tu") if k == "document"] == [DECREE]
    stranger = Client(client.app)
    log_in(stranger, scene.people["stranger"])
    assert found(stranger, "dinh danh") == {
        ("meeting", "Họp tỉnh về định danh"),
        ("document", DECREE),
    }
    assert found(stranger, "thi dua") == set()


def test_written_opinions_are_searched_as_the_summary_shows_them(
    client: Client, scene: Scene, db: Session
) -> None:
    poll = db.exec(select(Poll).where(Poll.question == BALLOT)).one()
    poll.state = PollState.closed  # closed, its result not yet published
    db.add(poll)
    db.commit()
    log_in(client, scene.people["member"])
    assert found(client, "hoc sinh duoi 14 tuoi") == set()
    assert found(client, "cho y kien") == {("ballot", BALLOT)}  # the question itself
    secretary = Client(client.app)
    log_in(secretary, scene.people["secretary"])
    assert found(secretary, "hoc sinh duoi 14 tuoi") == {("ballot", BALLOT)}
