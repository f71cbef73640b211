"""What the search API answers. The class names are the OpenAPI schema names."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class SearchHit(BaseModel):
    kind: str = Field(description="meeting, document, minutes, conclusion, ballot or task")
    source: str = Field(description="The kind of row: meeting, document, record, poll, task")
    id: int = Field(description="The row's id in its own API (the poll's for its opinions)")
    title: str
    title_html: str = Field(description="The title, escaped, the matched words in <mark>")
    snippet: str = Field(description="A short passage around the first match, as plain text")
    snippet_html: str = Field(description="The passage, escaped, the matched words in <mark>")
    meeting_id: int | None
    body_id: int | None
    classification: str | None = Field(description="A document's classification")
    at: datetime = Field(
        description="The meeting's start, or the ballot's deadline, or when the task was assigned"
    )
    url: str = Field(description="The page that shows it")


class SearchPage(BaseModel):
    query: str
    page: int
    has_more: bool = Field(description="Whether the next page has results")
    hits: list[SearchHit]
