"""Reading a search from the query string (the page and the API read it alike). Anything we
cannot use is refused with a message in the user's language, naming the field at fault."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from meetings.documents.models import Classification
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.search.models import Kind
from meetings.search.queries import Filters
from meetings.search.terms import Query, parse

MAX_TEXT = 200
MAX_PAGE = 100
SORTS = ("relevance", "date")


@dataclass(frozen=True)
class Asked:
    """What was asked: the typed text, its query, the filters, the page, and the raw values
    to show in the form again."""

    text: str
    query: Query
    filters: Filters
    page: int
    chosen: dict[str, str] = field(default_factory=dict)


def _number(value: str, name: str, message: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or len(value) > 9:
        raise Refusal(message, name)
    return int(value)


def _day(value: str, name: str) -> date | None:
    """A day as a date input sends it (2026-11-22) or as typed in Vietnam (22/11/2026)."""
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            pass
    raise Refusal(_("Give the date as day/month/year, for example 22/11/2026."), name)


def _start_of(day: date | None, zone: str) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time(), ZoneInfo(zone)).astimezone(UTC)


def _kinds(value: str) -> tuple[str, ...]:
    kinds = tuple(part for part in value.split(",") if part)
    if any(kind not in Kind.__members__ for kind in kinds):
        raise Refusal(_("Choose a kind of result from the list."), "kind")
    return kinds


def _choice(value: str, allowed: tuple[str, ...], name: str, message: str) -> str:
    if value and value not in allowed:
        raise Refusal(message, name)
    return value


def _dates(since: date | None, until: date | None, zone: str) -> tuple[datetime | None, ...]:
    if since and until and since > until:
        raise Refusal(_("The start date is after the end date."), "until")
    end = until + timedelta(days=1) if until else None
    return _start_of(since, zone), _start_of(end, zone)


def read(params: Mapping[str, str], zone: str) -> Asked:
    """The search in the query string: q, body, meeting, since, until (days in the
    organisation's calendar), kind (comma-separated), classification, sort, page."""
    chosen = {
        name: params.get(name, "").strip()
        for name in (
            "q",
            "body",
            "meeting",
            "since",
            "until",
            "kind",
            "classification",
            "sort",
            "page",
        )
    }
    text = params.get("q", "")  # unstripped: a space after the last word ends its prefix
    chosen["q"] = text
    if len(text) > MAX_TEXT:
        raise Refusal(_("Search for at most %(max)s characters.", max=MAX_TEXT), "q")
    wrong_page = _("Pages are numbered from 1 to %(max)s.", max=MAX_PAGE)
    page = _number(chosen["page"], "page", wrong_page) or 1
    if page > MAX_PAGE:
        raise Refusal(wrong_page, "page")
    since, until = _dates(_day(chosen["since"], "since"), _day(chosen["until"], "until"), zone)
    classes = tuple(Classification.__members__)
    filters = Filters(
        body_id=_number(chosen["body"], "body", _("Choose a body from the list.")),
        meeting_id=_number(chosen["meeting"], "meeting", _("There is no such meeting.")),
        since=since,
        until=until,
        kinds=_kinds(chosen["kind"]),
        classification=_choice(
            chosen["classification"],
            classes,
            "classification",
            _("Choose a classification from the list."),
        )
        or None,
        newest_first=_choice(chosen["sort"], SORTS, "sort", _("Choose from the list.")) == "date",
    )
    return Asked(text, parse(text), filters, page, chosen)
