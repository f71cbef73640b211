"""Administration pages: the organisation's people, its bodies and their seats, CSV imports.

Every page needs the organisation role admin (403 otherwise); every id is looked up within
the current organisation, so ids of another organisation answer 404.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.accounts.models import User
from meetings.errors import Refusal
from meetings.i18n import N_, _, ngettext
from meetings.organisations import actions, imports, queries
from meetings.organisations.models import Body
from meetings.text import nfc
from meetings.web.handler import Context, page

ADMIN = ("admin",)
ORG_ROLES = {"admin": N_("Administrator"), "secretary": N_("Secretary"), "member": N_("Member")}
BODY_ROLES = {
    "chair": N_("Chair"),
    "secretary": N_("Secretary"),
    "member": N_("Member"),
    "guest": N_("Guest"),
}
NEW_SEAT = {
    "user_id": "",
    "title": "",
    "role": "member",
    "voting_right": True,
    "vote_weight": "1",
    "assistant_id": "",
}
RULE_NUMBERS = {
    "quorum_numerator": N_("The numerator must be a whole number from 1 to the denominator."),
    "quorum_denominator": N_("The denominator must be a whole number from 1 to 100."),
}
RULE_CHECKS = ("substitutes_count_for_quorum", "substitutes_may_vote", "remote_counts_for_quorum")
NUMBER_PROBLEMS = {
    "user_id": N_("Choose a person of this organisation."),
    "vote_weight": N_("The vote weight must be a whole number from 0 to 100."),
    "assistant_id": N_("Choose an assistant from this organisation."),
}


def _render(ctx: Context, template: str, status: int = 200, **values: Any) -> Response:
    return ctx.render(
        template,
        status,
        org_roles={key: _(label) for key, label in ORG_ROLES.items()},
        body_roles={key: _(label) for key, label in BODY_ROLES.items()},
        **values,
    )


def _raw(ctx: Context, name: str) -> str:
    """A field as typed (passwords keep their spaces)."""
    value = ctx.form.get(name) if ctx.form else None
    return value if isinstance(value, str) else ""


def _errors(refusal: Refusal) -> dict[str, str]:
    """The refusal's message under its field; "" holds a message for the whole page."""
    return {refusal.field: refusal.message}


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
    return _render(ctx, "admin/people.html", status, people=people, **form)


@page(roles=ADMIN)
def people(ctx: Context) -> Response:
    if ctx.request.method == "GET":
        return _people_page(ctx)
    values = {name: ctx.field(name) for name in ("name", "email", "role")}
    try:
        user = actions.create_person(
            ctx.db,
            organisation_id=ctx.org_id(),
            password=_raw(ctx, "password"),
            **values,
            actor=ctx.actor,
        )
    except Refusal as refusal:
        return _people_page(ctx, 422, errors=_errors(refusal), values=values)
    ctx.flash(_("The account of %(name)s has been created.", name=user.name))
    return ctx.redirect("/admin/people")


