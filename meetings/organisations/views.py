"""Administration pages for the organisation's people; its bodies are in body_views.

Every page needs the organisation role admin (403 otherwise); every id is looked up within
the current organisation, so ids of another organisation answer 404.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.accounts.models import User
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.organisations import actions, body_views, queries
from meetings.organisations.pages import ADMIN, field_errors, raw_field, render
from meetings.web.handler import Context, page


@page(roles=ADMIN)
def admin_home(ctx: Context) -> Response:
    return ctx.redirect("/admin/people")


# -- people --------------------------------------------------------------------------


def _person(ctx: Context) -> User:
    found = queries.person(ctx.db, ctx.org_id(), ctx.request.path_params["user_id"])
    if found is None:
        raise HTTPException(404)
    return found


def _people_page(ctx: Context, status: int = 200, **form: Any) -> Response:
    form.setdefault("errors", {})
    form.setdefault("values", {"name": "", "email": "", "role": "member"})
    people = queries.people(ctx.db, ctx.org_id())
    return render(ctx, "admin/people.html", status, people=people, **form)


@page(roles=ADMIN)
def people(ctx: Context) -> Response:
    if ctx.request.method == "GET":
        return _people_page(ctx)
    values = {name: ctx.field(name) for name in ("name", "email", "role")}
    try:
        user = actions.create_person(
            ctx.db,
            organisation_id=ctx.org_id(),
            password=raw_field(ctx, "password"),
            **values,
            actor=ctx.actor,
        )
    except Refusal as refusal:
        return _people_page(ctx, 422, errors=field_errors(refusal), values=values)
    ctx.flash(_("The account of %(name)s has been created.", name=user.name))
    return ctx.redirect("/admin/people")


def _person_page(
    ctx: Context, user: User, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    org_id, user_id = ctx.org_id(), user.id or 0
    return render(
        ctx,
        "admin/person.html",
        status,
        person=user,
        role=queries.role_in(ctx.db, org_id, user_id),
        elsewhere=queries.belongs_elsewhere(ctx.db, user_id, org_id),
        errors=errors or {},
    )


@page(roles=ADMIN)
def person(ctx: Context) -> Response:
    return _person_page(ctx, _person(ctx))


@page(roles=ADMIN)
def person_role(ctx: Context) -> Response:
    user = _person(ctx)
    try:
        actions.set_person_role(
            ctx.db,
            organisation_id=ctx.org_id(),
            user_id=user.id or 0,
            role=ctx.field("role"),
            actor=ctx.actor,
        )
    except Refusal as refusal:
        return _person_page(ctx, user, refusal.status, errors=field_errors(refusal))
    ctx.flash(_("The role of %(name)s has been changed.", name=user.name))
    return ctx.redirect(f"/admin/people/{user.id}")


@page(roles=ADMIN)
def person_password(ctx: Context) -> Response:
    user = _person(ctx)
    try:
        actions.set_person_password(
            ctx.db,
            organisation_id=ctx.org_id(),
            user=user,
            password=raw_field(ctx, "password"),
            actor=ctx.actor,
        )
    except Refusal as refusal:
        return _person_page(ctx, user, refusal.status, errors=field_errors(refusal))
    ctx.flash(_("The new password of %(name)s has been set.", name=user.name))
    return ctx.redirect(f"/admin/people/{user.id}")


def _set_active(ctx: Context, active: bool) -> Response:
    user = _person(ctx)
    try:
        actions.set_person_active(
            ctx.db, organisation_id=ctx.org_id(), user=user, active=active, actor=ctx.actor
        )
    except Refusal as refusal:
        return _person_page(ctx, user, refusal.status, errors=field_errors(refusal))
    if active:
        ctx.flash(_("The account of %(name)s has been enabled again.", name=user.name))
    else:
        ctx.flash(_("The account of %(name)s has been disabled.", name=user.name))
    return ctx.redirect(f"/admin/people/{user.id}")


@page(roles=ADMIN)
def person_disable(ctx: Context) -> Response:
    return _set_active(ctx, False)


@page(roles=ADMIN)
def person_enable(ctx: Context) -> Response:
    return _set_active(ctx, True)


PERSON = "/admin/people/{user_id:int}"
routes = [
    Route("/admin", admin_home),
    Route("/admin/people", people, methods=["GET", "POST"]),
    Route(PERSON, person),
    Route(PERSON + "/role", person_role, methods=["POST"]),
    Route(PERSON + "/password", person_password, methods=["POST"]),
    Route(PERSON + "/disable", person_disable, methods=["POST"]),
    Route(PERSON + "/enable", person_enable, methods=["POST"]),
    *body_views.routes,
]
