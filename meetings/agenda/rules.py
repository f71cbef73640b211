"""Validation shared by the meeting and agenda actions."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from meetings.errors import Refusal
from meetings.i18n import _


def text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    """Trimmed text within its limit; a required one must not be empty."""
    value = " ".join(value.split()) if "\n" not in value else value.strip()
    if required and not value:
        raise Refusal(_("This field is required."), field)
    if len(value) > limit:
        raise Refusal(_("At most %(n)s characters.", n=limit), field)
    return value


def times(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise Refusal(_("Give the date and time."), "starts_at")
    if ends_at <= starts_at:
        raise Refusal(_("The meeting must end after it starts."), "ends_at")
    if (ends_at - starts_at).days >= 7:
        raise Refusal(_("A meeting lasts less than a week."), "ends_at")


def video_url(value: str) -> str:
    value = value.strip()
    if value and urlsplit(value).scheme not in ("https", "http"):
        raise Refusal(_("Give a web address starting with https://."), "video_url")
    return text(value, "video_url", 500)


def minutes(value: int) -> int:
    if not 0 <= value <= 600:
        raise Refusal(_("The duration is a number of minutes from 0 to 600."), "duration_minutes")
    return value


def conflict(message: str) -> Refusal:
    """A change the meeting's current state does not allow (409)."""
    return Refusal(message, status=409)
