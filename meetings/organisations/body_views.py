"""Administration pages for the organisation's bodies: seats, meeting rules, CSV imports.

Every page needs the organisation role admin (403 otherwise); every id is looked up within
the current organisation, so ids of another organisation answer 404.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from meetings.errors import Refusal
from meetings.i18n import N_, _, ngettext
from meetings.organisations import actions, imports, queries
from meetings.organisations.models import Body
from meetings.organisations.pages import ADMIN, field_errors, raw_field, render
from meetings.text import nfc
from meetings.web.handler import Context, page

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
    return render(ctx, "admin/bodies.html", status, bodies=bodies, **form)


@page(roles=ADMIN)
def bodies(ctx: Context) -> Response:
    if ctx.request.method == "GET":
        return _bodies_page(ctx)
    values = {"name": nfc(ctx.field("name")), "description": nfc(ctx.field("description"))}
    try:
        body = actions.create_body(ctx.db, organisation_id=ctx.org_id(), **values, actor=ctx.actor)
    except Refusal as refusal:
        return _bodies_page(ctx, 422, errors=field_errors(refusal), values=values)
    ctx.flash(_("The body %(name)s has been created.", name=body.name))
    return ctx.redirect(f"/admin/bodies/{body.id}")


def _body_page(ctx: Context, body: Body, status: int = 200, **forms: Any) -> Response:
    forms.setdefault("body_errors", {})
    forms.setdefault("body_values", {"name": body.name, "description": body.description})
    forms.setdefault("seat_errors", {})
    forms.setdefault("seat_values", NEW_SEAT)
    forms.setdefault("rules_errors", {})
    forms.setdefault("rules_values", {n: getattr(body, n) for n in (*RULE_NUMBERS, *RULE_CHECKS)})
    return render(
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
        return _body_page(ctx, body, 422, body_errors=field_errors(refusal), body_values=values)
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
        return _body_page(ctx, body, 422, rules_errors=field_errors(refusal), rules_values=values)
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
        return _body_page(ctx, body, 422, seat_errors=field_errors(refusal), seat_values=values)
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
    return render(
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
        return _seat_page(ctx, body, seat, 422, errors=field_errors(refusal), values=values)
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
    return render(
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
    pasted = raw_field(ctx, "csv")
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
SEAT = BODY + "/seats/{seat_id:int}"
routes = [
    Route("/admin/bodies", bodies, methods=["GET", "POST"]),
    Route(BODY, body_page, methods=["GET", "POST"]),
    Route(BODY + "/rules", body_rules, methods=["POST"]),
    Route(BODY + "/seats", seat_add, methods=["POST"]),
    Route(SEAT, seat_page, methods=["GET", "POST"]),
    Route(SEAT + "/remove", seat_remove, methods=["POST"]),
    Route(BODY + "/import", import_members, methods=["GET", "POST"]),
    Route(BODY + "/import/confirm", import_confirm, methods=["POST"]),
]
