"""The one exception type for refused changes, shared by every area."""

from __future__ import annotations


class Refusal(ValueError):
    """A change the rules refuse; the message is for the user, already translated.

    `field` names the form field at fault (if any); `status` is 422 for bad input and 409
    for a change that the current state does not allow.
    """

    def __init__(self, message: str, field: str = "", status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