def _person_page(
    ctx: Context, user: User, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    org_id, user_id = ctx.org_id(), user.id or 0
    return _render(
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
        return _person_page(ctx, user, refusal.status, errors=_errors(refusal))
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
            password=_raw(ctx, "password"),
            actor=ctx.actor,
        )
    except Refusal as refusal:
        return _person_page(ctx, user, refusal.status, errors=_errors(refusal))
    ctx.flash(_("The new password of %(name)s has been set.", name=user.name))
    return ctx.redirect(f"/admin/people/{user.id}")


def _set_active(ctx: Context, active: bool) -> Response:
    user = _person(ctx)
    try:
        actions.set_person_active(
            ctx.db, organisation_id=ctx.org_id(), user=user, active=active, actor=ctx.actor
        )
    except Refusal as refusal:
        return _person_page(ctx, user, refusal.status, errors=_errors(refusal))
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


# -- bodies and seats ----------------------------------------------------------------


def _body(ctx: Context) -> Body:
    found = queries.body(ctx.db, ctx.org_id(), ctx.request.path_params["body_id"])
    if found is None:
        raise HTTPException(404)
    return found


def _seat(ctx: Context, body: Body) -> queries.Seat:
    seat_id = ctx.request.path_params["seat_id"]
    for seat in queries.seats(ctx.db, body.id or 0):
        if seat.membership.id == seat_id:
            return seat
    raise HTTPException(404)


def _people_options(ctx: Context) -> list[tuple[int, str]]:
    """The organisation's people for a select: name and e-mail address."""
    return [
        (user.id or 0, f"{user.name} ({user.email})")
        for user, _r in queries.people(ctx.db, ctx.org_id())
    ]


def _bodies_page(ctx: Context, status: int = 200, **form: Any) -> Response:
    form.setdefault("errors", {})
    form.setdefault("values", {"name": "", "description": ""})
    bodies = queries.bodies(ctx.db, ctx.org_id())
    return _render(ctx, "admin/bodies.html", status, bodies=bodies, **form)


@page(roles=ADMIN)
def bodies(ctx: Context) -> Response:
    if ctx.request.method == "GET":
        return _bodies_page(ctx)
    values = {"name": nfc(ctx.field("name")), "description": nfc(ctx.field("description"))}
    try:
        body = actions.create_body(ctx.db, organisation_id=ctx.org_id(), **values, actor=ctx.actor)
    except Refusal as refusal:
        return _bodies_page(ctx, 422, errors=_errors(refusal), values=values)
    ctx.flash(_("The body %(name)s has been created.", name=body.name))
    return ctx.redirect(f"/admin/bodies/{body.id}")


def _body_page(ctx: Context, body: Body, status: int = 200, **forms: Any) -> Response:
    forms.setdefault("body_errors", {})
    forms.setdefault("body_values", {"name": body.name, "description": body.description})
    forms.setdefault("seat_errors", {})
    forms.setdefault("seat_values", NEW_SEAT)
    forms.setdefault("rules_errors", {})
    forms.setdefault("rules_values", {n: getattr(body, n) for n in (*RULE_NUMBERS, *RULE_CHECKS)})
    return _render(
        ctx,
        "admin/body.html",
        status,
        body=body,
        seats=queries.seats(ctx.db, body.id or 0),
        people_options=_people_options(ctx),
        **forms,
    )


@page(roles=ADMIN)
def body_page(ctx: Context) -> Response:
    body = _body(ctx)
    if ctx.request.method == "GET":
        return _body_page(ctx, body)
    values = {"name": nfc(ctx.field("name")), "description": nfc(ctx.field("description"))}
    try:
        actions.update_body(ctx.db, body=body, **values, actor=ctx.actor)
    except Refusal as refusal:
        return _body_page(ctx, body, 422, body_errors=_errors(refusal), body_values=values)
    ctx.flash(_("The changes to %(name)s have been saved.", name=body.name))
    return ctx.redirect(f"/admin/bodies/{body.id}")


def _whole(text: str, name: str, problem: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise actions.OrganisationError(_(problem), name) from None


@page(roles=ADMIN)
def body_rules(ctx: Context) -> Response:
    """The body's meeting rules: quorum fraction, substitutes, remote participation."""
    body = _body(ctx)
    values: dict[str, Any] = {name: ctx.field(name) for name in RULE_NUMBERS}
    values.update({name: ctx.checked(name) for name in RULE_CHECKS})
    try:
        numbers = {name: _whole(values[name], name, text) for name, text in RULE_NUMBERS.items()}
        actions.set_body_rules(ctx.db, body=body, **{**values, **numbers}, actor=ctx.actor)
    except Refusal as refusal:
        return _body_page(ctx, body, 422, rules_errors=_errors(refusal), rules_values=values)
    ctx.flash(_("The meeting rules of %(name)s have been saved.", name=body.name))
    return ctx.redirect(f"/admin/bodies/{body.id}#rules")


def _seat_values(ctx: Context) -> dict[str, Any]:
    values: dict[str, Any] = {name: ctx.field(name) for name in NEW_SEAT}
    values["title"] = nfc(values["title"])
    values["voting_right"] = ctx.checked("voting_right")
    return values


def _seat_input(values: dict[str, Any]) -> dict[str, Any]:
    """The typed arguments of a seat action, from the form's values."""
    typed = {**values, "assistant_id": None}
    for name, problem in NUMBER_PROBLEMS.items():
        if name == "assistant_id" and not values[name]:
            continue
        try:
            typed[name] = int(values[name])
        except ValueError:
            raise actions.OrganisationError(_(problem), name) from None
    return typed


@page(roles=ADMIN)
def seat_add(ctx: Context) -> Response:
    body = _body(ctx)
    values = _seat_values(ctx)
    try:
        seat = actions.add_seat(ctx.db, body=body, **_seat_input(values), actor=ctx.actor)
    except Refusal as refusal:
        return _body_page(ctx, body, 422, seat_errors=_errors(refusal), seat_values=values)
    who = queries.person(ctx.db, body.organisation_id, seat.user_id)
    ctx.flash(_("%(name)s now has a seat in this body.", name=who.name if who else ""))
    return ctx.redirect(f"/admin/bodies/{body.id}#seats")


def _seat_page(
    ctx: Context, body: Body, seat: queries.Seat, status: int = 200, **form: Any
) -> Response:
    current = {name: getattr(seat.membership, name) for name in NEW_SEAT}
    form.setdefault("values", {**current, "assistant_id": seat.membership.assistant_id or ""})
    form.setdefault("errors", {})
    options = _people_options(ctx)
    return _render(
        ctx, "admin/seat.html", status, body=body, seat=seat, people_options=options, **form
    )


@page(roles=ADMIN)
def seat_page(ctx: Context) -> Response:
    body = _body(ctx)
    seat = _seat(ctx, body)
    if ctx.request.method == "GET":
        return _seat_page(ctx, body, seat)
    values = {**_seat_values(ctx), "user_id": str(seat.user.id)}
    try:
        actions.set_seat(ctx.db, body=body, **_seat_input(values), actor=ctx.actor)
    except Refusal as refusal:
        return _seat_page(ctx, body, seat, 422, errors=_errors(refusal), values=values)
    ctx.flash(_("The seat of %(name)s has been saved.", name=seat.user.name))
    return ctx.redirect(f"/admin/bodies/{body.id}#seats")


@page(roles=ADMIN)
def seat_remove(ctx: Context) -> Response:
    body = _body(ctx)
    seat = _seat(ctx, body)
    actions.remove_seat(ctx.db, body=body, seat=seat.membership, actor=ctx.actor)
    ctx.flash(_("%(name)s no longer has a seat in this body.", name=seat.user.name))
    return ctx.redirect(f"/admin/bodies/{body.id}#seats")


# -- CSV import ----------------------------------------------------------------------


def _import_page(ctx: Context, body: Body, status: int = 200, **state: Any) -> Response:
    for name, empty in (("plan", None), ("payload", ""), ("error", None), ("pasted", "")):
        state.setdefault(name, empty)
    return _render(
        ctx,
        "admin/import.html",
        status,
        fragment="admin/_import.html",
        body=body,
        columns=imports.COLUMNS,
        max_rows=imports.MAX_ROWS,
        **state,
    )


def _uploaded(ctx: Context) -> str:
    """The chosen file's text, or "" when none was sent (a form without JavaScript)."""
    upload = ctx.form.get("file") if ctx.form else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return ""
    with upload.file:  # the handler does not close uploaded files
        return imports.decode(upload.file.read(imports.MAX_BYTES + 1))


@page(roles=ADMIN)
def import_members(ctx: Context) -> Response:
    """Upload or paste a CSV, and see what importing it would do; nothing is stored."""
    body = _body(ctx)
    if ctx.request.method == "GET":
        return _import_page(ctx, body)
    pasted = _raw(ctx, "csv")
    try:
        text = _uploaded(ctx) or imports.check_size(pasted)
        plan = imports.plan(ctx.db, body, text)
    except Refusal as refusal:
        return _import_page(ctx, body, refusal.status, error=refusal.message, pasted=pasted)
    return _import_page(ctx, body, plan=plan, payload=imports.pack(text), pasted=pasted)


@page(roles=ADMIN)
def import_confirm(ctx: Context) -> Response:
    """Import every row of a checked CSV in one transaction, or nothing."""
    body = _body(ctx)
    plan = None
    try:
        plan = imports.plan(ctx.db, body, imports.unpack(ctx.field("payload")))
        count = actions.import_members(ctx.db, body=body, rows=plan.rows, actor=ctx.actor)
    except Refusal as refusal:
        return _import_page(ctx, body, refusal.status, error=refusal.message, plan=plan)
    message = ngettext(
        "%(num)s member has been imported.", "%(num)s members have been imported.", count
    )
    if plan.new_accounts:
        message += " " + _(
            "New accounts have no password yet: set one for each person on the People page."
        )
    ctx.flash(message)
    return ctx.redirect(f"/admin/bodies/{body.id}#seats")


BODY = "/admin/bodies/{body_id:int}"
PERSON = "/admin/people/{user_id:int}"
SEAT = BODY + "/seats/{seat_id:int}"
routes = [
    Route("/admin", admin_home),
    Route("/admin/people", people, methods=["GET", "POST"]),
    Route(PERSON, person),
    Route(PERSON + "/role", person_role, methods=["POST"]),
    Route(PERSON + "/password", person_password, methods=["POST"]),
    Route(PERSON + "/disable", person_disable, methods=["POST"]),
    Route(PERSON + "/enable", person_enable, methods=["POST"]),
    Route("/admin/bodies", bodies, methods=["GET", "POST"]),
    Route(BODY, body_page, methods=["GET", "POST"]),
    Route(BODY + "/rules", body_rules, methods=["POST"]),
    Route(BODY + "/seats", seat_add, methods=["POST"]),
    Route(SEAT, seat_page, methods=["GET", "POST"]),
    Route(SEAT + "/remove", seat_remove, methods=["POST"]),
    Route(BODY + "/import", import_members, methods=["GET", "POST"]),
    Route(BODY + "/import/confirm", import_confirm, methods=["POST"]),
]
