"""Reading a CSV of a body's members, and saying what importing it would do.

Nothing here writes: `plan` checks every row against the organisation and the body, and
`actions.import_members` applies a plan without errors, all rows in one transaction.
Between the preview and the confirmation the CSV travels in the page (`pack`/`unpack`),
so the server keeps no state.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlmodel import Session

from meetings.accounts.actions import normalise_email
from meetings.accounts.models import User
from meetings.accounts.users import email_problem, find_by_email
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.organisations import queries
from meetings.organisations.models import Body, BodyRole, Membership
from meetings.text import nfc

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
COLUMNS = ("email", "name", "title", "role", "voting_right", "vote_weight")
YES = frozenset({"yes", "y", "true", "1", "x", "có", "co"})
NO = frozenset({"no", "n", "false", "0", "không", "khong"})


class ImportRefusal(Refusal):
    """A file that cannot be read as a members CSV at all (422, or 413 when too large)."""


@dataclass
class ImportRow:
    """One data row: the values it will set, its errors, and what importing it would do."""

    line: int
    email: str
    name: str
    title: str = ""
    role: str = BodyRole.member
    voting_right: bool = True
    vote_weight: int = 1
    assistant_id: int | None = None
    user_id: int | None = None  # the existing person; None when an account will be created
    seat_exists: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """Every row of a file, checked."""

    rows: list[ImportRow]

    @property
    def valid(self) -> bool:
        return not self.invalid

    @property
    def invalid(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def new_accounts(self) -> int:
        return sum(1 for row in self.rows if row.user_id is None and not row.errors)

    @property
    def updated_seats(self) -> int:
        return sum(1 for row in self.rows if row.seat_exists and not row.errors)


# -- the text --------------------------------------------------------------------------


def too_large() -> ImportRefusal:
    return ImportRefusal(
        _("The file is larger than 2 MB. Split it into smaller files."), "file", 413
    )


def decode(data: bytes) -> str:
    """The text of an uploaded file: UTF-8, with or without a byte order mark."""
    if len(data) > MAX_BYTES:
        raise too_large()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _(
            "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” "
            "and upload it again."
        )
        raise ImportRefusal(message, "file") from None


def check_size(text: str) -> str:
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise too_large()
    return text


def pack(text: str) -> str:
    """The CSV as a compact, URL-safe field value for the confirmation form."""
    return base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode().rstrip("=")


def unpack(payload: str) -> str:
    """The CSV carried by the confirmation form; refused if damaged or too large."""
    damaged = ImportRefusal(_("The import data was damaged on the way. Upload the file again."))
    try:
        data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(data, MAX_BYTES + 1)
    except (binascii.Error, zlib.error):
        raise damaged from None
    if len(raw) > MAX_BYTES:
        raise too_large()
    if not payload or not inflater.eof:
        raise damaged
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise damaged from None


# -- the table -------------------------------------------------------------------------


def _delimiter(first_line: str) -> str:
    return max((",", ";", "\t"), key=first_line.count)


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records with the line each ends on (the header is line 1)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n")[0]))
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield reader.line_num, cells
    except csv.Error:
        message = _(
            "Line %(line)s cannot be read as CSV. Check its quotation marks.",
            line=reader.line_num + 1,
        )
        raise ImportRefusal(message) from None


def _header(cells: list[str]) -> list[str]:
    names = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in cells]
    if "email" not in names:
        raise ImportRefusal(_("The first line must name the columns, and one must be email."))
    for name in names:
        if name and name not in COLUMNS:
            message = _(
                "Unknown column “%(name)s”. The columns are: %(columns)s.",
                name=name,
                columns=", ".join(COLUMNS),
            )
            raise ImportRefusal(message)
        if name and names.count(name) > 1:
            raise ImportRefusal(_("The column “%(name)s” appears more than once.", name=name))
    return names


def read_table(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The column names and the data records of a CSV (NFC, byte order mark removed)."""
    records = list(_records(nfc(text.lstrip("\ufeff"))))
    if not records:
        raise ImportRefusal(_("Choose a CSV file or paste its text."), "file")
    header, rows = _header(records[0][1]), records[1:]
    if not rows:
        raise ImportRefusal(_("The file has the column names but no members."), "file")
    if len(rows) > MAX_ROWS:
        message = _(
            "The file has %(count)s members; at most %(max)s can be imported at once.",
            count=len(rows),
            max=MAX_ROWS,
        )
        raise ImportRefusal(message, "file")
    return header, rows


