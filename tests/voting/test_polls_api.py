"""The voting API: drafting, opening, casting with a receipt, my vote, the result, the ballots
of a published secret poll, the summary, and who may see or run what."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from meetings.accounts.actions import create_api_token
from meetings.db import utcnow
from meetings.voting.models import Poll, Vote
from tests.api.support import assert_error, count
from tests.attendance.support import ACTOR, Scene, scene
from tests.client import Client
from tests.factories import Factory

API = "/api/v1"


def bearer(db: Session, user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    token = create_api_token(db, user=user, name="tablet", actor=ACTOR)
    db.commit()
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def live(s: Scene, client: Client, **values: object) -> dict:  # type: ignore[type-arg]
    s.open()
    for person in [s.chair, *s.members]:
        s.check_in(person)
    body = {"question": "Thông qua dự thảo Nghị định?", "meeting_id": s.meeting.id, **values}
    made = client.post(f"{API}/bodies/{s.body.id}/polls", json=body, headers=bearer(s.db, s.chair))
    assert made.status_code == 201, made.text
    poll = made.json()
    opened = client.post(
        f"{API}/polls/{poll['id']}/transitions",
        json={"action": "open"},
        headers=bearer(s.db, s.chair),
    )
    assert opened.status_code == 200, opened.text
    return opened.json()


def option(poll: dict, meaning: str) -> int:  # type: ignore[type-arg]
    return next(o["id"] for o in poll["options"] if o["meaning"] == meaning)


def test_a_live_vote_through_the_api(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    poll = live(s, client)
    assert poll["state"] == "open" and poll["eligible"] == 4
    assert [o["label"] for o in poll["options"]] == ["Agree", "Disagree", "Abstain"]
    url = f"{API}/polls/{poll['id']}"
    member = bearer(db, s.members[0])
    cast = client.post(
        url + "/votes", json={"option_ids": [option(poll, "in_favour")]}, headers=member
    )
    assert cast.status_code == 201 and cast.json() == {"voter_id": s.members[0].id, "receipt": None}
    again = client.post(
        url + "/votes", json={"option_ids": [option(poll, "against")]}, headers=member
    )
    assert_error(again, 409, "conflict")
    assert count(db, Vote) == 1
    mine = client.get(url + "/my-vote", headers=member).json()
    assert mine == {"voted": True, "option_ids": [option(poll, "in_favour")], "delegated_to": None}
    assert client.get(url, headers=member).json()["votes_cast"] == 1
    assert client.get(url, headers=member).json()["result"] is None, "no result before the close"
    refused = client.post(url + "/transitions", json={"action": "close"}, headers=member)
    assert_error(refused, 403, "forbidden")
    early = client.post(url + "/transitions", json={"action": "close"}, headers=bearer(db, s.chair))
    assert early.json()["result"]["outcome"] == "no_quorum", "1 of 4 took part; 2/3 are needed"
    assert early.json()["state"] == "closed"


def test_with_quorum_the_majority_of_votes_cast_decides(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    poll = live(s, client)
    url = f"{API}/polls/{poll['id']}"
    for person, meaning in zip(s.members, ("in_favour", "in_favour", "against"), strict=True):
        answer = client.post(
            url + "/votes", json={"option_ids": [option(poll, meaning)]}, headers=bearer(db, person)
        )
        assert answer.status_code == 201
    closed = client.post(
        url + "/transitions", json={"action": "close"}, headers=bearer(db, s.chair)
    )
    result = closed.json()["result"]
    assert (result["outcome"], result["in_favour"], result["against"]) == ("passed", 2, 1)


def test_a_secret_vote_gives_a_receipt_found_after_publication(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    poll = live(s, client, secret=True)
    url = f"{API}/polls/{poll['id']}"
    member = bearer(db, s.members[0])
    cast = client.post(
        url + "/votes", json={"option_ids": [option(poll, "against")]}, headers=member
    )
    receipt = cast.json()["receipt"]
    assert cast.status_code == 201 and len(receipt) == 32
    assert client.get(url + "/my-vote", headers=member).json()["option_ids"] is None
    assert_error(client.get(url + "/ballots", headers=member), 409, "conflict")
    chair = bearer(db, s.chair)
    client.post(url + "/transitions", json={"action": "close"}, headers=chair)
    client.post(url + "/transitions", json={"action": "publish"}, headers=chair)
    listed = client.get(url + "/ballots", headers=member).json()
    assert {"receipt": receipt, "option_ids": [option(poll, "against")], "weight": 1} in listed


def test_an_opinion_ballot_with_a_summary_of_comments(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    secretary = bearer(db, s.secretary)
    deadline = (utcnow() + timedelta(days=2)).isoformat()
    made = client.post(
        f"{API}/bodies/{s.body.id}/polls",
        json={"question": "Ý kiến về dự thảo?", "mode": "ballot", "deadline": deadline},
        headers=secretary,
    ).json()
    url = f"{API}/polls/{made['id']}"
    unapproved = client.post(url + "/transitions", json={"action": "open"}, headers=secretary)
    assert_error(unapproved, 409, "conflict")
    approval = {"action": "approve"}
    assert_error(
        client.post(url + "/transitions", json=approval, headers=secretary), 403, "forbidden"
    )
    assert (
        client.post(url + "/transitions", json=approval, headers=bearer(db, s.chair)).status_code
        == 200
    )
    client.post(url + "/transitions", json={"action": "open"}, headers=secretary)
    other = option(made, "other")
    member = bearer(db, s.members[0])
    silent = client.post(url + "/votes", json={"option_ids": [other]}, headers=member)
    assert "other opinion" in assert_error(silent, 422, "invalid")
    said = "Đề nghị bổ sung đánh giá tác động thủ tục hành chính."
    client.post(url + "/votes", json={"option_ids": [other], "comment": said}, headers=member)
    assert_error(client.get(url + "/summary", headers=secretary), 409, "conflict")
    client.post(url + "/transitions", json={"action": "close"}, headers=secretary)
    lines = {
        line["option_id"]: line for line in client.get(url + "/summary", headers=secretary).json()
    }
    assert lines[other]["weight"] == 1
    assert lines[other]["comments"] == [f"{s.members[0].name}: {said}"]
    assert_error(client.get(url + "/summary", headers=member), 403, "forbidden")


def test_strangers_see_no_poll(client: Client, factory: Factory, db: Session) -> None:
    s = scene(factory, db)
    poll = live(s, client)
    url = f"{API}/polls/{poll['id']}"
    other_org = factory.organisation()
    stranger = factory.user("Người Ngoài", organisation=other_org)
    assert_error(client.get(url, headers=bearer(db, stranger)), 404, "not_found")
    assert_error(client.get(url, headers=bearer(db, s.outsider)), 404, "not_found")
    voted = client.post(
        url + "/votes",
        json={"option_ids": [option(poll, "in_favour")]},
        headers=bearer(db, stranger),
    )
    assert_error(voted, 404, "not_found")


def test_members_cannot_draft_and_drafts_stay_hidden(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    member = bearer(db, s.members[0])
    body = {"question": "Q?", "meeting_id": s.meeting.id}
    assert_error(
        client.post(f"{API}/bodies/{s.body.id}/polls", json=body, headers=member), 403, "forbidden"
    )
    draft = client.post(
        f"{API}/bodies/{s.body.id}/polls", json=body, headers=bearer(db, s.chair)
    ).json()
    assert_error(client.get(f"{API}/polls/{draft['id']}", headers=member), 404, "not_found")


def test_bad_input_is_refused_with_a_message_and_stores_nothing(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    poll = live(s, client)
    secretary = bearer(db, s.secretary)
    drafts = f"{API}/bodies/{s.body.id}/polls"
    before = count(db, Poll)
    blank = client.post(drafts, json={"question": "   ", "mode": "ballot"}, headers=secretary)
    assert "question" in assert_error(blank, 422, "invalid").lower()
    undated = client.post(drafts, json={"question": "Q?", "mode": "ballot"}, headers=secretary)
    assert "deadline" in assert_error(undated, 422, "invalid").lower()
    unknown = client.post(drafts, json={"question": "Q?", "colour": "red"}, headers=secretary)
    assert_error(unknown, 422, "invalid")
    assert count(db, Poll) == before
    member = bearer(db, s.members[0])
    url = f"{API}/polls/{poll['id']}/votes"
    foreign = client.post(url, json={"option_ids": [999999]}, headers=member)
    assert "options" in assert_error(foreign, 422, "invalid")
    empty = client.post(url, json={"option_ids": []}, headers=member)
    assert_error(empty, 422, "invalid")
    assert count(db, Vote) == 0
