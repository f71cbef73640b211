"""The secretariat corrects a drafted ballot's question or deadline before it is sent; a change
withdraws the chair's approval, and once sent the ballot stays as the members received it."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import Session, select

from meetings.archive.models import AuditEntry
from meetings.db import utcnow
from meetings.voting.models import PollState
from tests.attendance.support import scene
from tests.factories import Factory
from tests.voting.test_ballot_pages import (
    QUESTION,
    Browser,
    browser,  # noqa: F401 (the fixture)
    draft_ballot,
    local_input,
    sent_ballot,
    text,
    the_poll,
)

BETTER = "Ý kiến về dự thảo Nghị quyết về phát triển kinh tế - xã hội năm 2027?"


def test_a_draft_is_restated_and_the_chair_approves_it_again(
    factory: Factory,
    db: Session,
    browser: Browser,  # noqa: F811
) -> None:
    s = scene(factory, db)
    secretary, chair = browser(s.secretary), browser(s.chair)
    assert draft_ballot(secretary, s).status_code == 204
    poll = the_poll(db)
    url = f"/polls/{poll.id}"
    page = text(secretary.get(url))
    assert f'action="{url}/restate"' in page
    assert chair.submit(url + "/approve").status_code == 303
    later = utcnow().replace(second=0, microsecond=0) + timedelta(days=5)
    changed = secretary.submit(
        url + "/restate", {"question": BETTER, "deadline": local_input(later)}
    )
    assert changed.status_code == 303
    poll = the_poll(db)
    assert (poll.question, poll.deadline, poll.approved_at) == (BETTER, later, None)
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "poll.restated")).one()
    assert json.loads(entry.data)["approval_withdrawn"] is True
    assert secretary.submit(url + "/send").status_code == 409, "approved again first"
    assert chair.submit(url + "/approve").status_code == 303
    assert secretary.submit(url + "/send").status_code == 303
    assert the_poll(db).state == PollState.open
    after = secretary.submit(
        url + "/restate", {"question": QUESTION, "deadline": local_input(later)}
    )
    assert after.status_code == 409, "what the members received stays as it was"
    assert the_poll(db).question == BETTER


def test_a_bad_change_is_refused_at_its_field_and_keeps_what_was_typed(
    factory: Factory,
    db: Session,
    browser: Browser,  # noqa: F811
) -> None:
    s = scene(factory, db)
    secretary = browser(s.secretary)
    draft_ballot(secretary, s)
    before = the_poll(db)
    url = f"/polls/{before.id}/restate"
    past = local_input(utcnow() - timedelta(hours=1))
    refused = secretary.submit(url, {"question": BETTER, "deadline": past})
    assert refused.status_code == 422
    page = text(refused)
    assert BETTER in page, "the question typed is kept"
    blank = secretary.submit(url, {"question": "   ", "deadline": local_input(utcnow())})
    assert blank.status_code == 422
    after = the_poll(db)
    assert (after.question, after.deadline) == (before.question, before.deadline)
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "poll.restated")).first() is None


def test_only_those_running_the_ballot_restate_it(
    factory: Factory,
    db: Session,
    browser: Browser,  # noqa: F811
) -> None:
    s = scene(factory, db)
    poll, _secretary = sent_ballot(s, browser)
    form = {"question": BETTER, "deadline": local_input(utcnow() + timedelta(days=2))}
    assert browser(s.members[0]).submit(f"/polls/{poll.id}/restate", form).status_code == 403
    stranger = factory.user(organisation=factory.organisation(), role="secretary")
    assert browser(stranger).submit(f"/polls/{poll.id}/restate", form).status_code == 404
    assert the_poll(db).question == QUESTION
