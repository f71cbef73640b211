"""The Jinja environment: translations, locale formatting, static URLs."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import ua_parser
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.templating import Jinja2Templates

from meetings import i18n
from meetings.config import PROJECT_ROOT

TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"


@cache
def _static_version(path: str) -> str:
    file = STATIC_DIR / path
    if not file.is_file():
        return "0"
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10]


def static_url(path: str) -> str:
    """A cache-busting URL for a file under static/."""
    return f"/static/{path}?v={_static_version(path)}"


def device(user_agent: str) -> str:
    """A short "Chrome on Linux" description of a browser's User-Agent header."""
    if not user_agent:
        return ""
    parsed = ua_parser.parse(user_agent)
    browser = parsed.user_agent.family if parsed.user_agent else ""
    system = parsed.os.family if parsed.os else ""
    if parsed.device and parsed.device.family not in ("Other", "Spider"):
        system = f"{system}, {parsed.device.family}" if system else parsed.device.family
    described = " · ".join(part for part in (browser, system) if part)
    return described or user_agent[:60]


def grouped(secret: str, size: int = 4) -> str:
    """ABCDEFGH -> "ABCD EFGH": a long key is easier to type in groups."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def make_templates(directory: Path = TEMPLATES_DIR) -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(directory),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message, **values: i18n.gettext(message, **values),
        ngettext=lambda s, p, n, **values: i18n.ngettext(s, p, n, **values),
        newstyle=True,
    )
    env.globals.update(
        static_url=static_url,
        locale=i18n.current_locale,
        local_datetime=i18n.local_datetime,
        local_date=i18n.local_date,
        number=i18n.number,
        device=device,
    )
    env.filters["grouped"] = grouped
    return Jinja2Templates(env=env)
