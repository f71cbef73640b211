"""API about the caller's own account."""

from __future__ import annotations

from pydantic import BaseModel
from starlette.routing import Route

from meetings.organisations import queries as org_queries
from meetings.web.api import api
from meetings.web.handler import Context


class OrganisationRef(BaseModel):
    """An organisation the caller belongs to, with their role there."""

    id: int
    name: str
    short_name: str
    role: str


class Me(BaseModel):
    """The authenticated user."""

    id: int
    email: str
    name: str
    locale: str | None
    two_factor: bool
    organisations: list[OrganisationRef]


@api(
    "GET",
    "/me",
    summary="The authenticated user and their organisations",
    response=Me,
    tags=("accounts",),
)
def me(ctx: Context) -> Me:
    assert ctx.user is not None and ctx.user.id is not None
    orgs = [
        OrganisationRef(id=org.id or 0, name=org.name, short_name=org.short_name, role=role)
        for org, role in org_queries.organisations_of(ctx.db, ctx.user.id)
    ]
    return Me(
        id=ctx.user.id,
        email=ctx.user.email,
        name=ctx.user.name,
        locale=ctx.user.locale,
        two_factor=ctx.user.totp_enabled_at is not None,
        organisations=orgs,
    )


routes: list[Route] = [me]
