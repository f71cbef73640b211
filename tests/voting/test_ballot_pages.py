"""Opinion ballots through the pages: the secretariat drafts one with a file, the chair approves
it, it is sent and the members told; members answer (one through their assistant's draft), the
secretariat sees who has not answered and reminds them; at the deadline it closes by itself and
the summary groups every comment under its option; then the result is published. Also who may
see and do what, and a secret ballot's receipts."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.archive.audit import Actor
from meetings.db import utcnow
from meetings.notifications.models import Notification
from meetings.organisations import actions as org_actions
from meetings.voting import actions
from meetings.voting.models import (
    AnswerDraft,
    Meaning,
    Poll,
    PollAttachment,
    PollState,
    SecretBallot,
    Vote,
)
from meetings.voting.queries import options_of
from tests.api.support import count
from tests.attendance.support import Scene, log_in, scene
from tests.client import Client
from tests.documents.support import pdf
from tests.factories import Factory

Browser = Callable[[User], Client]
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
QUESTION = "Ý kiến về dự thảo Nghị quyết phiên họp thường kỳ?"


def browsers(app: Any) -> Iterator[Browser]:
    """Open browsers logged in as someone (several people take part in one ballot); each is
    closed at the end of the test."""
    with ExitStack() as stack:

        def open_as(user: User) -> Client:
            client = stack.enter_context(Client(app))
            log_in(client, user)
            return client

        yield open_as


@pytest.fixture
def browser(app: Any) -> Iterator[Browser]:
    yield from browsers(app)


def text(response: Any) -> str:
    return html.unescape(response.text)


def local_input(at: datetime) -> str:
    """A time as a datetime-local field holds it, in the organisation's zone."""
    return at.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")


def assist(s: Scene, member: User, assistant: User) -> None:
    """Name an assistant on the member's seat."""
    org_actions.set_seat(
        s.db,
        body=s.body,
        user_id=member.id or 0,
        title="Bộ trưởng",
        role="member",
        voting_right=True,
        vote_weight=1,
        assistant_id=assistant.id,
        actor=Actor(None, "test"),
    )
    s.db.commit()


def option(db: Session, poll_id: int, meaning: str) -> str:
    return str(next(o.id for o in options_of(db, poll_id) if o.meaning == meaning))


def the_poll(db: Session) -> Poll:
    db.expire_all()
    return db.exec(select(Poll)).one()


def draft_ballot(client: Client, s: Scene, *, files: list[Any] | None = None, **values: Any) -> Any:
    """Send the new ballot form as htmx does (multipart, the token in a header)."""
    form = {
        "body_id": str(s.body.id),
        "question": QUESTION,
        "description": "Dự thảo kèm theo.\nXin ý kiến trước hạn.",
        "deadline": local_input(utcnow() + timedelta(days=3)),
        **values,
    }
    return client.htmx("POST", "/ballots/new", data=form, files=files or [("files", ("", b""))])


def sent_ballot(s: Scene, browser: Browser, **values: Any) -> tuple[Poll, Client]:
    """A ballot drafted by the secretary, approved by the chair and sent; the secretary's
    browser."""
    secretary = browser(s.secretary)
    made = draft_ballot(secretary, s, **values)
    assert made.status_code == 204, made.text
    poll = the_poll(s.db)
    assert browser(s.chair).submit(f"/polls/{poll.id}/approve").status_code == 303
    assert secretary.submit(f"/polls/{poll.id}/send").status_code == 303
    return the_poll(s.db), secretary


def answer(client: Client, poll: Poll, meaning: str, db: Session, comment: str = "") -> Any:
    form = {"option": option(db, poll.id or 0, meaning), "comment": comment}
    return client.submit(f"/polls/{poll.id}/answer", form)


