"""API for the audit trail: the organisation's records, filtered, and the chain's state. For
the organisation's auditors and administrators only (403 for everyone else)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from starlette.routing import Route

from meetings.archive.audit import check_chain
from meetings.archive.queries import PAGE_SIZE, TrailFilter, trail
from meetings.errors import Refusal
from meetings.organisations.models import OrgRole
from meetings.web.api import api, validation_message
from meetings.web.handler import Context

TAGS = ("audit",)
AUDITORS = (OrgRole.admin.value, OrgRole.auditor.value)


class AuditQuery(BaseModel):
    """Query parameters of the trail (encode + in offsets as %2B, or use Z)."""

    model_config = ConfigDict(extra="forbid")

    action: str = Field(default="", max_length=64, description="The start of the action's name")
    actor_id: int | None = None
    object_type: str = Field(default="", max_length=32)
    object_id: str = Field(default="", max_length=64)
    since: AwareDatetime | None = Field(default=None, description="At or after")
    until: AwareDatetime | None = Field(default=None, description="Before")
    page: int = Field(default=1, ge=1)


class AuditRecord(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    ip: str
    data: str = Field(description="JSON: the details recorded with the action")
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    records: list[AuditRecord]
    total: int
    page: int
    page_size: int


class ChainState(BaseModel):
    intact: bool
    records: int = Field(description="Records that hold, from the first")
    head: str = Field(description="The hash of the last record that holds")
    broken_at: int | None = Field(description="The first record that does not hold")
    altered: bool = Field(description="True: its content was changed; false: it is out of place")


@api(
    "GET",
    "/audit",
    summary="The organisation's audit records, newest first, filtered, 50 a page",
    response=AuditPage,
    tags=TAGS,
    roles=AUDITORS,
)
def audit_records(ctx: Context) -> AuditPage:
    try:
        query = AuditQuery.model_validate(dict(ctx.request.query_params))
    except ValidationError as error:
        raise Refusal(validation_message(error)) from error
    wanted = TrailFilter(
        **query.model_dump(include={"action", "actor_id", "object_type", "object_id"}),
        since=query.since,
        until=query.until,
    )
    rows, total = trail(ctx.db, ctx.org_id(), wanted, query.page)
    return AuditPage(
        records=[AuditRecord(**row.model_dump()) for row in rows],  # type: ignore[arg-type]
        total=total,
        page=query.page,
        page_size=PAGE_SIZE,
    )


@api(
    "GET",
    "/audit/chain",
    summary="Walk the whole hash chain and say where it first breaks, if it does",
    response=ChainState,
    tags=TAGS,
    roles=AUDITORS,
)
def audit_chain(ctx: Context) -> ChainState:
    found = check_chain(ctx.db)
    return ChainState(
        intact=found.intact,
        records=found.records,
        head=found.head,
        broken_at=found.broken_at,
        altered=found.altered,
    )


routes: list[Route] = [audit_records, audit_chain]
