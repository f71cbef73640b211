"""Words for a task's states and history, marked for translation, and its due day in words."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from meetings import i18n
from meetings.i18n import N_

STATES = {
    "open": N_("not started"),
    "in_progress": N_("in progress"),
    "submitted": N_("reported done"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}
OVERDUE = N_("overdue")
KINDS = {
    "created": N_("Assigned"),
    "changed": N_("Changed"),
    "progress": N_("Progress"),
    "comment": N_("Comment"),
    "submitted": N_("Reported done"),
    "accepted": N_("Accepted"),
    "returned": N_("Returned"),
    "cancelled": N_("Cancelled"),
}
# Official style, like the times: a 4-digit year, day first in Vietnamese.
PATTERNS = {"vi": "dd/MM/yyyy", "en": "d MMM yyyy"}


def day(value: date | None) -> str:
    """A calendar day in the reader's language (no time zone: due dates are local days)."""
    if value is None:
        return ""
    locale = i18n.current_locale()
    return format_date(value, format=PATTERNS.get(locale, "medium"), locale=locale)
