"""Translations and locale-aware formatting. Vietnamese first, English second."""

from __future__ import annotations

import contextvars
import io
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from meetings.config import LOCALES

CATALOGUES = Path(__file__).parent / "translations"
DOMAIN = "messages"

_locale: contextvars.ContextVar[str] = contextvars.ContextVar("locale", default="vi")
_timezone: contextvars.ContextVar[str] = contextvars.ContextVar(
    "timezone", default="Asia/Ho_Chi_Minh"
)


@cache
def translations(locale: str) -> NullTranslations:
    """The catalogue for a locale: the compiled .mo, or the .po compiled in memory if newer."""
    folder = CATALOGUES / locale / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=True)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def set_locale(locale: str, timezone: str | None = None) -> None:
    """Choose the language (and time zone) for the rest of this request's context."""
    _locale.set(locale if locale in LOCALES else "vi")
    if timezone:
        _timezone.set(timezone)


def current_locale() -> str:
    return _locale.get()


def current_timezone() -> str:
    return _timezone.get()


def gettext(message: str, **values: object) -> str:
    """Translate a message into the current language, then fill in %(name)s values."""
    text = translations(_locale.get()).ugettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    text = translations(_locale.get()).ungettext(singular, plural, n)
    return text % {"num": n, **values}


_ = gettext


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def pick_locale(accept_language: str, default: str) -> str:
    """The best of our locales for an Accept-Language header."""
    best = Locale.negotiate(
        [part.split(";")[0].strip().replace("-", "_") for part in accept_language.split(",")],
        list(LOCALES),
        sep="_",
    )
    return str(best.language) if best else default


# Official style: 4-digit years, 24-hour times, no seconds ("14:30, 22/11/2026").
PATTERNS = {
    ("vi", "short"): "HH:mm, dd/MM/yyyy",
    ("vi", "medium"): "HH:mm, 'ngày' dd/MM/yyyy",
    ("en", "short"): "d MMM yyyy, HH:mm",
    ("en", "medium"): "d MMMM yyyy, HH:mm",
}


def local_datetime(value: datetime | None, fmt: str = "medium") -> str:
    """A UTC datetime shown in the current time zone and language."""
    if value is None:
        return ""
    zone = ZoneInfo(_timezone.get())
    pattern = PATTERNS.get((_locale.get(), fmt), fmt)
    return format_datetime(value.astimezone(zone), format=pattern, locale=_locale.get())


def local_date(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return format_date(
        value.astimezone(ZoneInfo(_timezone.get())), format=fmt, locale=_locale.get()
    )


def number(value: float | int) -> str:
    return format_decimal(value, locale=_locale.get())
