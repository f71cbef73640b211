"""A multipart/form-data body with one `file` part, read as it streams in.

The file goes straight to a temporary file (hashed, the size limit enforced while reading,
memory flat); the few text fields beside it are kept, each small. Anything else (no file,
two files, a field nobody asked for, a body cut short) is refused with a message.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from meetings.i18n import _
from meetings.storage.blobs import Received, TooLarge, receive

FILE = "file"
MAX_FIELD_BYTES = 16 * 1024
# Room for the boundaries, part headers and fields around the file.
OVERHEAD = 256 * 1024


class BadForm(Exception):
    """The body is not the form asked for; the message is for the caller, translated."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message, self.status = message, status


@dataclass
class Upload:
    """The streamed file with the name it came under, and the text fields."""

    received: Received
    filename: str
    fields: dict[str, str]


@dataclass
class _Parts:
    """python-multipart's callbacks: sort what is parsed into the fields and the file's bytes."""

    allowed: Collection[str]
    fields: dict[str, str] = field(default_factory=dict)
    filename: str | None = None
    pending: list[bytes] = field(default_factory=list)  # file bytes not yet written
    ended: bool = False
    _header: bytes = b""
    _value: bytes = b""
    _disposition: bytes = b""
    _field: str | None = None
    _data: bytearray = field(default_factory=bytearray)

    def callbacks(self) -> dict[str, object]:
        names = ("part_begin", "header_field", "header_value", "header_end")
        names += ("headers_finished", "part_data", "part_end", "end")
        return {f"on_{name}": getattr(self, f"on_{name}") for name in names}

    def on_part_begin(self) -> None:
        self._disposition, self._field, self._data = b"", None, bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        if self._header.lower() == b"content-disposition":
            self._disposition = self._value
        self._header, self._value = b"", b""

    def on_headers_finished(self) -> None:
        _kind, options = parse_options_header(self._disposition)
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if name == FILE and b"filename" in options:
            if self.filename is not None:
                raise BadForm(_("Send one file per request, in the “file” part."))
            self.filename = options[b"filename"].decode("utf-8", "replace")
        elif name not in self.allowed or b"filename" in options:
            raise BadForm(_("The form has a part “%(name)s” that is not expected.", name=name))
        elif name in self.fields:
            raise BadForm(_("The field “%(name)s” is sent twice.", name=name))
        else:
            self._field = name

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._field is None:
            self.pending.append(data[start:end])
            return
        self._data += data[start:end]
        if len(self._data) > MAX_FIELD_BYTES:
            raise BadForm(_("The field “%(name)s” is too long.", name=self._field))

    def on_part_end(self) -> None:
        if self._field is None:
            return
        try:
            self.fields[self._field] = self._data.decode("utf-8")
        except UnicodeDecodeError:
            raise BadForm(_("The field “%(name)s” is not UTF-8 text.", name=self._field)) from None

    def on_end(self) -> None:
        self.ended = True


def _boundary(request: Request) -> bytes:
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise BadForm(_("Send the file as multipart/form-data, in a part named “file”."), 415)
    return options[b"boundary"]


async def _file_bytes(
    request: Request, parser: MultipartParser, parts: _Parts, limit: int
) -> AsyncIterator[bytes]:
    """The file part's bytes as the body arrives; TooLarge once the body outgrows the limit."""
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit + OVERHEAD:
            raise TooLarge
        try:
            parser.write(chunk)
        except FormParserError:
            raise BadForm(_("The multipart body could not be read."), 400) from None
        for piece in parts.pending:
            yield piece
        parts.pending.clear()


async def read_upload(
    request: Request, allowed: Collection[str], directory: Path, limit: int
) -> Upload:
    """Stream the body: the file into `directory` (TooLarge past `limit` bytes), fields kept."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + OVERHEAD:
        raise TooLarge
    parts = _Parts(allowed)
    parser = MultipartParser(_boundary(request), parts.callbacks())  # type: ignore[arg-type]
    received = await receive(_file_bytes(request, parser, parts, limit), directory, limit)
    if not parts.ended or parts.filename is None:
        received.path.unlink(missing_ok=True)
        if not parts.ended:
            raise BadForm(_("The multipart body ended before its closing boundary."), 400)
        raise BadForm(_("The request has no file: send it in a part named “file”."))
    return Upload(received, parts.filename, parts.fields)