def summary_of(page: str) -> dict[str, str]:
    """The summary section, per option heading: the text under it."""
    section = page.split('id="summary-title"', 1)[1].split("</section>", 1)[0]
    parts = section.split('<div class="summary-option">')[1:]
    found = {}
    for part in parts:
        heading = re.search(r"<h3>(.*?):", part)
        assert heading is not None
        found[heading.group(1)] = part
    return found


def close_at(db: Session, when: datetime) -> int:
    """What the job runner does at the deadline (in a session that sees every change)."""
    db.expire_all()
    return actions.close_due(db, now=when)


def notified(db: Session, kind: str) -> list[int]:
    db.expire_all()
    rows = db.exec(select(Notification).where(Notification.kind == kind))
    return sorted(row.user_id for row in rows)


# -- the whole flow ----------------------------------------------------------------------------


def test_a_ballot_from_its_draft_to_its_published_summary(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    helper = factory.user("Trợ Lý Phạm", organisation=s.org)
    assist(s, s.members[2], helper)
    secretary = browser(s.secretary)
    assert s.body.name in text(secretary.get("/ballots/new"))
    deadline = utcnow() + timedelta(days=3)
    made = draft_ballot(
        secretary,
        s,
        deadline=local_input(deadline),
        files=[("files", ("Tờ trình.pdf", pdf(), "application/pdf"))],
    )
    assert made.status_code == 204, made.text
    poll = the_poll(db)
    url = made.headers["HX-Redirect"]
    assert url == f"/polls/{poll.id}" and poll.state == PollState.draft
    assert poll.description.startswith("Dự thảo kèm theo.")
    assert abs(poll.deadline - deadline) < timedelta(minutes=1)  # type: ignore[operator]
    assert count(db, PollAttachment) == 1

    drafted = text(secretary.get(url))
    assert "Waiting for the approval of the body's chair" in drafted and "Tờ trình.pdf" in drafted
    assert f'action="/polls/{poll.id}/approve"' not in drafted, "only the chair approves"
    assert secretary.submit(url + "/send").status_code == 409, "not approved yet"
    chair = browser(s.chair)
    assert f'action="/polls/{poll.id}/approve"' in chair.get(url).text
    assert chair.submit(url + "/approve").status_code == 303
    assert secretary.submit(url + "/send").status_code == 303
    voters = sorted(u.id or 0 for u in [s.chair, *s.members])
    assert notified(db, "ballot_opened") == voters
    member = browser(s.members[0])
    assert QUESTION in text(member.get("/notifications"))
    listed = text(member.get("/ballots"))
    assert QUESTION in listed and "Not answered yet" in listed

    assert answer(member, poll, Meaning.in_favour, db).status_code == 303
    assert "You answered: Agree." in text(member.get(url))
    second = browser(s.members[1])
    silent = answer(second, poll, Meaning.other, db)
    assert silent.status_code == 422 and "Say what your other opinion is." in text(silent)
    assert count(db, Vote) == 1
    said = "Cần bổ sung đánh giá tác động."
    assert answer(second, poll, Meaning.other, db, comment=said).status_code == 303

    assistant = browser(helper)
    assert f"for {s.members[2].name}" in text(assistant.get("/ballots"))
    against = option(db, poll.id or 0, Meaning.against)
    reason = "Chưa đủ cơ sở pháp lý."
    saved = assistant.submit(
        url + "/draft", {"member_id": s.members[2].id, "option": against, "comment": reason}
    )
    assert saved.status_code == 303 and count(db, Vote) == 2
    third = browser(s.members[2])
    page = text(third.get(url))
    assert f"Drafted by {helper.name}" in page and reason in page
    assert third.submit(url + "/answer", {"option": against, "comment": reason}).status_code == 303
    assert count(db, Vote) == 3 and count(db, AnswerDraft) == 0

    running = text(secretary.get(url))
    assert "3 of 4 have answered." in running
    row = running.split(f'<th scope="row">{s.chair.name}</th>', 1)[1].split("</tr>", 1)[0]
    assert "Not answered" in row
    assert secretary.submit(url + "/remind").status_code == 303
    assert notified(db, "ballot_reminder") == [s.chair.id], "only who has not answered"

    assert close_at(db, deadline + timedelta(minutes=1)) == 1
    closed = text(secretary.get(url))
    summary = summary_of(closed)
    assert list(summary) == ["Agree", "Disagree", "Other opinion"]
    assert f"{s.members[1].name}: {said}" in summary["Other opinion"]
    assert f"{s.members[2].name}: {reason}" in summary["Disagree"]
    assert said not in summary["Disagree"] and reason not in summary["Other opinion"]
    assert '<span class="summary-count">1</span>' in summary["Agree"]
    assert f"/polls/{poll.id}/summary.docx" in closed and f"/polls/{poll.id}/summary.pdf" in closed
    assert "Not passed" in closed, "1 in favour of 3 cast"
    before = text(member.get(url))
    assert "Not passed" not in before and "summary.docx" not in before, "not published yet"
    assert secretary.submit(url + "/publish").status_code == 303
    published = text(member.get(url))
    assert "Not passed" in published and f"{s.members[1].name}: {said}" in published
    assert "summary.docx" not in text(assistant.get(url)), "the report is the members'"
    assert the_poll(db).state == PollState.published


# -- who may see and do what -------------------------------------------------------------------


def test_a_ballot_is_hidden_from_outsiders_and_other_organisations(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    poll, _secretary = sent_ballot(s, browser)
    url = f"/polls/{poll.id}"
    other_org = factory.organisation()
    stranger = factory.user("Người Ngoài", organisation=other_org, role="secretary")
    for person in (s.outsider, stranger):
        visitor = browser(person)
        assert visitor.get(url).status_code == 404
        assert visitor.submit(url + "/answer", {"option": "1"}).status_code == 404
        assert QUESTION not in text(visitor.get("/ballots"))
    assert count(db, Vote) == 0


def test_a_draft_is_hidden_from_members_and_only_the_chair_approves(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    assert draft_ballot(browser(s.secretary), s).status_code == 204
    url = f"/polls/{the_poll(db).id}"
    member = browser(s.members[0])
    assert member.get(url).status_code == 404, "a draft is the secretariat's"
    assert QUESTION not in text(member.get("/ballots"))
    assert member.get("/ballots/new").status_code == 403
    chair = browser(s.chair)
    assert QUESTION in text(chair.get("/ballots")), "the chair sees drafts to approve"
    chair.submit(url + "/approve")
    assert chair.submit(url + "/send").status_code == 303
    for step in ("approve", "send", "remind", "cancel", "publish"):
        assert member.submit(f"{url}/{step}").status_code == 403
    assert the_poll(db).state == PollState.open


def test_the_secretary_cannot_approve_and_a_member_cannot_send(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    secretary = browser(s.secretary)
    draft_ballot(secretary, s)
    url = f"/polls/{the_poll(db).id}"
    refused = secretary.submit(url + "/approve")
    assert refused.status_code == 403
    assert "Only the body's chair approves an opinion ballot." in text(refused)
    assert the_poll(db).approved_at is None


def test_nobody_answers_twice(factory: Factory, db: Session, browser: Browser) -> None:
    s = scene(factory, db)
    poll, _secretary = sent_ballot(s, browser)
    member = browser(s.members[0])
    assert answer(member, poll, Meaning.in_favour, db).status_code == 303
    again = answer(member, poll, Meaning.against, db)
    assert again.status_code == 409 and "This vote has already been cast." in text(again)
    assert [v.choices for v in db.exec(select(Vote))] == [option(db, poll.id or 0, "in_favour")]


def test_an_answer_after_the_deadline_is_refused(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    poll, _secretary = sent_ballot(s, browser)
    poll.deadline = utcnow() - timedelta(minutes=1)  # before the job runner has closed it
    db.add(poll)
    db.commit()
    late = answer(browser(s.members[0]), poll, Meaning.in_favour, db)
    assert late.status_code == 409 and "The deadline has passed." in text(late)
    assert count(db, Vote) == 0


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ("", "Choose the date and time by which members answer."),
        ("next week", "Give the date and time, for example 22/11/2026 17:00."),
        ("PAST", "Choose a deadline in the future."),
    ],
)
def test_a_bad_deadline_is_refused_at_its_field_and_nothing_is_stored(
    factory: Factory, db: Session, browser: Browser, deadline: str, message: str
) -> None:
    s = scene(factory, db)
    if deadline == "PAST":
        deadline = local_input(utcnow() - timedelta(hours=1))
    secretary = browser(s.secretary)
    refused = secretary.submit(
        "/ballots/new", {"body_id": s.body.id, "question": QUESTION, "deadline": deadline}
    )
    assert refused.status_code == 422
    page = text(refused)
    assert f'<p class="field-error" id="ballot-deadline-error">{message}</p>' in page
    assert QUESTION in page, "what was typed is kept"
    assert count(db, Poll) == 0


def test_a_blank_question_and_a_foreign_body_are_refused(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    other_body = factory.body(factory.organisation())
    secretary = browser(s.secretary)
    blank = draft_ballot(secretary, s, question="   ")
    assert blank.status_code == 422 and "Write the question" in text(blank)
    foreign = draft_ballot(secretary, s, body_id=str(other_body.id))
    assert foreign.status_code == 422 and "Choose a body from the list." in text(foreign)
    assert count(db, Poll) == 0


# -- a secret ballot: receipts ---------------------------------------------------------------


def receipt_of(response: Any) -> str:
    found = re.search(r'<code class="receipt">([0-9a-f ]+)</code>', response.text)
    assert found is not None, response.text
    return found.group(1)


def test_a_secret_ballot_gives_a_receipt_found_in_the_published_ballots(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    poll, secretary = sent_ballot(s, browser, secret="on")
    assert poll.secret
    url = f"/polls/{poll.id}"
    member = browser(s.members[0])
    cast = member.htmx(
        "POST", url + "/answer", data={"option": option(db, poll.id or 0, Meaning.against)}
    )
    assert cast.status_code == 200 and 'id="my-answer"' in cast.text
    receipt = receipt_of(cast)
    assert "<code" not in member.get(url).text, "the receipt is shown once"
    other = browser(s.members[1])
    plain = answer(other, poll, Meaning.in_favour, db)
    assert plain.status_code == 200, "without htmx the page itself carries the receipt"
    receipt_of(plain)
    assert member.get(url + "/ballots").status_code == 409, "listed once published"
    close_at(db, utcnow() + timedelta(days=4))
    assert secretary.submit(url + "/publish").status_code == 303

    mine = text(member.get(url + "/ballots", params={"receipt": receipt}))
    assert "Your ballot is in the count: Disagree." in mine
    assert "The ballots add up to the published result." in mine
    assert mine.count('<code class="receipt">') == 1, "only the ballot asked for"
    everyone = text(member.get(url + "/ballots"))
    assert everyone.count('<code class="receipt">') == 2
    stored = {b.receipt for b in db.exec(select(SecretBallot))}
    assert "".join(receipt.split()) in stored
    typo = text(member.get(url + "/ballots", params={"receipt": "0" * 32}))
    assert "No ballot has this receipt." in typo


def test_the_ballot_totals_are_checked_against_the_published_result(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    poll, secretary = sent_ballot(s, browser, secret="on")
    for person in s.members[:2]:
        answer(browser(person), poll, Meaning.in_favour, db)
    close_at(db, utcnow() + timedelta(days=4))
    secretary.submit(f"/polls/{poll.id}/publish")
    # Were a ballot to go missing after publication, the page would say it does not add up.
    db.delete(db.exec(select(SecretBallot)).first())
    db.commit()
    page = text(browser(s.members[0]).get(f"/polls/{poll.id}/ballots"))
    assert "The ballots do not add up to the published result." in page
