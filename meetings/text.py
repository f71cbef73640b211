"""Text helpers for Vietnamese: folding diacritics (and đ, which Unicode does not decompose)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case ASCII-ish form: "Đặng Quyết định" -> "dang quyet dinh"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def nfc(text: str) -> str:
    """Composed form: how Vietnamese text is stored and compared."""
    return unicodedata.normalize("NFC", text)
