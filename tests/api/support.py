"""Checks shared by the API tests."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, func, select

Headers = dict[str, str]


def assert_error(response: Any, status: int, code: str) -> str:
    """The response is a JSON error with that status and code; return its message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    message = body["error"]["message"]
    assert isinstance(message, str) and message.strip()
    return message


def count(db: Session, model: type[Any]) -> int:
    """How many rows a table holds, read afresh."""
    db.expire_all()
    return db.exec(select(func.count()).select_from(model)).one()
