"""API for who takes part in a meeting: invitations, answers, check-in and quorum.

Like the meeting API, these paths act in the caller's current organisation (see
meetings.agenda.api). Everyone who may see a meeting sees its participants, their roles,
answers and attendance; why someone is absent is shown only to the secretariat, the chair
and the participant themselves (null for everyone else).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.routing import Route

from meetings.accounts.models import User
from meetings.agenda import access, web
from meetings.agenda.api import Input, prepared_meeting, visible_meeting
from meetings.agenda.models import Meeting
from meetings.attendance import actions
from meetings.attendance.models import Answer, Participant, ParticipantRole, Presence
from meetings.attendance.quorum import is_present, quorum
from meetings.i18n import _
from meetings.organisations import queries as org_queries
from meetings.web.api import api
from meetings.web.handler import Context

TAGS = ("attendance",)
MEETING = "/meetings/{meeting_id:int}"
PARTICIPANTS = MEETING + "/participants"


# -- what the API answers ------------------------------------------------------------


class ParticipantInfo(BaseModel):
    """An invitation: who, in which role, how it was answered and attended."""

    id: int
    user_id: int | None = Field(description="Null for an agency or bridge point without account")
    name: str
    title: str
    role: ParticipantRole
    voting_right: bool
    vote_weight: int
    counts_for_quorum: bool
    answer: Answer
    absence_reason: str | None = Field(
        description="Only for the secretariat, the chair and the participant; null otherwise"
    )
    substitute_id: int | None = Field(description="Who attends in the invitee's place")
    substitute_name: str | None
    answered_at: datetime | None
    presence: Presence | None = Field(description="Once checked in: in the room or remote")
    present: bool = Field(description="Checked in and not left")
    checked_in_at: datetime | None
    left_at: datetime | None


class QuorumInfo(BaseModel):
    """Present against required, out of the seats that count, under the body's rules."""

    present: int
    required: int
    seats: int
    reached: bool


# -- what the API accepts ------------------------------------------------------------


class GuestInvitation(Input):
    """A guest without a vote: a person of the organisation, or a named agency or site."""

    role: Literal["guest", "bridge_point"]
    user_id: int | None = Field(default=None, description="A person of the organisation")
    name: str = Field(default="", max_length=200, description="The agency or site, if no person")
    title: str = Field(default="", max_length=200)


class InvitationAnswer(Input):
    """Your answer to your invitation; absent and substitute need a reason."""

    reply: Literal["attend", "absent", "substitute"]
    reason: str = Field(default="", max_length=500)
    substitute_id: int | None = Field(default=None, description="Who attends in your place")


class CheckIn(Input):
    """Arrival at the session, in the room or remote."""

    presence: Presence


# -- lookups -------------------------------------------------------------------------


