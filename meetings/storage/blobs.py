"""Content-addressed blob store: files live under their SHA-256, never a user's name."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import AsyncIterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

CHUNK = 256 * 1024


class TooLarge(Exception):
    """The upload went over the size limit while it was being read."""


@dataclass(frozen=True)
class Received:
    """A streamed upload, written to a temporary file, hashed and measured on the way."""

    path: Path
    sha256: str
    size: int


class BlobStore(Protocol):
    def temp_dir(self) -> Path: ...
    def store(self, received: Received) -> str: ...
    def path(self, sha256: str) -> Path: ...
    def exists(self, sha256: str) -> bool: ...


class LocalBlobStore:
    """blobs/ab/cd/<sha256> under the storage folder; writes land atomically by rename."""

    def __init__(self, root: Path) -> None:
        self.root = root / "blobs"
        self.tmp = root / "tmp"
        self.root.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def temp_dir(self) -> Path:
        return self.tmp

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def store(self, received: Received) -> str:
        """Move a received file into place (once per content); return its address."""
        target = self.path(received.sha256)
        if target.exists():
            received.path.unlink(missing_ok=True)
            return received.sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(received.path, 0o640)
        os.replace(received.path, target)
        return received.sha256


async def receive(chunks: AsyncIterable[bytes], directory: Path, limit: int) -> Received:
    """Stream chunks into a temporary file, hashing as they come; TooLarge past the limit."""
    digest = hashlib.sha256()
    size = 0
    handle = tempfile.NamedTemporaryFile(dir=directory, delete=False, prefix="upload-")  # noqa: SIM115
    path = Path(handle.name)
    try:
        with handle:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise TooLarge
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Received(path, digest.hexdigest(), size)
