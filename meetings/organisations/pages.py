"""What every administration page shares: the admin role, role names and form helpers."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from meetings.errors import Refusal
from meetings.i18n import N_, _
from meetings.web.handler import Context

ADMIN = ("admin",)
ORG_ROLES = {
    "admin": N_("Administrator"),
    "secretary": N_("Secretary"),
    "member": N_("Member"),
    "auditor": N_("Auditor"),
}
BODY_ROLES = {
    "chair": N_("Chair"),
    "secretary": N_("Secretary"),
    "member": N_("Member"),
    "guest": N_("Guest"),
}


def render(ctx: Context, template: str, status: int = 200, **values: Any) -> Response:
    """An administration page, with the role names in the current language."""
    return ctx.render(
        template,
        status,
        org_roles={key: _(label) for key, label in ORG_ROLES.items()},
        body_roles={key: _(label) for key, label in BODY_ROLES.items()},
        **values,
    )


def raw_field(ctx: Context, name: str) -> str:
    """A field as typed (passwords keep their spaces)."""
    value = ctx.form.get(name) if ctx.form else None
    return value if isinstance(value, str) else ""


def field_errors(refusal: Refusal) -> dict[str, str]:
    """The refusal's message under its field; "" holds a message for the whole page."""
    return {refusal.field: refusal.message}
