"""The blob store: streamed, hashed, stored once by content, atomically, never by a user's name."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from meetings.storage.blobs import LocalBlobStore, TooLarge, receive


async def _chunks(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _receive(store: LocalBlobStore, data: bytes, limit: int = 10_000):  # type: ignore[no-untyped-def]
    return asyncio.run(receive(_chunks(data), store.temp_dir(), limit))


def test_received_file_is_hashed_and_measured_while_streaming(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    data = "Dự thảo Nghị định".encode() * 200
    received = _receive(store, data)
    assert received.sha256 == hashlib.sha256(data).hexdigest()
    assert received.size == len(data) and received.path.read_bytes() == data


def test_store_moves_by_content_address_and_keeps_one_copy(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    first, second = _receive(store, b"cung mot noi dung"), _receive(store, b"cung mot noi dung")
    address = store.store(first)
    assert store.store(second) == address
    path = store.path(address)
    assert path == tmp_path / "blobs" / address[:2] / address[2:4] / address
    assert path.read_bytes() == b"cung mot noi dung"
    assert list(store.temp_dir().iterdir()) == [], "temporary files are gone"


def test_over_the_limit_stops_reading_and_leaves_nothing(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    with pytest.raises(TooLarge):
        _receive(store, b"x" * 5000, limit=4096)
    assert list(store.temp_dir().iterdir()) == []
    assert list((tmp_path / "blobs").iterdir()) == []


def test_addresses_are_only_hex_digests(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    for bad in ("../../etc/passwd", "A" * 64, "0" * 63):
        with pytest.raises(ValueError):
            store.path(bad)
