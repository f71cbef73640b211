"""What the records API answers and accepts. The class names are the OpenAPI schema names."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from meetings.minutes.actions import COMMENT_MAX, NUMBER_MAX, TEXT_MAX
from meetings.minutes.models import RecordKind, RecordState


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordCreate(Input):
    kind: Literal["minutes", "conclusions"] = Field(
        description="minutes (biên bản) or conclusions (thông báo kết luận)"
    )


class RecordUpdate(Input):
    number: str = Field(max_length=NUMBER_MAX, description="Number and symbol (số, ký hiệu)")


class SectionSave(Input):
    text: str | None = Field(
        default=None, max_length=TEXT_MAX, description="Left out: the text stays as saved"
    )
    conclusion: str | None = Field(
        default=None, max_length=TEXT_MAX, description="Left out: the conclusion stays as saved"
    )
    base_version: int = Field(
        ge=0,
        description="The version your text was based on; if someone saved since, the answer "
        "is 409 with both texts and nothing is stored",
    )


class RecordTransition(Input):
    action: Literal["circulate", "approve", "addendum"] = Field(
        description="circulate (secretariat), approve (the chair: final and read-only), "
        "addendum (secretariat, on a final record: answers the new addendum)"
    )


class RecordCommentCreate(Input):
    section_id: int | None = Field(default=None, description="None: on the whole record")
    text: str = Field(max_length=COMMENT_MAX)


class RecordFactLine(BaseModel):
    """A fact recorded automatically: "Speakers" and one value per speaker."""

    label: str
    values: list[str]


class RecordSectionInfo(BaseModel):
    """A section: the opening (item_id null) or one agenda item."""

    id: int
    item_id: int | None
    number: str = Field(description="The item's number on the agenda; empty for the opening")
    title: str
    fields: list[str] = Field(description="The fields this section is written in")
    text: str
    conclusion: str
    version: int
    updated_by: int | None
    updated_at: datetime
    automatic: list[RecordFactLine] = Field(description="What the system recorded, in words")


class RecordSummary(BaseModel):
    id: int
    meeting_id: int
    kind: RecordKind
    corrects_id: int | None
    state: RecordState
    number: str
    created_at: datetime
    circulated_at: datetime | None
    approved_by: int | None
    approved_at: datetime | None


class RecordDetail(RecordSummary):
    """A record with its sections in agenda order, and what the caller may do with it."""

    sections: list[RecordSectionInfo]
    may_edit: bool
    may_approve: bool
    may_comment: bool


class SectionRevisionInfo(BaseModel):
    version: int
    text: str
    conclusion: str
    saved_by: int | None
    saved_at: datetime


class RecordCommentInfo(BaseModel):
    id: int
    section_id: int | None
    user_id: int
    author: str
    text: str
    at: datetime
