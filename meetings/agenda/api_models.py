"""What the meetings API answers and accepts: its request and response models.

The class names are the schema names in the OpenAPI document.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from meetings.agenda.models import ItemStatus, Meeting, MeetingKind, MeetingState, PositionKind
from meetings.agenda.positions import Tally
from meetings.agenda.queries import PlannedItem

# -- what the API answers ------------------------------------------------------------


class AgendaEntry(BaseModel):
    """An agenda item with its number (1, 1.1, 2...) and planned start time."""

    id: int
    number: str
    parent_id: int | None = Field(description="The main item of a sub-item")
    title: str
    description: str
    presenter_id: int | None
    presenter_agency: str
    duration_minutes: int
    planned_start: datetime = Field(description="Withdrawn items take no time")
    status: ItemStatus
    consent: bool = Field(description="Proposed for adoption without discussion")
    adopted_by_consent_at: datetime | None


class MeetingSummary(BaseModel):
    """A meeting as listed: its facts and state."""

    id: int
    body_id: int
    title: str
    kind: MeetingKind
    state: MeetingState
    starts_at: datetime
    ends_at: datetime
    place: str
    sequence: int = Field(description="Grows with every change participants are told about")


class MeetingDetail(MeetingSummary):
    """A meeting with its agenda and what the caller may do with it."""

    video_url: str
    chair_id: int | None
    secretary_id: int | None
    state_reason: str = Field(description="Why it was cancelled or postponed")
    copied_from_id: int | None
    current_item_id: int | None
    published_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    may_prepare: bool = Field(description="The caller is of the secretariat")
    may_chair: bool = Field(description="The caller chairs it, or prepares it")
    agenda: list[AgendaEntry]


class PositionInfo(BaseModel):
    """The caller's position on an item."""

    item_id: int
    kind: PositionKind
    comment: str
    updated_at: datetime


class ObjectionInfo(BaseModel):
    """Who objects to an item, and why."""

    user_id: int
    name: str
    comment: str


class ItemTally(BaseModel):
    """How many took each position on an item, and the objections."""

    item_id: int
    number: str
    title: str
    consent: bool
    status: ItemStatus
    no_objection: int
    objection: int
    wish_to_speak: int
    objections: list[ObjectionInfo]


class PositionsReport(BaseModel):
    """Positions per item, and the consent block they leave."""

    items: list[ItemTally]
    consent_block: list[int] = Field(
        description="Consent items nobody objected to, still pending: adopted in one step"
    )


# -- what the API accepts ------------------------------------------------------------


class Input(BaseModel):
    """Request bodies take JSON types as they are and refuse unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True)


class MeetingFilter(BaseModel):
    """Query parameters of the meeting list (encode + in offsets as %2B, or use Z)."""

    model_config = ConfigDict(extra="forbid")

    body_id: int | None = None
    state: MeetingState | None = None
    since: AwareDatetime | None = Field(default=None, description="Starting at or after")
    until: AwareDatetime | None = Field(default=None, description="Starting before")


class MeetingCreate(Input):
    """A new draft meeting of a body."""

    body_id: int
    title: str = Field(min_length=1, max_length=300)
    kind: MeetingKind = MeetingKind.regular
    starts_at: AwareDatetime = Field(description="With an offset, e.g. 2026-12-03T08:00:00+07:00")
    ends_at: AwareDatetime
    place: str = Field(default="", max_length=300)
    video_url: str = Field(default="", max_length=500, description="https://...")
    chair_id: int | None = Field(default=None, description="Defaults to the body's chair")
    secretary_id: int | None = Field(default=None, description="Defaults to the body's secretary")


class MeetingUpdate(Input):
    """Changes to a meeting's facts; a field left out (or null) keeps its value.

    After publication a new time or place is announced to the participants.
    """

    title: str | None = Field(default=None, min_length=1, max_length=300)
    kind: MeetingKind | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    place: str | None = Field(default=None, max_length=300)
    video_url: str | None = Field(default=None, max_length=500)
    chair_id: int | None = None
    secretary_id: int | None = None


class MeetingAction(StrEnum):
    """A move in a meeting's life."""

    publish = "publish"
    open = "open"
    close = "close"
    archive = "archive"
    cancel = "cancel"
    postpone = "postpone"
    reschedule = "reschedule"


class MeetingTransition(Input):
    """A move in the meeting's life. open and close are the chair's; the rest the secretariat's.

    cancel and postpone need a reason; reschedule needs starts_at (ends_at defaults to the
    same length as before).
    """

    action: MeetingAction
    reason: str = Field(default="", max_length=1000)
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None


class MeetingCopy(Input):
    """A new draft with the same facts and agenda, at a new start time."""

    starts_at: AwareDatetime


class ItemCreate(Input):
    """A new agenda item, at the end of the agenda or of its main item's sub-items."""

    parent_id: int | None = Field(default=None, description="Make it a sub-item of this item")
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=5000)
    presenter_id: int | None = Field(default=None, description="A person of the organisation")
    presenter_agency: str = Field(default="", max_length=200)
    duration_minutes: int = Field(default=15, ge=0, le=600)
    consent: bool = Field(default=False, description="Propose it for the consent block")


class ItemUpdate(Input):
    """Changes to an item; a field left out keeps its value, null clears only presenter_id."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    presenter_id: int | None = None
    presenter_agency: str | None = Field(default=None, max_length=200)
    duration_minutes: int | None = Field(default=None, ge=0, le=600)
    consent: bool | None = None


class ItemOrder(Input):
    """The new order of one list of siblings: every main item, or every sub-item of one."""

    parent_id: int | None = None
    item_ids: list[int]


class PositionUpdate(Input):
    """The caller's position on an item before the session; an objection needs a comment."""

    kind: PositionKind
    comment: str = Field(default="", max_length=2000)


# -- conversions ---------------------------------------------------------------------


def agenda_entry(planned: PlannedItem) -> AgendaEntry:
    """An item of the planned agenda as the API answers it."""
    facts = planned.item.model_dump(include=set(AgendaEntry.model_fields))
    return AgendaEntry(**facts, number=planned.number, planned_start=planned.starts_at)


def meeting_summary(meeting: Meeting) -> MeetingSummary:
    """A meeting as the list answers it."""
    return MeetingSummary.model_validate(meeting, from_attributes=True)


def item_tally(tally: Tally, number: str, names: dict[int, str]) -> ItemTally:
    """An item's positions as the API answers them; names are the objectors' names."""
    return ItemTally(
        item_id=tally.item.id or 0,
        number=number,
        title=tally.item.title,
        consent=tally.item.consent,
        status=ItemStatus(tally.item.status),
        **{kind.value: tally.counts[kind] for kind in PositionKind},
        objections=[
            ObjectionInfo(user_id=p.user_id, name=names[p.user_id], comment=p.comment)
            for p in tally.objections
        ],
    )