class _People:
    """Names of the organisation's people, looked up once each."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.known: dict[int, User | None] = {}

    def name(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in self.known:
            self.known[user_id] = org_queries.person(self.ctx.db, self.ctx.org_id(), user_id)
        found = self.known[user_id]
        return found.name if found else ""


def _sees_reasons(ctx: Context, meeting: Meeting) -> bool:
    return access.may_chair(ctx.db, web.viewer(ctx), meeting)


def _info(row: Participant, people: _People, reasons: bool, me: int) -> ParticipantInfo:
    mine = me in (row.user_id, row.substitute_id)
    return ParticipantInfo(
        **row.model_dump(exclude={"presence", "absence_reason", "name"}),
        name=row.name or people.name(row.user_id) or "",
        absence_reason=row.absence_reason if reasons or mine else None,
        substitute_name=people.name(row.substitute_id),
        presence=Presence(row.presence) if row.presence else None,
        present=is_present(row),
    )


def _one(ctx: Context, meeting: Meeting, row: Participant) -> ParticipantInfo:
    return _info(row, _People(ctx), _sees_reasons(ctx, meeting), web.viewer(ctx).user_id)


def _participant(ctx: Context, meeting: Meeting) -> Participant:
    wanted = ctx.request.path_params["participant_id"]
    found = next((r for r in actions.participants(ctx.db, meeting.id or 0) if r.id == wanted), None)
    if found is None:
        raise HTTPException(404, _("This meeting has no such participant."))
    return found


# -- operations ----------------------------------------------------------------------


@api(
    "GET",
    PARTICIPANTS,
    summary="The participants: roles, answers, attendance (absence reasons: see description)",
    response=list[ParticipantInfo],
    tags=TAGS,
)
def list_participants(ctx: Context) -> list[ParticipantInfo]:
    meeting = visible_meeting(ctx)
    people, reasons, me = _People(ctx), _sees_reasons(ctx, meeting), web.viewer(ctx).user_id
    rows = actions.participants(ctx.db, meeting.id or 0)
    return [_info(row, people, reasons, me) for row in rows]


@api(
    "POST",
    PARTICIPANTS,
    summary="Invite a guest or a bridge point, without a vote (secretariat)",
    body=GuestInvitation,
    response=ParticipantInfo,
    status=201,
    tags=TAGS,
)
def invite_guest(ctx: Context, guest: GuestInvitation) -> ParticipantInfo:
    meeting = prepared_meeting(ctx)
    row = actions.add_guest(ctx.db, meeting, actor=ctx.actor, **guest.model_dump())
    return _one(ctx, meeting, row)


@api(
    "PUT",
    MEETING + "/answer",
    summary="Answer your own invitation: attend, absent, or send a substitute",
    body=InvitationAnswer,
    response=ParticipantInfo,
    tags=TAGS,
)
def answer_invitation(ctx: Context, reply: InvitationAnswer) -> ParticipantInfo:
    meeting = visible_meeting(ctx)
    mine = web.my_participation(ctx, meeting)
    if mine is None or mine.user_id != web.viewer(ctx).user_id:
        raise HTTPException(404, _("You have no invitation to this meeting."))
    row = actions.answer(ctx.db, meeting, mine, actor=ctx.actor, **reply.model_dump())
    return _one(ctx, meeting, row)


@api(
    "POST",
    MEETING + "/check-in",
    summary="Check yourself in during the session (as invitee or substitute)",
    body=CheckIn,
    response=ParticipantInfo,
    tags=TAGS,
)
def check_in_myself(ctx: Context, arrival: CheckIn) -> ParticipantInfo:
    meeting = visible_meeting(ctx)
    mine = web.my_participation(ctx, meeting)
    if mine is None:
        raise HTTPException(404, _("You have no invitation to this meeting."))
    row = actions.check_in(ctx.db, meeting, mine, actor=ctx.actor, presence=arrival.presence)
    return _one(ctx, meeting, row)


@api(
    "POST",
    PARTICIPANTS + "/{participant_id:int}/check-in",
    summary="Check a participant in during the session (secretariat)",
    body=CheckIn,
    response=ParticipantInfo,
    tags=TAGS,
)
def check_in_participant(ctx: Context, arrival: CheckIn) -> ParticipantInfo:
    meeting = prepared_meeting(ctx)
    row = _participant(ctx, meeting)
    row = actions.check_in(ctx.db, meeting, row, actor=ctx.actor, presence=arrival.presence)
    return _one(ctx, meeting, row)


@api(
    "GET",
    MEETING + "/quorum",
    summary="Whether the quorum is reached, under the body's rules",
    response=QuorumInfo,
    tags=TAGS,
)
def get_quorum(ctx: Context) -> QuorumInfo:
    meeting = visible_meeting(ctx)
    body = org_queries.body(ctx.db, ctx.org_id(), meeting.body_id)
    assert body is not None
    count = quorum(actions.participants(ctx.db, meeting.id or 0), body)
    return QuorumInfo(
        present=count.present, required=count.required, seats=count.seats, reached=count.reached
    )


routes: list[Route] = [
    list_participants,
    invite_guest,
    answer_invitation,
    check_in_myself,
    check_in_participant,
    get_quorum,
]