# -- the rows --------------------------------------------------------------------------


@dataclass
class _Known:
    """What the rows are checked against: the organisation's people and the body's seats."""

    db: Session
    people: dict[str, User]
    seats: dict[int, Membership]
    seen: dict[str, int] = field(default_factory=dict)


def plan(db: Session, body: Body, text: str) -> Plan:
    """Check every row of a members CSV and say what importing it would do."""
    header, records = read_table(text)
    known = _Known(
        db,
        {user.email: user for user, _role in queries.people(db, body.organisation_id)},
        {seat.membership.user_id: seat.membership for seat in queries.seats(db, body.id or 0)},
    )
    return Plan([_row(known, line, header, cells) for line, cells in records])


def _row(known: _Known, line: int, header: list[str], cells: list[str]) -> ImportRow:
    values = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}
    row = ImportRow(
        line, normalise_email(values.get("email", "")), " ".join(values.get("name", "").split())
    )
    if len(cells) > len(header):
        row.errors.append(_("This line has more cells than the line of column names."))
    seat = _person(known, row)
    _seat_values(row, values, seat)
    return row


def _person(known: _Known, row: ImportRow) -> Membership | None:
    """Find the row's person; the seat they already have in the body, if any."""
    problem = email_problem(row.email)
    if problem:
        row.errors.append(problem)
        return None
    if row.email in known.seen:
        row.errors.append(
            _("This e-mail address is already on line %(line)s.", line=known.seen[row.email])
        )
        return None
    known.seen[row.email] = row.line
    user = known.people.get(row.email)
    if user is not None:
        row.user_id, row.name = user.id, user.name
        seat = known.seats.get(user.id or 0)
        row.seat_exists = seat is not None
        return seat
    _new_person(known, row)
    return None


def _new_person(known: _Known, row: ImportRow) -> None:
    if find_by_email(known.db, row.email) is not None:
        row.errors.append(
            _(
                "This e-mail address belongs to an account outside this organisation. "
                "Ask a system administrator to add that person to the organisation first."
            )
        )
    elif not row.name:
        row.errors.append(
            _("This person is not in the organisation. Give their name to create an account.")
        )
    elif len(row.name) > 200:
        row.errors.append(_("The name is too long (200 characters at most)."))


def _seat_values(row: ImportRow, values: dict[str, str], seat: Membership | None) -> None:
    """Empty cells keep what an existing seat has, or take the defaults for a new one."""
    row.title = " ".join(values.get("title", "").split()) or (seat.title if seat else "")
    if len(row.title) > 200:
        row.errors.append(_("The title is too long (200 characters at most)."))
    row.role = _role(row, values.get("role", "").lower(), seat)
    row.voting_right = _voting_right(row, values.get("voting_right", "").lower(), seat)
    row.vote_weight = _weight(row, values.get("vote_weight", ""), seat)
    row.assistant_id = seat.assistant_id if seat else None
    if row.role == BodyRole.guest or not row.voting_right:
        row.voting_right, row.vote_weight = False, 0


def _role(row: ImportRow, value: str, seat: Membership | None) -> str:
    if not value:
        return seat.role if seat else BodyRole.member
    if value not in BodyRole.__members__:
        message = _(
            "Unknown role “%(value)s”. Write chair, secretary, member or guest.",
            value=value,
        )
        row.errors.append(message)
    return value


def _voting_right(row: ImportRow, value: str, seat: Membership | None) -> bool:
    if not value:
        return seat.voting_right if seat else row.role != BodyRole.guest
    if value not in YES | NO:
        message = _("Write yes or no for the voting right, not “%(value)s”.", value=value)
        row.errors.append(message)
    return value in YES


def _weight(row: ImportRow, value: str, seat: Membership | None) -> int:
    if not value:
        return seat.vote_weight if seat and seat.vote_weight > 0 else 1
    try:
        weight = int(value)
    except ValueError:
        weight = -1
    if not 0 <= weight <= 100:
        row.errors.append(_("The vote weight must be a whole number from 0 to 100."))
    return weight
