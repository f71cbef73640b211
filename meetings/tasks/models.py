"""Follow-up tasks (xử lý công việc): created by the secretariat from a conclusion, assigned to
an agency and a responsible person, tracked to done with progress updates."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from meetings.db import UTCDateTime, utcnow


class TaskState(StrEnum):
    open = "open"  # assigned, not started
    in_progress = "in_progress"
    submitted = "submitted"  # the assignee says it is done; the secretariat accepts or returns
    done = "done"  # accepted
    cancelled = "cancelled"


class Task(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    section_id: int | None = Field(default=None, foreign_key="recordsection.id")  # the conclusion
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=5000)
    agency: str = Field(default="", max_length=200)  # the assigned agency (cơ quan chủ trì)
    assignee_id: int = Field(foreign_key="user.id", index=True)  # the responsible person
    due: date = Field(index=True)  # a day in the organisation's calendar
    state: str = Field(default=TaskState.open, max_length=16, index=True)
    progress: int = 0  # per cent, as the assignee last reported it
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_before: bool = False  # the reminder a few days before the due date went out
    reminded_overdue: bool = False  # the reminder once overdue went out


class TaskUpdate(SQLModel, table=True):
    """Progress, a comment, or a step of the task's life (submitted, accepted, returned)."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    kind: str = Field(default="progress", max_length=16)
    progress: int | None = None
    comment: str = Field(default="", max_length=4000)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TaskAttachment(SQLModel, table=True):
    """A file attached to a progress update, stored as a checked blob."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    update_id: int | None = Field(default=None, foreign_key="taskupdate.id")
    blob: str = Field(max_length=64)
    size: int
    media_type: str = Field(max_length=120)
    filename: str = Field(max_length=220)
    uploaded_by: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
