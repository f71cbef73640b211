"""API for organisations, their bodies and the seats in them.

Any member may read their organisation and its bodies; only its administrators change them;
administrators and secretaries may list its people. Ids of another organisation answer 404.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.i18n import _
from meetings.organisations import actions, queries
from meetings.organisations.models import Body, BodyRole, OrgRole
from meetings.web.api import api
from meetings.web.handler import Context

TAGS = ("organisations",)
ORG = "/organisations/{org_id:int}"
BODY = ORG + "/bodies/{body_id:int}"
SEAT = BODY + "/seats/{user_id:int}"


# -- what the API answers ------------------------------------------------------------


class OrganisationInfo(BaseModel):
    """An organisation, with the caller's role in it."""

    id: int
    name: str
    short_name: str
    timezone: str = Field(description="IANA time zone for local dates, e.g. Asia/Ho_Chi_Minh")
    role: OrgRole = Field(description="The caller's role in this organisation")


class BodyInfo(BaseModel):
    """A body of the organisation: who meets."""

    id: int
    name: str
    description: str
    created_at: datetime
    archived_at: datetime | None


class SeatInfo(BaseModel):
    """A seat in a body: whose it is, their title, role, voting right and weight."""

    user_id: int
    name: str
    title: str
    role: BodyRole
    voting_right: bool
    vote_weight: int
    assistant_id: int | None = Field(description="A person who may act for the member")


class BodyWithSeats(BodyInfo):
    """A body and its seats in protocol order."""

    seats: list[SeatInfo]


class PersonInfo(BaseModel):
    """A person of the organisation and their role in it."""

    id: int
    name: str
    email: str
    role: OrgRole
    active: bool


# -- what the API accepts ------------------------------------------------------------


class Input(BaseModel):
    """Request bodies take JSON types as they are and refuse unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True)


class BodyCreate(Input):
    """A new body."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)


class BodyUpdate(Input):
    """Changes to a body; a field left out (or null) keeps its value."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class SeatUpdate(Input):
    """The whole seat of a person in a body; fields left out take their defaults."""

    role: BodyRole
    title: str = Field(default="", max_length=200)
    voting_right: bool = Field(default=True, description="Guests never vote")
    vote_weight: int = Field(default=1, ge=0, le=100, description="0 when without a vote")
    assistant_id: int | None = Field(default=None, description="A person of the organisation")


# -- access and lookups --------------------------------------------------------------


def _body(ctx: Context) -> Body:
    found = queries.body(ctx.db, ctx.org_id(), ctx.request.path_params["body_id"])
    if found is None:
        raise HTTPException(404, _("This organisation has no such body."))
    return found


def _seat(ctx: Context, body: Body) -> queries.Seat:
    user_id = ctx.request.path_params["user_id"]
    found = next((s for s in queries.seats(ctx.db, body.id or 0) if s.user.id == user_id), None)
    if found is None:
        raise HTTPException(404, _("This person has no seat in this body."))
    return found


def _body_info(body: Body) -> BodyInfo:
    return BodyInfo.model_validate(body, from_attributes=True)


def _seat_info(seat: queries.Seat) -> SeatInfo:
    m = seat.membership
    return SeatInfo(
        user_id=m.user_id,
        name=seat.user.name,
        title=m.title,
        role=BodyRole(m.role),
        voting_right=m.voting_right,
        vote_weight=m.vote_weight,
        assistant_id=m.assistant_id,
    )


# -- operations ----------------------------------------------------------------------


@api(
    "GET", ORG, summary="The organisation and your role in it", response=OrganisationInfo, tags=TAGS
)
def get_organisation(ctx: Context) -> OrganisationInfo:
    org = ctx.organisation
    assert org is not None and org.id is not None and ctx.org_role is not None
    return OrganisationInfo(
        id=org.id,
        name=org.name,
        short_name=org.short_name,
        timezone=org.timezone,
        role=OrgRole(ctx.org_role),
    )


@api("GET", ORG + "/bodies", summary="The bodies in use", response=list[BodyInfo], tags=TAGS)
def list_bodies(ctx: Context) -> list[BodyInfo]:
    return [_body_info(body) for body in queries.bodies(ctx.db, ctx.org_id())]


@api(
    "POST",
    ORG + "/bodies",
    summary="Create a body (administrators)",
    body=BodyCreate,
    response=BodyInfo,
    status=201,
    tags=TAGS,
    roles=(OrgRole.admin,),
)
def create_body(ctx: Context, new: BodyCreate) -> BodyInfo:
    body = actions.create_body(
        ctx.db,
        organisation_id=ctx.org_id(),
        name=new.name,
        description=new.description,
        actor=ctx.actor,
    )
    return _body_info(body)


@api("GET", BODY, summary="A body and its seats", response=BodyWithSeats, tags=TAGS)
def get_body(ctx: Context) -> BodyWithSeats:
    body = _body(ctx)
    seats = [_seat_info(seat) for seat in queries.seats(ctx.db, body.id or 0)]
    return BodyWithSeats(**_body_info(body).model_dump(), seats=seats)


@api(
    "PATCH",
    BODY,
    summary="Rename or describe a body (administrators)",
    body=BodyUpdate,
    response=BodyInfo,
    tags=TAGS,
    roles=(OrgRole.admin,),
)
def update_body(ctx: Context, change: BodyUpdate) -> BodyInfo:
    body = _body(ctx)
    body = actions.update_body(
        ctx.db,
        body=body,
        name=body.name if change.name is None else change.name,
        description=body.description if change.description is None else change.description,
        actor=ctx.actor,
    )
    return _body_info(body)


@api(
    "PUT",
    SEAT,
    summary="Give a person a seat in a body, or replace their seat (administrators)",
    body=SeatUpdate,
    response=SeatInfo,
    tags=TAGS,
    roles=(OrgRole.admin,),
)
def put_seat(ctx: Context, seat: SeatUpdate) -> SeatInfo:
    body = _body(ctx)
    user_id = ctx.request.path_params["user_id"]
    if queries.person(ctx.db, ctx.org_id(), user_id) is None:
        raise HTTPException(404, _("This organisation has no such person."))
    actions.set_seat(
        ctx.db,
        body=body,
        user_id=user_id,
        title=seat.title,
        role=seat.role.value,
        voting_right=seat.voting_right,
        vote_weight=seat.vote_weight,
        assistant_id=seat.assistant_id,
        actor=ctx.actor,
    )
    return _seat_info(_seat(ctx, body))


@api(
    "DELETE",
    SEAT,
    summary="Take a person's seat in a body away (administrators)",
    status=204,
    tags=TAGS,
    roles=(OrgRole.admin,),
)
def delete_seat(ctx: Context) -> Response:
    body = _body(ctx)
    seat = _seat(ctx, body)
    actions.remove_seat(ctx.db, body=body, seat=seat.membership, actor=ctx.actor)
    return Response(status_code=204)


@api(
    "GET",
    ORG + "/people",
    summary="The people of the organisation (administrators and secretaries)",
    response=list[PersonInfo],
    tags=TAGS,
    roles=(
        OrgRole.admin,
        OrgRole.secretary,
    ),
)
def list_people(ctx: Context) -> list[PersonInfo]:
    return [
        PersonInfo(
            id=user.id or 0,
            name=user.name,
            email=user.email,
            role=OrgRole(role),
            active=user.is_active,
        )
        for user, role in queries.people(ctx.db, ctx.org_id())
    ]


routes: list[Route] = [
    get_organisation,
    list_bodies,
    create_body,
    get_body,
    update_body,
    put_seat,
    delete_seat,
    list_people,
]
