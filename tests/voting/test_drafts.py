"""An assistant drafts a member's answer to an opinion ballot; it counts for nothing until the
member submits it, as drafted or changed. The assistant never casts it, drafts only for the
members they assist, and cannot draft once the member has answered or in a secret ballot."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session, select

from meetings.accounts.models import User
from meetings.voting.models import AnswerDraft, Meaning, Poll, Vote
from tests.api.support import count
from tests.attendance.support import scene
from tests.client import Client
from tests.factories import Factory
from tests.voting.test_ballot_pages import (
    QUESTION,
    Browser,
    answer,
    assist,
    browsers,
    draft_ballot,
    option,
    sent_ballot,
    text,
    the_poll,
)


@pytest.fixture
def browser(app: Any) -> Iterator[Browser]:
    yield from browsers(app)


def _draft(
    client: Client, poll: Poll, member: User, meaning: str, db: Session, comment: str = ""
) -> Any:
    form = {"member_id": member.id, "option": option(db, poll.id or 0, meaning), "comment": comment}
    return client.submit(f"/polls/{poll.id}/draft", form)


def test_the_member_submits_the_draft_changed_and_only_then_it_counts(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    helper = factory.user("Trợ Lý Phạm", organisation=s.org)
    member = s.members[0]
    assist(s, member, helper)
    poll, secretary = sent_ballot(s, browser)
    url = f"/polls/{poll.id}"
    assistant = browser(helper)
    drafted = "Đề nghị làm rõ nguồn kinh phí."
    assert _draft(assistant, poll, member, Meaning.other, db, drafted).status_code == 303
    assert count(db, Vote) == 0 and count(db, AnswerDraft) == 1
    assert "0 of 4 have answered." in text(secretary.get(url)), "a draft is not an answer"
    redrafted = "Đề nghị làm rõ nguồn kinh phí năm 2027."
    assert _draft(assistant, poll, member, Meaning.other, db, redrafted).status_code == 303
    assert count(db, AnswerDraft) == 1, "one draft per member, replaced"
    assert f"Draft saved by {helper.name}" in text(assistant.get(url))

    own = browser(member)
    page = own.get(url).text
    other = option(db, poll.id or 0, Meaning.other)
    assert re.search(rf'value="{other}" checked', page), "the draft's option is chosen"
    assert redrafted in text(own.get(url)) and "Submit as my answer" in page
    agree = option(db, poll.id or 0, Meaning.in_favour)
    sent = own.submit(url + "/answer", {"option": agree, "comment": "Nhất trí."})
    assert sent.status_code == 303
    vote = db.exec(select(Vote)).one()
    assert (vote.voter_id, vote.cast_by, vote.choices, vote.comment) == (
        member.id,
        member.id,
        agree,
        "Nhất trí.",
    )
    assert count(db, AnswerDraft) == 0
    after = text(assistant.get(url))
    assert f"{member.name} has answered: Agree." in after
    late = _draft(assistant, poll, member, Meaning.against, db)
    assert late.status_code == 409 and "The member has already answered." in text(late)


def test_an_assistant_never_casts_and_drafts_only_for_their_member(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    helper = factory.user("Trợ Lý Phạm", organisation=s.org)
    assist(s, s.members[0], helper)
    poll, _secretary = sent_ballot(s, browser)
    assistant = browser(helper)
    listed = text(assistant.get("/ballots"))
    assert QUESTION in listed and f"for {s.members[0].name}" in listed
    assert f"for {s.members[1].name}" not in listed
    cast = answer(assistant, poll, Meaning.in_favour, db)
    assert cast.status_code == 403
    assert "You are not on the list of voters of this poll." in text(cast)
    foreign = _draft(assistant, poll, s.members[1], Meaning.in_favour, db)
    assert foreign.status_code == 403
    bogus = assistant.submit(f"/polls/{poll.id}/draft", {"member_id": "x", "option": "1"})
    assert bogus.status_code == 403
    silent = _draft(assistant, poll, s.members[0], Meaning.other, db)
    assert silent.status_code == 422 and "Say what your other opinion is." in text(silent)
    assert count(db, Vote) == 0 and count(db, AnswerDraft) == 0


def test_an_assistant_sees_no_draft_ballot_and_drafts_nothing_in_a_secret_one(
    factory: Factory, db: Session, browser: Browser
) -> None:
    s = scene(factory, db)
    helper = factory.user("Trợ Lý Phạm", organisation=s.org)
    assist(s, s.members[0], helper)
    assert draft_ballot(browser(s.secretary), s, secret="on").status_code == 204
    assistant = browser(helper)
    url = f"/polls/{the_poll(db).id}"
    assert assistant.get(url).status_code == 404, "not sent yet"
    chair = browser(s.chair)
    chair.submit(url + "/approve")
    chair.submit(url + "/send")
    page = text(assistant.get(url))
    assert "In a secret ballot only the member answers" in page
    refused = _draft(assistant, the_poll(db), s.members[0], Meaning.in_favour, db)
    assert refused.status_code == 409 and count(db, AnswerDraft) == 0
