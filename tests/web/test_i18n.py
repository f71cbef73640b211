"""Vietnamese is complete: every string in the code and templates has a translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from meetings import i18n

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> set[str]:
    method_map = [("meetings/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found: set[str] = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), method_map, options, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalogue(locale: str):  # type: ignore[no-untyped-def]
    with (ROOT / "meetings/translations" / locale / "LC_MESSAGES/messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def test_every_string_has_a_vietnamese_translation() -> None:
    catalogue = _catalogue("vi")
    missing = sorted(
        msgid
        for msgid in _extracted()
        if msgid
        and (
            msgid not in catalogue
            or catalogue[msgid].fuzzy
            or not all(
                catalogue[msgid].string
                if isinstance(catalogue[msgid].string, tuple)
                else [catalogue[msgid].string]
            )
        )
    )
    assert not missing, f"run scripts/catalogues.sh and translate: {missing[:20]} ({len(missing)})"


def test_translations_keep_their_placeholders() -> None:
    for message in _catalogue("vi"):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= wanted | {"num"}, message.id
            assert wanted - {"num"} <= set(PLACEHOLDER.findall(string)), message.id


def test_gettext_switches_language() -> None:
    i18n.set_locale("vi")
    vietnamese = i18n.gettext("Log in")
    i18n.set_locale("en")
    assert i18n.gettext("Log in") == "Log in"
    assert vietnamese != "Log in"
