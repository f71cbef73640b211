"""What the tasks API answers and accepts. The class names are the OpenAPI schema names."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from meetings.tasks.models import TaskState


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskFilter(Input):
    """Query parameters of the task list."""

    body_id: int | None = None
    agency: str | None = Field(default=None, description="Exactly as the tasks name it")
    state: TaskState | Literal["overdue"] | None = Field(
        default=None, description="A state, or overdue: past the due day with work to do"
    )
    assignee_id: int | None = None
    mine: bool = Field(default=False, description="Only the tasks assigned to you")


class TaskCreate(Input):
    body_id: int
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=5000)
    agency: str = Field(default="", max_length=200, description="The agency in charge")
    assignee_id: int = Field(description="The person responsible, of this organisation")
    due: date = Field(description="A day in the organisation's calendar, not in the past")
    section_id: int | None = Field(
        default=None, description="The conclusion it comes from (a section of a meeting record)"
    )


class TaskChange(Input):
    """Only the fields sent change; a new due day is an extension, reminded of afresh."""

    title: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    agency: str | None = Field(default=None, max_length=200)
    assignee_id: int | None = None
    due: date | None = None


class TaskReport(Input):
    """Progress (the assignee) with a comment, or a comment alone (assignee or secretariat)."""

    progress: int | None = Field(default=None, ge=0, le=100, description="Per cent")
    comment: str = Field(default="", max_length=4000)


class TaskTransition(Input):
    action: Literal["submit", "accept", "return", "cancel"]
    comment: str = Field(
        default="", max_length=4000, description="Required to return or cancel: why"
    )


class TaskFileFields(Input):
    comment: str = Field(default="", max_length=4000, description="Said with the file")


class TaskUpdateInfo(BaseModel):
    """One step of the task's history."""

    id: int
    user_id: int | None
    kind: str
    progress: int | None
    comment: str
    at: datetime


class TaskFileInfo(BaseModel):
    id: int
    update_id: int | None
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: int | None
    uploaded_at: datetime
    file_url: str


class TaskSummary(BaseModel):
    """A task as the lists show it."""

    id: int
    body_id: int
    meeting_id: int | None
    item_id: int | None
    section_id: int | None
    title: str
    agency: str
    assignee_id: int
    due: date
    state: TaskState
    progress: int
    overdue: bool = Field(description="Past the due day with work still to do")


class TaskInfo(TaskSummary):
    """A task with its history and files, and what you may do with it."""

    description: str
    created_by: int | None
    created_at: datetime
    done_at: datetime | None
    may_manage: bool
    is_assignee: bool
    updates: list[TaskUpdateInfo]
    files: list[TaskFileInfo]
