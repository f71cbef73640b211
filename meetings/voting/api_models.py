"""What the voting API answers and accepts. The class names are the OpenAPI schema names."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from meetings.voting.models import PollMode, PollState


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PollCreate(Input):
    question: str = Field(max_length=500)
    mode: PollMode = PollMode.live
    meeting_id: int | None = Field(default=None, description="Required for a live vote")
    item_id: int | None = None
    secret: bool = False
    candidates: list[str] | None = Field(
        default=None, description="An election of people: the candidates' names (2 or more)"
    )
    max_choices: int = 1
    deadline: AwareDatetime | None = Field(default=None, description="Required for a ballot")
    allow_change: bool = Field(default=False, description="Votes may be changed until the close")
    show_running: bool = Field(
        default=False,
        description="A named live vote shows the count per option while it is open",
    )


class PollTransition(Input):
    action: Literal["approve", "open", "close", "publish", "cancel", "remind"]
    reason: str = Field(default="", max_length=500, description="Why it is cancelled")


class VoteCast(Input):
    option_ids: list[int] = Field(min_length=1, max_length=100)
    comment: str = Field(default="", max_length=4000)
    on_behalf_of: int | None = Field(default=None, description="The member who delegated to you")


class DelegationCreate(Input):
    delegate_id: int


class OptionInfo(BaseModel):
    id: int
    label: str
    meaning: str
    comment_required: bool


class PollInfo(BaseModel):
    """A poll, with the count of votes cast; the result once it is closed."""

    id: int
    body_id: int
    meeting_id: int | None
    item_id: int | None
    mode: PollMode
    question: str
    secret: bool
    max_choices: int
    state: PollState
    deadline: datetime | None
    allow_change: bool
    show_running: bool
    options: list[OptionInfo]
    eligible: int = Field(description="How many may vote (0 until it opens)")
    votes_cast: int
    result: dict[str, Any] | None = Field(description="Frozen at close: figures and outcome")
    may_manage: bool


class Receipt(BaseModel):
    """Your vote is stored. In a secret poll, keep the receipt to find your ballot later."""

    voter_id: int
    receipt: str | None


class MyVote(BaseModel):
    voted: bool
    option_ids: list[int] | None = Field(description="Named polls only; never for secret ones")
    delegated_to: int | None


class BallotInfo(BaseModel):
    receipt: str
    option_ids: list[int]
    weight: int


class SummaryLine(BaseModel):
    option_id: int
    label: str
    weight: int
    comments: list[str]
