"""Live votes in the room, through HTTP and the socket: the chair calls a vote on the item
from the console, members vote with one tap on their tablets and see their own choice, every
screen sees the count and then the result; and who may do what."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from meetings.agenda import session
from meetings.voting import actions
from meetings.voting.models import Meaning, Poll, PollState, SecretBallot, Turnout, Vote
from meetings.voting.queries import options_of
from tests.attendance.support import ACTOR, Scene, log_in, scene
from tests.client import Client
from tests.factories import Factory
from tests.live.test_views import ORIGIN, htmx_post, live, until


def in_session(factory: Factory, db: Session, **kwargs: object) -> Scene:
    """The session open on its first item, everyone checked in."""
    s = scene(factory, db, **kwargs)  # type: ignore[arg-type]
    s.open()
    session.step(db, s.meeting, actor=ACTOR, forward=True)
    for person in [s.chair, *s.members]:
        s.check_in(person)
    return s


def the_poll(s: Scene) -> Poll:
    s.db.expire_all()
    return s.db.exec(select(Poll).where(Poll.meeting_id == s.meeting.id)).one()


def option(s: Scene, poll: Poll, meaning: str) -> int:
    return next(o.id or 0 for o in options_of(s.db, poll.id or 0) if o.meaning == meaning)


def call(client: Client, s: Scene, **form: str) -> Poll:
    answer = htmx_post(client, live(s, "/polls"), {"question": "Thông qua Nghị quyết?", **form})
    assert answer.status_code == 200, answer.text
    return the_poll(s)


def test_the_chair_calls_a_vote_and_every_screen_follows_it_to_the_result(
    client: Client, factory: Factory, db: Session
) -> None:
    s = in_session(factory, db)
    log_in(client, s.chair)
    with client.websocket_connect(f"/ws/meetings/{s.meeting.id}?view=screen", headers=ORIGIN) as ws:
        until(ws, 'id="live-vote"')
        poll = call(client, s)
        assert poll.state == PollState.open and poll.item_id == s.meeting.current_item_id
        pushed = until(ws, "Thông qua Nghị quyết?")
        assert "0 of 4 have voted" in pushed
        assert "<button" not in pushed, "the room screen has nothing to press"

        # The socket stays the chair's; the votes come over HTTP as each member in turn.
        votes = [
            (s.members[0], Meaning.in_favour),
            (s.members[1], Meaning.against),
            (s.members[2], Meaning.in_favour),
        ]
        for person, meaning in votes:
            log_in(client, person)
            voted = htmx_post(
                client, live(s, f"/polls/{poll.id}/vote"), {"option": str(option(s, poll, meaning))}
            )
            assert voted.status_code == 200
        count = until(ws, "3 of 4 have voted")
        assert 'id="live-vote"' not in count, "a vote moves the count only"
        assert "Agree" not in count and "Bộ Trưởng" not in count, "never how, nor who"

        log_in(client, s.chair)
        closed = htmx_post(client, live(s, f"/polls/{poll.id}/close"))
        assert closed.status_code == 200
        result = until(ws, "vote-outcome")
        assert "Passed" in result and "more than half of the votes cast" in result
        assert "more than 1.5 of 3 in favour" in result and "3 of 4 took part" in result
        assert json.loads(the_poll(s).result)["in_favour"] == 2


def test_a_member_votes_with_one_tap_and_sees_the_choice_confirmed(
    client: Client, factory: Factory, db: Session
) -> None:
    s = in_session(factory, db)
    poll = actions.open_poll(
        db,
        actions.create(db, s.body, actor=ACTOR, question="Q?", meeting=s.meeting, item=None),
        actor=ACTOR,
    )
    member = s.members[0]
    log_in(client, member)
    page = client.get(live(s)).text
    assert f'hx-get="/meetings/{s.meeting.id}/live/polls/{poll.id}/mine"' in page
    assert "Tap your choice" in client.get(live(s, f"/polls/{poll.id}/mine")).text

    answer = htmx_post(
        client,
        live(s, f"/polls/{poll.id}/vote"),
        {"option": str(option(s, poll, Meaning.in_favour))},
    )
    assert answer.status_code == 200
    assert "Your vote has been recorded: Agree." in answer.text and "data-voted" in answer.text
    assert 'hx-swap-oob="true"' in answer.text
    stored = db.exec(select(Vote).where(Vote.poll_id == poll.id)).one()
    assert stored.voter_id == member.id

    again = htmx_post(
        client, live(s, f"/polls/{poll.id}/vote"), {"option": str(option(s, poll, Meaning.against))}
    )
    assert again.status_code == 409 and "already been cast" in again.text
    assert "Agree" in client.get(live(s, f"/polls/{poll.id}/mine")).text
    assert len(db.exec(select(Vote)).all()) == 1


def test_a_secret_vote_gives_a_receipt_and_shows_no_choice(
    client: Client, factory: Factory, db: Session
) -> None:
    s = in_session(factory, db)
    log_in(client, s.chair)
    poll = call(client, s, secret="1")
    assert poll.secret
    answer = htmx_post(
        client, live(s, f"/polls/{poll.id}/vote"), {"option": str(option(s, poll, Meaning.against))}
    )
    assert answer.status_code == 200 and "Your secret vote has been recorded." in answer.text
    receipt = db.exec(select(SecretBallot.receipt)).one()
    assert receipt in answer.text
    mine = client.get(live(s, f"/polls/{poll.id}/mine")).text
    assert "Your secret vote has been recorded." in mine and receipt not in mine
    assert "Disagree" not in mine
    assert db.exec(select(Turnout.voter_id)).one() == s.chair.id


def test_bad_votes_are_refused_with_a_message_and_store_nothing(
    client: Client, factory: Factory, db: Session
) -> None:
    s = in_session(factory, db)
    log_in(client, s.chair)
    poll = call(client, s)
    other = factory.meeting(s.body, items=1)
    for form, status, words in [
        ({}, 422, "Choose among the options"),
        ({"option": "abc"}, 422, "Choose among the options"),
        ({"option": "999999"}, 422, "Choose among the options"),
    ]:
        answer = htmx_post(client, live(s, f"/polls/{poll.id}/vote"), form)
        assert answer.status_code == status and words in answer.text
    assert (
        htmx_post(
            client, f"/meetings/{other.id}/live/polls/{poll.id}/vote", {"option": "1"}
        ).status_code
        == 404
    )
    assert client.get(live(s, "/polls/999999/mine")).status_code == 404
    assert db.exec(select(Vote)).all() == []


def test_a_member_not_checked_in_may_not_vote(
    client: Client, factory: Factory, db: Session
) -> None:
    s = scene(factory, db)
    s.open()
    session.step(db, s.meeting, actor=ACTOR, forward=True)
    s.check_in(s.chair)
    log_in(client, s.chair)
    poll = call(client, s)
    log_in(client, s.members[0])
    answer = htmx_post(
        client,
        live(s, f"/polls/{poll.id}/vote"),
        {"option": str(option(s, poll, Meaning.in_favour))},
    )
    assert answer.status_code == 409 and "Check in to the session" in answer.text
    assert db.exec(select(Vote)).all() == []


def test_only_the_chair_and_the_secretariat_run_the_vote(
    client: Client, factory: Factory, db: Session
) -> None:
    s = in_session(factory, db)
    log_in(client, s.members[0])
    assert htmx_post(client, live(s, "/polls"), {"question": "Q?"}).status_code == 403
    log_in(client, s.outsider)
    assert htmx_post(client, live(s, "/polls"), {"question": "Q?"}).status_code == 404
    assert db.exec(select(Poll)).all() == []
    log_in(client, s.secretary)
    poll = call(client, s)
    log_in(client, s.members[0])
    assert htmx_post(client, live(s, f"/polls/{poll.id}/close")).status_code == 403
    assert the_poll(s).state == PollState.open


def test_one_vote_at_a_time_and_a_blank_question_is_refused(
    client: Client, factory: Factory, db: Session
) -> None:
    s = in_session(factory, db)
    log_in(client, s.chair)
    blank = htmx_post(client, live(s, "/polls"), {"question": "  "})
    assert blank.status_code == 422 and "Write the question" in blank.text
    assert db.exec(select(Poll)).all() == []
    poll = call(client, s)
    second = htmx_post(client, live(s, "/polls"), {"question": "Another?"})
    assert second.status_code == 409 and "Close the open vote" in second.text
    assert len(db.exec(select(Poll)).all()) == 1
    console = client.get(live(s, "/console")).text
    assert (
        "Close the vote and show the result" in console
        and "Open a vote on this item" not in console
    )
    htmx_post(client, live(s, f"/polls/{poll.id}/close"))
    console = client.get(live(s, "/console")).text
    assert "Publish the result" in console and "Open a vote on this item" in console
    assert htmx_post(client, live(s, f"/polls/{poll.id}/publish")).status_code == 200
    assert the_poll(s).state == PollState.published


def test_the_vote_follows_the_item_under_discussion(
    client: Client, factory: Factory, db: Session
) -> None:
    s = in_session(factory, db)
    factory.item(s.meeting, "Báo cáo kinh tế")
    log_in(client, s.chair)
    poll = call(client, s)
    htmx_post(client, live(s, f"/polls/{poll.id}/close"))
    assert "vote-outcome" in client.get(live(s, "/screen")).text
    htmx_post(client, live(s, "/next"))
    screen = client.get(live(s, "/screen")).text
    assert "vote-outcome" not in screen and "No vote on this item." in screen


def test_a_named_vote_may_show_the_count_per_option_as_votes_come_in(
    client: Client, factory: Factory, db: Session
) -> None:
    s = in_session(factory, db)
    log_in(client, s.chair)
    poll = call(client, s, show_running="1")
    assert poll.show_running
    htmx_post(
        client, live(s, f"/polls/{poll.id}/vote"), {"option": str(option(s, poll, "against"))}
    )
    screen = client.get(live(s, "/screen")).text
    tally = screen[screen.index('id="live-tally"') :]
    assert "Disagree" in tally.split("</section>")[0], "the running figures are shown"
    secret = htmx_post(client, live(s, f"/polls/{poll.id}/close"))
    assert secret.status_code == 200
    refused = htmx_post(
        client, live(s, "/polls"), {"question": "Kín?", "secret": "1", "show_running": "1"}
    )
    assert refused.status_code == 422 and "shows no choices" in refused.text
