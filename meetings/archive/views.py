"""The auditor's screen: the state of the audit chain, and the organisation's records,
filtered. For the organisation's auditors and administrators; it changes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.responses import Response
from starlette.routing import Route

from meetings.agenda.queries import names_of
from meetings.archive.audit import check_chain
from meetings.archive.queries import PAGE_SIZE, TrailFilter, actions_seen, trail
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.organisations import queries as organisation_queries
from meetings.organisations.models import OrgRole
from meetings.web.handler import Context, page

AUDITORS = (OrgRole.admin.value, OrgRole.auditor.value)


def _day(ctx: Context, name: str, *, end: bool = False) -> datetime | None:
    """A date field as the UTC start of that local day (of the next day for an end date)."""
    raw = ctx.request.query_params.get(name, "")
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise Refusal(_("Enter a date as YYYY-MM-DD."), name) from None
    zone = ZoneInfo(ctx.organisation.timezone if ctx.organisation else ctx.config.timezone)
    start = datetime.combine(day + timedelta(days=1) if end else day, time(), zone)
    return start.astimezone(ZoneInfo("UTC"))


def _number(ctx: Context, name: str, default: int | None) -> int | None:
    raw = ctx.request.query_params.get(name, "")
    if not raw:
        return default
    if not raw.isdigit():
        raise Refusal(_("Choose from the list."), name)
    return int(raw)


def _filter(ctx: Context) -> TrailFilter:
    params = ctx.request.query_params
    return TrailFilter(
        action=params.get("action", "").strip()[:64],
        actor_id=_number(ctx, "actor", None),
        object_type=params.get("object_type", "").strip()[:32],
        object_id=params.get("object_id", "").strip()[:64],
        since=_day(ctx, "since"),
        until=_day(ctx, "until", end=True),
    )


@page(roles=AUDITORS)
def audit_trail(ctx: Context) -> Response:
    """The chain's state and one page of the records that match the filter."""
    status, errors = 200, {}
    try:
        wanted = _filter(ctx)
        page_number = _number(ctx, "page", 1) or 1
    except Refusal as refusal:
        status, errors = 422, {refusal.field or "": refusal.message}
        wanted, page_number = TrailFilter(), 1
    records, total = trail(ctx.db, ctx.org_id(), wanted, page_number)
    return ctx.render(
        "admin/audit.html",
        status,
        chain=check_chain(ctx.db),
        records=records,
        total=total,
        page=page_number,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        names=names_of(ctx.db, {r.actor_id for r in records if r.actor_id}),
        people=organisation_queries.people(ctx.db, ctx.org_id()),
        actions=actions_seen(ctx.db, ctx.org_id()),
        params=ctx.request.query_params,
        page_query=lambda n: urlencode({**ctx.request.query_params, "page": n}),
        errors=errors,
    )


routes = [Route("/admin/audit", audit_trail)]
