"""Names of the records' kinds and states, and which fields a kind's sections have."""

from __future__ import annotations

from meetings.i18n import N_
from meetings.minutes.models import MeetingRecord, RecordKind, RecordSection

KINDS = {
    RecordKind.minutes: N_("Minutes"),
    RecordKind.conclusions: N_("Conclusion notice"),
    RecordKind.addendum: N_("Addendum"),
}
STATES = {
    "draft": N_("Draft"),
    "circulated": N_("Circulated for comments"),
    "final": N_("Final"),
}
FIELDS = {
    "text": N_("Record of the discussion"),
    "opening": N_("Opening and general part"),
    "conclusion": N_("Conclusion"),
}


def fields_of(kind: str, section: RecordSection) -> tuple[str, ...]:
    """The fields a section is written in: the opening has its text only; an item has its
    discussion and conclusion in the minutes, its conclusion only in the conclusion notice.
    An addendum's sections are written like the sections they correct (`kind` is theirs)."""
    if section.item_id is None:
        return ("text",)
    if kind == RecordKind.conclusions:
        return ("conclusion",)
    return ("text", "conclusion")


def kind_of(record: MeetingRecord, corrected: MeetingRecord | None) -> str:
    """The kind whose layout a record follows (an addendum follows the record it corrects)."""
    if record.kind == RecordKind.addendum and corrected is not None:
        return kind_of(corrected, None)
    return record.kind
