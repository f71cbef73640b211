"""Answering an invitation: attend, absent with a reason, or send a substitute."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, col, select

from meetings.agenda import actions as agenda
from meetings.archive.models import AuditEntry
from meetings.attendance import actions
from meetings.notifications.models import Notification
from tests.attendance.support import ACTOR, log_in, scene
from tests.client import Client
from tests.factories import Factory


def audit(db: Session) -> list[str]:
    db.expire_all()
    return list(db.exec(select(AuditEntry.action).order_by(col(AuditEntry.id))))


def test_invitee_sees_the_form_and_answers_attend(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    member = s.members[0]
    log_in(client, member)
    page = client.get(s.url("/answer"))
    assert page.status_code == 200
    assert "Your answer now: No answer yet." in page.text
    assert 'name="csrf_token"' in page.text
    answered = client.submit(s.url("/answer"), {"reply": "attend"})
    assert answered.status_code == 303
    assert answered.headers["location"] == s.url("/attendance")
    row = s.row(member)
    assert (row.answer, row.absence_reason, row.answered_at is not None) == ("attend", "", True)
    assert "meeting.answered" in audit(db)
    assert "Your answer has been recorded." in client.get(s.url("/attendance")).text


def test_absence_needs_a_reason(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    member = s.members[0]
    log_in(client, member)
    refused = client.submit(s.url("/answer"), {"reply": "absent", "reason": "  "})
    assert refused.status_code == 422
    assert "Give the reason for your absence." in refused.text
    assert 'aria-describedby="reason-help reason-error" aria-invalid="true"' in refused.text
    assert s.row(member).answer == "pending"
    assert "meeting.answered" not in audit(db)
    accepted = client.submit(s.url("/answer"), {"reply": "absent", "reason": "Đi công tác"})
    assert accepted.status_code == 303
    row = s.row(member)
    assert (row.answer, row.absence_reason) == ("absent", "Đi công tác")


@pytest.mark.parametrize("reply", ["", "maybe"])
def test_an_unknown_reply_is_refused(
    client: Client, factory: Factory, db: Session, reply: str
) -> None:
    s = scene(factory, db)
    log_in(client, s.members[0])
    refused = client.submit(s.url("/answer"), {"reply": reply, "reason": "x"})
    assert refused.status_code == 422
    assert "Choose attend, absent or send a substitute." in refused.text
    assert s.row(s.members[0]).answered_at is None


def test_substitute_is_named_notified_and_can_see_the_meeting(
    client: Client, other_client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    member, deputy = s.members[0], s.outsider
    log_in(client, member)
    form = {"reply": "substitute", "reason": "Họp Quốc hội", "substitute_id": str(deputy.id)}
    assert client.submit(s.url("/answer"), form).status_code == 303
    row = s.row(member)
    assert (row.answer, row.substitute_id, row.absence_reason) == (
        "substitute",
        deputy.id,
        "Họp Quốc hội",
    )
    notices = db.exec(select(Notification).where(Notification.user_id == deputy.id)).all()
    assert [n.kind for n in notices] == ["substitute"]

    log_in(other_client, deputy)
    mine = other_client.get(s.url("/attendance"))
    assert mine.status_code == 200
    assert "In place of" in mine.text and member.name in mine.text
    assert "a substitute takes part but may not vote" in mine.text
    listed = other_client.get("/notifications").text
    assert f"in place of {member.name}" in listed
    assert f'href="/meetings/{s.meeting.id}"' in listed


def test_the_substitute_does_not_answer_for_the_invitee(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    member, deputy = s.members[0], s.outsider
    actions.answer(
        db,
        s.meeting,
        s.row(member),
        actor=ACTOR,
        reply="substitute",
        reason="Ốm",
        substitute_id=deputy.id,
    )
    log_in(client, deputy)
    assert client.get(s.url("/answer")).status_code == 403
    assert client.submit(s.url("/answer"), {"reply": "attend"}).status_code == 403
    assert s.row(member).answer == "substitute"


def test_the_form_says_whether_a_substitute_may_vote(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    log_in(client, s.members[0])
    assert "a substitute takes part but may not vote" in client.get(s.url("/answer")).text
    s.body.substitutes_may_vote = True
    db.add(s.body)
    db.commit()
    assert "a substitute may vote in your place" in client.get(s.url("/answer")).text


def _substitutes(s, factory: Factory) -> dict[str, str]:  # type: ignore[no-untyped-def]
    stranger = factory.user("Người Ngoài", organisation=factory.organisation())
    return {
        "self": str(s.members[0].id),
        "already invited": str(s.members[1].id),
        "none chosen": "",
        "not a number": "abc",
        "another organisation": str(stranger.id),
    }


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("self", "You cannot be your own substitute."),
        ("already invited", "This person already takes part in the meeting."),
        ("none chosen", "Choose the person who will attend in your place."),
        ("not a number", "Choose the person who will attend in your place."),
        ("another organisation", "Choose the person who will attend in your place."),
    ],
)
def test_a_substitute_must_be_someone_else_of_the_organisation_not_taking_part(
    client: Client, factory: Factory, db: Session, case: str, message: str
) -> None:
    s = scene(factory, db)
    chosen = _substitutes(s, factory)[case]
    log_in(client, s.members[0])
    form = {"reply": "substitute", "reason": "Đi công tác", "substitute_id": chosen}
    refused = client.submit(s.url("/answer"), form)
    assert refused.status_code == 422
    assert message in refused.text
    assert 'id="substitute-error"' in refused.text
    assert "Đi công tác" in refused.text, "what was typed is kept"
    row = s.row(s.members[0])
    assert (row.answer, row.substitute_id) == ("pending", None)
    assert not db.exec(select(Notification).where(Notification.kind == "substitute")).all()


def test_someone_already_named_substitute_cannot_be_named_again(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    actions.answer(
        db,
        s.meeting,
        s.row(s.members[1]),
        actor=ACTOR,
        reply="substitute",
        reason="Ốm",
        substitute_id=s.outsider.id,
    )
    log_in(client, s.members[0])
    form = {"reply": "substitute", "reason": "Bận", "substitute_id": str(s.outsider.id)}
    refused = client.submit(s.url("/answer"), form)
    assert refused.status_code == 422
    assert "This person already takes part in the meeting." in refused.text


def test_answers_are_closed_once_the_meeting_is_over(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    agenda.open_session(db, s.meeting, actor=ACTOR)
    agenda.close_session(db, s.meeting, actor=ACTOR)
    log_in(client, s.members[0])
    page = client.get(s.url("/answer"))
    assert page.status_code == 200
    assert "Answers are closed for this meeting." in page.text
    assert 'name="reply"' not in page.text
    refused = client.submit(s.url("/answer"), {"reply": "attend"})
    assert refused.status_code == 409
    assert "Answers are closed for this meeting." in refused.text
    assert s.row(s.members[0]).answer == "pending"


def test_answering_attend_again_releases_the_substitute(
    client: Client, other_client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    log_in(client, s.members[0])
    form = {"reply": "substitute", "reason": "Bận", "substitute_id": str(s.outsider.id)}
    assert client.submit(s.url("/answer"), form).status_code == 303
    assert client.submit(s.url("/answer"), {"reply": "attend"}).status_code == 303
    row = s.row(s.members[0])
    assert (row.answer, row.substitute_id, row.absence_reason) == ("attend", None, "")
    log_in(other_client, s.outsider)
    assert other_client.get(s.url("/attendance")).status_code == 404


def test_the_substitute_list_leaves_out_people_already_taking_part(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    log_in(client, s.members[0])
    page = client.get(s.url("/answer")).text
    offered = set(re.findall(r'<option value="(\d+)"', page))
    assert str(s.outsider.id) in offered and str(s.secretary.id) in offered
    assert not offered & {str(user.id) for user in (s.chair, *s.members)}
